"""CSV: one flattened row per claim, safe against spreadsheet formula injection."""

from __future__ import annotations

import csv
import io
from collections.abc import Sequence

from claimtrack.core.escape import csv_cell
from claimtrack.core.query import Entry, flatten


def render_list(entries: Sequence[Entry]) -> str:
    out = io.StringIO()
    rows = [flatten(e) for e in entries]
    header = list(rows[0]) if rows else list(_EMPTY_HEADER)
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(header)
    for row in rows:
        writer.writerow([csv_cell(row[column]) for column in header])
    return out.getvalue()


_EMPTY_HEADER = [
    "id",
    "status",
    "confidence",
    "confidence_word",
    "attribution",
    "attribution_kind",
    "via",
    "statement",
    "quote",
    "appears_in",
    "evidence",
    "disputed_by",
    "tags",
    "path",
    "line",
]
