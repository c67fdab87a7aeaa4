"""Draft claims from an article, by rule: sentences that carry checkable cues become drafts.

A sentence is drafted when it has a *cue*: a number, a date, a quantity (a number with a unit),
a quotation (three or more words in quotation marks), an attribution cue ("X said", "according
to", "citing", "claimed"...), a hedge ("some reports suggest", "reportedly", "often described
as", "allegedly"...), a prediction ("will", "could", "may") or a causal link ("because", "led
to", "helped"). Headings and page furniture (``article.py``) are never drafted.

Each draft is a valid claim for a person to review: the sentence verbatim as ``quote`` and
``statement``, a guessed attribution, a claim type, a confidence from the hedges, the article as
supporting evidence (credibility 2 plain, 3 softly hedged, 4 hedged) and the status that
evidence derives to, tagged ``draft``. Nothing is looked up: it is offline and deterministic.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field

from claimtrack.core import anchor
from claimtrack.core.model import Claim, Source
from claimtrack.core.status import derive
from claimtrack.core.units import BASE_UNITS, SCALES, parse_unit
from claimtrack.core.vocab import ArticleFormat
from claimtrack.io.article import Block, read_article

_MONTHS = [
    "january",
    "february",
    "march",
    "april",
    "may",
    "june",
    "july",
    "august",
    "september",
    "october",
    "november",
    "december",
    "jan",
    "feb",
    "mar",
    "apr",
    "jun",
    "jul",
    "aug",
    "sep",
    "sept",
    "oct",
    "nov",
    "dec",
]
_NUMBER = re.compile(r"(?<![\w.])(?:[$€£]\s?)?\d[\d,]*(?:\.\d+)?%?")
_LIST_MARK = re.compile(r"^\(?\d{1,2}[).]\s")
_YEAR = re.compile(r"\b(?:1[89]\d\d|20\d\d)s?\b")
_DATE = re.compile(
    r"\b(?:"
    + "|".join(m for m in _MONTHS if m != "may")
    + r")\.?\s+\d{1,2}\b|\b\d{1,2}\s+(?:"
    + "|".join(_MONTHS)
    + r")\b|\b(?:monday|tuesday|wednesday|thursday|friday|saturday|sunday|"
    r"yesterday|last (?:week|month|year))\b",
    re.I,
)
_UNIT_WORDS = sorted(
    (u for u in BASE_UNITS if len(u) > 1 and re.fullmatch(r"[a-z .$/]+", u)),
    key=len,
    reverse=True,
)
_QUANTITY = re.compile(
    r"(?P<approx>\b(?:around|about|approximately|roughly|nearly|almost|some|over|more than|"
    r"less than|up to)\s+|~)?(?P<number>(?:[$€£]\s?)?\d[\d,]*(?:\.\d+)?)\s*(?P<scale>"
    + "|".join(s for s in SCALES if len(s) > 2)
    + r")?\s*(?P<unit>%|"
    + "|".join(re.escape(u) for u in _UNIT_WORDS)
    + r"|[a-z]+ nationals|[a-z]+ (?:people|deaths|workers|doctors|soldiers))\b",
    re.I,
)
_QUOTATION = re.compile(r"[“\"]([^”\"]+)[”\"]")
_SPEECH_VERBS = (
    "said|says|told|tells|claimed|claims|stated|states|announced|announces|argued|argue|argues|"
    "noted|notes|remarked|declared|declares|denied|denies|insisted|insists|warned|warns|"
    "added|wrote|writes|reported|reports|confirmed|confirms|acknowledged|alleged|alleges|"
    "estimated|estimates|emphasize|emphasizes|emphasised|highlighted|described|condemned|"
    "accused|testified|predicted"
)
_ATTRIBUTION = re.compile(
    rf"\baccording to\b|\bciting\b|\b(?:{_SPEECH_VERBS})\b|\b(?:place|places|trace|traces)\b "
    r"the|\bcite\b",
    re.I,
)
_STRONG_HEDGES = re.compile(
    r"\b(?:reportedly|allegedly|purportedly|supposedly|rumou?red|some reports suggest|"
    r"is said to|are said to|unconfirmed|claimed without evidence|may have|might have|"
    r"some accounts|some reports)\b",
    re.I,
)
_SOFT_HEDGES = re.compile(
    r"\b(?:often|widely|frequently|commonly|usually|generally|sometimes) (?:described|cited|"
    r"linked|traced|summari[sz]ed|highlighted|portrayed|seen|called|framed|regarded)|"
    r"\b(?:many|multiple|several) (?:accounts|narratives|reports|observers)\b|"
    r"\bsuggest(?:s|ing)?\b|"
    r"\bappears? to\b|\bseems? to\b|\bperceived\b|\bportrayals?\b|\bdescribed as\b",
    re.I,
)
_PREDICTION = re.compile(
    r"\b(?:will|could|may|might|would|likely to|expected to|set to|forecast|poised to|"
    r"is going to|are going to)\b",
    re.I,
)
_CAUSAL = re.compile(
    r"\b(?:because|led to|leads to|lead to|helped|helps|caused|causes|cause|as a result|due to|"
    r"resulted in|results in|drove|drives|so that|therefore|thanks to|shaped|signals|"
    r"create|creates|intensifying|destabili[sz]es|harden)\b|^As\b",
    re.I,
)
_OPINION = re.compile(
    r"\b(?:described as|argue|argues|argued|portrayals?|resembles|framed)\b", re.I
)
_SUBJECT_BEFORE_VERB = re.compile(
    rf"((?:(?:[A-Z][\w.’'-]*|of|the|de|for|and)\s+){{0,7}}?[A-Z][\w.’'-]*)\s+(?:\w+ly\s+)?"
    rf"(?:{_SPEECH_VERBS})\b"
)
_PERSON = r"[A-Z][\w’'-]+(?: [A-Z][\w’'.-]+)+"
_VERB_THEN_NAME = re.compile(rf"[,”\"]\s*(?:{_SPEECH_VERBS}) (?P<name>{_PERSON})")
_NAME_IN_APPOSITION = re.compile(rf"(?P<name>{_PERSON}),? (?:\w+ly )?(?:{_SPEECH_VERBS})\b")
_TRAILING_SPEAKER = re.compile(
    rf", (?P<name>(?:the|a|an) [\w’' -]{{3,60}}?) (?:{_SPEECH_VERBS})[,.]"
)
_ACCORDING = re.compile(r"\baccording to ((?:the )?[^,.;]+)", re.I)
_CITING = re.compile(
    r"^(?P<via>.*?)\s+citing\s+(?P<name>[^,.;]+?)(?:\s+(?:have|has|had|data)\b"
    r"|[,.;]|$)",
    re.I,
)
_HEDGED_SUBJECT = re.compile(
    r"\b((?:some|many|multiple|several|other) (?:reports|accounts|narratives|observers|"
    r"analysts|critics|sources|portrayals)|open-source descriptions|"
    r"observers(?: and (?:foreign )?diplomats)?|"
    r"critics|analysts|diplomats)\b",
    re.I,
)
_OFFICIAL = re.compile(
    r"\b(?:secretary|minister|president|spokes\w+|senator|governor|mayor|"
    r"ambassador|official|chancellor|general|prime)\b",
    re.I,
)
_GOVERNMENT = re.compile(
    r"\b(?:government|ministry|department|office|kremlin|white house|embassy|"
    r"council|parliament|congress|authorities|state)\b",
    re.I,
)
_MEDIA = re.compile(
    r"\b(?:reports?|media|newspaper|agency|news|journal|times|post|press|"
    r"television|broadcaster)\b",
    re.I,
)
_EXPERT = re.compile(
    r"\b(?:analysts?|experts?|professor|researchers?|economists?|scientists?|"
    r"scholars?)\b",
    re.I,
)
_DOCUMENT = re.compile(r"\b(?:data|document|study|survey|filing|records?|audit|figures)\b", re.I)


@dataclass(frozen=True)
class Draft:
    """A proposed claim and the cues that made it."""

    claim: Claim
    cues: tuple[str, ...]
    sentence: str


@dataclass(frozen=True)
class Cues:
    found: tuple[str, ...]
    strong_hedge: bool
    soft_hedge: bool


def cues_of(sentence: str) -> Cues:
    """The cues in one sentence, in a fixed order."""
    body = _LIST_MARK.sub("", sentence)
    found: list[str] = []
    numbers = [m for m in _NUMBER.finditer(body) if not _YEAR.fullmatch(m.group())]
    if numbers:
        found.append("number")
    if _YEAR.search(body) or _DATE.search(body):
        found.append("date")
    if _QUANTITY.search(_words_to_digits(body)):
        found.append("quantity")
    if any(len(m.group(1).split()) >= 2 for m in _QUOTATION.finditer(body)):
        found.append("quotation")
    if _ATTRIBUTION.search(body):
        found.append("attribution")
    strong = bool(_STRONG_HEDGES.search(body))
    soft = bool(_SOFT_HEDGES.search(body))
    if strong or soft:
        found.append("hedge")
    if _PREDICTION.search(body):
        found.append("prediction")
    if _CAUSAL.search(body):
        found.append("causal")
    return Cues(tuple(found), strong, soft)


_NUMBER_WORDS = {
    "one": "1",
    "two": "2",
    "three": "3",
    "four": "4",
    "five": "5",
    "six": "6",
    "seven": "7",
    "eight": "8",
    "nine": "9",
    "ten": "10",
}


def _words_to_digits(text: str) -> str:
    return re.sub(
        r"\b(" + "|".join(_NUMBER_WORDS) + r")\b",
        lambda m: _NUMBER_WORDS[m.group(1).lower()],
        text,
        flags=re.I,
    )


def claim_type(sentence: str, cues: Cues) -> str:
    """Full Fact's type, guessed: quantity, quote, prediction, causal, opinion or event."""
    if "quantity" in cues.found:
        return "quantity"
    if "quotation" in cues.found and "attribution" in cues.found:
        return "quote"
    if "prediction" in cues.found and "date" not in cues.found:
        return "prediction"
    if "causal" in cues.found:
        return "causal"
    if _OPINION.search(sentence) or (cues.soft_hedge and "date" not in cues.found):
        return "opinion"
    return "event"


def _kind_of(name: str) -> str:
    if re.search(r"\breports\b", name, re.I):
        return "media"  # unnamed, but they are published reports
    if _HEDGED_SUBJECT.fullmatch(name.strip()) or name.lower().startswith(("some ", "many ")):
        return "anonymous"
    for pattern, kind in (
        (_OFFICIAL, "official"),
        (_DOCUMENT, "document"),
        (_GOVERNMENT, "government"),
        (_EXPERT, "expert"),
        (_MEDIA, "media"),
    ):
        if pattern.search(name):
            return kind
    return "organization"


def guess_attribution(sentence: str) -> dict[str, object]:
    """Who asserts the sentence, guessed from its attribution cues; the author when none."""
    citing = _CITING.search(sentence)
    if citing:
        name = citing.group("name").strip()
        via = _LIST_MARK.sub("", citing.group("via")).strip()
        data: dict[str, object] = {"name": name, "kind": _kind_of(name)}
        if via:
            data["via"] = [
                {
                    "name": via[0].lower() + via[1:] if via[:1].isupper() else via,
                    "kind": _kind_of(via),
                }
            ]
        return data
    according = _ACCORDING.search(sentence)
    if according:
        name = according.group(1).strip()
        return {"name": name, "kind": _kind_of(name)}
    hedged = _HEDGED_SUBJECT.search(sentence)
    if hedged and hedged.start() < 40:
        name = hedged.group(1)
        return {"name": name[0].lower() + name[1:], "kind": "anonymous"}
    for pattern in (_VERB_THEN_NAME, _NAME_IN_APPOSITION, _TRAILING_SPEAKER):
        found = pattern.search(sentence)
        if found:
            name = found.group("name").strip()
            return {"name": name, "kind": _kind_of(name)}
    speaker = _SUBJECT_BEFORE_VERB.search(sentence)
    if speaker:
        name = re.sub(
            r"^(?:More recently|Recently|Meanwhile|Yet|But|And|However),?\s+",
            "",
            speaker.group(1).strip(),
        )
        name = re.sub(r"^(?:The|the)\s+", "", name) if _GOVERNMENT.search(name) is None else name
        if name and name.split()[0] not in ("After", "Before", "When", "If", "As", "In", "By"):
            return {"name": name, "kind": _kind_of(name)}
    return {"name": "the article's author", "role": "writer of the page", "kind": "author"}


def _confidence(cues: Cues) -> str:
    if cues.strong_hedge or "prediction" in cues.found:
        return "roughly even chance"
    if cues.soft_hedge:
        return "likely"
    return "very likely" if {"number", "date"} & set(cues.found) else "likely"


def _credibility(cues: Cues) -> int:
    return 4 if cues.strong_hedge else 3 if cues.soft_hedge else 2


def _quantity(sentence: str) -> dict[str, object] | None:
    match = _QUANTITY.search(_words_to_digits(sentence))
    if match is None:
        return None
    digits = re.sub(r"[^\d.]", "", match.group("number"))
    try:
        value = float(digits)
    except ValueError:
        return None
    if match.group("scale"):
        value *= SCALES[match.group("scale").lower()]
    unit = match.group("unit")
    if match.group("number").lstrip().startswith(("$", "€", "£")):
        unit = {"$": "USD", "€": "EUR", "£": "GBP"}[match.group("number").lstrip()[0]]
    approx = (match.group("approx") or "").strip().lower()
    if re.search(r"\b(?:nationals|people|deaths|workers|doctors|soldiers)$", unit, re.I):
        unit = "people"
    parsed = parse_unit(unit)
    # The canonical spelling only when it is the same unit (not "months" written as days).
    known = not parsed.dimension.startswith("unit ") and parsed.factor == 1
    named = parsed.canonical if known else unit.lower()
    data: dict[str, object] = {
        "value": int(value) if value.is_integer() else value,
        "unit": "percent" if unit == "%" else named,
    }
    if approx in ("around", "about", "approximately", "roughly", "nearly", "almost", "some", "~"):
        data["approx"] = True
    elif approx in ("over", "more than"):
        data["bound"] = "lower"
    elif approx in ("less than", "up to"):
        data["bound"] = "upper"
    return data


_STOP = frozenset(
    [
        "a",
        "an",
        "the",
        "of",
        "and",
        "or",
        "to",
        "in",
        "on",
        "for",
        "by",
        "with",
        "as",
        "at",
        "from",
        "that",
        "this",
        "these",
        "those",
        "is",
        "are",
        "was",
        "were",
        "be",
        "been",
        "has",
        "have",
        "had",
        "it",
        "its",
        "their",
        "his",
        "her",
        "but",
        "not",
        "into",
        "than",
        "which",
        "who",
    ]
)


def slug_for(sentence: str, taken: set[str]) -> str:
    """A short unique id from a sentence's main words."""
    words = re.findall(r"[a-z0-9]+", anchor.comparable(_fold(sentence)))
    main = [w for w in words if w not in _STOP][:6] or ["draft"]
    base = "-".join(main)[:80].strip("-") or "draft"
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


@dataclass
class Extraction:
    """The drafts of one article, and the blocks it was read as."""

    drafts: list[Draft] = field(default_factory=list)
    blocks: list[Block] = field(default_factory=list)


def sentences(blocks: Iterable[Block]) -> Iterable[str]:
    """The sentences of the article's real text: no headings, no furniture."""
    for block in blocks:
        if block.furniture or block.heading:
            continue
        text = block.text
        if not re.search(r"[.!?][”\"’)]*$", text) and len(text.split()) < 20:
            continue  # a heading or lead-in written as a short line without a full stop
        for start, end in anchor.sentence_spans(text):
            sentence = text[start:end].strip()
            if len(sentence.split()) >= 4:
                yield sentence


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
    for sentence in sentences(blocks):
        cues = cues_of(sentence)
        if not cues.found:
            continue
        quantity = _quantity(sentence) if "quantity" in cues.found else None
        data: dict[str, object] = {
            "id": slug_for(sentence, used),
            "statement": sentence,
            "quote": sentence,
            "appears_in": source_id,
            "type": claim_type(sentence, cues),
            "attribution": guess_attribution(sentence),
            "confidence": _confidence(cues),
            "evidence": [
                {"source": source_id, "stance": "supports", "credibility": _credibility(cues)}
            ],
            "tags": ["draft"],
            "notes": f"Draft by claimtrack extract (cues: {', '.join(cues.found)}); check the "
            "statement, attribution, evidence and status before use.",
        }
        if quantity is not None:
            data["quantity"] = quantity
        claim = Claim.model_validate(data)
        status = derive(claim, registry).status
        claim = claim.model_copy(update={"status": status})
        result.drafts.append(Draft(claim, cues.found, sentence))
    return result


@dataclass(frozen=True)
class Score:
    """How drafts compare with hand-made claims of the same text (quotes overlapping)."""

    drafts: int
    claims: int
    matched_drafts: int
    matched_claims: int

    @property
    def precision(self) -> float:
        return self.matched_drafts / self.drafts if self.drafts else 0.0

    @property
    def recall(self) -> float:
        return self.matched_claims / self.claims if self.claims else 0.0


def _spans(quotes: Sequence[str], text: anchor.Normalized) -> list[tuple[int, int] | None]:
    spans: list[tuple[int, int] | None] = []
    for quote in quotes:
        found = anchor.find_all(quote, text)
        spans.append(found[0] if found else None)
    return spans


def score(draft_quotes: Sequence[str], claim_quotes: Sequence[str], text: str) -> Score:
    """Precision and recall of drafts against claims: a draft matches a claim when their quotes'
    places in ``text`` overlap. A quote not found in the text matches nothing."""
    haystack = anchor.normalize(text)
    drafted = _spans(draft_quotes, haystack)
    wanted = _spans(claim_quotes, haystack)

    def overlaps(a: tuple[int, int] | None, b: tuple[int, int] | None) -> bool:
        return a is not None and b is not None and a[0] < b[1] and b[0] < a[1]

    matched_drafts = sum(any(overlaps(d, c) for c in wanted) for d in drafted)
    matched_claims = sum(any(overlaps(d, c) for d in drafted) for c in wanted)
    return Score(len(draft_quotes), len(claim_quotes), matched_drafts, matched_claims)
