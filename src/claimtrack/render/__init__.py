"""Output formats, every command's in this one place: the enum that backs each ``--format``
and, for each of its formats, the renderer (``module:function`` under ``claimtrack.render``,
imported only when used, so that start-up stays fast). :data:`FORMATS` is the registry; the
command's code asks :func:`renderer` for the function and calls it with what that command's
:attr:`Formats.takes` names. This module imports only ``enum``, ``sys`` and ``dataclasses``,
which the command line has loaded already.

Exchange formats (``export``, ``import``) are registered the same way in
:mod:`claimtrack.interop`, the layer that writes and reads them.
"""

from __future__ import annotations

import enum
import sys
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from claimtrack.core.query import Entry


class StyledLines(list[tuple[str, str]]):
    """A renderer's output of lines of inert text, each with its style on a terminal (written
    as they are to a pipe)."""


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
    return renderer("list", fmt)


def list_writer(fmt: ListFormat) -> Callable[[Sequence[Entry]], Any]:
    """Like :func:`list_renderer`, but the formats that can be written piece by piece (JSON,
    JSON Lines, the table) give an iterator of text: a large list is never held whole. The
    table's renderer also takes a :class:`~claimtrack.render.terminal.Terminal`."""
    module = _module(LIST_RENDERERS[fmt])
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
    return renderer("report", fmt)


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
    return renderer("graph", fmt)


class SearchFormat(str, enum.Enum):
    """Formats of ``claimtrack search``: its own text, or any format of ``list``."""

    TEXT = "text"
    TABLE = "table"
    JSON = "json"
    JSONL = "jsonl"
    CSV = "csv"
    MD = "md"


class ShowFormat(str, enum.Enum):
    """Formats of ``claimtrack show`` and ``claimtrack source show``."""

    TEXT = "text"
    JSON = "json"


class ValidateFormat(str, enum.Enum):
    """Formats of ``claimtrack validate``."""

    TEXT = "text"
    JSON = "json"


class StatsFormat(str, enum.Enum):
    """Formats of ``claimtrack stats``."""

    TABLE = "table"
    JSON = "json"


class RulesFormat(str, enum.Enum):
    """Formats of ``claimtrack rules``."""

    TEXT = "text"
    JSON = "json"


class LogFormat(str, enum.Enum):
    """Formats of ``claimtrack log``."""

    TEXT = "text"
    JSON = "json"


class DiffFormat(str, enum.Enum):
    """Formats of ``claimtrack diff``."""

    TEXT = "text"
    MD = "md"
    JSON = "json"


class VerifyFormat(str, enum.Enum):
    """Formats of ``claimtrack verify``."""

    TEXT = "text"
    JSON = "json"


class QuantitiesFormat(str, enum.Enum):
    """Formats of ``claimtrack quantities``."""

    CHART = "chart"
    JSON = "json"


@dataclass(frozen=True)
class Formats:
    """One command's output formats: the enum behind its ``--format`` choices, each format's
    renderer as ``module:function`` under ``claimtrack.render``, and what every one of those
    renderers is called with."""

    choices: type[enum.Enum]
    renderers: Mapping[Any, str]
    takes: str


def _as_list(formats: type[enum.Enum]) -> dict[Any, str]:
    """The renderers of the formats that ``list`` also has, under another command's enum."""
    return {
        fmt: f"{LIST_RENDERERS[ListFormat(fmt.value)]}:render_list"
        for fmt in formats
        if fmt.value in {f.value for f in ListFormat}
    }


#: command (as typed after ``claimtrack``) -> its output formats. A test checks that every
#: command's ``--format`` offers exactly these choices and that each renderer renders the
#: shipped claims.
FORMATS: dict[str, Formats] = {
    "list": Formats(ListFormat, _as_list(ListFormat), "entries"),
    "search": Formats(
        SearchFormat,
        {SearchFormat.TEXT: "search:search_results", **_as_list(SearchFormat)},
        "text: found, terms, sources, color; the formats of list: the entries found",
    ),
    "show": Formats(
        ShowFormat,
        {ShowFormat.TEXT: "show:show_text", ShowFormat.JSON: "show:show_json"},
        "entry, dataset, terminal",
    ),
    "source show": Formats(
        ShowFormat,
        {ShowFormat.TEXT: "source:source_text", ShowFormat.JSON: "source:source_json"},
        "source, cited_by, archive, path",
    ),
    "validate": Formats(
        ValidateFormat,
        {
            ValidateFormat.TEXT: "problems:problem_lines",
            ValidateFormat.JSON: "problems:problems_json",
        },
        "the validation result",
    ),
    "stats": Formats(
        StatsFormat,
        {StatsFormat.TABLE: "stats:stats_tables", StatsFormat.JSON: "json:stats_json"},
        "figures, top",
    ),
    "report": Formats(
        ReportFormat,
        {fmt: f"{module}:render_report" for fmt, module in REPORT_RENDERERS.items()},
        "report (text: and terminal; github: and summary); see api.render_report",
    ),
    "rules": Formats(
        RulesFormat,
        {RulesFormat.TEXT: "rules:rules_text", RulesFormat.JSON: "rules:rules_json"},
        "the policy rules",
    ),
    "log": Formats(
        LogFormat,
        {LogFormat.TEXT: "history:log_text", LogFormat.JSON: "history:log_json"},
        "claim_id, events",
    ),
    "diff": Formats(
        DiffFormat,
        {
            DiffFormat.TEXT: "history:diff_text",
            DiffFormat.MD: "history:diff_markdown",
            DiffFormat.JSON: "history:diff_json",
        },
        "the semantic diff",
    ),
    "verify": Formats(
        VerifyFormat,
        {
            VerifyFormat.TEXT: "problems:problem_lines",
            VerifyFormat.JSON: "problems:problems_json",
        },
        "the verification",
    ),
    "quantities": Formats(
        QuantitiesFormat,
        {
            QuantitiesFormat.CHART: "timeline_chart:render_timeline",
            QuantitiesFormat.JSON: "json:quantities_json",
        },
        "series, terminal",
    ),
    "graph": Formats(
        GraphFormat,
        {fmt: f"{module}:render_graph" for fmt, module in GRAPH_RENDERERS.items()},
        "graph",
    ),
}


def renderer(command: str, fmt: enum.Enum) -> Callable[..., Any]:
    """The function that renders ``command``'s output in ``fmt``, imported now."""
    module, _, name = FORMATS[command].renderers[fmt].partition(":")
    found: Callable[..., Any] = getattr(_module(module), name)
    return found


def _module(name: str) -> Any:
    """The module ``claimtrack.render.<name>``, imported by the import statement's machinery
    (``importlib.import_module`` bypasses it, and with it ``python -X importtime``'s log, which
    ``tests/test_imports.py`` reads)."""
    __import__(f"claimtrack.render.{name}")
    return sys.modules[f"claimtrack.render.{name}"]
