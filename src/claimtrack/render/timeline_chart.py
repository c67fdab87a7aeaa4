"""The terminal chart of ``claimtrack quantities``: one small bar chart per measure."""

from __future__ import annotations

from collections.abc import Iterator, Sequence

from claimtrack.core.escape import one_line
from claimtrack.core.numbers import readable
from claimtrack.core.timeline import Series
from claimtrack.core.vocab import Status
from claimtrack.render.table import STATUS_STYLE
from claimtrack.render.terminal import MIN_FREE, Terminal, cells, wrap

#: Width of the longest bar, in terminal cells.
BAR_WIDTH = 20
_EIGHTHS = " ▏▎▍▌▋▊▉"


def bar(value: float, largest: float, width: int = BAR_WIDTH) -> str:
    """A horizontal bar of ``value`` against ``largest``, drawn to an eighth of a cell."""
    if largest <= 0 or value <= 0:
        return ""
    eighths = round(min(value / largest, 1.0) * width * 8)
    full, part = divmod(eighths, 8)
    return "█" * full + (_EIGHTHS[part] if part else "")


def amount(value: float, unit: str, approx: bool, bound: str | None) -> str:
    """A point's amount as its file gives it (three years stay years; the bar compares)."""
    mark = {"lower": "> ", "upper": "< "}.get(bound or "", "")
    return f"{mark}{'~' if approx else ''}{readable(value)} {unit}"


def render_timeline(series: Sequence[Series], terminal: Terminal | None = None) -> Iterator[str]:
    """The chart, line by line: each point's amount as its file gives it, a bar against the
    measure's largest (in the canonical unit), when, and the claim (its id never cut: it goes
    on the line below when the screen is narrow)."""
    terminal = terminal or Terminal()
    paint = terminal.paint
    if not series:
        yield "no claims with a quantity\n"
        return
    for n, one in enumerate(series):
        if n:
            yield "\n"
        largest = max((p.canonical_value for p in one.points), default=0.0)
        count = len(one.points)
        title = paint(terminal.fit(one_line(one.measure)), "bold")
        unit = f"  ({one_line(one.unit)}; {count} claim{'' if count == 1 else 's'})"
        yield title + paint(terminal.fit(unit), "dim") + "\n"
        amounts = [
            terminal.fit(one_line(amount(p.value, p.unit, p.approx, p.bound))) for p in one.points
        ]
        wide = max(cells(a) for a in amounts)
        for point, shown in zip(one.points, amounts, strict=True):
            drawn = bar(point.canonical_value, largest)
            if point.bound == "lower":
                drawn += "→"
            style = STATUS_STYLE[Status(point.status)]
            lead = " " * (wide - cells(shown)) + shown + "  "
            drawn = terminal.fit(drawn)
            lead += paint(drawn, style) + " " * (BAR_WIDTH + 2 - cells(drawn))
            indent = wide + BAR_WIDTH + 4
            when = terminal.fit(one_line(point.when))
            claim = f"{point.claim}  {paint(point.status, style)}"
            room = terminal.width - indent
            if cells(when) + 2 + len(point.claim) + len(point.status) + 2 <= room:
                yield lead + paint(when, "bold") + "  " + claim + "\n"
                continue
            lines = wrap(when, max(room, MIN_FREE))
            yield lead + paint(lines[0], "bold") + "\n"
            for line in lines[1:]:
                yield " " * indent + paint(line, "bold") + "\n"
            pad = indent if len(point.claim) <= room else 4
            yield " " * pad + claim + "\n"
