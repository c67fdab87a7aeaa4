"""Estimative-language and sourcing lint: warnings a careful analyst would raise (ICD 203).

Each rule is a function in ``LINT_RULES`` whose docstring is its documentation; it returns the
field it points at and a message, or None. (``confidence-word``, a word outside its number's
band, lives in ``rules/fields.py`` with the other cross-field checks.)
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator, Mapping
from typing import TYPE_CHECKING

from claimtrack.core.status import lines_of_evidence
from claimtrack.core.vocab import LIKELIHOOD_BANDS, Stance

if TYPE_CHECKING:
    from claimtrack.core.model import Claim, Source

#: What a lint rule returns: the field it points at and a message, or None when it holds.
LintHit = tuple[tuple[str | int, ...], str] | None

_ANALYTIC = re.compile(r"\b(?:high|moderate|medium|low)(?:ly)?[- ]confiden(?:ce|t)\b", re.I)
_LIKELIHOOD_TERMS = sorted(
    {w for band in LIKELIHOOD_BANDS for w in (band.word, band.alias)}
    | {"likely", "unlikely", "probably", "probable", "improbable", "chance", "odds"},
    key=len,
    reverse=True,
)
_LIKELIHOOD = re.compile(r"\b(?:" + "|".join(map(re.escape, _LIKELIHOOD_TERMS)) + r")\b", re.I)
_SENTENCE = re.compile(r"[^.!?;]+")


def confidence_certainty(claim: Claim, sources: Mapping[str, Source]) -> LintHit:
    """`confidence-certainty`: a likelihood of exactly 0 or 1. ICD 203 stops at 0.01-0.99
    ("almost no chance", "almost certain"): an estimate is never a certainty; say 0.97 or 0.03,
    or record the fact as evidence instead."""
    if claim.confidence.value in (0.0, 1.0):
        return ("confidence",), (
            f"confidence {claim.confidence.value:g} is a certainty; ICD 203 likelihood runs from "
            "0.01 to 0.99 (use 'almost certain' or 'almost no chance')"
        )
    return None


def estimative_mixed(claim: Claim, sources: Mapping[str, Source]) -> LintHit:
    """`estimative-mixed`: one sentence of the statement or notes mixes analytic confidence with
    likelihood ("high confidence that it is likely"). ICD 203 keeps them apart: put the
    likelihood in `confidence` and the basis in `analytic_confidence`."""
    for name in ("statement", "notes"):
        text = getattr(claim, name) or ""
        # Most texts say nothing of confidence: an ASCII text without the word cannot match
        # (case folding is exact in ASCII), and is passed over without the regex's search.
        if text.isascii() and "confiden" not in text.lower():
            continue
        if not _ANALYTIC.search(text):
            continue
        for sentence in _SENTENCE.findall(text):
            confident = _ANALYTIC.search(sentence)
            likely = confident and _LIKELIHOOD.search(sentence)
            if confident and likely:
                return (name,), (
                    f"{confident.group()!r} and {likely.group()!r} in one sentence mix analytic "
                    "confidence with likelihood; use the confidence and analytic_confidence fields"
                )
    return None


def credibility_independence(claim: Claim, sources: Mapping[str, Source]) -> LintHit:
    """`credibility-independence`: credibility 1 means "confirmed by other *independent*
    sources", but the claim's supporting sources form a single line of evidence (one publisher,
    or derived from one another)."""
    for index, item in enumerate(claim.evidence):
        if item.credibility != 1:
            continue
        supporting = [
            e.source for e in claim.evidence if e.stance is Stance.SUPPORTS and e.source in sources
        ]
        lines = lines_of_evidence(supporting, sources)
        if len(lines) < 2:
            return ("evidence", index, "credibility"), (
                "credibility 1 means confirmed by other independent sources, but the supporting "
                "evidence is one line of evidence"
            )
    return None


#: rule id -> check; the docstrings are the documentation.
LINT_RULES: dict[str, Callable[[Claim, Mapping[str, Source]], LintHit]] = {
    "confidence-certainty": confidence_certainty,
    "estimative-mixed": estimative_mixed,
    "credibility-independence": credibility_independence,
}


def lint_claim(
    claim: Claim, sources: Mapping[str, Source]
) -> Iterator[tuple[tuple[str | int, ...], str, str]]:
    """(field location, rule, message) for every lint rule the claim trips."""
    for rule, check in LINT_RULES.items():
        finding = check(claim, sources)
        if finding is not None:
            yield finding[0], rule, finding[1]
