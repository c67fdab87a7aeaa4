"""GitHub-flavoured Markdown: a table of claims, every cell escaped."""

from __future__ import annotations

from collections.abc import Sequence

from claimtrack.escape import markdown
from claimtrack.query import Entry

COLUMNS = ("id", "status", "confidence", "attribution", "statement")


def table(header: Sequence[str], rows: Sequence[Sequence[str]]) -> str:
    """A GFM table; the cells must already be escaped."""
    lines = ["| " + " | ".join(header) + " |", "|" + "|".join("---" for _ in header) + "|"]
    lines += ["| " + " | ".join(row) + " |" for row in rows]
    return "\n".join(lines) + "\n"


def render_list(entries: Sequence[Entry]) -> str:
    rows = [
        [
            markdown(e.claim.id),
            e.status.value,
            f"{e.claim.confidence.value:g} ({e.claim.confidence.word})",
            markdown(e.claim.attribution.name),
            markdown(e.claim.statement),
        ]
        for e in entries
    ]
    return table(COLUMNS, rows)
