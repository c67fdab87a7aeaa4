"""Sentences that dispute an earlier assertion, and the draft each one disputes.

"The department disputes that figure, saying ...", "Northgate rejects that account", "The
ministry denies that posts are unfilled", "The union called the figure misleading": the subject
is the disputer, the words after "saying", "arguing" or "because" are the reason. "That
figure" (a number, estimate, total) is the nearest earlier draft with a quantity; any other
dispute is of the nearest earlier draft
that the disputer did not make. Only the last few drafts are candidates: a dispute refers back a
paragraph or two, not across the article.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from claimtrack.core.model import Claim
from claimtrack.io.extract.speakers import Memory, guess_attribution

_AUX = r"(?:(?:has|have|had|also|strongly|flatly|firmly|publicly|quickly|has since)\s+){0,2}"
_FIGURE_NOUNS = r"figures?|numbers?|estimates?|totals?|counts?|tally|sums?|amounts?|projections?"
_OTHER_NOUNS = (
    r"claims?|accounts?|assertions?|allegations?|characteri[sz]ations?|reports?|versions?|"
    r"descriptions?|statements?|findings?|conclusions?|analys[ie]s|interpretations?|accusations?|"
    r"charges?|suggestions?|criticisms?|reading|story|narrative|view|argument"
)
_DISPUTE = re.compile(
    rf"^(?P<who>[^,]{{2,100}}?(?:,[^,]{{2,80}},)?)\s+{_AUX}(?P<verb>disputes?|disputed|rejects?|"
    r"rejected|denies|denied|deny|contests?|contested|challenges?|challenged|rebuts?|rebutted|"
    r"refutes?|refuted)\s+(?P<what>(?:that|this|the|these|those|such)\s+(?:(?P<figure>"
    + _FIGURE_NOUNS
    + r")|"
    + _OTHER_NOUNS
    + r")\b|that\b|any\b|it\b|this\b|them\b|the\b)",
    re.I,
)
#: "X called the figure misleading", "X said that claim was false".
_VERDICT = re.compile(
    rf"^(?P<who>[^,]{{2,100}}?(?:,[^,]{{2,80}},)?)\s+{_AUX}(?:called|calls|described|describes|"
    r"said|says|branded|brands|dismissed|dismisses)\s+(?:that|this|the|those|these)\s+"
    r"(?:(?P<figure>" + _FIGURE_NOUNS + r")|" + _OTHER_NOUNS + r")\s+(?:was\s+|is\s+|were\s+|"
    r"are\s+|as\s+)?(?:\w+ly\s+)?(?:misleading|false|wrong|inaccurate|untrue|exaggerated|"
    r"incorrect|baseless|unfounded|flawed|fabricated|nonsense|a lie|outdated|overstated|"
    r"inflated)\b",
    re.I,
)
_REASON = re.compile(
    r"(?:(?:,|:|;|—)\s*|\s+(?=because\b))(?:saying|arguing|adding|noting|insisting|"
    r"pointing out|countering|because|as|since)\s+(?:that\s+)?(?P<reason>.+?)[.!]?[”\"’]?$",
    re.I,
)
#: How many earlier drafts a dispute may reach back to.
REACH = 4


@dataclass(frozen=True)
class Dispute:
    """A sentence's dispute: who disputes, why, and whether it is of a figure."""

    name: str
    kind: str | None
    note: str
    of_figure: bool


def dispute_of(sentence: str, memory: Memory) -> Dispute | None:
    """The dispute a sentence makes, or None when it makes none."""
    match = _DISPUTE.match(sentence.strip()) or _VERDICT.match(sentence.strip())
    if match is None:
        return None
    who = guess_attribution(f"{match.group('who')} said so.", memory)
    if who.get("kind") == "author":
        return None
    reason = _REASON.search(sentence[match.end() :])
    note = reason.group("reason").strip() if reason else sentence.strip()
    note = note[:1].upper() + note[1:]
    if reason and not note.endswith((".", "!", "?")):
        note += "."
    kind = who.get("kind")
    return Dispute(str(who["name"]), str(kind) if kind else None, note, bool(match.group("figure")))


def disputed(dispute: Dispute, earlier: Sequence[Claim]) -> int | None:
    """The index in ``earlier`` of the claim the dispute is of; None when none fits."""
    start = max(0, len(earlier) - REACH)
    for index in range(len(earlier) - 1, start - 1, -1):
        claim = earlier[index]
        if claim.attribution.name.lower() == dispute.name.lower():
            continue  # one does not dispute oneself
        if dispute.of_figure and claim.quantity is None:
            continue
        return index
    return None
