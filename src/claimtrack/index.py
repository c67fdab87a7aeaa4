"""The on-disk index that makes warm commands fast: one SQLite file per claims folder, outside it.

Each YAML file of the folder has a row keyed by its path, holding what parsing it gave: the
validated claim as JSON, its id and line, its derived status, its problems with positions, and the
``stat`` it had (size, mtime_ns, ctime_ns, inode) plus a hash of its bytes. A command only parses
the files whose ``stat`` differs from their row, so a warm ``list`` on 10k claims reads one table
instead of 10k YAML files.

The files always win over the index:

* a row is used only while the file's size, mtime, ctime and inode are unchanged, and when the
  mtime is too close to the time the row was written to prove anything (a file rewritten within
  the same clock tick, "racy" in git's words), the file is read and its hash compared;
* a claim's status and checks depend on the sources it names, so every claim row keeps those
  ids with a hash of the sources as they were; after an edit of the registry, only the claims
  naming a source that changed (or appeared, or went) are parsed again;
* a schema or claimtrack version mismatch rebuilds the index; a damaged file is deleted and
  rebuilt; a claim whose stored JSON no longer validates is read from its file;
* two processes may build the index at once: SQLite's WAL journal and short write transactions
  keep it consistent (both write the same rows), and a lock held too long just means that one
  run goes without the index.

Besides the rows, a *snapshot* keeps the assembled dataset keyed by a hash of the whole listing
(see :func:`listing_of`): an unchanged folder is then answered without looking at the rows, its
claims read only as far as a command needs them (:class:`SnapshotRows`). What is worked out from
it is kept with it (:class:`SnapshotMemo`: ``stats``' figures, the last rendered reports), and
each claim's JSON record is kept by what it depends on (:class:`ClaimStore`).

The index lives in ``$CLAIMTRACK_CACHE_DIR`` if set, else the user cache folder
(``$XDG_CACHE_HOME/claimtrack``, by default ``~/.cache/claimtrack`` on Linux).
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import sqlite3
import time
import zlib
from array import array
from collections.abc import Callable, Collection, Iterator, Sequence
from itertools import chain
from pathlib import Path
from typing import TYPE_CHECKING, Any, NamedTuple

from claimtrack import __version__
from claimtrack.fastload import (
    CLAIM,
    PARALLEL_MIN,
    REGISTRY,
    DisplayPaths,
    FileResult,
    FileStat,
    Found,
    Progress,
    assemble,
    digest,
    file_digest,
    parse_claim,
    parse_claims,
    parse_registry,
    refs_fingerprint,
    registry_fingerprint,
    registry_sources,
    source_digests,
)
from claimtrack.vocab import Status

if TYPE_CHECKING:
    from claimtrack.load import ClaimRecord, Dataset

#: Bumped whenever the tables or the meaning of a column change.
SCHEMA_VERSION = 11
#: The stored results are those of this claimtrack; another version rebuilds the index.
FORMAT = f"{SCHEMA_VERSION}/{__version__}"
#: The statuses a snapshot's claim may have.
_STATUSES = frozenset(status.value for status in Status)
#: A file modified this close to when its row was written may have changed unseen in one tick.
RACY_NS = 2_000_000_000

_SCHEMA = """
CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE files (
    rel TEXT PRIMARY KEY,
    kind TEXT NOT NULL,
    size INTEGER NOT NULL,
    mtime_ns INTEGER NOT NULL,
    ctime_ns INTEGER NOT NULL,
    ino INTEGER NOT NULL,
    sha TEXT NOT NULL,
    indexed_ns INTEGER NOT NULL,
    registry TEXT NOT NULL,
    refs TEXT NOT NULL,
    refs_fp TEXT NOT NULL,
    claim_id TEXT,
    line INTEGER NOT NULL,
    status TEXT,
    claim_json TEXT,
    problems TEXT NOT NULL,
    checks TEXT NOT NULL,
    sources TEXT NOT NULL,
    facts TEXT NOT NULL,
    facets TEXT NOT NULL
);
CREATE INDEX files_by_kind ON files (kind);
CREATE TABLE snapshot (
    one INTEGER PRIMARY KEY CHECK (one = 1),
    listing TEXT NOT NULL,
    scanned_ns INTEGER NOT NULL,
    body TEXT NOT NULL,
    digests TEXT NOT NULL,
    memo TEXT NOT NULL
);
CREATE TABLE snapshot_claims (
    pos INTEGER PRIMARY KEY,
    rel TEXT NOT NULL,
    line INTEGER NOT NULL,
    claim_id TEXT NOT NULL,
    status TEXT NOT NULL,
    facets TEXT NOT NULL,
    sha TEXT NOT NULL
);
CREATE TABLE records (
    rel TEXT PRIMARY KEY,
    sha TEXT NOT NULL,
    context TEXT NOT NULL,
    record TEXT NOT NULL,
    crc INTEGER NOT NULL
);
CREATE TABLE snapshot_outputs (
    key TEXT PRIMARY KEY,
    used_ns INTEGER NOT NULL,
    meta TEXT NOT NULL,
    body BLOB NOT NULL
);
"""
#: The tables that belong to the snapshot: emptied whenever it is written again or dropped.
_SNAPSHOT_TABLES = ("snapshot", "snapshot_claims", "snapshot_outputs")
#: Bound values per statement, within the 999 SQLite allowed before 3.32 (past it, rows are
#: read whole and filtered here).
MAX_PARAMETERS = 900
#: How many rendered outputs (reports) a snapshot keeps, the least recently made going first.
KEPT_OUTPUTS = 4


def cache_dir() -> Path:
    """Where indexes live: ``$CLAIMTRACK_CACHE_DIR``, else the user's cache folder."""
    explicit = os.environ.get("CLAIMTRACK_CACHE_DIR")
    if explicit:
        return Path(explicit)
    from platformdirs import user_cache_dir

    return Path(user_cache_dir("claimtrack", appauthor=False))


def index_file(root: Path) -> Path:
    """The index of one claims folder, named by a hash of its real path."""
    real = os.path.realpath(root).encode("utf-8", "surrogateescape")
    return cache_dir() / f"index-{hashlib.sha256(real).hexdigest()[:24]}.sqlite3"


def _remove(path: Path) -> None:
    for suffix in ("", "-wal", "-shm"):
        with contextlib.suppress(OSError):
            os.unlink(f"{path}{suffix}")


def discard_for(root: Path) -> None:
    """Forget the index of ``root`` (it held something that did not validate)."""
    _remove(index_file(root))


def _busy(exc: sqlite3.Error) -> bool:
    text = str(exc).lower()
    return "locked" in text or "busy" in text or "unable to open" in text or "readonly" in text


def _connect(path: Path) -> sqlite3.Connection:
    con = sqlite3.connect(path, timeout=30, isolation_level=None)
    con.execute("PRAGMA journal_mode=WAL")
    con.execute("PRAGMA synchronous=NORMAL")
    return con


@contextlib.contextmanager
def _writing(path: Path) -> Iterator[sqlite3.Connection]:
    """One short write transaction on a connection of its own, closed at once (what a read
    command keeps in the index is written so, and let go)."""
    con = _connect(path)
    try:
        con.execute("BEGIN IMMEDIATE")
        try:
            yield con
            con.execute("COMMIT")
        except BaseException:
            con.execute("ROLLBACK")
            raise
    finally:
        con.close()


def _meta(con: sqlite3.Connection) -> dict[str, str]:
    try:
        return dict(con.execute("SELECT key, value FROM meta").fetchall())
    except sqlite3.OperationalError as exc:
        if "no such table" in str(exc):
            return {}
        raise


def _prepare(con: sqlite3.Connection, root: Path) -> None:
    """Make sure the tables are those of this version, rebuilding them (atomically) if not."""
    real = os.path.realpath(root)

    def current() -> bool:
        version = con.execute("PRAGMA user_version").fetchone()[0]
        meta = _meta(con)
        return bool(
            version == SCHEMA_VERSION and meta.get("format") == FORMAT and meta.get("root") == real
        )

    if current():
        return
    con.execute("BEGIN IMMEDIATE")
    try:
        if not current():  # another process may have rebuilt it while we waited for the lock
            tables = con.execute("SELECT name FROM sqlite_master WHERE type = 'table'")
            for (table,) in tables.fetchall():
                if not table.startswith("sqlite_"):  # SQLite's own
                    quoted = table.replace('"', '""')
                    con.execute(f'DROP TABLE IF EXISTS "{quoted}"')
            for statement in _SCHEMA.split(";"):
                if statement.strip():
                    con.execute(statement)
            con.executemany("INSERT INTO meta VALUES (?, ?)", [("format", FORMAT), ("root", real)])
            con.execute(f"PRAGMA user_version = {SCHEMA_VERSION}")
        con.execute("COMMIT")
    except BaseException:
        con.execute("ROLLBACK")
        raise


def open_index(root: Path) -> sqlite3.Connection | None:
    """The index of ``root``, ready to use; None when it cannot be used (then go without)."""
    path = index_file(root)
    try:
        path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    except OSError:
        return None
    for _attempt in range(2):
        con: sqlite3.Connection | None = None
        try:
            con = _connect(path)
            _prepare(con, root)
            return con
        except sqlite3.Error as exc:
            if con is not None:
                con.close()
            if _busy(exc):
                return None
            _remove(path)  # not a database, or a damaged one: start again
    return None


def fresh_registry(root: Path, rels: list[str]) -> list[FileResult] | None:
    """The stored results of the registry files ``rels`` (in that order) while every one of
    them is fresh by the rules above; None otherwise, or when there is no usable index.

    For the write side, which needs the registry but not the claims: it only reads the index
    (opened read-only, never created or repaired) and falls back to parsing on any doubt."""
    from stat import S_ISREG

    path = index_file(root)
    found = []
    for rel in rels:
        try:
            info = os.lstat(root / rel)
        except OSError:
            return None
        if not S_ISREG(info.st_mode):
            return None
        stat = FileStat(info.st_size, info.st_mtime_ns, info.st_ctime_ns, info.st_ino)
        found.append(Found(rel, REGISTRY, stat))
    if not found or not path.is_file():
        return None
    try:
        con = sqlite3.connect(path.as_uri() + "?mode=ro", uri=True, timeout=1)
    except sqlite3.Error:
        return None
    try:
        version = con.execute("PRAGMA user_version").fetchone()[0]
        meta = _meta(con)
        if (
            version != SCHEMA_VERSION
            or meta.get("format") != FORMAT
            or meta.get("root") != os.path.realpath(root)
        ):
            return None
        results = []
        for f in found:
            row = con.execute(
                "SELECT rel, kind, size, mtime_ns, ctime_ns, ino, sha, indexed_ns, sources, "
                "problems FROM files WHERE rel = ?",
                (f.rel,),
            ).fetchone()
            if not _fresh_file(root, row, f, [], lambda rel: None):
                return None
            results.append(
                FileResult(
                    f.rel,
                    REGISTRY,
                    sha=row[6],
                    sources=json.loads(row[8]),
                    problems=json.loads(row[9]),
                )
            )
        return results
    except (sqlite3.Error, ValueError, TypeError):
        return None
    finally:
        con.close()


def _rows(
    results: list[FileResult], stats: dict[str, FileStat | None], indexed_ns: int, registry: str
) -> list[tuple[Any, ...]]:
    rows = []
    for r in results:
        stat = stats.get(r.rel)
        if stat is None:
            continue  # cannot be told apart from a later change: never cached
        rows.append(
            (
                r.rel,
                r.kind,
                stat.size,
                stat.mtime_ns,
                stat.ctime_ns,
                stat.ino,
                r.sha,
                indexed_ns,
                registry if r.kind == CLAIM else "",
                json.dumps(r.refs),
                r.refs_fp,
                r.claim_id,
                r.line,
                r.status,
                r.claim_json,
                json.dumps(r.problems),
                json.dumps(r.checks),
                json.dumps(r.sources),
                r.facts,
                r.facets,
            )
        )
    return rows


def _write(con: sqlite3.Connection, rows: list[tuple[Any, ...]]) -> None:
    if not rows:
        return
    con.execute("BEGIN IMMEDIATE")
    try:
        con.executemany(f"INSERT OR REPLACE INTO files VALUES ({', '.join('?' * 20)})", rows)
        con.execute("COMMIT")
    except BaseException:
        con.execute("ROLLBACK")
        raise


def load(
    root: Path,
    found: list[Found],
    scanned_ns: int,
    *,
    progress: Progress | None = None,
    keep_claims: bool = True,
    parallel_min: int = PARALLEL_MIN,
) -> Dataset | None:
    """The dataset through the index, parsing only changed files; None when the index can't be
    used (the caller then reads every file)."""
    con = open_index(root)
    if con is None:
        return None
    try:
        listing = listing_of(found, DisplayPaths(root).prefix)
        if listing is not None:
            dataset = _from_snapshot(con, root, listing, keep_claims)
            if dataset is not None:
                return dataset
        dataset, registry = _load(con, root, found, scanned_ns, progress, keep_claims, parallel_min)
        # A snapshot of a folder changed within a tick of this scan could not be believed: the
        # next command would read the rows anyway, so it is written once the folder settles.
        if (
            listing is not None
            and listing.newest_ns + RACY_NS <= scanned_ns
            and _save_snapshot(con, dataset, listing.digest, scanned_ns, registry)
        ):
            dataset.memo = SnapshotMemo(root, listing.digest, {})
        return dataset
    except sqlite3.Error as exc:
        if not _busy(exc):
            discard_for(root)
        return None
    finally:
        con.close()


def _load(
    con: sqlite3.Connection,
    root: Path,
    found: list[Found],
    scanned_ns: int,
    progress: Progress | None,
    keep_claims: bool,
    parallel_min: int,
) -> tuple[Dataset, str]:
    """The dataset from the rows, parsing only changed files; and the registry's fingerprint."""
    stats = {f.rel: f.stat for f in found}
    settle: list[str] = []

    def sha_of(rel: str) -> str | None:
        row = con.execute("SELECT sha FROM files WHERE rel = ?", (rel,)).fetchone()
        return row[0] if row else None

    # Registry files first: the claims' rows are then read knowing the registry's fingerprint.
    # Row layout: rel, kind, size, mtime_ns, ctime_ns, ino, sha, indexed_ns, then per kind.
    known_registry = {
        row[0]: row
        for row in con.execute(
            "SELECT rel, kind, size, mtime_ns, ctime_ns, ino, sha, indexed_ns FROM files "
            "WHERE kind = ?",
            (REGISTRY,),
        )
    }
    registry: list[FileResult] = []
    stale: list[FileResult] = []
    for f in found:
        if f.kind != REGISTRY:
            continue
        if _fresh_file(root, known_registry.get(f.rel), f, settle, sha_of):
            sha, sources, problems = con.execute(
                "SELECT sha, sources, problems FROM files WHERE rel = ?", (f.rel,)
            ).fetchone()
            registry.append(
                FileResult(
                    f.rel,
                    REGISTRY,
                    sha=sha,
                    sources=json.loads(sources),
                    problems=json.loads(problems),
                )
            )
        else:
            result = parse_registry(root, f.rel)
            registry.append(result)
            stale.append(result)
    fingerprint = registry_fingerprint(registry)
    _write(con, _rows(stale, stats, scanned_ns, fingerprint))
    records, _ = registry_sources(registry, DisplayPaths(root))
    sources = {sid: rec.source for sid, rec in records.items()}

    # One read of every claim row, with only what a fresh row contributes (source references
    # are fetched for the few rows that need them, a claim's JSON when it is read): memory
    # stays small at 100k.
    known: dict[str, tuple[Any, ...]] = {
        row[0]: row
        for row in con.execute(
            "SELECT rel, kind, size, mtime_ns, ctime_ns, ino, sha, indexed_ns, registry = ?, "
            "claim_id, line, status, NULL, NULLIF(problems, '[]'), NULLIF(checks, '[]'), "
            "NULLIF(facts, ''), facets "
            "FROM files WHERE kind = ?",
            (fingerprint, CLAIM),
        )
    }
    claims = [f for f in found if f.kind == CLAIM]
    # After a registry edit, a claim is read again only if a source it names has changed.
    digests: dict[str, str] | None = None
    todo: list[str] = []
    retag: list[tuple[str, str]] = []
    for f in claims:
        row = known.get(f.rel)
        if not _fresh_file(root, row, f, settle, sha_of):
            todo.append(f.rel)
        elif not row[8]:  # type: ignore[index]
            if digests is None:
                digests = source_digests(sources)
            named, named_fp = con.execute(
                "SELECT refs, refs_fp FROM files WHERE rel = ?", (f.rel,)
            ).fetchone()
            if refs_fingerprint(json.loads(named), digests) == named_fp:
                retag.append((fingerprint, f.rel))
            else:
                todo.append(f.rel)
    known.update(known_registry)
    gone = [(rel,) for rel in known if rel not in stats]
    if gone or settle or retag:
        con.execute("BEGIN IMMEDIATE")
        con.executemany("DELETE FROM files WHERE rel = ?", gone)
        con.executemany("DELETE FROM records WHERE rel = ?", gone)
        con.executemany("UPDATE files SET registry = ? WHERE rel = ?", retag)
        con.executemany(
            "UPDATE files SET indexed_ns = ? WHERE rel = ? AND mtime_ns + ? <= ?",
            [(scanned_ns, rel, RACY_NS, scanned_ns) for rel in settle],
        )
        con.execute("COMMIT")

    def parsed() -> Iterator[FileResult]:
        """The changed files' results, in folder order, each chunk stored as it comes."""
        for chunk in parse_claims(
            root, todo, sources, keep=False, progress=progress, parallel_min=parallel_min
        ):
            _write(con, _rows(chunk, stats, scanned_ns, fingerprint))
            for result in chunk:
                result.claim_json = None  # stored: fetched back for the claims read
                yield result

    # Streamed: the dataset is assembled while the workers parse, so a first build of 100k
    # files never holds every file's results at once.
    changed, fresh = set(todo), parsed()

    def results() -> Iterator[FileResult]:
        for f in claims:
            if f.rel in changed:
                yield next(fresh)
                continue
            row = known.pop(f.rel, None)
            if row is None:  # not cacheable (it cannot be stat'ed): read it now
                yield parse_claim(root, f.rel, sources, keep=keep_claims)
                continue
            claim_id, line, status, claim_json, problems, checks, facts, facets = row[9:]
            yield FileResult(
                f.rel,
                CLAIM,
                sha=row[6] or "",
                claim_id=claim_id,
                line=line,
                status=status,
                claim_json=claim_json,
                problems=json.loads(problems) if problems is not None else (),
                checks=json.loads(checks) if checks is not None else (),
                facts=facts or "",
                facets=facets or "",
            )

    store = ClaimStore(root, fingerprint)
    dataset = assemble(root, registry, results(), len(found), keep_claims=keep_claims, store=store)
    return dataset, fingerprint


def _fresh_file(
    root: Path,
    row: tuple[Any, ...] | None,
    found: Found,
    settle: list[str],
    sha_of: Callable[[str], str | None],
) -> bool:
    """Whether the row still describes the file (reading it only when the stat can't tell)."""
    # row: rel, kind, size, mtime_ns, ctime_ns, ino, sha (or None: ask sha_of), indexed_ns, ...
    if row is None or found.stat is None or row[1] != found.kind or row[2:6] != found.stat:
        return False
    mtime_ns, indexed_ns = row[3], row[7]
    if mtime_ns + RACY_NS <= indexed_ns:
        return True
    # Racy: modified within a clock tick of being indexed; only the bytes can tell.
    try:
        sha = row[6] if row[6] is not None else sha_of(found.rel)
        same = bool(file_digest((root / found.rel).read_bytes()) == sha)
    except OSError:
        return False
    if same:
        settle.append(found.rel)
    return same


class ClaimStore:
    """Claims' JSON fetched from the index one by one, for the records that are read; and each
    claim as ``list --format json`` writes it, once written.

    A claim's record depends on its file's bytes, the registry (its status), the claims that
    contradict it, and how paths are shown: kept by file with all of these (``context``), it
    is written again as long as none of them changed, whatever else in the folder did."""

    #: Kept records are written in batches of this many (one transaction each).
    BATCH = 2000

    def __init__(self, root: Path, registry: str | None = None) -> None:
        self._path = index_file(root)
        self._con: sqlite3.Connection | None = None
        self._context = None
        if registry is not None:
            self._context = f"{registry}\0{DisplayPaths(root).prefix}"
        self._pending: list[tuple[str, str, str, str, int]] = []

    def _connection(self) -> sqlite3.Connection:
        if self._con is None:
            self._con = _reader(self._path)
        return self._con

    def claim_json(self, rel: str, sha: str) -> str | None:
        try:
            row = (
                self._connection()
                .execute("SELECT claim_json FROM files WHERE rel = ? AND sha = ?", (rel, sha))
                .fetchone()
            )
        except sqlite3.Error:
            return None  # the record then reads its file
        return row[0] if row is not None and isinstance(row[0], str) else None

    def _context_of(self, against: Sequence[str]) -> str | None:
        if self._context is None:
            return None
        return digest("\0".join([self._context, *against]).encode("utf-8", "surrogateescape"))

    def kept_record(self, rel: str, sha: str, against: Sequence[str]) -> str | None:
        """The record of claim file ``rel`` with these bytes, contradicted by ``against``."""
        context = self._context_of(against)
        if context is None or not sha:
            return None
        try:
            row = (
                self._connection()
                .execute(
                    "SELECT record, crc FROM records WHERE rel = ? AND sha = ? AND context = ?",
                    (rel, sha, context),
                )
                .fetchone()
            )
        except sqlite3.Error:
            return None
        if row is None or not isinstance(row[0], str):
            return None
        # A row damaged some other way than SQLite would notice is made again, not written out.
        text: str = row[0]
        return text if zlib.crc32(text.encode("utf-8", "surrogatepass")) == row[1] else None

    def keep_record(self, rel: str, sha: str, against: Sequence[str], text: str) -> None:
        """Keep ``text`` as that record (written by :meth:`flush`)."""
        context = self._context_of(against)
        if context is None or not sha:
            return
        self._pending.append(
            (rel, sha, context, text, zlib.crc32(text.encode("utf-8", "surrogatepass")))
        )
        if len(self._pending) >= self.BATCH:
            self.flush()

    def flush(self) -> None:
        """Write the kept records (a cache that cannot be written is just not written)."""
        pending, self._pending = self._pending, []
        if not pending:
            return
        with contextlib.suppress(sqlite3.Error), _writing(self._path) as con:
            con.executemany("INSERT OR REPLACE INTO records VALUES (?, ?, ?, ?, ?)", pending)


# --- the snapshot: the assembled dataset of an unchanged folder ----------------------------------
#
# Checking 10k rows one by one and running the folder-wide checks again costs more than the
# rest of a warm command. So the dataset is also kept whole, keyed by a hash of the folder's
# listing (every path with its size, mtime, ctime and inode): when the listing hashes the same,
# and no file was modified close enough to that listing's scan to hide a change in one clock
# tick, nothing changed and the snapshot is the dataset. Otherwise the rows are checked as above
# and the snapshot is written again.


class Listing(NamedTuple):
    """What the snapshot is keyed by: a hash of the folder's paths and stats, and its newest
    mtime (how close the folder's last change is to a scan)."""

    digest: str
    newest_ns: int


def listing_of(found: list[Found], shown: str = "") -> Listing | None:
    """The folder's listing; None when a file has no usable stat (then go row by row).

    ``shown`` is how the folder's paths are shown (relative to the working folder): some
    problems name another file, so a dataset is that of one way of showing paths."""
    stats = [f.stat for f in found]
    if None in stats:
        return None
    names = "\0".join([shown, *(f.rel for f in found)]).encode("utf-8", "surrogateescape")
    try:
        numbers = array("q", chain.from_iterable(stats))  # type: ignore[arg-type]
    except OverflowError:  # an inode beyond 2**63
        return None
    digest = hashlib.blake2b(names + b"\1" + numbers.tobytes(), digest_size=20).hexdigest()
    return Listing(digest, max(numbers[1::4], default=0))  # every file's mtime_ns


def _save_snapshot(
    con: sqlite3.Connection, dataset: Dataset, listing: str, scanned_ns: int, registry: str
) -> bool:
    """Keep ``dataset`` for the listing it was read from; False when it cannot be kept whole."""
    from claimtrack.fastload import CachedClaimRecord

    rel = DisplayPaths(root=dataset.root).rel
    records = [r for r in dataset.claims if isinstance(r, CachedClaimRecord)]
    if (
        dataset.digests is None
        or len(records) != len(dataset.claims)
        or not all(r._sha and r._status and rel(r.path) == r._rel for r in records)
    ):
        return False  # a claim read from its file (no stat), or a path moved: not in the index
    sources = [
        (r.source.model_dump_json(), rel(r.path), r.line, r.loc) for r in dataset.sources.values()
    ]
    problems = [
        (rel(p.path), p.line, p.col, p.level.value, p.rule, p.message, p.field)
        for p in dataset.problems
    ]
    if any(row[1] is None for row in sources) or any(row[0] is None for row in problems):
        return False  # a path outside the folder: nothing to key it by
    body = {
        "files": dataset.files,
        "claims": len(records),
        "registry": registry,
        "sources": sources,
        "problems": problems,
        "contradicted": {cid: sorted(by) for cid, by in dataset.contradicted.items()},
    }
    kept = {r._rel for r in records}  # a claim's hash is kept with it
    digests = {rel: sha for rel, sha in dataset.digests.items() if rel not in kept}

    def dump(value: Any) -> str:
        return json.dumps(value, separators=(",", ":"))

    # The claims go row by row from the records (a text of 100k claims would be a peak of
    # 70 MB while it is written).
    con.execute("BEGIN IMMEDIATE")
    try:
        con.execute(
            "INSERT OR REPLACE INTO snapshot VALUES (1, ?, ?, ?, ?, '{}')",
            (listing, scanned_ns, dump(body), dump(digests)),
        )
        for table in _SNAPSHOT_TABLES[1:]:  # what was kept of the last snapshot goes with it
            con.execute(f"DELETE FROM {table}")
        con.executemany(
            "INSERT INTO snapshot_claims VALUES (?, ?, ?, ?, ?, ?, ?)",
            (
                (pos, r._rel, r.line, r.id, r._status, r._facets, r._sha)
                for pos, r in enumerate(records)
            ),
        )
        con.execute("COMMIT")
    except BaseException:
        con.execute("ROLLBACK")
        raise
    return True


def _from_snapshot(
    con: sqlite3.Connection, root: Path, listing: Listing, keep_claims: bool
) -> Dataset | None:
    """The kept dataset if it is that of this very listing, else None (then go row by row).

    The snapshot is read in one read transaction of a read-only connection, left open for the
    claims' rows to be read later in it (:class:`SnapshotRows`): with SQLite's write-ahead log,
    what another process writes meanwhile is not seen, so the claims are those kept with this
    snapshot; and a read-only connection never writes the index, even when it closes last."""
    try:
        reader = _reader(index_file(root))
        reader.execute("BEGIN")
    except sqlite3.Error:
        return None
    dataset = None
    try:
        dataset = _read_snapshot(reader, root, listing, keep_claims)
    except _Damaged:
        reader.close()
        con.execute("BEGIN IMMEDIATE")
        try:
            _drop_snapshot(con)  # go row by row, and write it again
            con.execute("COMMIT")
        except BaseException:
            con.execute("ROLLBACK")
            raise
        return None
    finally:
        if dataset is None:
            reader.close()
    return dataset


class _Damaged(Exception):
    """The snapshot does not read back."""


def _reader(path: Path) -> sqlite3.Connection:
    """A read-only connection to the index (it never writes it, not even when it closes)."""
    return sqlite3.connect(path.as_uri() + "?mode=ro", uri=True, timeout=5, isolation_level=None)


def _drop_snapshot(con: sqlite3.Connection) -> None:
    for table in _SNAPSHOT_TABLES:
        con.execute(f"DELETE FROM {table}")


def _read_snapshot(
    con: sqlite3.Connection, root: Path, listing: Listing, keep_claims: bool
) -> Dataset | None:
    from pydantic import ValidationError

    from claimtrack.load import KeptDataset, SourceRecord
    from claimtrack.model import Source
    from claimtrack.problems import Level, Problem

    row = con.execute(
        f"SELECT scanned_ns, body, {'digests' if keep_claims else 'NULL'}, memo FROM snapshot "
        "WHERE one = 1 AND listing = ?",
        (listing.digest,),
    ).fetchone()
    if row is None:
        return None
    scanned_ns, body, digests, memo = row
    if listing.newest_ns + RACY_NS > scanned_ns:
        return None  # a file changed within a tick of that scan: only the rows can tell
    shown = DisplayPaths(root)
    try:
        data = json.loads(body)
        claims, registry = data["claims"], data["registry"]
        if type(claims) is not int or type(registry) is not str:
            raise ValueError("the count of claims or the registry's fingerprint is not one")
        others = json.loads(digests) if keep_claims else None  # the claims' are in their rows
        if others is not None and not isinstance(others, dict):
            raise ValueError("the digests are not an object")
        rows = SnapshotRows(con, root, listing.digest, claims, keep_claims, others, registry)
        dataset = KeptDataset(root, int(data["files"]), rows)
        for source_json, rel, line, loc in data["sources"]:
            source = Source.model_validate_json(source_json)
            dataset.sources[source.id] = SourceRecord(source, shown(rel), line, tuple(loc))
        dataset.problems = [
            Problem(shown(rel), line, col, Level(level), rule, message, field)
            for rel, line, col, level, rule, message, field in data["problems"]
        ]
        dataset.contradicted = {cid: frozenset(by) for cid, by in data["contradicted"].items()}
        remembered = json.loads(memo)
        if not isinstance(remembered, dict):
            raise ValueError("the memo is not an object")
        dataset.memo = SnapshotMemo(root, listing.digest, remembered)
    except (ValueError, TypeError, KeyError, ValidationError):
        raise _Damaged from None
    return dataset


class SnapshotRows:
    """The claims of a snapshot, read (in the snapshot's read transaction) when first wanted.

    Rows that do not read back (a damaged index) are not believed: the snapshot is dropped and
    the claims are read from the files."""

    def __init__(
        self,
        con: sqlite3.Connection,
        root: Path,
        listing: str,
        claims: int,
        keep_claims: bool,
        digests: dict[str, str] | None,
        registry: str,
    ) -> None:
        self._con = con
        self._others = digests
        self._root = root
        self._listing = listing
        self._count = claims
        self._keep = keep_claims
        self._store = ClaimStore(root, registry) if keep_claims else None
        self._read: Dataset | None = None  # the files, if the rows did not read back

    def count(self) -> int:
        return self._count

    def records(self, claim_id: str | None = None) -> list[ClaimRecord]:
        if claim_id is None:
            return self._select("", ())
        return self._select("WHERE claim_id = ?", (claim_id,))

    def of_status(
        self, statuses: Collection[str], contradicted: Collection[str]
    ) -> list[ClaimRecord]:
        if len(contradicted) + len(statuses) > MAX_PARAMETERS:
            return [r for r in self.records() if r.known_status in statuses or r.id in contradicted]
        marks = ", ".join("?" * len(statuses))
        against = ", ".join("?" * len(contradicted))
        return self._select(
            f"WHERE status IN ({marks}) OR claim_id IN ({against})", (*statuses, *contradicted)
        )

    def digests(self) -> dict[str, str] | None:
        """Every file's sha256: those of the claims' files kept with them, and the others'."""
        if self._others is None:
            return None  # read without them (keep_claims=False)
        digests = dict(self._others)
        try:
            digests.update(self._con.execute("SELECT rel, sha FROM snapshot_claims").fetchall())
        except sqlite3.Error:
            return self._from_files().digests
        # A sha256 in hex, or "" for a file that could not be read.
        if not {type(sha) for sha in digests.values()} <= {str} or not {
            len(sha) for sha in digests.values()
        } <= {0, 64}:
            return self._from_files().digests
        return digests

    def _select(self, where: str, params: tuple[str, ...]) -> list[ClaimRecord]:
        from claimtrack.fastload import CachedClaimRecord

        shown = DisplayPaths(self._root)
        root, store = self._root, self._store
        columns = "rel, line, claim_id, status" + (", sha" if self._keep else "")
        try:
            rows = self._con.execute(
                f"SELECT {columns} FROM snapshot_claims {where} ORDER BY pos", params
            ).fetchall()
        except sqlite3.Error:
            rows = None
        if rows is None or not self._sound(rows):
            return self._fallback(where, params)
        if store is not None:
            return [
                CachedClaimRecord(
                    shown(rel), line, cid, None, status, root, rel, None, "", store, sha
                )
                for rel, line, cid, status, sha in rows
            ]
        return [
            CachedClaimRecord(shown(rel), line, cid, None, status, root, rel)
            for rel, line, cid, status in rows
        ]

    @staticmethod
    def _sound(rows: list[Any]) -> bool:
        return {r[3] for r in rows} <= _STATUSES and {type(r[1]) for r in rows} <= {int}

    def _fallback(self, where: str, params: tuple[str, ...]) -> list[ClaimRecord]:
        """The claims read from the files, once the damaged snapshot is dropped."""
        records = self._from_files().claims
        if where.startswith("WHERE claim_id"):
            return [r for r in records if r.id == params[0]]
        return records  # every claim may have any status until derived

    def _from_files(self) -> Dataset:
        """The folder read from its files (once), the snapshot being dropped first."""
        if self._read is not None:
            return self._read
        from claimtrack.fastload import load

        # On another connection: this one only reads.
        with contextlib.suppress(sqlite3.Error), _writing(index_file(self._root)) as con:
            if con.execute(
                "SELECT 1 FROM snapshot WHERE one = 1 AND listing = ?", (self._listing,)
            ).fetchone():
                _drop_snapshot(con)
        self._read = load(self._root, cache=False, keep_claims=self._keep)
        return self._read


class SnapshotMemo:
    """Results worked out from a snapshot's dataset (``stats``' figures), kept with it: they
    go when the snapshot goes, that is when anything in the folder changes."""

    def __init__(self, root: Path, listing: str, values: dict[str, Any]) -> None:
        self._root = root
        self._listing = listing
        self._values = values

    def get(self, name: str) -> Any:
        return self._values.get(name)

    def kept_facets(self) -> list[str] | None:
        try:
            con = _connect(index_file(self._root))
            try:
                con.execute("BEGIN")
                same = con.execute(
                    "SELECT 1 FROM snapshot WHERE one = 1 AND listing = ?", (self._listing,)
                ).fetchone()
                texts = [
                    row[0] for row in con.execute("SELECT facets FROM snapshot_claims ORDER BY pos")
                ]
                con.execute("COMMIT")
            finally:
                con.close()
        except sqlite3.Error:
            return None
        return texts if same and {type(t) for t in texts} <= {str} else None

    def output(self, key: str) -> tuple[dict[str, Any], bytes] | None:
        """A rendered output kept under ``key`` (see :meth:`keep_output`) as UTF-8, with what
        was kept about it; None when there is none, or it cannot be read whole."""
        try:
            con = _connect(index_file(self._root))
            try:
                con.execute("BEGIN")
                row = con.execute(
                    "SELECT meta, body FROM snapshot_outputs WHERE key = ? AND EXISTS "
                    "(SELECT 1 FROM snapshot WHERE one = 1 AND listing = ?)",
                    (key, self._listing),
                ).fetchone()
                con.execute("COMMIT")
            finally:
                con.close()
            if row is None:
                return None
            meta = json.loads(row[0])
            if not isinstance(meta, dict):
                return None
            size = meta.get("size")
            # zlib checks the stream's checksum: a damaged body is an error, not a wrong report.
            # Its size known, the output is unpacked into one buffer (a sixth quicker).
            bufsize = 16384
            if isinstance(size, int) and not isinstance(size, bool) and 0 < size <= 1 << 28:
                bufsize = size  # never more than 256 MiB up front
            body = zlib.decompress(row[1], bufsize=bufsize)
        except (sqlite3.Error, ValueError, TypeError, zlib.error):
            return None
        return meta, body

    def keep_output(self, key: str, meta: dict[str, Any], text: str) -> None:
        """Keep an output made from this snapshot's dataset alone (and ``key``, which must name
        everything else it depends on) for as long as the snapshot stands; the
        :data:`KEPT_OUTPUTS` most recent are kept."""
        raw = text.encode("utf-8")
        body = zlib.compress(raw, 1)  # a sixth of the size, quick both ways
        meta = {**meta, "size": len(raw)}
        with contextlib.suppress(sqlite3.Error), _writing(index_file(self._root)) as con:
            con.execute(
                "INSERT OR REPLACE INTO snapshot_outputs SELECT ?, ?, ?, ? WHERE EXISTS "
                "(SELECT 1 FROM snapshot WHERE one = 1 AND listing = ?)",
                (key, time.time_ns(), json.dumps(meta), body, self._listing),
            )
            con.execute(
                "DELETE FROM snapshot_outputs WHERE key NOT IN (SELECT key FROM "
                "snapshot_outputs ORDER BY used_ns DESC LIMIT ?)",
                (KEPT_OUTPUTS,),
            )

    def put(self, name: str, value: Any) -> None:
        """Remember ``value`` (plain JSON data) for as long as the snapshot stands; a cache that
        cannot be written is just not written."""
        self._values[name] = value
        try:
            con = _connect(index_file(self._root))
            try:
                con.execute(
                    "UPDATE snapshot SET memo = ? WHERE one = 1 AND listing = ?",
                    (json.dumps(self._values, separators=(",", ":")), self._listing),
                )
            finally:
                con.close()
        except sqlite3.Error:
            pass
