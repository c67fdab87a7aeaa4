"""JSON Lines: one claim object per line."""

from __future__ import annotations

from collections.abc import Iterator, Sequence

from claimtrack.query import Entry, to_record
from claimtrack.render.json import dumps


def render_list(entries: Sequence[Entry]) -> str:
    return "".join(iter_list(entries))


def iter_list(entries: Sequence[Entry]) -> Iterator[str]:
    """One line per claim, for writing as it is made."""
    for entry in entries:
        yield dumps(to_record(entry), indent=None) + "\n"
        entry.release()  # written: its claim need not stay in memory
