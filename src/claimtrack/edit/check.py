"""A write's result checked as ``validate`` would check it, before anything is written."""

from __future__ import annotations

from collections.abc import Mapping
from functools import partial
from typing import TYPE_CHECKING

from claimtrack.core.problem import Problem
from claimtrack.io.positions import Locator
from claimtrack.rules.fields import claim_checks, located
from claimtrack.rules.folder import (
    duplicate_ids,
    duplicate_sources,
    facts_of,
    folder_checks,
    registry_checks,
)

if TYPE_CHECKING:
    from claimtrack.core.dataset import Dataset


def cross_check(dataset: Dataset, texts: Mapping[str, str] | None = None) -> list[Problem]:
    """The whole-folder checks of a dataset built in memory (a write checks its result with
    ``texts``, the text of files not yet on disk); drops duplicate-id claims and sources."""
    locate = Locator(texts)
    kept, problems = duplicate_ids(dataset.claims, locate)
    dataset.claims[:] = kept
    if dataset.source_list:  # a folder read from disk; a write's check passes sources ready-made
        dataset.sources, duplicates = duplicate_sources(dataset.source_list, locate)
        problems += duplicates
    sources = {sid: rec.source for sid, rec in dataset.sources.items()}
    folder, contradicted, replaced = folder_checks(
        kept, {r.id: facts_of(r.claim) for r in kept}, sources, locate
    )
    dataset.contradicted = contradicted
    for record in kept:
        findings = claim_checks(record.claim, sources)
        if record.id in replaced:
            findings = [f for f in findings if f[2] != "status-mismatch"]
        problems += located(record.path, findings, partial(locate, record.path))
    return problems + folder + registry_checks(dataset.sources, locate)
