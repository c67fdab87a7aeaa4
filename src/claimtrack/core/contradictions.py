"""Claims that cannot both be right: the same measure at the same time, or a claim and its negation.

* **Quantities**: two claims with the same ``quantity.measure``, the same time (``as_of`` when
  both have one, else the same ``period`` words, ignoring case) and units of one dimension
  (``units.py``) contradict when their values, converted, differ by more than the tolerance:
  10% of the larger value (``TOLERANCE``), or 25% when either is ``approx``
  (``APPROX_TOLERANCE``). A ``bound: lower`` value is contradicted only by a value below it
  beyond the tolerance, an upper bound only by one above it; two bounds of one side never clash.
* **Negation**: a claim whose ``negates`` names another contradicts it when both are sourced.

Contradicted claims are shown as contested (``status.derive(..., contradicted_by=...)``), and
``validate`` reports each pair as a warning.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from itertools import combinations
from typing import Protocol

from claimtrack.core.model import Claim, Quantity, Source
from claimtrack.core.numbers import amount
from claimtrack.core.status import Derivation, derive
from claimtrack.core.units import to_canonical
from claimtrack.core.vocab import Status


class Comparable(Protocol):
    """What contradictions look at: a Claim, or the stored facts of one (``checks.Facts``)."""

    @property
    def id(self) -> str: ...

    @property
    def quantity(self) -> Quantity | None: ...

    @property
    def negates(self) -> str | None: ...


TOLERANCE = 0.10
APPROX_TOLERANCE = 0.25


@dataclass(frozen=True)
class Contradiction:
    """Two claims that cannot both hold, and why."""

    kind: str  # "quantity" or "negation"
    first: str
    second: str
    message: str


def time_key(quantity: Quantity) -> str | None:
    """When a quantity holds, for comparing: its ``as_of``, else its period words, else None."""
    if quantity.as_of:
        return f"as of {quantity.as_of}"
    if quantity.period:
        return "period " + " ".join(quantity.period.casefold().split())
    return None


def _describe(q: Quantity) -> str:
    return amount(q.value, q.unit, q.approx, q.bound)


def clash(a: Quantity, b: Quantity) -> float | None:
    """The relative gap between two comparable quantities when it exceeds the tolerance."""
    va, ua = to_canonical(a.value, a.unit)
    vb, ub = to_canonical(b.value, b.unit)
    if ua.dimension != ub.dimension:
        return None
    tolerance = APPROX_TOLERANCE if a.approx or b.approx else TOLERANCE
    if a.bound and b.bound:
        if a.bound == b.bound:
            return None
        low, high = (va, vb) if a.bound == "lower" else (vb, va)
        gap = (low - high) / max(abs(low), abs(high), 1e-12)
        return gap if gap > tolerance else None
    if a.bound or b.bound:
        bound, bq, value = (va, a, vb) if a.bound else (vb, b, va)
        if bq.bound == "lower":
            gap = (bound - value) / max(abs(bound), 1e-12)
        else:
            gap = (value - bound) / max(abs(value), 1e-12)
        return gap if gap > tolerance else None
    gap = abs(va - vb) / max(abs(va), abs(vb), 1e-12)
    return gap if gap > tolerance else None


def quantity_contradictions(claims: Sequence[Comparable]) -> list[Contradiction]:
    groups: dict[tuple[str, str], list[Comparable]] = {}
    for claim in claims:
        q = claim.quantity
        if q is None or not q.measure:
            continue
        when = time_key(q)
        if when is not None:
            groups.setdefault((q.measure, when), []).append(claim)
    found = []
    for (measure, when), members in sorted(groups.items()):
        for a, b in combinations(sorted(members, key=lambda c: c.id), 2):
            assert a.quantity is not None and b.quantity is not None
            gap = clash(a.quantity, b.quantity)
            if gap is not None:
                found.append(
                    Contradiction(
                        "quantity",
                        a.id,
                        b.id,
                        f"{measure} {when}: {_describe(a.quantity)} ({a.id}) against "
                        f"{_describe(b.quantity)} ({b.id}), {round(gap * 100)}% apart",
                    )
                )
    return found


def negation_contradictions(
    claims: Sequence[Comparable], derivations: Mapping[str, Derivation]
) -> list[Contradiction]:
    found = []
    for claim in claims:
        other = claim.negates
        if other is None or other not in derivations or other == claim.id:
            continue
        if (
            derivations[claim.id].status is Status.SOURCED
            and derivations[other].status is Status.SOURCED
        ):
            found.append(
                Contradiction(
                    "negation", other, claim.id, f"{claim.id} negates {other} and both are sourced"
                )
            )
    return found


def derive_all(
    claims: Sequence[Claim], sources: Mapping[str, Source]
) -> tuple[dict[str, Derivation], list[Contradiction]]:
    """Every claim's derivation with contradictions applied, and the contradictions found.

    Negations are judged on the statuses before contradictions (both *sourced*), so that
    marking one claim contested cannot undo the finding that made it so.
    """
    base = {claim.id: derive(claim, sources) for claim in claims}
    found = quantity_contradictions(claims) + negation_contradictions(claims, base)
    against: dict[str, set[str]] = {}
    for item in found:
        against.setdefault(item.first, set()).add(item.second)
        against.setdefault(item.second, set()).add(item.first)
    final = dict(base)
    for claim in claims:
        if claim.id in against:
            final[claim.id] = derive(claim, sources, against[claim.id])
    return final, found
