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


def entry_status_text(entry: Entry) -> Text:
    """The effective status, marked ``(weak)`` when only low-grade sources support it."""
    text = status_text(entry.status)
    if entry.derivation.weak:
        text.append(" (weak)", style="dim")
    return text


def render_list(entries: Sequence[Entry], explain: bool = False) -> Table:
    """The list table; ``explain`` adds a column with the reasons for each status."""
    table = Table(show_lines=explain, pad_edge=False, expand=True)
    table.add_column("id", overflow="fold", ratio=3, min_width=12)
    table.add_column("status", no_wrap=True, min_width=9)
    table.add_column("conf.", justify="right", no_wrap=True, min_width=5)
    table.add_column("attribution", overflow="fold", ratio=2, min_width=10)
    table.add_column("statement", overflow="fold", ratio=5, min_width=20)
    if explain:
        table.add_column("why", overflow="fold", ratio=5, min_width=20)
    for entry in entries:
        claim = entry.claim
        row = [
            Text(claim.id),
            entry_status_text(entry),
            Text(f"{claim.confidence.value:.2f}"),
            Text(one_line(claim.attribution.name)),
            Text(one_line(claim.statement)),
        ]
        if explain:
            row.append(Text(one_line("; ".join(entry.derivation.reasons)), style="dim"))
        table.add_row(*row)
    return table
