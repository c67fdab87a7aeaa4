"""JSON: an array of claim objects (``list``), and the report as documented data (``report``)."""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator, Sequence
from typing import TYPE_CHECKING, Any

from claimtrack.core.escape import json_inert
from claimtrack.core.query import Entry, to_record

if TYPE_CHECKING:
    from claimtrack.core.report import Report
    from claimtrack.io.records import ClaimJson


def dumps(data: Any, indent: int | None = 2) -> str:
    """Deterministic JSON with readable accents and terminal-inert control characters."""
    text = json.dumps(data, ensure_ascii=False, indent=indent, sort_keys=False, allow_nan=False)
    return json_inert(text)


def render_list(entries: Sequence[Entry]) -> str:
    """An array with one claim object per line: valid JSON, easy to grep, and dumped by the C
    encoder (an indented dump runs in pure Python, a fifth of a warm `list` at 10k claims)."""
    return "".join(iter_list(entries))


def iter_list(entries: Sequence[Entry]) -> Iterator[str]:
    """:func:`render_list` piece by piece, for writing as it is made (100k claims' JSON is
    never held whole)."""
    if not entries:
        yield "[]\n"
        return
    for n, text in enumerate(records(entries)):
        yield ("[\n" if n == 0 else ",\n") + text
    yield "\n]\n"


def records(entries: Iterable[Entry]) -> Iterator[str]:
    """Each entry's :func:`~claimtrack.query.to_record` as one line of JSON.

    Records are kept in the index by what they depend on (the claim's file, the registry, the
    claims contradicting it): the next listing writes those unchanged without building any
    claim, even after other files changed. Each claim is let go once written."""
    from claimtrack.io.records import CachedClaimRecord

    stores: dict[int, ClaimJson] = {}
    for entry in entries:
        record = entry.record
        cached = record if isinstance(record, CachedClaimRecord) else None
        against = entry.derivation.contradicted_by if cached is not None else ()
        text = cached.kept_record(against) if cached is not None else None
        if text is None:
            text = dumps(to_record(entry), indent=None)
            store = cached.keep_record(against, text) if cached is not None else None
            if store is not None:
                stores.setdefault(id(store), store)
        yield text
        entry.release()  # written: its claim need not stay in memory
    for store in stores.values():
        store.flush()


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
