"""Checks across files: duplicate ids, references to missing sources, status and confidence words."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

from claimtrack import yamlio
from claimtrack.problems import Level, Problem
from claimtrack.status import derive
from claimtrack.vocab import word_fits_value

if TYPE_CHECKING:
    from claimtrack.load import ClaimRecord, Dataset


class Locator:
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


def cross_check(dataset: Dataset) -> list[Problem]:
    """Problems that only show when the whole folder is read; drops duplicate-id claims."""
    locate = Locator()
    problems: list[Problem] = []

    def add(
        record: ClaimRecord, loc: tuple[str | int, ...], level: Level, rule: str, message: str
    ) -> None:
        line, col = locate(record.path, loc)
        field = "".join(f"[{p}]" if isinstance(p, int) else f".{p}" for p in loc).lstrip(".")
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

    sources = {sid: rec.source for sid, rec in dataset.sources.items()}
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
            derived = derive(claim, sources)
            if derived.status is not claim.status:
                add(record, ("status",), Level.WARNING, "status-mismatch",
                    f"the file says {claim.status.value!r} but the evidence makes it "
                    f"{derived.status.value!r} ({'; '.join(derived.reasons)})")

    for sid, rec in dataset.sources.items():
        for parent in rec.source.derived_from:
            if parent not in sources:
                problems.append(Problem(rec.path, rec.line, 1, Level.ERROR, "source-missing",
                                        f"derived_from names {parent!r}, which is not in the registry",
                                        f"{sid}.derived_from"))
    return problems
