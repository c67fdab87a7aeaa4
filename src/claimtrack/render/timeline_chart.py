"""The terminal chart of ``claimtrack quantities``: one small bar chart per measure."""

from __future__ import annotations

from collections.abc import Sequence

from rich.console import Group
from rich.table import Table
from rich.text import Text

from claimtrack.core.escape import one_line
from claimtrack.core.timeline import Series
from claimtrack.core.vocab import Status
from claimtrack.render.table import STATUS_STYLE

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
    mark = {"lower": "> ", "upper": "< "}.get(bound or "", "")
    return f"{mark}{'~' if approx else ''}{value:,g} {unit}"


def render_timeline(series: Sequence[Series]) -> Group | Text:
    if not series:
        return Text("no claims with a quantity")
    parts: list[Table | Text] = []
    for one in series:
        largest = max((p.canonical_value for p in one.points), default=0.0)
        title = Text(one_line(one.measure), style="bold")
        count = len(one.points)
        title.append(
            f"  ({one_line(one.unit)}; {count} claim{'' if count == 1 else 's'})", style="dim"
        )
        parts.append(title)
        table = Table(show_header=False, box=None, pad_edge=False, padding=(0, 1))
        table.add_column("amount", justify="right", no_wrap=True)
        table.add_column("bar", no_wrap=True, min_width=BAR_WIDTH + 1)
        table.add_column("when and claim", overflow="fold", ratio=1)
        for point in one.points:
            drawn = bar(point.canonical_value, largest)
            if point.bound == "lower":
                drawn += "→"
            style = STATUS_STYLE[Status(point.status)]
            label = Text(one_line(point.when), style="bold")
            label.append(f"  {point.claim} ", style="dim")
            label.append(point.status, style=style)
            table.add_row(
                Text(one_line(amount(point.canonical_value, one.unit, point.approx, point.bound))),
                Text(drawn, style=style),
                label,
            )
        parts.append(table)
        parts.append(Text(""))
    return Group(*parts[:-1])
