"""JSON Lines: the cited sources, then the claims, one object per line, out and in.

Each line has ``"record": "source"`` or ``"record": "claim"``; a claim line is the claim as in
its file plus its ``effective_status`` (ignored on import). Import also reads the lines of
``claimtrack list --format jsonl`` and lines holding a ClaimReview object.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from typing import Any

from pydantic import ValidationError

from claimtrack.core.errors import UsageError
from claimtrack.core.model import Claim, Source
from claimtrack.core.query import Entry
from claimtrack.core.wording import first_error, json_message
from claimtrack.interop.claimreview import parse_node
from claimtrack.interop.interface import Export, Incoming, Parsed, Skipped
from claimtrack.interop.safety import MAX_DEPTH, MAX_RECORDS, depth
from claimtrack.render.json import dumps


def cited(entries: Sequence[Entry], sources: Mapping[str, Source]) -> list[Source]:
    """The registered sources the entries cite (appears in, evidence, disputes), by id."""
    ids: set[str] = set()
    for entry in entries:
        claim = entry.claim
        ids.add(claim.appears_in)
        ids.update(e.source for e in claim.evidence)
        ids.update(p.source for p in claim.disputed_by if p.source)
    return [sources[i] for i in sorted(ids) if i in sources]


def export_claims(
    entries: Sequence[Entry],
    sources: Mapping[str, Source],
    archives: Mapping[str, str] | None = None,
) -> Export:
    """Source lines (with their archived text as ``archive`` when they have one), then claim
    lines."""
    lines = []
    for source in cited(entries, sources):
        line = {"record": "source", **source.model_dump(mode="json", exclude_none=True)}
        if archives and source.id in archives:
            line["archive"] = archives[source.id]
        lines.append(line)
    for entry in entries:
        data = entry.claim.model_dump(mode="json", exclude_none=True)
        lines.append({"record": "claim", **data, "effective_status": entry.status.value})
    return Export("".join(dumps(line, indent=None) + "\n" for line in lines), len(entries))


_LIST_ONLY = ("status_reasons", "path", "line")


def claim_data(data: dict[str, Any]) -> dict[str, Any]:
    """Claim data from an export line or a ``list --format jsonl`` line."""
    data = {k: v for k, v in data.items() if k not in ("record", "effective_status")}
    if "declared_status" in data or "status_reasons" in data:  # the shape of `list`
        data.pop("status", None)
        declared = data.pop("declared_status", None)
        if declared is not None:
            data["status"] = declared
        for key in _LIST_ONLY:
            data.pop(key, None)
        word = data.pop("confidence_word", None)
        if word is not None and not isinstance(data.get("confidence"), dict):
            data["confidence"] = {"value": data.get("confidence"), "word": word}
    return data


def _error(exc: ValidationError) -> str:
    return first_error(exc.errors(include_url=False))


def _archive_problem(source: Source, archive: object) -> str | None:
    """Why an archived text cannot travel with its source, or None."""
    import hashlib

    if not isinstance(archive, str):
        return "archive: not a string"
    if source.text_sha256 is None:
        return "archive: the source has no text_sha256 to check it against"
    if hashlib.sha256(archive.encode("utf-8")).hexdigest() != source.text_sha256:
        return f"archive: its sha256 is not the source's text_sha256 ({source.id})"
    return None


def parse(text: str, name: str) -> Parsed:
    parsed = Parsed()
    for number, line in enumerate(text.splitlines(), 1):
        if not line.strip():
            continue
        parsed.records += 1
        if parsed.records > MAX_RECORDS:
            raise UsageError(f"{name} holds more than {MAX_RECORDS} records")
        origin = f"{name} line {number}"
        try:
            data = json.loads(line)
        except json.JSONDecodeError as exc:
            parsed.skipped.append(Skipped(origin, json_message(exc.msg, number, exc.colno)))
            continue
        except RecursionError:
            parsed.skipped.append(Skipped(origin, "JSON nested too deeply"))
            continue
        if not isinstance(data, dict):
            parsed.skipped.append(Skipped(origin, "not a JSON object"))
            continue
        if depth(data) > MAX_DEPTH:
            parsed.skipped.append(Skipped(origin, f"nested more than {MAX_DEPTH} levels deep"))
            continue
        if "@type" in data:
            result = parse_node(data, origin)
            parsed.add(result)
            continue
        record = data.get("record", "claim")
        try:
            if record == "source":
                body = {k: v for k, v in data.items() if k not in ("record", "archive")}
                source = Source.model_validate(body)
                archive = data.get("archive")
                if archive is not None:
                    problem = _archive_problem(source, archive)
                    if problem:
                        parsed.skipped.append(Skipped(origin, problem))
                        continue
                    parsed.archives[source.id] = archive
                parsed.sources.append(source)
            elif record == "claim":
                claim = Claim.model_validate(claim_data(data))
                url = claim.verdict.url if claim.verdict else None
                parsed.items.append(Incoming(origin, claim, [], url))
            else:
                parsed.skipped.append(Skipped(origin, f"unknown record kind {record!r}"))
        except ValidationError as exc:
            parsed.skipped.append(Skipped(origin, _error(exc)))
    return parsed
