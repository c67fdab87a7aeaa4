"""CSV: one flattened row per claim, safe to open in a spreadsheet; reads it back, and reads
the fact-checkers' ClaimReview CSV exports (ClaimsKG's column names) too.

Nested parts (the ``via`` chain, evidence, disputes, a quantity) are compact JSON in one cell.
Every cell goes through ``escape.csv_cell``: a cell that starts like a formula (``=``, ``+``,
``-``, ``@``) gets a leading ``'``; so does a cell that already starts with ``'``, so the import
can take exactly one off again. Control characters are shown as visible codes (``\\x1b``) and
so do not round-trip.
"""

from __future__ import annotations

import csv
import io
import json
import re
from collections.abc import Mapping, Sequence
from typing import Any

from pydantic import ValidationError

from claimtrack.core.errors import UsageError
from claimtrack.core.escape import csv_cell, json_inert
from claimtrack.core.model import Claim, Source
from claimtrack.core.query import Entry
from claimtrack.core.wording import first_error, json_message
from claimtrack.interop.interface import Export, Incoming, Parsed, Skipped
from claimtrack.interop.review import Review, to_incoming
from claimtrack.interop.safety import MAX_RECORDS

#: The columns of claimtrack's CSV, in order.
COLUMNS = (
    "id",
    "statement",
    "quote",
    "prefix",
    "suffix",
    "appears_in",
    "attribution_name",
    "attribution_role",
    "attribution_kind",
    "attribution_via",
    "confidence",
    "confidence_word",
    "analytic_confidence",
    "type",
    "effective_status",
    "declared_status",
    "evidence",
    "disputed_by",
    "quantity",
    "tags",
    "date",
    "notes",
    "verdict_rating",
    "verdict_rating_value",
    "verdict_best_rating",
    "verdict_worst_rating",
    "verdict_url",
    "verdict_reviewer",
    "verdict_date",
    "appears_in_title",
    "appears_in_url",
    "language",
    "verdict_headline",
    "verdict_reviewer_url",
    "verdict_reviewer_same_as",
    "verdict_based_on",
    "sources",
)

_FORMULA_START = ("=", "+", "-", "@", "\t", "\r", "\n")


def cell(text: str) -> str:
    """A cell that is safe in a spreadsheet and that ``uncell`` reads back exactly."""
    safe = csv_cell(text)
    return "'" + safe if text.startswith("'") else safe


def uncell(text: str) -> str:
    """The text a ``cell`` was made from (one defusing quote taken off)."""
    rest = text[1:]
    if text.startswith("'") and (
        rest.startswith(("'", *_FORMULA_START)) or rest.lstrip().startswith(_FORMULA_START)
    ):
        return rest
    return text


def _json_cell(value: Any) -> str:
    if not value:
        return ""
    return json_inert(json.dumps(value, ensure_ascii=False, separators=(",", ":")))


def _number(value: float | None) -> str:
    return "" if value is None else repr(value)


def cited_sources(claim: Claim, sources: Mapping[str, Source]) -> list[Source]:
    """The registered sources a claim names (its article, evidence and disputes), by id."""
    ids = {claim.appears_in, *(e.source for e in claim.evidence)}
    ids |= {p.source for p in claim.disputed_by if p.source}
    return [sources[i] for i in sorted(ids) if i in sources]


def row(entry: Entry, sources: Mapping[str, Source]) -> dict[str, str]:
    """One claim as a flat row of strings (before escaping)."""
    claim = entry.claim
    data = claim.model_dump(mode="json", exclude_none=True)
    a = claim.attribution
    v = claim.verdict
    article = sources.get(claim.appears_in)
    return {
        "id": claim.id,
        "statement": claim.statement,
        "quote": claim.quote or "",
        "prefix": claim.prefix or "",
        "suffix": claim.suffix or "",
        "appears_in": claim.appears_in,
        "attribution_name": a.name,
        "attribution_role": a.role or "",
        "attribution_kind": a.kind.value,
        "attribution_via": _json_cell(data["attribution"].get("via")),
        "confidence": repr(claim.confidence.value),
        "confidence_word": claim.confidence.word,
        "analytic_confidence": claim.analytic_confidence.value if claim.analytic_confidence else "",
        "type": claim.type.value if claim.type else "",
        "effective_status": entry.status.value,
        "declared_status": claim.status.value if claim.status else "",
        "evidence": _json_cell(data.get("evidence")),
        "disputed_by": _json_cell(data.get("disputed_by")),
        "quantity": _json_cell(data.get("quantity")),
        "tags": ", ".join(claim.tags),
        "date": claim.date or "",
        "notes": claim.notes or "",
        "verdict_rating": v.rating if v else "",
        "verdict_rating_value": _number(v.rating_value) if v else "",
        "verdict_best_rating": _number(v.best_rating) if v else "",
        "verdict_worst_rating": _number(v.worst_rating) if v else "",
        "verdict_url": (v.url or "") if v else "",
        "verdict_reviewer": (v.reviewer or "") if v else "",
        "verdict_date": (v.date or "") if v else "",
        "appears_in_title": article.title if article else "",
        "appears_in_url": (article.url or "") if article else "",
        "language": claim.language or "",
        "verdict_headline": (v.headline or "") if v else "",
        "verdict_reviewer_url": (v.reviewer_url or "") if v else "",
        "verdict_reviewer_same_as": _json_cell(data.get("verdict", {}).get("reviewer_same_as")),
        "verdict_based_on": _json_cell(data.get("verdict", {}).get("based_on")),
        "sources": _json_cell(
            [s.model_dump(mode="json", exclude_none=True) for s in cited_sources(claim, sources)]
        ),
    }


def export_claims(
    entries: Sequence[Entry],
    sources: Mapping[str, Source],
    archives: Mapping[str, str] | None = None,
) -> Export:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(COLUMNS)
    for entry in entries:
        values = row(entry, sources)
        writer.writerow([cell(values[column]) for column in COLUMNS])
    return Export(out.getvalue(), len(entries))


# --- import -------------------------------------------------------------------------------


def _optional(value: str) -> str | None:
    return value if value != "" else None


def _json(value: str, column: str) -> Any:
    if value == "":
        return None
    try:
        return json.loads(value)
    except json.JSONDecodeError as exc:
        raise ValueError(f"{column}: {json_message(exc.msg)}") from None


def _float(value: str, column: str) -> float | None:
    """A number cell: an integer stays an integer (``5``, not ``5.0``)."""
    if value == "":
        return None
    try:
        return int(value) if re.fullmatch(r"[-+]?\d+", value) else float(value)
    except ValueError:
        raise ValueError(f"{column}: {value!r} is not a number") from None


def claim_data(values: Mapping[str, str]) -> dict[str, Any]:
    """Claim data from a claimtrack CSV row (unescaped); computed columns are ignored."""
    get = {column: uncell(values.get(column) or "") for column in COLUMNS}
    attribution: dict[str, Any] = {"name": get["attribution_name"], "kind": get["attribution_kind"]}
    if get["attribution_role"]:
        attribution["role"] = get["attribution_role"]
    if get["attribution_via"]:
        attribution["via"] = _json(get["attribution_via"], "attribution_via")
    confidence: Any = get["confidence_word"] or None
    if get["confidence"]:
        confidence = {"value": _float(get["confidence"], "confidence")}
        if get["confidence_word"]:
            confidence["word"] = get["confidence_word"]
    verdict = None
    if any(get[c] for c in COLUMNS if c.startswith("verdict_")):
        verdict = {
            "rating": get["verdict_rating"],
            "rating_value": _float(get["verdict_rating_value"], "verdict_rating_value"),
            "best_rating": _float(get["verdict_best_rating"], "verdict_best_rating"),
            "worst_rating": _float(get["verdict_worst_rating"], "verdict_worst_rating"),
            "url": _optional(get["verdict_url"]),
            "headline": _optional(get["verdict_headline"]),
            "reviewer": _optional(get["verdict_reviewer"]),
            "reviewer_url": _optional(get["verdict_reviewer_url"]),
            "reviewer_same_as": _json(get["verdict_reviewer_same_as"], "verdict_reviewer_same_as")
            or [],
            "date": _optional(get["verdict_date"]),
            "based_on": _json(get["verdict_based_on"], "verdict_based_on") or [],
        }
    data: dict[str, Any] = {
        "id": get["id"],
        "statement": get["statement"],
        "quote": _optional(get["quote"]),
        "prefix": _optional(get["prefix"]),
        "suffix": _optional(get["suffix"]),
        "appears_in": get["appears_in"],
        "attribution": attribution,
        "confidence": confidence,
        "analytic_confidence": _optional(get["analytic_confidence"]),
        "type": _optional(get["type"]),
        "evidence": _json(get["evidence"], "evidence") or [],
        "disputed_by": _json(get["disputed_by"], "disputed_by") or [],
        "status": _optional(get["declared_status"]),
        "quantity": _json(get["quantity"], "quantity"),
        "tags": [t.strip() for t in get["tags"].split(",") if t.strip()],
        "notes": _optional(get["notes"]),
        "date": _optional(get["date"]),
        "language": _optional(get["language"]),
        "verdict": verdict,
    }
    return {k: v for k, v in data.items() if v is not None}


def _claimtrack_row(values: Mapping[str, str], origin: str) -> Incoming | Skipped:
    try:
        claim = Claim.model_validate(claim_data(values))
    except ValueError as exc:
        return Skipped(origin, _first_error(exc))
    sources = []
    title = uncell(values.get("appears_in_title") or "")
    cited = uncell(values.get("sources") or "")
    if cited:  # the full records of the sources the claim names
        try:
            sources = [Source.model_validate(s) for s in _json(cited, "sources") or []]
        except ValueError as exc:
            return Skipped(origin, "sources: " + _first_error(exc))
    elif title:
        url = uncell(values.get("appears_in_url") or "") or None
        try:
            sources.append(Source(id=claim.appears_in, title=title, url=url))
        except ValidationError as exc:
            return Skipped(origin, "appears_in_url: " + _first_error(exc))
    return Incoming(origin, claim, sources, claim.verdict.url if claim.verdict else None)


def _first_error(exc: ValueError) -> str:
    if isinstance(exc, ValidationError):
        return first_error(exc.errors(include_url=False))
    return str(exc)


def _listish(value: str) -> list[object]:
    """ClaimsKG's tag cells: ``a,b`` or a Python-looking list ``['a', 'b']``."""
    text = value.strip().strip('"').strip()
    if text.startswith("[") and text.endswith("]"):
        return [m.group(2) for m in re.finditer(r"(['\"])(.*?)\1", text[1:-1])]
    return [part for part in text.split(",") if part.strip()]


def _claimskg_row(values: Mapping[str, str], origin: str) -> Incoming | Skipped:
    def get(column: str) -> str | None:
        text = (values.get(column) or "").strip()
        if len(text) >= 2 and text.startswith('"') and text.endswith('"'):
            text = text[1:-1].strip()  # Vishvas News wraps values in literal quotes
        return text or None

    review = Review(
        url=get("claimReview_url"),
        claim_reviewed=get("claimReview_claimReviewed"),
        title=get("extra_title"),
        date=get("claimReview_datePublished"),
        reviewer=get("claimReview_author_name"),
        rating=get("rating_alternateName"),
        rating_value=get("rating_ratingValue"),
        best_rating=get("rating_bestRating"),
        worst_rating=get("rating_worstRating"),
        claimant=get("creativeWork_author_name"),
        claim_date=get("creativeWork_datePublished"),
        keywords=_listish(values.get("extra_tags") or ""),
        reviewer_url=get("claimReview_author_url"),
    )
    return to_incoming(review, origin, headline_stands_in=True)


def parse(text: str, name: str) -> Parsed:
    """Rows of claimtrack's CSV export, or of a ClaimsKG / fact-checker ClaimReview CSV."""
    reader = csv.DictReader(io.StringIO(text, newline=""))
    try:
        header = reader.fieldnames or []
        if "claimReview_url" in header:
            convert = _claimskg_row
        elif {"id", "statement", "attribution_name"} <= set(header):
            convert = _claimtrack_row
        else:
            raise UsageError(
                f"{name}: unknown CSV columns; expected claimtrack's export (id, statement, "
                "attribution_name, ...) or a ClaimReview CSV (claimReview_url, ...)"
            )
        parsed = Parsed()
        for index, values in enumerate(reader, 1):
            if index > MAX_RECORDS:
                raise UsageError(f"{name} holds more than {MAX_RECORDS} rows")
            parsed.records += 1
            origin = f"{name} row {index}"
            if None in values:
                parsed.skipped.append(Skipped(origin, "more cells than columns"))
                continue
            result = convert(values, origin)
            parsed.add(result)
    except csv.Error as exc:
        raise UsageError(f"{name}:{reader.line_num}: not CSV: {exc}") from None
    return parsed
