"""Output formats: one module per format, registered by the enum that backs the CLI choice."""

from __future__ import annotations

import enum
import importlib
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from claimtrack.core.query import Entry


class ListFormat(str, enum.Enum):
    """Formats of ``claimtrack list``."""

    TABLE = "table"
    JSON = "json"
    JSONL = "jsonl"
    CSV = "csv"
    MD = "md"


#: format -> module under ``claimtrack.render`` with a ``render_list(entries)`` function.
LIST_RENDERERS: dict[ListFormat, str] = {
    ListFormat.TABLE: "table",
    ListFormat.JSON: "json",
    ListFormat.JSONL: "jsonl",
    ListFormat.CSV: "csv",
    ListFormat.MD: "markdown",
}


def list_renderer(fmt: ListFormat) -> Callable[[Sequence[Entry]], Any]:
    """The renderer of a list format (imported only when used: keeps start-up fast)."""
    module = importlib.import_module(f"claimtrack.render.{LIST_RENDERERS[fmt]}")
    return module.render_list  # type: ignore[no-any-return]


def list_writer(fmt: ListFormat) -> Callable[[Sequence[Entry]], Any]:
    """Like :func:`list_renderer`, but the formats that can be written piece by piece (JSON,
    JSON Lines, the table) give an iterator of text: a large list is never held whole. The
    table's renderer also takes a :class:`~claimtrack.render.terminal.Terminal`."""
    module = importlib.import_module(f"claimtrack.render.{LIST_RENDERERS[fmt]}")
    return getattr(module, "iter_list", module.render_list)  # type: ignore[no-any-return]


class ReportFormat(str, enum.Enum):
    """Formats of ``claimtrack report``."""

    TEXT = "text"
    MD = "md"
    JSON = "json"
    HTML = "html"
    JUNIT = "junit"
    SARIF = "sarif"
    GITHUB = "github"


#: format -> module under ``claimtrack.render`` with a ``render_report(report)`` function.
REPORT_RENDERERS: dict[ReportFormat, str] = {
    ReportFormat.TEXT: "table",
    ReportFormat.MD: "markdown",
    ReportFormat.JSON: "json",
    ReportFormat.HTML: "html",
    ReportFormat.JUNIT: "junit",
    ReportFormat.SARIF: "sarif",
    ReportFormat.GITHUB: "github",
}

#: ``--output`` file suffix -> the format it implies when ``--format`` is not given.
REPORT_SUFFIXES: dict[str, ReportFormat] = {
    ".md": ReportFormat.MD,
    ".markdown": ReportFormat.MD,
    ".json": ReportFormat.JSON,
    ".html": ReportFormat.HTML,
    ".htm": ReportFormat.HTML,
    ".xml": ReportFormat.JUNIT,
    ".sarif": ReportFormat.SARIF,
    ".txt": ReportFormat.TEXT,
}


def report_format_for(filename: str) -> ReportFormat:
    """The report format an output file's suffix names (Markdown for a name with no suffix).
    A suffix that names no format is refused: ``-o r.pdf`` must not write Markdown under a
    PDF's name and exit 0."""
    from pathlib import PurePath

    from claimtrack.core.errors import UsageError

    suffix = PurePath(filename).suffix.lower()
    if not suffix:
        return ReportFormat.MD
    if suffix not in REPORT_SUFFIXES:
        known = ", ".join(REPORT_SUFFIXES)
        raise UsageError(
            f"{filename}: {suffix!r} names no report format (known suffixes: {known}); "
            "give --format to write another name"
        )
    return REPORT_SUFFIXES[suffix]


def report_renderer(fmt: ReportFormat) -> Callable[..., Any]:
    """The renderer of a report format: a ``str`` for every format but ``text``, whose renderer
    also takes a :class:`~claimtrack.render.terminal.Terminal` and gives its lines one by one."""
    module = importlib.import_module(f"claimtrack.render.{REPORT_RENDERERS[fmt]}")
    return module.render_report  # type: ignore[no-any-return]


class GraphFormat(str, enum.Enum):
    """Formats of ``claimtrack graph``."""

    DOT = "dot"
    MERMAID = "mermaid"
    JSON = "json"


#: format -> module under ``claimtrack.render`` with a ``render_graph(graph) -> str`` function.
GRAPH_RENDERERS: dict[GraphFormat, str] = {
    GraphFormat.DOT: "dot",
    GraphFormat.MERMAID: "mermaid",
    GraphFormat.JSON: "graph_json",
}


def graph_renderer(fmt: GraphFormat) -> Callable[[Any], str]:
    """The renderer of a graph format, imported when used."""
    module = importlib.import_module(f"claimtrack.render.{GRAPH_RENDERERS[fmt]}")
    return module.render_graph  # type: ignore[no-any-return]
