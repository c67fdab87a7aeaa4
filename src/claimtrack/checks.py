"""Checks across files: duplicate ids, references to missing sources, status and confidence words.

They come in two kinds so that a cache can keep the costly half: :func:`claim_checks` looks at one
claim against the source registry (it can be computed once per file and kept while neither the
file nor the registry changes); :func:`duplicate_ids` and :func:`registry_checks` need the whole
folder and are cheap.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING, Any

from claimtrack import yamlio
from claimtrack.problems import Level, Problem
from claimtrack.status import derive
from claimtrack.vocab import word_fits_value

if TYPE_CHECKING:
    from claimtrack.load import ClaimRecord, Dataset, SourceRecord
    from claimtrack.model import Claim, Source

#: One finding of :func:`claim_checks`, before it is given a position: (loc, level, rule, message).
Finding = tuple[tuple[str | int, ...], Level, str, str]


class _Locator:
    """Positions inside files that loaded fine; each file is re-read and composed at most once."""

    def __init__(self) -> None:
        self._roots: dict[str, Any] = {}

    def __call__(self, path: str, loc: tuple[str | int, ...], key: bool = False) -> tuple[int, int]:
        if path not in self._roots:
            try:
                text = yamlio.decode(Path(path).read_bytes())
                self._roots[path] = yamlio.compose_text(text)
            except (OSError, yamlio.YamlProblem):
                self._roots[path] = None
        where = yamlio.locate(self._roots[path], loc, key=key)
        return where.line, where.col


def field_name(loc: tuple[str | int, ...]) -> str:
    return "".join(f"[{p}]" if isinstance(p, int) else f".{p}" for p in loc).lstrip(".")


def claim_checks(claim: Claim, sources: Mapping[str, Source]) -> list[Finding]:
    """What is wrong with one claim given the registry: missing sources, words, stale status."""
    found: list[Finding] = []
    if claim.appears_in not in sources:
        found.append(
            (
                ("appears_in",),
                Level.ERROR,
                "source-missing",
                f"source {claim.appears_in!r} is not in the registry",
            )
        )
    for i, item in enumerate(claim.evidence):
        if item.source not in sources:
            found.append(
                (
                    ("evidence", i, "source"),
                    Level.ERROR,
                    "source-missing",
                    f"source {item.source!r} is not in the registry",
                )
            )
    for i, party in enumerate(claim.disputed_by):
        if party.source is not None and party.source not in sources:
            found.append(
                (
                    ("disputed_by", i, "source"),
                    Level.ERROR,
                    "source-missing",
                    f"source {party.source!r} is not in the registry",
                )
            )
    if not word_fits_value(claim.confidence.word, claim.confidence.value):
        found.append(
            (
                ("confidence",),
                Level.WARNING,
                "confidence-word",
                f"{claim.confidence.word!r} means another range than {claim.confidence.value}",
            )
        )
    if claim.status is not None:
        derived = derive(claim, sources)
        if derived.status is not claim.status:
            found.append(
                (
                    ("status",),
                    Level.WARNING,
                    "status-mismatch",
                    f"the file says {claim.status.value!r} but the evidence makes it "
                    f"{derived.status.value!r} ({'; '.join(derived.reasons)})",
                )
            )
    return found


def located(
    path: str, findings: list[Finding], locate: Callable[[tuple[str | int, ...]], tuple[int, int]]
) -> list[Problem]:
    """Findings of one file as Problems, positioned by ``locate`` (called only when needed)."""
    problems = []
    for loc, level, rule, message in findings:
        line, col = locate(loc)
        problems.append(Problem(path, line, col, level, rule, message, field_name(loc)))
    return problems


def duplicate_ids(
    records: list[ClaimRecord], locate: Callable[[str, tuple[str | int, ...]], tuple[int, int]]
) -> tuple[list[ClaimRecord], list[Problem]]:
    """The records with the first of each id kept, and a Problem for every later one."""
    first_by_id: dict[str, ClaimRecord] = {}
    kept: list[ClaimRecord] = []
    problems: list[Problem] = []
    for record in records:
        first = first_by_id.get(record.id)
        if first is not None:
            line, col = locate(record.path, ("id",))
            problems.append(
                Problem(
                    record.path,
                    line,
                    col,
                    Level.ERROR,
                    "id-duplicate",
                    f"id {record.id!r} is already used by {first.path}:{first.line}",
                    "id",
                )
            )
            continue
        first_by_id[record.id] = record
        kept.append(record)
    return kept, problems


def registry_checks(registry: Mapping[str, SourceRecord]) -> list[Problem]:
    """Sources that derive from sources the registry does not have."""
    problems = []
    for sid, rec in registry.items():
        for parent in rec.source.derived_from:
            if parent not in registry:
                problems.append(
                    Problem(
                        rec.path,
                        rec.line,
                        1,
                        Level.ERROR,
                        "source-missing",
                        f"derived_from names {parent!r}, which is not in the registry",
                        f"{sid}.derived_from",
                    )
                )
    return problems


def cross_check(dataset: Dataset) -> list[Problem]:
    """Problems that only show when the whole folder is read; drops duplicate-id claims."""
    locate = _Locator()
    kept, problems = duplicate_ids(dataset.claims, locate)
    dataset.claims[:] = kept
    sources = {sid: rec.source for sid, rec in dataset.sources.items()}
    for record in dataset.claims:
        findings = claim_checks(record.claim, sources)
        if findings:
            problems += located(record.path, findings, partial(locate, record.path))
    return problems + registry_checks(dataset.sources)
