"""Draft claims of one article: its sentences with cues, each a valid claim for a person to review.

Each draft has the sentence verbatim as ``quote`` and ``statement``, the attribution its grammar
gives, a claim type, a likelihood word from the hedges, its headline quantity, the article as
supporting evidence (credibility 2 plain, 3 softly hedged, 4 hedged), the status that evidence
derives to, and the tag ``draft``. A sentence that disputes an earlier draft is not a draft of its
own: it becomes that draft's ``disputed_by``, its reason the note.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field

from claimtrack.core import anchor
from claimtrack.core.model import Claim, Party, Source
from claimtrack.core.status import derive
from claimtrack.core.vocab import ArticleFormat
from claimtrack.io.article import Block, read_article
from claimtrack.io.extract.cues import (
    CUE_NAMES,
    MONTHS,
    SPEECH_VERBS,
    Cues,
    claim_type,
    confidence_word,
    credibility,
    cues_of,
)
from claimtrack.io.extract.disputes import dispute_of, disputed
from claimtrack.io.extract.quantities import headline
from claimtrack.io.extract.speakers import Memory, guess_attribution


@dataclass(frozen=True)
class Draft:
    """A proposed claim, the cues that made it, and its sentence in its paragraph."""

    claim: Claim
    cues: tuple[str, ...]
    sentence: str
    paragraph: str = ""


@dataclass
class Extraction:
    """The drafts of one article, and the blocks it was read as."""

    drafts: list[Draft] = field(default_factory=list)
    blocks: list[Block] = field(default_factory=list)


def passages(blocks: Iterable[Block]) -> Iterator[tuple[str, str]]:
    """The sentences of the article's real text, each with its paragraph: no headings, no
    furniture."""
    for block in blocks:
        if block.furniture or block.heading:
            continue
        text = block.text
        if not re.search(r"[.!?][”\"’)]*$", text) and len(text.split()) < 20:
            continue  # a heading or lead-in written as a short line without a full stop
        for start, end in anchor.sentence_spans(text):
            sentence = text[start:end].strip()
            if len(sentence.split()) >= 4:
                yield sentence, text


def sentences(blocks: Iterable[Block]) -> Iterator[str]:
    """The sentences of the article's real text: no headings, no furniture."""
    for sentence, _ in passages(blocks):
        yield sentence


_STOP = frozenset(
    "a an the of and or to in on for by with as at from that this these those is are was were be "
    "been has have had it its their his her but not into than which who whom whose will would "
    "could may might can also after before over under about around more most some such there "
    "s t i we they he she our your my per very just only all any each recently meanwhile yet "
    "however if when while although because then still so thus instead even one".split()
)
_DROP = frozenset(
    [
        *SPEECH_VERBS.split("|"),
        "according",
        "citing",
        "percent",
        "cent",
        "reportedly",
        "mr",
        "mrs",
        "ms",
        "dr",
        "monday",
        "tuesday",
        "wednesday",
        "thursday",
        "friday",
        "saturday",
        "sunday",
        "yesterday",
        "today",
        "told",
        *MONTHS,
    ]
)
#: Ids stay short enough to type: at most this many words and characters.
ID_WORDS, ID_CHARS = 5, 48


def slug_for(sentence: str, taken: set[str]) -> str:
    """A short readable unique id from a sentence's main words (``council-approves-48m-bridge``)."""
    text = anchor.comparable(_fold(sentence))
    text = re.sub(r"[’']s\b", "", text)
    text = re.sub(r"(\d),(?=\d{3}\b)", r"\1", text)
    text = re.sub(
        r"\b(\d+)\s+(million|billion|thousand)\b",
        lambda m: (
            m.group(1) + m.group(2)[0].replace("t", "k") + ("n" if m.group(2) == "billion" else "")
        ),
        text,
    )
    words = re.findall(r"[a-z0-9]+", text)
    main = [w for w in words if w not in _STOP and w not in _DROP and (len(w) > 1 or w.isdigit())][
        :ID_WORDS
    ]
    base = ""
    for word in main or ["draft"]:
        if base and len(base) + 1 + len(word) > ID_CHARS:
            break
        base = f"{base}-{word}" if base else word[:ID_CHARS]
    if not re.match(r"[a-z0-9]", base):
        base = "draft-" + base
    slug, n = base, 2
    while slug in taken:
        slug, n = f"{base}-{n}", n + 1
    taken.add(slug)
    return slug


def _fold(text: str) -> str:
    from claimtrack.core.query import fold

    return fold(text)


def _draft_data(
    sentence: str, source_id: str, memory: Memory, used: set[str]
) -> tuple[dict[str, object], tuple[str, ...]] | None:
    cues = cues_of(sentence)
    if not cues.found:
        return None
    quantity = headline(sentence)
    # the quantity cue says what the headline found: none when its only numbers are side ones
    kept = {c for c in cues.found if c != "quantity"} | ({"quantity"} if quantity else set())
    found = tuple(c for c in CUE_NAMES if c in kept)
    cues = Cues(found, cues.strong_hedge, cues.soft_hedge)
    kind = claim_type(sentence, cues)
    data: dict[str, object] = {
        "id": slug_for(sentence, used),
        "statement": sentence,
        "quote": sentence,
        "appears_in": source_id,
        "type": kind,
        "attribution": guess_attribution(sentence, memory),
        "confidence": confidence_word(cues),
        "evidence": [{"source": source_id, "stance": "supports", "credibility": credibility(cues)}],
        "tags": ["draft"],
        "notes": f"Draft by claimtrack extract (cues: {', '.join(found)}); check the statement, "
        "attribution, evidence and status before use.",
    }
    if quantity is not None:
        data["quantity"] = quantity
    return data, found


def extract(
    text: str,
    source_id: str,
    fmt: ArticleFormat = ArticleFormat.AUTO,
    sources: Mapping[str, Source] | None = None,
    taken: Iterable[str] = (),
) -> Extraction:
    """Draft claims from an article's text; ``taken`` ids are never reused."""
    blocks = read_article(text, fmt)
    registry = dict(sources or {})
    used = set(taken)
    result = Extraction(blocks=blocks)
    memory = Memory()
    for sentence, paragraph in passages(blocks):
        memory.learn(sentence)
        dispute = dispute_of(sentence, memory)
        if dispute is not None:
            index = disputed(dispute, [d.claim for d in result.drafts])
            if index is not None:
                target = result.drafts[index]
                party = Party.model_validate(
                    {
                        "name": dispute.name,
                        "kind": dispute.kind,
                        "source": source_id,
                        "note": dispute.note,
                    }
                )
                claim = target.claim.model_copy(
                    update={"disputed_by": [*target.claim.disputed_by, party]}
                )
                claim = claim.model_copy(update={"status": derive(claim, registry).status})
                result.drafts[index] = Draft(claim, target.cues, target.sentence, target.paragraph)
                continue
        made = _draft_data(sentence, source_id, memory, used)
        if made is None:
            continue
        data, found = made
        claim = Claim.model_validate(data)
        claim = claim.model_copy(update={"status": derive(claim, registry).status})
        result.drafts.append(Draft(claim, found, sentence, paragraph))
    return result
