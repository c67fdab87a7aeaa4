"""Checks across files: ids, references, statuses, contradictions and estimative lint."""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any

from claimtrack import yamlio
from claimtrack.contradictions import derive_all
from claimtrack.lint import lint_claim
from claimtrack.problems import Level, Problem
from claimtrack.vocab import word_fits_value

if TYPE_CHECKING:
    from claimtrack.load import ClaimRecord, Dataset


class Locator:
    """Positions inside files that loaded fine; each file is re-read and composed at most once."""

    def __init__(self, texts: Mapping[str, str] | None = None) -> None:
        self._roots: dict[str, Any] = {}
        self._texts = texts or {}

    def __call__(self, path: str, loc: tuple[str | int, ...], key: bool = False) -> tuple[int, int]:
        if path not in self._roots:
            try:
                text = self._texts.get(path) or yamlio.decode(Path(path).read_bytes())
                self._roots[path] = yamlio.compose_text(text)
            except (OSError, yamlio.YamlProblem):
                self._roots[path] = None
        where = yamlio.locate(self._roots[path], loc, key=key)
        return where.line, where.col


def cross_check(dataset: Dataset, texts: Mapping[str, str] | None = None) -> list[Problem]:
    """Problems that only show when the whole folder is read; drops duplicate-id claims.

    ``texts`` gives the text of files not (yet) on disk, by path: a write checks its result first.
    """
    locate = Locator(texts)
    problems: list[Problem] = []

    def add(
        record: ClaimRecord, loc: tuple[str | int, ...], level: Level, rule: str, message: str
    ) -> None:
        line, col = locate(record.path, loc)
        field = _dotted(loc)
        problems.append(Problem(record.path, line, col, level, rule, message, field))

    first_by_id: dict[str, ClaimRecord] = {}
    kept = []
    for record in dataset.claims:
        claim = record.claim
        first = first_by_id.get(claim.id)
        if first is not None:
            add(
                record,
                ("id",),
                Level.ERROR,
                "id-duplicate",
                f"id {claim.id!r} is already used by {first.path}:{first.line}",
            )
            continue
        first_by_id[claim.id] = record
        kept.append(record)
    dataset.claims[:] = kept

    if dataset.source_list:  # a folder read from disk; a write's check passes sources ready-made
        dataset.sources.clear()
    for rec in dataset.source_list:
        first_source = dataset.sources.get(rec.source.id)
        if first_source is None:
            dataset.sources[rec.source.id] = rec
            continue
        line, col = locate(rec.path, (*rec.loc, "id"))
        problems.append(Problem(rec.path, line, col, Level.ERROR, "source-duplicate",
                                f"source id {rec.source.id!r} is already defined at "
                                f"{first_source.path}:{first_source.line}",
                                _dotted((*rec.loc, "id"))))

    sources = {sid: rec.source for sid, rec in dataset.sources.items()}
    derived, contradictions = derive_all([r.claim for r in dataset.claims], sources)
    for record in dataset.claims:
        claim = record.claim
        if claim.appears_in not in sources:
            add(record, ("appears_in",), Level.ERROR, "source-missing",
                f"source {claim.appears_in!r} is not in the registry")
        for i, item in enumerate(claim.evidence):
            if item.source not in sources:
                add(record, ("evidence", i, "source"), Level.ERROR, "source-missing",
                    f"source {item.source!r} is not in the registry")
        for i, party in enumerate(claim.disputed_by):
            if party.source is not None and party.source not in sources:
                add(record, ("disputed_by", i, "source"), Level.ERROR, "source-missing",
                    f"source {party.source!r} is not in the registry")
        if not word_fits_value(claim.confidence.word, claim.confidence.value):
            add(record, ("confidence",), Level.WARNING, "confidence-word",
                f"{claim.confidence.word!r} means another range than {claim.confidence.value}")
        if claim.status is not None:
            derivation = derived[claim.id]
            if derivation.status is not claim.status:
                add(record, ("status",), Level.WARNING, "status-mismatch",
                    f"the file says {claim.status.value!r} but the evidence makes it "
                    f"{derivation.status.value!r} ({'; '.join(derivation.reasons)})")
        for loc, rule, message in lint_claim(claim, sources):
            add(record, loc, Level.WARNING, rule, message)
        if claim.negates is not None and claim.negates not in first_by_id:
            add(record, ("negates",), Level.ERROR, "negates-missing",
                f"negates {claim.negates!r}, which is not a claim here")
        elif claim.negates == claim.id:
            add(record, ("negates",), Level.ERROR, "negates-missing",
                "a claim cannot negate itself")

    by_id = {record.claim.id: record for record in dataset.claims}
    for found in contradictions:
        for own, other in ((found.first, found.second), (found.second, found.first)):
            where: tuple[str | int, ...] = ("quantity", "value") if found.kind == "quantity" else (
                ("negates",) if by_id[own].claim.negates == other else ("id",))
            add(by_id[own], where, Level.WARNING, f"{found.kind}-contradiction",
                f"contradicts {other}: {found.message}")

    for rec in dataset.sources.values():
        for j, parent in enumerate(rec.source.derived_from):
            if parent not in sources:
                loc = (*rec.loc, "derived_from", j)
                line, col = locate(rec.path, loc)
                problems.append(Problem(rec.path, line, col, Level.ERROR, "source-missing",
                                        f"source {parent!r} is not in the registry", _dotted(loc)))
    return problems


def _dotted(loc: tuple[str | int, ...]) -> str:
    from claimtrack.load import dotted

    return dotted(loc)
