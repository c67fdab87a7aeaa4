"""The terminal: rich tables and panels built from Text objects, so claim text is never markup."""

from __future__ import annotations

from collections.abc import Sequence

from rich.table import Table
from rich.text import Text

from claimtrack.escape import one_line, visible
from claimtrack.query import Entry
from claimtrack.vocab import Status

STATUS_STYLE: dict[Status, str] = {
    Status.CONTESTED: "bold yellow",
    Status.REFUTED: "bold red",
    Status.UNSOURCED: "magenta",
    Status.SOURCED: "green",
}


def status_text(status: Status) -> Text:
    return Text(status.value, style=STATUS_STYLE[status])


def plain(text: str, style: str = "") -> Text:
    """Untrusted text as a rich Text: markup stays literal, controls become visible codes."""
    return Text(visible(text), style=style)


def render_list(entries: Sequence[Entry]) -> Table:
    table = Table(show_lines=False, pad_edge=False, expand=True)
    table.add_column("id", overflow="fold", ratio=3, min_width=12)
    table.add_column("status", no_wrap=True, min_width=9)
    table.add_column("conf.", justify="right", no_wrap=True, min_width=5)
    table.add_column("attribution", overflow="fold", ratio=2, min_width=10)
    table.add_column("statement", overflow="fold", ratio=5, min_width=20)
    for entry in entries:
        claim = entry.claim
        table.add_row(
            Text(claim.id),
            status_text(entry.status),
            Text(f"{claim.confidence.value:.2f}"),
            Text(one_line(claim.attribution.name)),
            Text(one_line(claim.statement)),
        )
    return table
