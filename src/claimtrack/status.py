"""Evidence to effective status, with the reasons a person can read.

The rules (also in the README, "What a status means"):

* An evidence item *weighs* when its source is in the registry, and its credibility is 1-3
  (confirmed, probably or possibly true) or, with no credibility given, its source's reliability
  is A-C; and it is not the claim's own article vouching for an assertion it attributes to no
  one identified (attribution kind ``anonymous`` or ``author``): an article cannot source its own
  unattributed words.
* **refuted**: an item that weighs refutes it and none that weighs supports it.
* **contested**: items that weigh both support and refute it, or a party disputes it.
* **sourced**: an item that weighs supports it, and nothing above.
* **unsourced**: anything else: only anonymous or unattributed assertion, or only weak evidence.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from claimtrack.model import Claim, Evidence, Source
from claimtrack.vocab import AttributionKind, Stance, Status

_WEIGHTY_RELIABILITY = {"A", "B", "C"}
_UNIDENTIFIED = {AttributionKind.ANONYMOUS, AttributionKind.AUTHOR}


@dataclass(frozen=True)
class Weighing:
    """One evidence item and whether (and why) it counts."""

    evidence: Evidence
    weighs: bool
    why: str


@dataclass(frozen=True)
class Derivation:
    """The effective status and the reasons for it."""

    status: Status
    reasons: tuple[str, ...]
    items: tuple[Weighing, ...]


def weigh(claim: Claim, item: Evidence, sources: Mapping[str, Source]) -> Weighing:
    """Whether one evidence item counts toward the status, with the reason in words."""
    source = sources.get(item.source)
    if source is None:
        return Weighing(item, False, f"source {item.source!r} is not in the registry")
    if item.source == claim.appears_in and claim.attribution.kind in _UNIDENTIFIED:
        return Weighing(
            item,
            False,
            f"the claim's own article, repeating an assertion it attributes to no identified "
            f"speaker ({claim.attribution.kind.value})",
        )
    if item.credibility is not None:
        if item.credibility <= 3:
            return Weighing(item, True, f"credibility {item.credibility}")
        return Weighing(item, False, f"credibility {item.credibility} is weaker than 3")
    reliability = source.reliability.value if source.reliability else None
    if reliability in _WEIGHTY_RELIABILITY:
        return Weighing(item, True, f"source reliability {reliability}")
    if reliability is None:
        return Weighing(item, False, "no credibility given and the source has no reliability")
    return Weighing(item, False, f"no credibility given and source reliability {reliability}")


def derive(claim: Claim, sources: Mapping[str, Source]) -> Derivation:
    """The effective status of a claim from its evidence and disputes."""
    items = tuple(weigh(claim, item, sources) for item in claim.evidence)
    supports = [w for w in items if w.weighs and w.evidence.stance is Stance.SUPPORTS]
    refutes = [w for w in items if w.weighs and w.evidence.stance is Stance.REFUTES]

    def names(weighings: list[Weighing]) -> str:
        return ", ".join(sorted({w.evidence.source for w in weighings}))

    reasons: list[str] = []
    if refutes and not supports:
        reasons.append(f"refuted by {names(refutes)} and supported by nothing that weighs")
        if claim.disputed_by:
            reasons.append("disputed by " + ", ".join(p.name for p in claim.disputed_by))
        return Derivation(Status.REFUTED, tuple(reasons), items)
    if refutes or claim.disputed_by:
        if refutes:
            reasons.append(f"supported by {names(supports)} but refuted by {names(refutes)}")
        if claim.disputed_by:
            reasons.append("disputed by " + ", ".join(p.name for p in claim.disputed_by))
        return Derivation(Status.CONTESTED, tuple(reasons), items)
    if supports:
        return Derivation(Status.SOURCED, (f"supported by {names(supports)}",), items)
    if not claim.evidence:
        reasons.append("no evidence")
    else:
        weak = [f"{w.evidence.source}: {w.why}" for w in items if not w.weighs]
        detail = f" ({'; '.join(weak)})" if weak else ""
        reasons.append(f"no evidence that weighs supports it{detail}")
    return Derivation(Status.UNSOURCED, tuple(reasons), items)
