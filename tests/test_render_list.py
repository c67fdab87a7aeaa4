"""Every list format, fed generated hostile text, stays parseable and inert."""

from __future__ import annotations

import csv
import io
import json

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from claimtrack.core.dataset import ClaimRecord
from claimtrack.core.model import Claim, Source
from claimtrack.core.query import Entry, to_record
from claimtrack.core.status import derive
from claimtrack.render import LIST_RENDERERS, ListFormat, list_renderer
from claimtrack.render.terminal import Terminal

NASTY = st.sampled_from(
    [
        "|",
        "\n",
        "\r\n",
        "<script>",
        "]]>",
        "\x1b[31m",
        "\x1b]8;;x\x07",
        "\u202e",
        "::error::",
        "@team",
        "=HYPERLINK(",
        "[bold]",
        "[/]",
        "`",
        "*",
        "_",
        "\\",
        "&lt;",
        "\x00",
        "\x85",
        "é",
    ]
)
TEXT = (
    st.lists(st.one_of(NASTY, st.text(max_size=8)), max_size=8)
    .map("".join)
    .filter(lambda s: s.strip() != "")
)
SOURCES = {"s": Source(id="s", title="S", reliability="B")}


def entry_for(statement: str, name: str) -> Entry:
    claim = Claim.model_validate(
        {
            "id": "c",
            "statement": statement,
            "quote": statement,
            "appears_in": "s",
            "attribution": {"name": name, "kind": "official"},
            "confidence": 0.5,
            "evidence": [{"source": "s", "stance": "supports"}],
            "notes": statement,
        }
    )
    return Entry(ClaimRecord(claim, "claims/c.yaml", 1), derive(claim, SOURCES))


def test_every_list_format_has_a_renderer():
    assert set(LIST_RENDERERS) == set(ListFormat)
    for fmt in ListFormat:
        assert callable(list_renderer(fmt))


@settings(max_examples=150, suppress_health_check=[HealthCheck.too_slow])
@given(TEXT, TEXT)
def test_list_formats_stay_inert(statement, name):
    entry = entry_for(statement, name)

    data = json.loads(list_renderer(ListFormat.JSON)([entry]))
    assert data == [to_record(entry)]
    lines = list_renderer(ListFormat.JSONL)([entry]).splitlines()
    assert len(lines) == 1 and json.loads(lines[0])["statement"] == statement

    rows = list(csv.reader(io.StringIO(list_renderer(ListFormat.CSV)([entry]))))
    assert len(rows) == 2 and len(rows[0]) == len(rows[1])
    for cell in rows[1]:
        assert not cell.startswith(("=", "+", "-", "@")) or cell == "-"

    md = list_renderer(ListFormat.MD)([entry]).splitlines()
    assert len(md) == 3
    cells = md[2].replace("\\|", "").split("|")
    assert len(cells) == len(md[0].split("|"))
    assert "<script" not in md[2] and "@team" not in md[2]

    shown = "".join(
        list_renderer(ListFormat.TABLE)([entry], terminal=Terminal(width=120, color=True))
    )
    assert "\x1b[" in shown  # coloured
    # claimtrack's own styling uses SGR codes; anything else from the claim would be another escape
    import re

    stripped = re.sub(r"\x1b\[[0-9;]*m", "", shown)
    assert "\x1b" not in stripped and "\x07" not in stripped and "\u202e" not in stripped
