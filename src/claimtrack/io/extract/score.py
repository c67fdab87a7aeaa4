"""How drafts compare with hand-made claims of the same text: precision and recall."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from claimtrack.core import anchor


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
