"""Parsing files into compact per-file results, in this process or over several."""

from __future__ import annotations

import contextlib
import gc
import os
import sys
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, fields
from pathlib import Path
from typing import TYPE_CHECKING, Any, Protocol

from claimtrack.core.dataset import facets_of
from claimtrack.core.problem import Problem
from claimtrack.io.files import (
    id_line,
    parse_document,
    read_raw,
    validation_problems,
)
from claimtrack.io.scan import CLAIM, REGISTRY, digest, file_digest

if TYPE_CHECKING:
    from claimtrack.core.model import Claim, Source
    from claimtrack.io.archive import Archives


#: Below this many files to parse, one process is quicker than starting workers.
PARALLEL_MIN = 500


#: How many chunks each worker is given ahead of the one being assembled (enough to keep it
#: busy; more would only hold parsed results in memory).
AHEAD = 3


#: Parsing at least this many files shows a progress bar (when stderr is a terminal).
PROGRESS_MIN = 1000


#: A problem without its path (every problem of a file is about that file): line, col, level,
#: rule, message, field.
ProblemRow = tuple[int, int, str, str, str, str]


class Progress(Protocol):
    """Something that shows how far a long run has got (the CLI's is a rich progress bar)."""

    def start(self, description: str, total: int) -> None: ...

    def advance(self, amount: int) -> None: ...

    def stop(self) -> None: ...


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
    quotes: Sequence[ProblemRow] = ()  # the quote checks' problems (rules.quotes)
    quoted: int = 0  # how many of its quotes had an archived text to be checked against
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
    from claimtrack.io.files import load_registry_file

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


def source_digests(
    sources: Mapping[str, Source], archives: Mapping[str, str] | None = None
) -> dict[str, str]:
    """A hash of every source of the registry with its archived text's sha256 (``archives``),
    to tell which ones an edit changed."""
    texts = archives or {}
    return {
        sid: digest(f"{source.model_dump_json()}\0{texts.get(sid, '')}".encode())
        for sid, source in sources.items()
    }


def refs_fingerprint(refs: list[str], digests: Mapping[str, str]) -> str:
    return digest("\n".join(f"{sid} {digests.get(sid, '-')}" for sid in refs).encode())


def parse_claim(
    root: Path,
    rel: str,
    sources: Mapping[str, Source],
    keep: bool,
    record: bool = True,
    digests: Mapping[str, str] | None = None,
    archives: Archives | None = None,
) -> FileResult:
    """One claim file: its problems, its claim as an object with ``keep``, with ``record``
    what the index keeps (the claim as JSON, its status, the hash of the file), and with
    ``archives`` its quotes checked against them."""
    from pydantic import ValidationError

    from claimtrack.core.model import Claim
    from claimtrack.core.status import status_of
    from claimtrack.io import yamlio
    from claimtrack.rules.fields import claim_checks, located
    from claimtrack.rules.folder import facts_of
    from claimtrack.rules.quotes import claim_quotes

    result = FileResult(rel, CLAIM)
    raw = read_raw(os.path.join(root, rel), root, rel)
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
    status = status_of(claim, sources)  # once: the checks compare a written status with it
    result.checks = [_row(p) for p in located(rel, claim_checks(claim, sources, status), locate)]
    result.claim_id = claim.id
    result.line = id_line(text)
    result.facts = facts_of(claim)
    if archives is not None:
        result.quoted, found = claim_quotes(claim, archives)
        if found:
            result.quotes = [_row(p) for p in located(rel, found, locate)]
    # Folder checks and listings ask for it: known here, no claim is built again to say it.
    result.status = status.value
    if record:
        result.claim_json = claim.model_dump_json()
        result.facets = facets_of(claim).to_json()
        result.refs = claim_refs(claim)
        if digests is None:
            digests = source_digests(sources, archives.digests if archives else None)
        result.refs_fp = refs_fingerprint(result.refs, digests)
    if keep:
        result.claim = claim
    return result


# The worker processes' state, set once by their initializer.
_WORKER: dict[str, Any] = {}


def end_with_parent() -> None:
    """In a pool's worker: exit once the process that started it is gone. Workers wait on a
    queue whose other ends they hold themselves, so a parent killed outright (a job's timeout,
    ``kill -9``) would leave them waiting for ever."""
    import threading
    import time

    parent = os.getppid()

    def watch() -> None:
        while os.getppid() == parent:
            time.sleep(0.5)
        os._exit(1)

    threading.Thread(target=watch, name="claimtrack-parent", daemon=True).start()


def _init_worker(
    root: str, sources: dict[str, Source], record: bool, archives: Archives | None
) -> None:
    end_with_parent()
    gc.disable()  # a worker lives for one load; its garbage is freed by reference counting
    # Each worker normalises an archived text once, when a quote is first looked for in it.
    digests = source_digests(sources, archives.digests if archives else None) if record else {}
    _WORKER.update(
        root=Path(root), sources=sources, record=record, digests=digests, archives=archives
    )


def _parse_chunk(rels: list[str]) -> list[tuple[Any, ...]]:
    """A chunk's results as plain tuples: they cross the process boundary several times faster
    than objects (``FileResult(*row)`` rebuilds one)."""
    root, sources, record = _WORKER["root"], _WORKER["sources"], _WORKER["record"]
    digests, archives = _WORKER["digests"], _WORKER["archives"]
    return [
        tuple(getattr(result, name) for name in _RESULT_FIELDS)
        for result in (
            parse_claim(root, rel, sources, False, record, digests, archives) for rel in rels
        )
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


def pool_context() -> Any:
    import multiprocessing

    # fork starts a worker in a millisecond with the models already imported; elsewhere (macOS,
    # Windows) the platform's default is the safe choice.
    if sys.platform.startswith("linux"):
        return multiprocessing.get_context("fork")
    return multiprocessing.get_context()


def forks_all(pool: Any) -> bool:
    """Whether the pool started every worker at its first task, forked from this process (so
    that each already holds what it was started with): what ``ProcessPoolExecutor`` does with
    the fork start method, which cannot start workers later."""
    context, started = getattr(pool, "_mp_context", None), getattr(pool, "_processes", None)
    return bool(
        context is not None
        and context.get_start_method() == "fork"
        and started is not None
        and len(started) == getattr(pool, "_max_workers", -1)
    )


def parse_claims(
    root: Path,
    rels: list[str],
    sources: dict[str, Source],
    *,
    keep: bool,
    record: bool = True,
    progress: Progress | None = None,
    parallel_min: int = PARALLEL_MIN,
    archives: Archives | None = None,
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
            digests = (
                source_digests(sources, archives.digests if archives else None) if record else {}
            )
            step = 100
            for start in range(0, len(rels), step):
                chunk = [
                    parse_claim(root, r, sources, keep, record, digests, archives)
                    for r in rels[start : start + step]
                ]
                if show is not None:
                    show.advance(len(chunk))
                yield chunk
            return
        from collections import deque
        from concurrent.futures import Future, ProcessPoolExecutor

        # Small enough chunks to balance the workers and bound memory, large enough that
        # sending them costs little.
        size = max(25, min(200, len(rels) // (workers * 8) or 1))
        starts = iter(range(0, len(rels), size))
        with ProcessPoolExecutor(
            max_workers=workers,
            mp_context=pool_context(),
            initializer=_init_worker,
            initargs=(str(root), sources, record, archives),
        ) as pool:
            # A few chunks ahead of the one being assembled, never all of them (as pool.map
            # would): results the assembly has not reached yet wait in the workers' queue
            # unparsed, instead of piling up parsed in this process.
            pending: deque[Future[list[tuple[Any, ...]]]] = deque()

            def submit() -> None:
                start = next(starts, None)
                if start is not None:
                    pending.append(pool.submit(_parse_chunk, rels[start : start + size]))

            for _ in range(workers * AHEAD):
                submit()
            if archives is not None and forks_all(pool):
                archives.release()  # every worker has them: this process checks no quote
            try:
                while pending:
                    rows = pending.popleft().result()
                    submit()
                    if show is not None:
                        show.advance(len(rows))
                    yield [FileResult(*row) for row in rows]
            finally:
                for future in pending:  # a load cut short parses nothing more
                    future.cancel()
    finally:
        if show is not None:
            show.stop()
