"""JSON Lines: one claim object per line."""

from __future__ import annotations

from collections.abc import Sequence

from claimtrack.query import Entry, to_record
from claimtrack.render.json import dumps


def render_list(entries: Sequence[Entry]) -> str:
    return "".join(dumps(to_record(e), indent=None) + "\n" for e in entries)
