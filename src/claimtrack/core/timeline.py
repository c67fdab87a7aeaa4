"""Quantities over time: every claim with a ``quantity``, grouped by measure, in time order.

Points with an ``as_of`` date sort by it. Undated points are placed by the words of their
``period``: *early, initial, first, original* first; *recent, current, latest, now* last; the
rest (*peak*, anything else) between, with the dated points. Values are converted to their
measure's canonical unit (``units.py``) so ``bbl/d`` and ``barrels per day`` share an axis.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import asdict, dataclass
from typing import Any

from claimtrack.core.query import Entry
from claimtrack.core.units import to_canonical

_EARLY = re.compile(r"\b(early|earl(?:ier|iest)|initial(?:ly)?|first|original(?:ly)?|start)", re.I)
_LATE = re.compile(r"\b(recent(?:ly)?|current(?:ly)?|latest|now|today|lately)\b", re.I)
NO_MEASURE = "(no measure)"


@dataclass(frozen=True)
class Point:
    """One claim's quantity on a measure's timeline."""

    claim: str
    status: str
    value: float
    unit: str
    canonical_value: float
    approx: bool
    bound: str | None
    as_of: str | None
    period: str | None
    when: str
    path: str
    line: int


@dataclass(frozen=True)
class Series:
    """A measure and its points, in time order."""

    measure: str
    unit: str
    dimension: str
    points: tuple[Point, ...]

    def to_dict(self) -> dict[str, Any]:
        return {
            "measure": self.measure,
            "unit": self.unit,
            "dimension": self.dimension,
            "points": [asdict(p) for p in self.points],
        }


def _order(point: Point) -> tuple[int, str]:
    if point.as_of:
        return 1, point.as_of
    words = point.period or ""
    if _EARLY.search(words):
        return 0, ""
    if _LATE.search(words):
        return 2, ""
    return 1, "\uffff"  # undated, neither early nor recent: after the dated middle


def build_timeline(entries: Sequence[Entry]) -> list[Series]:
    """The series of every measure among the entries' quantities (by measure, then unit)."""
    grouped: dict[tuple[str, str], list[Point]] = {}
    dimensions: dict[tuple[str, str], str] = {}
    for entry in entries:
        q = entry.claim.quantity
        if q is None:
            continue
        canonical, unit = to_canonical(q.value, q.unit)
        when = q.as_of or q.period or "undated"
        point = Point(
            entry.claim.id,
            entry.status.value,
            q.value,
            q.unit,
            canonical,
            q.approx,
            q.bound,
            q.as_of,
            q.period,
            when,
            entry.record.path,
            entry.record.line,
        )
        # A quantity without a measure is compared with nothing: it stands alone, by claim id.
        key = (q.measure or f"{NO_MEASURE} {entry.claim.id}", unit.canonical)
        grouped.setdefault(key, []).append(point)
        dimensions[key] = unit.dimension
    return [
        Series(
            measure,
            unit,
            dimensions[(measure, unit)],
            tuple(sorted(points, key=lambda p: (_order(p), p.claim))),
        )
        for (measure, unit), points in sorted(grouped.items())
    ]
