"""Interoperability: ClaimReview, CSV, JSON Lines and STIX out; ClaimReview, CSV, JSON Lines in.

One module per format, each with ``export_claims(entries, sources) -> Export`` and (except STIX)
``parse(text, name) -> Parsed``; the enums back the CLI choices and the registries name modules,
imported only when used.
"""

from __future__ import annotations

import enum
import importlib
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from claimtrack.interop.interface import Exporter, Importer


class ExportFormat(str, enum.Enum):
    """Formats of ``claimtrack export``."""

    CLAIMREVIEW = "claimreview"
    CSV = "csv"
    JSONL = "jsonl"
    STIX = "stix"


class ImportFormat(str, enum.Enum):
    """Formats of ``claimtrack import``."""

    CLAIMREVIEW = "claimreview"
    CSV = "csv"
    JSONL = "jsonl"


#: format -> module under ``claimtrack.interop`` with ``export_claims``.
EXPORTERS: dict[ExportFormat, str] = {
    ExportFormat.CLAIMREVIEW: "claimreview",
    ExportFormat.CSV: "csv",
    ExportFormat.JSONL: "jsonl",
    ExportFormat.STIX: "stix",
}

#: format -> module under ``claimtrack.interop`` with ``parse``.
IMPORTERS: dict[ImportFormat, str] = {
    ImportFormat.CLAIMREVIEW: "claimreview",
    ImportFormat.CSV: "csv",
    ImportFormat.JSONL: "jsonl",
}

#: File suffixes that name an import format when ``--format`` is not given.
SUFFIXES: dict[str, ImportFormat] = {
    ".jsonld": ImportFormat.CLAIMREVIEW,
    ".json": ImportFormat.CLAIMREVIEW,
    ".csv": ImportFormat.CSV,
    ".jsonl": ImportFormat.JSONL,
    ".ndjson": ImportFormat.JSONL,
}


def exporter(fmt: ExportFormat) -> Exporter:
    module = importlib.import_module(f"claimtrack.interop.{EXPORTERS[fmt]}")
    return module.export_claims  # type: ignore[no-any-return]


def importer(fmt: ImportFormat) -> Importer:
    module = importlib.import_module(f"claimtrack.interop.{IMPORTERS[fmt]}")
    return module.parse  # type: ignore[no-any-return]
