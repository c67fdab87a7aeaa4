"""Full-text search of claims: one tokeniser, what a claim's searchable text is, BM25 ranking,
and where the matched words are in a text (for highlighting).

The index (``claimtrack.cache.fulltext``) keeps the tokens this module makes in an SQLite FTS5
table and only looks them up; both the index and the in-memory search (``--no-cache``) rank
the matches with :func:`rank`, so they give the same answer by construction.
"""

from __future__ import annotations

import math
import re
import unicodedata
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from claimtrack.core.errors import UsageError

if TYPE_CHECKING:
    from claimtrack.core.model import Claim, Source
    from claimtrack.core.query import Entry

#: A word: letters and digits (no underscore), after folding.
_WORD = re.compile(r"[^\W_]+")
#: A word in text not yet folded: letters and digits with the combining marks among them.
_RAW_WORD = re.compile(r"(?:[^\W_]|[\u0300-\u036f\u1ab0-\u1aff\u1dc0-\u1dff\u20d0-\u20ff])+")

#: BM25's parameters, SQLite FTS5's own defaults.
K1 = 1.2
B = 0.75


def fold(text: str) -> str:
    """Case and accents ignored: ``Chávez`` is ``chavez``; ``ß`` is ``ss``."""
    decomposed = unicodedata.normalize("NFKD", text)
    return unicodedata.normalize(
        "NFC", "".join(c for c in decomposed if not unicodedata.combining(c)).casefold()
    )


def tokens(text: str) -> list[str]:
    """The words of a text as search sees them, in order: folded, split on everything that is
    not a letter or a digit."""
    return _WORD.findall(fold(text))


@dataclass(frozen=True)
class Found:
    """One claim a search found, with its BM25 score (higher is better)."""

    entry: Entry
    score: float


@dataclass(frozen=True)
class Term:
    """One word of a search: matches a token equal to it, or (``mourn*``) starting with it."""

    word: str
    prefix: bool = False

    def matches(self, token: str) -> bool:
        return token.startswith(self.word) if self.prefix else token == self.word


def parse_terms(text: str) -> list[Term]:
    """The terms of a search text: its words (every one must match); a word ending in ``*``
    matches any word it begins. A text with no words is a usage error."""
    out: list[Term] = []
    for piece in text.split():
        prefix = piece.endswith("*")
        words = tokens(piece)
        for index, word in enumerate(words):
            term = Term(word, prefix and index == len(words) - 1)
            if term not in out:
                out.append(term)
    if not out:
        raise UsageError(f"nothing to search for in {text!r}: give a word")
    return out


def document(claim: Claim, sources: Mapping[str, Source]) -> str:
    """What search reads of a claim: its statement, quote, notes and attribution (speaker, role,
    the via chain), and the titles of the sources it appears in or cites."""
    a = claim.attribution
    parts = [claim.statement, claim.quote or "", claim.notes or "", a.name, a.role or ""]
    parts += [hop.name for hop in a.via] + [hop.role or "" for hop in a.via]
    cited = dict.fromkeys([claim.appears_in, *(e.source for e in claim.evidence)])
    parts += [sources[sid].title for sid in cited if sid in sources]
    return "\n".join(part for part in parts if part)


def matches(terms: Sequence[Term], doc_tokens: Iterable[str]) -> bool:
    """Whether a document has every term."""
    present = set(doc_tokens)
    return all(any(term.matches(t) for t in present) for term in terms)


@dataclass(frozen=True)
class Corpus:
    """What BM25 needs to know of all the documents searched: how many, and their mean length."""

    count: int
    mean_length: float


def rank(
    terms: Sequence[Term], found: Mapping[str, Sequence[str]], corpus: Corpus
) -> list[tuple[str, float]]:
    """The documents found (key -> tokens; each has every term), best first, with their BM25
    scores; equal scores in key order. A term's document frequency is counted over the
    documents found (each holds every term, so that is every document holding it)."""
    frequencies: dict[str, list[int]] = {}
    for key, toks in found.items():
        counts = Counter(toks)
        frequencies[key] = [
            sum(n for token, n in counts.items() if token.startswith(term.word))
            if term.prefix
            else counts.get(term.word, 0)
            for term in terms
        ]
    hits = [sum(1 for tfs in frequencies.values() if tfs[i]) for i in range(len(terms))]
    idf = [max(math.log((corpus.count - n + 0.5) / (n + 0.5)), 1e-6) for n in hits]
    scored = []
    for key, tfs in frequencies.items():
        length = len(found[key])
        norm = K1 * (1 - B + B * length / corpus.mean_length) if corpus.mean_length else K1
        score = 0.0
        for weight, tf in zip(idf, tfs, strict=True):
            score += weight * tf * (K1 + 1) / (tf + norm)
        scored.append((key, score))
    scored.sort(key=lambda item: (-item[1], item[0]))
    return scored


def search_in_memory(
    terms: Sequence[Term], documents: Mapping[str, str]
) -> list[tuple[str, float]]:
    """:func:`rank` over documents held in memory (key -> text): what ``--no-cache`` does."""
    tokenised = {key: tokens(text) for key, text in documents.items()}
    total = sum(len(toks) for toks in tokenised.values())
    corpus = Corpus(len(tokenised), total / len(tokenised) if tokenised else 0.0)
    found = {key: toks for key, toks in tokenised.items() if matches(terms, toks)}
    return rank(terms, found, corpus)


def spans(text: str, terms: Sequence[Term]) -> list[tuple[int, int]]:
    """Where the words of ``text`` that match a term are (start, end), for highlighting: found
    word by word in the text itself, so the offsets are the text's own."""
    out = []
    for match in _RAW_WORD.finditer(text):
        folded = tokens(match.group())
        if any(term.matches(token) for token in folded for term in terms):
            out.append(match.span())
    return out
