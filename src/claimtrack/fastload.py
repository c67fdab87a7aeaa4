"""Reading a large claims folder fast: several processes, the collector paused, claims built lazily.

A folder is read in three steps. :func:`scan` lists the YAML files with their ``stat`` (no file is
opened). The files to parse (all of them, or with the index only those that changed) go to
:func:`parse_files`, which spreads them over processes in chunks when there are many; each worker
returns a compact :class:`FileResult` per file: the validated claim as JSON, its id, its derived
status and its problems. Positions (``LINE:COL``) are computed in the worker, and only for files
that have problems. :func:`assemble` then turns results into a :class:`~claimtrack.load.Dataset`
whose records build their pydantic claim from the JSON only when something reads it, and runs the
checks that need the whole folder (duplicate ids, the registry's own references).
"""

from __future__ import annotations

import contextlib
import gc
import hashlib
import json
import os
import sys
from collections.abc import Collection, Iterator, Mapping, Sequence
from dataclasses import dataclass, fields
from operator import itemgetter
from pathlib import Path
from stat import S_ISREG
from typing import TYPE_CHECKING, Any, NamedTuple, Protocol

from pydantic import ValidationError

from claimtrack.load import (
    REGISTRY_DIR,
    REGISTRY_NAMES,
    ClaimRecord,
    Dataset,
    SourceRecord,
    display_path,
    facets_of,
    id_line,
    parse_document,
    read_raw,
    validation_problems,
)
from claimtrack.model import Claim
from claimtrack.problems import Level, Problem
from claimtrack.status import Derivation, derive
from claimtrack.vocab import Status

if TYPE_CHECKING:
    from claimtrack.checks import Locate
    from claimtrack.model import Source

#: Below this many files to parse, one process is quicker than starting workers.
PARALLEL_MIN = 500
#: Parsing at least this many files shows a progress bar (when stderr is a terminal).
PROGRESS_MIN = 1000
CLAIM, REGISTRY = "claim", "registry"

#: A problem without its path (every problem of a file is about that file): line, col, level,
#: rule, message, field.
ProblemRow = tuple[int, int, str, str, str, str]


class Progress(Protocol):
    """Something that shows how far a long run has got (the CLI's is a rich progress bar)."""

    def start(self, description: str, total: int) -> None: ...

    def advance(self, amount: int) -> None: ...

    def stop(self) -> None: ...


class FileStat(NamedTuple):
    """What tells that a file changed without opening it (a tuple: compared with index rows)."""

    size: int
    mtime_ns: int
    ctime_ns: int
    ino: int


class Found(NamedTuple):
    """One YAML file of the folder: its path relative to the root, its kind and its stat (a
    tuple: a warm load makes one per file)."""

    rel: str
    kind: str
    stat: FileStat | None  # None: cannot be stat'ed (a broken link); never cached


@dataclass(slots=True)
class FileResult:
    """Everything one file contributes, small enough to send between processes and to store."""

    rel: str
    kind: str
    sha: str = ""  # sha256 of the bytes ("": could not be read)
    claim_id: str | None = None
    line: int = 1
    claim_json: str | None = None
    status: str | None = None
    # Tuples by default: a warm load makes one of these per file, and empty lists cost.
    problems: Sequence[ProblemRow] = ()
    checks: Sequence[ProblemRow] = ()
    sources: Sequence[tuple[str, int, list[str | int]]] = ()  # (source JSON, line, loc)
    refs: Sequence[str] = ()  # the source ids the claim names
    refs_fp: str = ""  # a hash of those sources as they were when status and checks were made
    facts: str = ""  # the quantity and negation contradictions are judged on (checks.facts_of)
    facets: str = ""  # what stats counts, as JSON (load.Facets)
    claim: Any = None  # the Claim itself, only when parsed in this process


_RESULT_FIELDS = tuple(f.name for f in fields(FileResult) if f.name != "claim")


@contextlib.contextmanager
def paused_gc() -> Iterator[None]:
    """Pause the cyclic garbage collector during a bulk load (it nearly doubles the time)."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


def _registry_rel(rel: str) -> bool:
    """:func:`claimtrack.load._is_registry` on a ``/``-separated relative path, without Path."""
    head, _, tail = rel.partition("/")
    return rel in REGISTRY_NAMES if not tail else head == REGISTRY_DIR and "/" not in tail


def scan(root: Path, stat: bool = True) -> list[Found]:
    """Every YAML file under ``root`` in the order of :func:`claimtrack.load.iter_yaml_files`
    (path part by part), with their ``stat`` (only the index needs it)."""
    from claimtrack.errors import EnvironmentProblem

    found: list[Found] = []
    regular, new_tuple = S_ISREG, tuple.__new__  # NamedTuples made without a Python call
    nested = False
    stack = [("", str(root))]
    while stack:
        prefix, folder = stack.pop()
        try:
            listing = os.scandir(folder)
        except OSError as exc:
            if not prefix:  # the claims folder itself
                raise EnvironmentProblem(
                    f"cannot read claims folder {display_path(root)}: {exc.strerror}"
                ) from None
            continue
        # Registry files are `sources.yaml` at the top and every file right inside `sources/`.
        all_registry = prefix == REGISTRY_DIR + "/"
        named_registry = REGISTRY_NAMES if not prefix else ()
        with listing:  # entries are used as they come: 100k of them held would cost 40 MB
            for entry in listing:
                name = entry.name
                if name.startswith("."):
                    continue
                try:
                    is_dir = entry.is_dir()
                except OSError:
                    is_dir = False
                if is_dir:
                    if not entry.is_symlink():
                        stack.append((prefix + name + "/", entry.path))
                        nested = True
                    continue
                if not name.endswith((".yaml", ".yml")):
                    continue
                info: FileStat | None = None
                if stat:
                    try:
                        got = entry.stat(follow_symlinks=False)
                        # Only plain files are cached: a FIFO would block the hash that checks
                        # a racy row, and a link's target can change without the link changing.
                        if regular(got.st_mode):
                            info = new_tuple(
                                FileStat,
                                (got.st_size, got.st_mtime_ns, got.st_ctime_ns, got.st_ino),
                            )
                    except OSError:
                        pass
                kind = REGISTRY if all_registry or name in named_registry else CLAIM
                found.append(new_tuple(Found, (prefix + name, kind, info)))
    # One folder: by name (sorting plain strings is several times quicker than tuples).
    found.sort(key=_sort_key if nested else itemgetter(0))
    return found


def _sort_key(found: Found) -> tuple[str, ...]:
    return tuple(found.rel.split("/"))  # the order of ``sorted(Path, ...)``: part by part


def digest(raw: bytes) -> str:
    return hashlib.blake2b(raw, digest_size=16).hexdigest()


def file_digest(raw: bytes) -> str:
    """The sha256 of a file's bytes: what the index compares, and what reports cite."""
    return hashlib.sha256(raw).hexdigest()


def _row(problem: Problem) -> ProblemRow:
    return (
        problem.line,
        problem.col,
        problem.level.value,
        problem.rule,
        problem.message,
        problem.field,
    )


def parse_registry(root: Path, rel: str) -> FileResult:
    """One registry file: its sources as JSON with their lines, and its problems."""
    from claimtrack.load import load_registry_file

    path = root / rel
    result = FileResult(rel, REGISTRY)
    with contextlib.suppress(OSError):
        result.sha = file_digest(path.read_bytes())
    records, problems = load_registry_file(path, root)
    result.sources = [(r.source.model_dump_json(), r.line, list(r.loc)) for r in records]
    result.problems = [_row(p) for p in problems]
    return result


def claim_refs(claim: Claim) -> list[str]:
    """The source ids a claim's status and checks depend on."""
    named = {claim.appears_in, *(item.source for item in claim.evidence)}
    named.update(party.source for party in claim.disputed_by if party.source is not None)
    return sorted(named)


def source_digests(sources: Mapping[str, Source]) -> dict[str, str]:
    """A hash of every source of the registry, to tell which ones an edit changed."""
    return {sid: digest(source.model_dump_json().encode()) for sid, source in sources.items()}


def refs_fingerprint(refs: list[str], digests: Mapping[str, str]) -> str:
    return digest("\n".join(f"{sid} {digests.get(sid, '-')}" for sid in refs).encode())


def parse_claim(
    root: Path,
    rel: str,
    sources: Mapping[str, Source],
    keep: bool,
    record: bool = True,
    digests: Mapping[str, str] | None = None,
) -> FileResult:
    """One claim file: its problems, its claim as an object with ``keep``, and with ``record``
    what the index keeps (the claim as JSON, its status, the hash of the file)."""
    from claimtrack import yamlio
    from claimtrack.checks import claim_checks, facts_of, located

    path = root / rel
    result = FileResult(rel, CLAIM)
    raw = read_raw(path, root, rel)
    if isinstance(raw, Problem):
        result.problems = [_row(raw)]
        return result
    result.sha = file_digest(raw)
    try:
        text = yamlio.decode(raw)
    except yamlio.YamlProblem as problem:
        result.problems = [(problem.line, problem.col, "error", problem.rule, problem.message, "")]
        return result
    data = parse_document(text, rel)
    if isinstance(data, Problem):
        result.problems = [_row(data)]
        return result
    try:
        claim = Claim.model_validate(data)
    except ValidationError as exc:
        result.problems = [_row(p) for p in validation_problems(exc, Claim, text, rel)]
        return result

    tree: list[Any] = []

    def locate(loc: tuple[str | int, ...]) -> tuple[int, int]:
        if not tree:  # composed once, and only for a file that has something to point at
            tree.append(yamlio.compose_text(text))
        where = yamlio.locate(tree[0], loc)
        return where.line, where.col

    stem = rel.rsplit("/", 1)[-1].rsplit(".", 1)[0]
    if claim.id != stem:
        line, col = locate(("id",))
        message = f"id {claim.id!r} differs from the file name {stem!r}; rename one"
        result.problems = [(line, col, "error", "id-stem", message, "id")]
    result.checks = [_row(p) for p in located(rel, claim_checks(claim, sources), locate)]
    result.claim_id = claim.id
    result.line = id_line(text)
    result.facts = facts_of(claim)
    if record:
        result.status = derive(claim, sources).status.value
        result.claim_json = claim.model_dump_json()
        result.facets = facets_of(claim).to_json()
        result.refs = claim_refs(claim)
        result.refs_fp = refs_fingerprint(result.refs, digests or source_digests(sources))
    if keep:
        result.claim = claim
    return result


# The worker processes' state, set once by their initializer.
_WORKER: dict[str, Any] = {}


def _init_worker(root: str, sources: dict[str, Source], record: bool) -> None:
    gc.disable()  # a worker lives for one load; its garbage is freed by reference counting
    digests = source_digests(sources) if record else {}
    _WORKER.update(root=Path(root), sources=sources, record=record, digests=digests)


def _parse_chunk(rels: list[str]) -> list[tuple[Any, ...]]:
    """A chunk's results as plain tuples: they cross the process boundary several times faster
    than objects (``FileResult(*row)`` rebuilds one)."""
    root, sources, record = _WORKER["root"], _WORKER["sources"], _WORKER["record"]
    digests = _WORKER["digests"]
    return [
        tuple(getattr(result, name) for name in _RESULT_FIELDS)
        for result in (parse_claim(root, rel, sources, False, record, digests) for rel in rels)
    ]


def jobs() -> int:
    """How many processes to parse with: ``CLAIMTRACK_JOBS``, else the usable cores."""
    wanted = os.environ.get("CLAIMTRACK_JOBS", "").strip()
    if wanted.isdigit() and int(wanted) > 0:
        return int(wanted)
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        return os.cpu_count() or 1


def _pool_context() -> Any:
    import multiprocessing

    # fork starts a worker in a millisecond with the models already imported; elsewhere (macOS,
    # Windows) the platform's default is the safe choice.
    if sys.platform.startswith("linux"):
        return multiprocessing.get_context("fork")
    return multiprocessing.get_context()


def parse_claims(
    root: Path,
    rels: list[str],
    sources: dict[str, Source],
    *,
    keep: bool,
    record: bool = True,
    progress: Progress | None = None,
    parallel_min: int = PARALLEL_MIN,
) -> Iterator[list[FileResult]]:
    """Parse claim files, yielding results chunk by chunk in the order of ``rels``.

    Many files go to a pool of processes; few (under ``parallel_min``) are parsed here, where
    starting processes would cost more than it saves.
    """
    show = progress if progress is not None and len(rels) >= PROGRESS_MIN else None
    if show is not None:
        show.start("reading claims", len(rels))
    try:
        workers = min(jobs(), max(1, len(rels) // 50))
        if len(rels) < parallel_min or workers < 2:
            digests = source_digests(sources) if record else {}
            step = 100
            for start in range(0, len(rels), step):
                chunk = [
                    parse_claim(root, r, sources, keep, record, digests)
                    for r in rels[start : start + step]
                ]
                if show is not None:
                    show.advance(len(chunk))
                yield chunk
            return
        from concurrent.futures import ProcessPoolExecutor

        # Small enough chunks to balance the workers and bound memory, large enough that
        # sending them costs little.
        size = max(25, min(200, len(rels) // (workers * 8) or 1))
        chunks = [rels[i : i + size] for i in range(0, len(rels), size)]
        with ProcessPoolExecutor(
            max_workers=workers,
            mp_context=_pool_context(),
            initializer=_init_worker,
            initargs=(str(root), sources, record),
        ) as pool:
            for rows in pool.map(_parse_chunk, chunks):
                if show is not None:
                    show.advance(len(rows))
                yield [FileResult(*row) for row in rows]
    finally:
        if show is not None:
            show.stop()


class LazyDerivation(Derivation):
    """A derivation whose status is known (from the index) and whose reasons are worked out
    from the claim only when asked for."""

    _record: ClaimRecord
    _sources: Mapping[str, Source]
    _derived: Derivation | None = None

    # Plain attributes (as CachedClaimRecord's): 100k of these are made to list a folder.
    __setattr__ = object.__setattr__

    def __init__(
        self,
        status: Status,
        record: ClaimRecord,
        sources: Mapping[str, Source],
        contradicted_by: tuple[str, ...] = (),
    ) -> None:
        self.status = status  # type: ignore[misc]  # read-only to others; see __setattr__
        self._record = record
        self._sources = sources
        if contradicted_by:
            self._against = contradicted_by

    _against: tuple[str, ...] = ()

    def _full(self) -> Derivation:
        full = self._derived
        if full is None:
            full = self._derived = derive(self._record.claim, self._sources, self._against)
        return full

    def release(self) -> None:
        """Let go of the reasons (they hold parts of the claim); worked out again if asked."""
        self._derived = None

    def __eq__(self, other: object) -> bool:
        if isinstance(other, Derivation):
            return (self.status, self.reasons, self.items, self.weak, self.lines) == (
                other.status,
                other.reasons,
                other.items,
                other.weak,
                other.lines,
            )
        return NotImplemented

    __hash__ = Derivation.__hash__

    @property
    def reasons(self) -> tuple[str, ...]:
        return self._full().reasons

    @property
    def items(self) -> tuple[Any, ...]:
        return self._full().items

    @property
    def weak(self) -> bool:
        return self._full().weak

    @property
    def lines(self) -> tuple[tuple[str, ...], ...]:
        return self._full().lines

    @property
    def contradicted_by(self) -> tuple[str, ...]:
        return self._against  # as status.derive has it: sorted


class ClaimJson(Protocol):
    """Where a record fetches its claim's JSON when first read (the index)."""

    def claim_json(self, rel: str, sha: str) -> str | None:
        """The claim of file ``rel`` as it was when its bytes had this sha256, if kept."""

    def kept_record(self, rel: str, sha: str, against: Sequence[str]) -> str | None:
        """The claim of file ``rel`` (with bytes of this sha256, contradicted by the claims
        ``against``) as a JSON record (``list``), if kept."""

    def keep_record(self, rel: str, sha: str, against: Sequence[str], text: str) -> None:
        """Keep a claim's JSON record for the next time (written by :meth:`flush`)."""

    def flush(self) -> None:
        """Write what :meth:`keep_record` was given."""


class CachedClaimRecord(ClaimRecord):
    """A claim record that builds its pydantic claim from JSON the first time it is read.

    A folder of 100k claims is listed by status without building 100k models (or holding their
    JSON: it is fetched from the index for the claims read); the JSON is validated again when
    the model is built, and if it no longer validates (a damaged index) the claim is read again
    from its file: the index is never trusted over the files.
    """

    _id: str
    _status: str | None
    _root: Path
    _rel: str
    # What most records leave at the default (no instance attribute: 100k records stay small).
    _json: str | None = None
    _claim: Claim | None = None
    _facets: str = ""
    _store: ClaimJson | None = None
    _sha: str = ""

    # Set like any object's attributes (not frozen), so that 100k records share their dicts'
    # keys: a third of the memory, and quicker to make. Nothing sets them after __init__ but
    # the lazy parts below.
    __setattr__ = object.__setattr__

    def __init__(
        self,
        path: str,
        line: int,
        claim_id: str,
        claim_json: str | None,
        status: str | None,
        root: Path,
        rel: str,
        claim: Claim | None = None,
        facets: str = "",
        store: ClaimJson | None = None,
        sha: str = "",
    ) -> None:
        self.path = path  # type: ignore[misc]  # read-only to others; see __setattr__
        self.line = line  # type: ignore[misc]
        self._id = claim_id
        self._status = status
        self._root = root
        self._rel = rel
        if claim_json is not None:
            self._json = claim_json
        if claim is not None:
            self._claim = claim
        if facets:
            self._facets = facets
        if store is not None:
            self._store = store
        if sha:
            self._sha = sha

    @property
    def claim(self) -> Claim:
        claim = self._claim
        if claim is None:
            claim = self._claim = self._build()
        return claim

    def _build(self) -> Claim:
        if self._json is None and self._store is not None and self._sha:
            self._json = self._store.claim_json(self._rel, self._sha)
        if self._json is not None:
            try:
                claim = Claim.model_validate_json(self._json)
                self._json = None  # held once, as the model
                return claim
            except ValidationError:
                from claimtrack import index

                index.discard_for(self._root)
        from claimtrack.errors import DataError
        from claimtrack.load import load_claim_file

        record, _ = load_claim_file(self._root / self._rel, self._root)
        if record is None:
            raise DataError(f"{self.path} changed while it was being read; run the command again")
        return record.claim

    @property
    def id(self) -> str:
        return self._id

    @property
    def kept_facets(self) -> str:
        return self._facets

    @property
    def known_status(self) -> str | None:
        return self._status

    def kept_record(self, against: Sequence[str]) -> str | None:
        """This claim, contradicted by ``against``, as ``list --format json`` writes it, if
        the index kept it."""
        if self._store is None:
            return None
        return self._store.kept_record(self._rel, self._sha, against)

    def keep_record(self, against: Sequence[str], text: str) -> ClaimJson | None:
        """Keep this claim's record for the next time; the store to flush, if any."""
        if self._store is None:
            return None
        self._store.keep_record(self._rel, self._sha, against, text)
        return self._store

    def release(self) -> None:
        if self._store is not None and self._sha:  # its JSON can be fetched again
            self._claim = None

    def __eq__(self, other: object) -> bool:
        if isinstance(other, ClaimRecord):  # equal to a plain record of the same claim
            return (self.path, self.line, self.claim) == (other.path, other.line, other.claim)
        return NotImplemented

    __hash__ = ClaimRecord.__hash__

    def derivation(
        self, sources: Mapping[str, Source], contradicted_by: Collection[str] = ()
    ) -> Derivation:
        if self._status is None:
            return derive(self.claim, sources, contradicted_by)
        status: Status = Status._value2member_map_[self._status]  # type: ignore[assignment]
        if contradicted_by and status is not Status.REFUTED:
            # What contradicts a claim makes it contested, unless its evidence refutes it
            # (status.derive): known without building the claim.
            status = Status.CONTESTED
        return LazyDerivation(status, self, sources, tuple(sorted(contradicted_by)))


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
    from claimtrack.checks import Locator, duplicate_sources
    from claimtrack.model import Source

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
) -> Dataset:
    """The dataset from per-file results (in folder order), with the folder-wide checks, and
    every file's sha256 (``Dataset.digests``)."""
    from claimtrack.checks import Locator, duplicate_ids, folder_checks, registry_checks

    locate = Locator()
    shown = DisplayPaths(root)
    dataset = Dataset(root=root, files=files)
    digests = {r.rel: r.sha for r in registry_results}
    dataset.sources, dataset.problems = registry_sources(registry_results, shown, locate)
    for result in registry_results:
        dataset.problems += _problems(shown(result.rel), result.problems)
    checks: dict[str, Sequence[ProblemRow]] = {}
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
                result.status,
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
    dataset.problems += registry_checks(dataset.sources, locate)
    dataset.problems.sort()
    dataset.digests = digests
    return dataset


def registry_fingerprint(results: list[FileResult]) -> str:
    """What the derived statuses and checks of every claim depend on besides the claim."""
    return digest(json.dumps([(r.rel, r.sha) for r in results]).encode())


def load(
    root: Path,
    *,
    cache: bool,
    progress: Progress | None = None,
    keep_claims: bool = True,
    parallel_min: int = PARALLEL_MIN,
) -> Dataset:
    """The dataset of ``root``: through the index when ``cache`` (and it can be used)."""
    import time

    with paused_gc():
        scanned_ns = time.time_ns()  # before any stat: what the index compares mtimes with
        found = scan(root, stat=cache)
        if cache:
            from claimtrack import index

            dataset = index.load(
                root,
                found,
                scanned_ns,
                progress=progress,
                keep_claims=keep_claims,
                parallel_min=parallel_min,
            )
            if dataset is not None:
                return dataset
        registry = [parse_registry(root, f.rel) for f in found if f.kind == REGISTRY]
        sources, _ = registry_sources(registry, DisplayPaths(root))
        plain = {sid: rec.source for sid, rec in sources.items()}
        rels = [f.rel for f in found if f.kind == CLAIM]
        in_process = len(rels) < parallel_min
        chunks = parse_claims(
            root,
            rels,
            plain,
            keep=keep_claims and in_process,
            # Without the index, JSON is only how claims come back from the workers.
            record=keep_claims and not in_process,
            progress=progress,
            parallel_min=parallel_min,
        )
        results = (result for chunk in chunks for result in chunk)
        return assemble(root, registry, results, len(found), keep_claims=keep_claims)
