"""JSON: an array of claim objects (``list``), the report as documented data (``report``), and
the figures of ``stats`` and ``quantities``."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable, Iterator, Sequence
from typing import TYPE_CHECKING, Any

from claimtrack.core.escape import json_inert
from claimtrack.core.query import Entry, to_record

if TYPE_CHECKING:
    from claimtrack.core.report import Report
    from claimtrack.core.timeline import Series


#: How each entry's line of JSON is had: :func:`record_json`, or one that reuses earlier ones.
TextOf = Callable[[Entry], str]


def dumps(data: Any, indent: int | None = 2) -> str:
    """Deterministic JSON with readable accents and terminal-inert control characters."""
    text = json.dumps(data, ensure_ascii=False, indent=indent, sort_keys=False, allow_nan=False)
    return json_inert(text)


def render_list(entries: Sequence[Entry], text_of: TextOf | None = None) -> str:
    """An array with one claim object per line: valid JSON, easy to grep, and dumped by the C
    encoder (an indented dump runs in pure Python, a fifth of a warm `list` at 10k claims)."""
    return "".join(iter_list(entries, text_of))


def iter_list(entries: Sequence[Entry], text_of: TextOf | None = None) -> Iterator[str]:
    """:func:`render_list` piece by piece, for writing as it is made (100k claims' JSON is
    never held whole)."""
    if not entries:
        yield "[]\n"
        return
    for n, text in enumerate(records(entries, text_of)):
        yield ("[\n" if n == 0 else ",\n") + text
    yield "\n]\n"


def record_json(entry: Entry) -> str:
    """An entry's :func:`~claimtrack.core.query.to_record` as one line of JSON."""
    return dumps(to_record(entry), indent=None)


def records(entries: Iterable[Entry], text_of: TextOf | None = None) -> Iterator[str]:
    """Each entry's line of JSON (``text_of``, by default :func:`record_json`); each claim is
    let go once written."""
    make = text_of or record_json
    for entry in entries:
        yield make(entry)
        entry.release()  # written: its claim need not stay in memory


def report_data(report: Report) -> dict[str, Any]:
    """The report as JSON-ready data, exactly as the published schema describes it."""
    from pydantic import TypeAdapter

    from claimtrack.core.report import Report

    data: dict[str, Any] = TypeAdapter(Report).dump_python(report, mode="json")
    return data


def report_schema() -> dict[str, Any]:
    """The JSON Schema of ``report --format json`` (draft 2020-12), generated from the data
    classes: every field is always present and no others are."""
    from pydantic import TypeAdapter

    from claimtrack.core.report import Report

    body = TypeAdapter(Report).json_schema(mode="serialization")
    for node in [body, *body.get("$defs", {}).values()]:
        if "properties" in node:
            node["required"] = list(node["properties"])
            node["additionalProperties"] = False
    return body


def render_report(report: Report) -> str:
    return dumps(report_data(report)) + "\n"


def stats_json(figures: dict[str, Any], top: int = 0) -> str:
    """``stats``' figures, every row of them (``top`` cuts only the tables)."""
    return dumps(figures) + "\n"


def quantities_json(series: Sequence[Series], terminal: object = None) -> str:
    """Each measure's timeline as data (``terminal`` is the chart's)."""
    return dumps([s.to_dict() for s in series]) + "\n"
