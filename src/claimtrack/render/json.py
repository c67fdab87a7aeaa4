"""JSON: an array of claim objects, each with ``id``, ``status`` and ``confidence``."""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import Any

from claimtrack.escape import json_inert
from claimtrack.query import Entry, to_record


def dumps(data: Any, indent: int | None = 2) -> str:
    """Deterministic JSON with readable accents and terminal-inert control characters."""
    text = json.dumps(data, ensure_ascii=False, indent=indent, sort_keys=False, allow_nan=False)
    return json_inert(text)


def render_list(entries: Sequence[Entry]) -> str:
    return dumps([to_record(e) for e in entries]) + "\n"
