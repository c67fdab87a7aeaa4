"""The folder pipeline: scan -> parse (over workers when there are many files) -> assemble."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any, Protocol

from claimtrack.core.dataset import Dataset, SourceRecord
from claimtrack.core.problem import Level, Problem
from claimtrack.core.vocab import Status
from claimtrack.io.archive import (
    Archives,
    archives_fingerprint,
    read_archive_files,
    read_archives,
)
from claimtrack.io.files import (
    display_path,
)
from claimtrack.io.parse import (
    PARALLEL_MIN,
    FileResult,
    ProblemRow,
    Progress,
    parse_claims,
    parse_registry,
    paused_gc,
    refs_fingerprint,
    source_digests,
)
from claimtrack.io.records import CachedClaimRecord, ClaimJson
from claimtrack.io.scan import CLAIM, REGISTRY, FolderListing, Found, digest, listing

if TYPE_CHECKING:
    from claimtrack.rules.fields import Locate


class DisplayPaths:
    """``display_path(root / rel)`` for many files, computed from the root's once."""

    def __init__(self, root: Path) -> None:
        self.root = root
        shown = display_path(root)
        #: What every path of the folder starts with, as shown.
        self.prefix = "" if shown == "." else shown.rstrip("/") + "/"

    def __call__(self, rel: str) -> str:
        return self.prefix + rel

    def rel(self, shown: str) -> str | None:
        """The path relative to the root of a path as shown; None for one outside it."""
        return shown[len(self.prefix) :] if shown.startswith(self.prefix) else None


def registry_sources(
    results: list[FileResult], shown: DisplayPaths, locate: Locate | None = None
) -> tuple[dict[str, SourceRecord], list[Problem]]:
    """The registry (the first definition of an id wins) and its duplicates as problems."""
    from claimtrack.core.model import Source
    from claimtrack.io.positions import Locator
    from claimtrack.rules.folder import duplicate_sources

    records = [
        SourceRecord(
            Source.model_validate_json(entry[0]),
            shown(result.rel),
            entry[1],
            tuple(entry[2]) if len(entry) > 2 else (),
        )
        for result in results
        for entry in result.sources
    ]
    return duplicate_sources(records, locate or Locator())


#: Every status as one string, for the records to share (a worker's result holds a copy).
_STATUSES: dict[str | None, str | None] = {status.value: status.value for status in Status}


def _problems(path: str, rows: Sequence[Sequence[Any]]) -> list[Problem]:
    return [Problem(path, r[0], r[1], Level(r[2]), r[3], r[4], r[5]) for r in rows]


def assemble(
    root: Path,
    registry_results: list[FileResult],
    claim_results: Iterator[FileResult],
    files: int,
    *,
    keep_claims: bool,
    store: ClaimJson | None = None,
    archives: Archives | None = None,
) -> Dataset:
    """The dataset from per-file results (in folder order), with the folder-wide checks, and
    every file's sha256 (``Dataset.digests``)."""
    from claimtrack.io.positions import Locator
    from claimtrack.rules.folder import duplicate_ids, folder_checks, registry_checks

    locate = Locator()
    shown = DisplayPaths(root)
    dataset = Dataset(root=root, files=files)
    digests = {r.rel: r.sha for r in registry_results}
    dataset.sources, dataset.problems = registry_sources(registry_results, shown, locate)
    for result in registry_results:
        dataset.problems += _problems(shown(result.rel), result.problems)
    checks: dict[str, Sequence[ProblemRow]] = {}
    quotes: dict[str, tuple[int, Sequence[ProblemRow]]] = {}
    facts: dict[str, str] = {}
    for result in claim_results:
        path = shown(result.rel)
        digests[result.rel] = result.sha
        if result.problems:
            dataset.problems += _problems(path, result.problems)
        if result.claim_id is None:
            continue
        dataset.claims.append(
            CachedClaimRecord(
                path,
                result.line,
                result.claim_id,
                result.claim_json if keep_claims else None,
                _STATUSES.get(result.status, result.status),  # one string per status, not per claim
                root,
                result.rel,
                result.claim if keep_claims else None,
                result.facets,
                store,
                result.sha,
            )
        )
        if result.checks:
            checks[path] = result.checks
        if result.quoted:
            quotes[path] = (result.quoted, result.quotes)
        if result.facts:
            facts.setdefault(result.claim_id, result.facts)
    kept, duplicates = duplicate_ids(dataset.claims, locate)
    dataset.claims[:] = kept
    dataset.problems += duplicates
    sources = {sid: rec.source for sid, rec in dataset.sources.items()}
    folder, dataset.contradicted, replaced = folder_checks(kept, facts, sources, locate)
    for record in kept:  # a dropped duplicate's own findings are not reported, as before
        rows = checks.get(record.path)
        if rows and record.id in replaced:  # its status now counts a contradiction
            rows = [row for row in rows if row[3] != "status-mismatch"]
        if rows:
            dataset.problems += _problems(record.path, rows)
    dataset.problems += folder
    if archives is not None:
        dataset.quote_problems = list(archives.problems)
        dataset.archive_texts = archives.readable
        for record in kept:
            counted = quotes.get(record.path)
            if counted:
                dataset.quotes += counted[0]
                dataset.quote_problems += _problems(record.path, counted[1])
        dataset.quote_problems.sort()
    dataset.problems += registry_checks(dataset.sources, locate)
    dataset.problems.sort()
    dataset.digests = digests
    return dataset


def registry_fingerprint(results: list[FileResult], archives: str = "") -> str:
    """What the derived statuses and checks of every claim depend on besides the claim: the
    registry's files, and the archived texts' fingerprint."""
    return digest(json.dumps([(r.rel, r.sha) for r in results] + [archives]).encode())


class FolderIndex(Protocol):
    """The port the pipeline is handed to skip unchanged files (``claimtrack.cache.index.Index``
    is one). The index only answers what it knows and keeps what it is given: every file is
    parsed here. Each call is one step of one :func:`load`; an index that fails answers nothing
    more (the files are then parsed) and never makes the load fail."""

    def snapshot(
        self,
        scanned: FolderListing,
        key: str,
        scanned_ns: int,
        keep_claims: bool,
        newest_ns: int = 0,
    ) -> Dataset | None:
        """The dataset kept for this very listing (the folder as ``scanned``, and ``key``: how
        paths are shown and the archived texts' stats, the newest of their mtimes
        ``newest_ns``), or None. Called first, and only once per load."""
        ...

    def registry(self, found: list[Found]) -> dict[str, FileResult]:
        """The registry files of ``found`` whose rows still describe them, by path."""
        ...

    def claims(
        self, found: list[Found], registry: str, unchanged: Callable[[list[str], str], bool]
    ) -> dict[str, FileResult]:
        """The claim files of ``found`` whose rows still hold for the registry's fingerprint
        ``registry``, by path (their JSON left to :meth:`records`). A row made under another
        registry holds when ``unchanged(refs, refs_fp)``: the sources it names are as they were."""
        ...

    def store(self, results: list[FileResult], registry: str, scanned_ns: int) -> set[str]:
        """Keep what parsing gave; the paths kept (their JSON can be fetched back)."""
        ...

    def records(self, registry: str) -> ClaimJson | None:
        """Where the claims' records fetch their JSON when first read."""
        ...

    def finish(self, dataset: Dataset, registry: str, scanned_ns: int) -> None:
        """Forget the files gone, and keep ``dataset`` as the snapshot of the listing."""
        ...


def load(
    root: Path,
    *,
    index: FolderIndex | None = None,
    progress: Progress | None = None,
    keep_claims: bool = True,
    parallel_min: int = PARALLEL_MIN,
) -> Dataset:
    """The dataset of ``root``: the files ``index`` knows (when one is given) taken from it,
    every other file parsed, and what was parsed handed back to it; a rename cut short is a
    problem of the folder."""
    dataset = _load(root, index, progress, keep_claims, parallel_min)
    pending = pending_rename(root)
    if pending is not None:
        dataset.problems = sorted([*dataset.problems, pending])
    return dataset


def pending_rename(root: Path) -> Problem | None:
    """The error for a rename journal left behind: looked at on every load, never kept in the
    index (the journal is hidden, so the listing the index is keyed by does not show it)."""
    from claimtrack.io.files import JOURNAL_NAME

    path = root / JOURNAL_NAME
    try:
        rename = json.loads(path.read_bytes())["rename"]
        what = f"renaming {str(rename['old'])[:200]} to {str(rename['new'])[:200]}"
    except FileNotFoundError:
        return None
    except (OSError, ValueError, KeyError, TypeError):
        what = "a rename"
    return Problem(
        DisplayPaths(root)(JOURNAL_NAME),
        1,
        1,
        Level.ERROR,
        "rename-unfinished",
        f"{what} was cut short: run the same `claimtrack mv` again (or any write command) to "
        "finish it",
    )


def _load(
    root: Path,
    index: FolderIndex | None,
    progress: Progress | None,
    keep_claims: bool,
    parallel_min: int,
) -> Dataset:
    import time

    with paused_gc():
        scanned_ns = time.time_ns()  # before any stat: what the index compares mtimes with
        scanned = listing(root, stat=index is not None)
        shown = DisplayPaths(root)
        if index is not None:
            from claimtrack.core.clock import today
            from claimtrack.io.archive import archive_stats

            # The snapshot is keyed by the archived texts' stats (they are not read unless it
            # is missed), and by the day: a source dated tomorrow is a warning until then.
            archives_key, archives_newest = archive_stats(root)
            key = f"{shown.prefix}\0{archives_key}\0{today().isoformat()}"
            dataset = index.snapshot(scanned, key, scanned_ns, keep_claims, archives_newest)
            if dataset is not None:
                return dataset  # no row made for any file: the listing's digest was enough
        found = scanned.found()
        del scanned
        # Read once per run: what quotes are checked against, and part of what the index's
        # rows are keyed by.
        archive_files = read_archive_files(root)
        archives_fp = archives_fingerprint(archive_files)
        known = index.registry(found) if index is not None else {}
        registry = [
            known.get(f.rel) or parse_registry(root, f.rel) for f in found if f.kind == REGISTRY
        ]
        fingerprint = registry_fingerprint(registry, archives_fp)
        if index is not None:
            index.store([r for r in registry if r.rel not in known], fingerprint, scanned_ns)
        records, _ = registry_sources(registry, shown)
        sources = {sid: rec.source for sid, rec in records.items()}
        archives = read_archives(root, records, archive_files)
        # Their bytes are not needed again: let go before the workers are forked (each would
        # hold a copy of every archived text as bytes, besides the decoded one).
        del archive_files
        claims = [f for f in found if f.kind == CLAIM]
        kept: dict[str, FileResult] = {}
        if index is not None:
            digests: list[dict[str, str]] = []  # worked out for the first row that needs them

            def unchanged(refs: list[str], refs_fp: str) -> bool:
                if not digests:
                    digests.append(source_digests(sources, archives.digests))
                return refs_fingerprint(refs, digests[0]) == refs_fp

            kept = index.claims(claims, fingerprint, unchanged)
        todo = [f.rel for f in claims if f.rel not in kept]
        in_process = len(todo) < parallel_min
        chunks = parse_claims(
            root,
            todo,
            sources,
            keep=keep_claims and in_process and index is None,
            # JSON is how claims come back from the workers, and what the index keeps.
            record=index is not None or (keep_claims and not in_process),
            progress=progress,
            parallel_min=parallel_min,
            archives=archives,
        )

        def parsed() -> Iterator[FileResult]:
            """The changed files' results, in folder order, each chunk kept as it comes."""
            for chunk in chunks:
                if index is not None:
                    stored = index.store(chunk, fingerprint, scanned_ns)
                    for result in chunk:
                        if result.rel in stored:
                            result.claim_json = None  # kept: fetched back for the claims read
                yield from chunk

        def results() -> Iterator[FileResult]:
            fresh = parsed()
            for f in claims:
                result = kept.pop(f.rel, None)
                if result is None:
                    result = next(fresh)
                    result.rel = f.rel  # the scan's string, held anyway: not a second copy
                yield result

        # Streamed: the dataset is assembled while the workers parse, so a first build of 100k
        # files never holds every file's results at once.
        dataset = assemble(
            root,
            registry,
            results(),
            len(found),
            keep_claims=keep_claims,
            store=index.records(fingerprint) if index is not None else None,
            archives=archives,
        )
        if index is not None:
            index.finish(dataset, fingerprint, scanned_ns)
        return dataset
