"""The index's SQLite file: where it lives, its tables, and short read and write connections."""

from __future__ import annotations

import contextlib
import hashlib
import os
import sqlite3
from collections.abc import Iterator
from pathlib import Path

from claimtrack.core.version import __version__
from claimtrack.core.vocab import Status

#: The tables that belong to the snapshot: emptied whenever it is written again or dropped.
_SNAPSHOT_TABLES = ("snapshot", "snapshot_claims", "snapshot_outputs")


#: Bumped whenever the tables or the meaning of a column change.
SCHEMA_VERSION = 12


#: The stored results are those of this claimtrack; another version rebuilds the index.
FORMAT = f"{SCHEMA_VERSION}/{__version__}"


#: The statuses a snapshot's claim may have, each mapped to one string of its value (records
#: share it instead of holding the copy SQLite makes for every row).
_STATUS_STRINGS: dict[str | None, str] = {status.value: status.value for status in Status}
_STATUSES = frozenset(_STATUS_STRINGS)


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
    facets TEXT NOT NULL,
    quotes TEXT NOT NULL
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


#: Bound values per statement, within the 999 SQLite allowed before 3.32 (past it, rows are
#: read whole and filtered here).
MAX_PARAMETERS = 900


#: How many rendered outputs (reports, listings) a snapshot keeps, the least recently made
#: going first.
KEPT_OUTPUTS = 8


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


#: A write-ahead log larger than this is folded back into the index when it is next opened:
#: every process that opens the index reads the whole log first (273 MB after building the
#: index of 100k claims: an eighth of a second each warm run).
WAL_LIMIT = 16 * 1024 * 1024


#: How long a connection waits for another process's lock before it gives up.
BUSY_TIMEOUT_S = 30


def _connect(path: Path) -> sqlite3.Connection:
    con = sqlite3.connect(path, timeout=BUSY_TIMEOUT_S, isolation_level=None)
    con.execute("PRAGMA journal_mode=WAL")
    con.execute("PRAGMA synchronous=NORMAL")
    con.execute(f"PRAGMA journal_size_limit={WAL_LIMIT}")
    _fold_log(con, path)
    return con


def _fold_log(con: sqlite3.Connection, path: Path) -> None:
    """Fold a large write-ahead log into the index and empty it, if no one is reading it; never
    waits for a reader (another command's open pager, say): the next one to open it tries again."""
    try:
        if os.stat(f"{path}-wal").st_size <= WAL_LIMIT:
            return
    except OSError:
        return
    with contextlib.suppress(sqlite3.Error):
        con.execute("PRAGMA busy_timeout=0")
        try:
            con.execute("PRAGMA wal_checkpoint(TRUNCATE)").fetchall()
        finally:
            con.execute(f"PRAGMA busy_timeout={BUSY_TIMEOUT_S * 1000}")


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


def _reader(path: Path) -> sqlite3.Connection:
    """A read-only connection to the index (it never writes it, not even when it closes)."""
    return sqlite3.connect(path.as_uri() + "?mode=ro", uri=True, timeout=5, isolation_level=None)
