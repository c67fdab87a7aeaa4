"""JSON Lines: one claim object per line."""

from __future__ import annotations

from collections.abc import Iterator, Sequence

from claimtrack.core.query import Entry
from claimtrack.render.json import TextOf, records


def render_list(entries: Sequence[Entry], text_of: TextOf | None = None) -> str:
    return "".join(iter_list(entries, text_of))


def iter_list(entries: Sequence[Entry], text_of: TextOf | None = None) -> Iterator[str]:
    """One line per claim, for writing as it is made."""
    for text in records(entries, text_of):
        yield text + "\n"
