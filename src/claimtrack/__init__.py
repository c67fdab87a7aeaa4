"""claimtrack: a claims-and-evidence tracker for fact-checkers.

The library behind the command line::

    import claimtrack

    folder = claimtrack.open_folder("claims")
    for problem in folder.problems:          # Problem: path, line, col, level, rule, message
        print(problem.format())
    report = claimtrack.build_report(folder, fail_on=["contested"])
    print(report.failed, [claim.id for claim in report.claims])

Names are imported when first used, so ``import claimtrack`` (and ``claimtrack --help``) stays
fast.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

from claimtrack.core.version import __version__

if TYPE_CHECKING:
    from claimtrack.api import (
        RenderedReport,
        ValidationResult,
        figures,
        open_folder,
        render_report,
        validate_paths,
    )
    from claimtrack.core.dataset import ClaimRecord, Dataset, SourceRecord
    from claimtrack.core.errors import ClaimtrackError
    from claimtrack.core.model import Claim, Source
    from claimtrack.core.problem import Level, Problem
    from claimtrack.core.query import Query
    from claimtrack.core.query import run as query
    from claimtrack.core.report import Report
    from claimtrack.core.vocab import Status
    from claimtrack.rules.report import build_report

#: public name -> (module, attribute)
_EXPORTS = {
    "open_folder": ("claimtrack.api", "open_folder"),
    "validate_paths": ("claimtrack.api", "validate_paths"),
    "ValidationResult": ("claimtrack.api", "ValidationResult"),
    "figures": ("claimtrack.api", "figures"),
    "render_report": ("claimtrack.api", "render_report"),
    "RenderedReport": ("claimtrack.api", "RenderedReport"),
    "Dataset": ("claimtrack.core.dataset", "Dataset"),
    "ClaimRecord": ("claimtrack.core.dataset", "ClaimRecord"),
    "SourceRecord": ("claimtrack.core.dataset", "SourceRecord"),
    "ClaimtrackError": ("claimtrack.core.errors", "ClaimtrackError"),
    "Claim": ("claimtrack.core.model", "Claim"),
    "Source": ("claimtrack.core.model", "Source"),
    "Problem": ("claimtrack.core.problem", "Problem"),
    "Level": ("claimtrack.core.problem", "Level"),
    "Query": ("claimtrack.core.query", "Query"),
    "query": ("claimtrack.core.query", "run"),
    "Report": ("claimtrack.core.report", "Report"),
    "Status": ("claimtrack.core.vocab", "Status"),
    "build_report": ("claimtrack.rules.report", "build_report"),
}

__all__ = [
    "Claim",
    "ClaimRecord",
    "ClaimtrackError",
    "Dataset",
    "Level",
    "Problem",
    "Query",
    "RenderedReport",
    "Report",
    "Source",
    "SourceRecord",
    "Status",
    "ValidationResult",
    "__version__",
    "build_report",
    "figures",
    "open_folder",
    "query",
    "render_report",
    "validate_paths",
]


def __getattr__(name: str) -> Any:
    try:
        module, attribute = _EXPORTS[name]
    except KeyError:
        raise AttributeError(f"module 'claimtrack' has no attribute {name!r}") from None
    value = getattr(importlib.import_module(module), attribute)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted(__all__)
