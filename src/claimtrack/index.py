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

The index lives in ``$CLAIMTRACK_CACHE_DIR`` if set, else the user cache folder
(``$XDG_CACHE_HOME/claimtrack``, by default ``~/.cache/claimtrack`` on Linux).
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import sqlite3
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any

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
    parse_claim,
    parse_claims,
    parse_registry,
    refs_fingerprint,
    registry_fingerprint,
    registry_sources,
    source_digests,
)

if TYPE_CHECKING:
    from claimtrack.load import Dataset

#: Bumped whenever the tables or the meaning of a column change.
SCHEMA_VERSION = 3
#: The stored results are those of this claimtrack; another version rebuilds the index.
FORMAT = f"{SCHEMA_VERSION}/{__version__}"
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
    facts TEXT NOT NULL
);
"""


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
            con.execute("DROP TABLE IF EXISTS files")
            con.execute("DROP TABLE IF EXISTS meta")
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
            )
        )
    return rows


def _write(con: sqlite3.Connection, rows: list[tuple[Any, ...]]) -> None:
    if not rows:
        return
    con.execute("BEGIN IMMEDIATE")
    try:
        con.executemany(f"INSERT OR REPLACE INTO files VALUES ({', '.join('?' * 19)})", rows)
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
        return _load(con, root, found, scanned_ns, progress, keep_claims, parallel_min)
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
) -> Dataset:
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

    # One read of every claim row, with only what a fresh row contributes (hashes and source
    # references are fetched for the few rows that need them): memory stays small at 100k.
    column = "claim_json" if keep_claims else "NULL"
    known: dict[str, tuple[Any, ...]] = {
        row[0]: row
        for row in con.execute(
            "SELECT rel, kind, size, mtime_ns, ctime_ns, ino, NULL, indexed_ns, registry = ?, "
            f"claim_id, line, status, {column}, NULLIF(problems, '[]'), NULLIF(checks, '[]'), "
            "NULLIF(facts, '') "
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
        con.executemany("UPDATE files SET registry = ? WHERE rel = ?", retag)
        con.executemany(
            "UPDATE files SET indexed_ns = ? WHERE rel = ? AND mtime_ns + ? <= ?",
            [(scanned_ns, rel, RACY_NS, scanned_ns) for rel in settle],
        )
        con.execute("COMMIT")

    parsed: dict[str, FileResult] = {}
    for chunk in parse_claims(
        root, todo, sources, keep=False, progress=progress, parallel_min=parallel_min
    ):
        _write(con, _rows(chunk, stats, scanned_ns, fingerprint))
        for result in chunk:
            parsed[result.rel] = result
            if not keep_claims:
                result.claim_json = None

    def results() -> Iterator[FileResult]:
        for f in claims:
            fresh_result = parsed.pop(f.rel, None)
            if fresh_result is not None:
                yield fresh_result
                continue
            row = known.pop(f.rel, None)
            if row is None:  # not cacheable (it cannot be stat'ed): read it now
                yield parse_claim(root, f.rel, sources, keep=keep_claims)
                continue
            claim_id, line, status, claim_json, problems, checks, facts = row[9:]
            yield FileResult(
                f.rel,
                CLAIM,
                claim_id=claim_id,
                line=line,
                status=status,
                claim_json=claim_json,
                problems=json.loads(problems) if problems is not None else (),
                checks=json.loads(checks) if checks is not None else (),
                facts=facts or "",
            )

    return assemble(root, registry, results(), len(found), keep_claims=keep_claims)


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
        same = bool(digest((root / found.rel).read_bytes()) == sha)
    except OSError:
        return False
    if same:
        settle.append(found.rel)
    return same
