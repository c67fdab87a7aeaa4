"""JSON Lines: one claim object per line."""

from __future__ import annotations

from collections.abc import Iterator, Sequence

from claimtrack.core.query import Entry
from claimtrack.render.json import records


def render_list(entries: Sequence[Entry]) -> str:
    return "".join(iter_list(entries))


def iter_list(entries: Sequence[Entry]) -> Iterator[str]:
    """One line per claim, for writing as it is made."""
    for text in records(entries):
        yield text + "\n"
