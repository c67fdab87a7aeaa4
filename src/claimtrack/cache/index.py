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
it is kept with it (:class:`SnapshotResults`: ``stats``' figures, the last rendered reports), and
each claim's JSON record is kept by what it depends on (:class:`ClaimStore`).

The index lives in ``$CLAIMTRACK_CACHE_DIR`` if set, else the user cache folder
(``$XDG_CACHE_HOME/claimtrack``, by default ``~/.cache/claimtrack`` on Linux).
"""

from __future__ import annotations

import json
import os
import sqlite3
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from claimtrack.cache.db import (
    FORMAT,
    RACY_NS,
    SCHEMA_VERSION,
    _busy,
    _fold_log,
    _meta,
    discard_for,
    index_file,
    open_index,
)
from claimtrack.cache.snapshot import (
    Listing,
    SnapshotResults,
    _from_snapshot,
    _save_snapshot,
    listing_of,
)
from claimtrack.cache.store import ClaimStore
from claimtrack.io.parse import (
    FileResult,
)
from claimtrack.io.scan import CLAIM, REGISTRY, FileStat, FolderListing, Found, file_digest

if TYPE_CHECKING:
    from claimtrack.core.dataset import Dataset


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
                json.dumps([r.quoted, r.quotes], separators=(",", ":")),
            )
        )
    return rows


def _write(con: sqlite3.Connection, rows: list[tuple[Any, ...]]) -> None:
    if not rows:
        return
    con.execute("BEGIN IMMEDIATE")
    try:
        con.executemany(f"INSERT OR REPLACE INTO files VALUES ({', '.join('?' * 21)})", rows)
        con.execute("COMMIT")
    except BaseException:
        con.execute("ROLLBACK")
        raise


class Index:
    """The index of one folder as the pipeline's port (:class:`claimtrack.io.pipeline.FolderIndex`)
    for one load: it answers from its rows and its snapshot, and keeps what the pipeline parsed.

    Any SQLite error ends its use for the load (the index is deleted unless another process
    merely holds it): it then knows nothing more and keeps nothing, and the files are parsed."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self._con: sqlite3.Connection | None = None
        self._failed = False
        self._listing: Listing | None = None
        self._settle: list[str] = []  # racy rows found to match their files' bytes
        self._retag: list[tuple[str, str]] = []  # rows kept under a registry edit
        self._found: list[Found] = []
        self._by_rel: dict[str, FileStat | None] | None = None
        self._known: set[str] = set()  # every path the index had a row for

    def _connection(self) -> sqlite3.Connection | None:
        if self._con is None and not self._failed:
            self._con = open_index(self.root)
            self._failed = self._con is None
        return self._con

    def _fail(self, exc: sqlite3.Error) -> None:
        self.close()
        self._failed = True
        if not _busy(exc):
            discard_for(self.root)

    def close(self) -> None:
        if self._con is not None:
            _fold_log(self._con, index_file(self.root))  # what this load wrote, folded at once
            self._con.close()
            self._con = None

    @property
    def _stats(self) -> dict[str, FileStat | None]:
        """Every scanned file's stat by path (made once the snapshot could not answer)."""
        if self._by_rel is None:
            self._by_rel = {f.rel: f.stat for f in self._found}
        return self._by_rel

    def _sha_of(self, rel: str) -> str | None:
        assert self._con is not None
        row = self._con.execute("SELECT sha FROM files WHERE rel = ?", (rel,)).fetchone()
        return row[0] if row else None

    def snapshot(
        self,
        scanned: FolderListing,
        key: str,
        scanned_ns: int,
        keep_claims: bool,
        newest_ns: int = 0,
    ) -> Dataset | None:
        con = self._connection()
        self._listing = listing_of(scanned, key, newest_ns)
        if con is None or self._listing is None:
            return None
        try:
            return _from_snapshot(con, self.root, self._listing, keep_claims)
        except sqlite3.Error as exc:
            self._fail(exc)
            return None

    def registry(self, found: list[Found]) -> dict[str, FileResult]:
        self._found = found  # the files as scanned: what rows are stored and kept for
        con = self._connection()
        if con is None:
            return {}
        try:
            # Row layout: rel, kind, size, mtime_ns, ctime_ns, ino, sha, indexed_ns, per kind.
            rows = {
                row[0]: row
                for row in con.execute(
                    "SELECT rel, kind, size, mtime_ns, ctime_ns, ino, sha, indexed_ns, sources, "
                    "problems FROM files WHERE kind = ?",
                    (REGISTRY,),
                )
            }
            self._known.update(rows)
            fresh = {}
            for f in found:
                row = rows.get(f.rel)
                if f.kind == REGISTRY and _fresh_file(
                    self.root, row, f, self._settle, self._sha_of
                ):
                    assert row is not None
                    fresh[f.rel] = FileResult(
                        f.rel,
                        REGISTRY,
                        sha=row[6],
                        sources=json.loads(row[8]),
                        problems=json.loads(row[9]),
                    )
            return fresh
        except sqlite3.Error as exc:
            self._fail(exc)
            return {}

    def claims(
        self, found: list[Found], registry: str, unchanged: Callable[[list[str], str], bool]
    ) -> dict[str, FileResult]:
        self._found = found
        con = self._connection()
        if con is None:
            return {}
        try:
            # One read of every claim row, with only what a fresh row contributes (source
            # references are fetched for the few rows that need them, a claim's JSON when it
            # is read): memory stays small at 100k.
            rows: dict[str, tuple[Any, ...]] = {
                row[0]: row
                for row in con.execute(
                    "SELECT rel, kind, size, mtime_ns, ctime_ns, ino, sha, indexed_ns, "
                    "registry = ?, claim_id, line, status, NULLIF(problems, '[]'), "
                    "NULLIF(checks, '[]'), NULLIF(facts, ''), facets, NULLIF(quotes, '[0,[]]') "
                    "FROM files WHERE kind = ?",
                    (registry, CLAIM),
                )
            }
            self._known.update(rows)
            fresh = {}
            for f in found:
                row = rows.pop(f.rel, None)
                if not _fresh_file(self.root, row, f, self._settle, self._sha_of):
                    continue
                assert row is not None
                if not row[8]:  # kept under another registry: do the sources it names differ?
                    named, named_fp = con.execute(
                        "SELECT refs, refs_fp FROM files WHERE rel = ?", (f.rel,)
                    ).fetchone()
                    if not unchanged(json.loads(named), named_fp):
                        continue
                    self._retag.append((registry, f.rel))
                fresh[f.rel] = _claim_result(f.rel, row)
            return fresh
        except sqlite3.Error as exc:
            self._fail(exc)
            return {}

    def store(self, results: list[FileResult], registry: str, scanned_ns: int) -> set[str]:
        con = self._connection()
        if con is None:
            return set()
        rows = _rows(results, self._stats, scanned_ns, registry)
        try:
            _write(con, rows)
        except sqlite3.Error as exc:
            self._fail(exc)
            return set()
        return {row[0] for row in rows}

    def records(self, registry: str) -> ClaimStore | None:
        return None if self._failed else ClaimStore(self.root, registry)

    def finish(self, dataset: Dataset, registry: str, scanned_ns: int) -> None:
        con = self._connection()
        if con is None:
            return
        try:
            gone = [(rel,) for rel in self._known if rel not in self._stats]
            if gone or self._settle or self._retag:
                con.execute("BEGIN IMMEDIATE")
                con.executemany("DELETE FROM files WHERE rel = ?", gone)
                con.executemany("DELETE FROM records WHERE rel = ?", gone)
                con.executemany("UPDATE files SET registry = ? WHERE rel = ?", self._retag)
                con.executemany(
                    "UPDATE files SET indexed_ns = ? WHERE rel = ? AND mtime_ns + ? <= ?",
                    [(scanned_ns, rel, RACY_NS, scanned_ns) for rel in self._settle],
                )
                con.execute("COMMIT")
            # A snapshot of a folder changed within a tick of this scan could not be believed:
            # the next command would read the rows anyway, so it is written once the folder
            # settles.
            listing = self._listing
            if (
                listing is not None
                and listing.newest_ns + RACY_NS <= scanned_ns
                and _save_snapshot(con, dataset, listing.digest, scanned_ns, registry)
            ):
                dataset.index = SnapshotResults(self.root, listing.digest, {})
        except sqlite3.Error as exc:
            self._fail(exc)


def _claim_result(rel: str, row: tuple[Any, ...]) -> FileResult:
    """A claim file's result as its row holds it (its JSON left in the index)."""
    claim_id, line, status, problems, checks, facts, facets, quotes = row[9:]
    quoted, quote_rows = json.loads(quotes) if quotes is not None else (0, ())
    return FileResult(
        rel,
        CLAIM,
        sha=row[6] or "",
        claim_id=claim_id,
        line=line,
        status=status,
        problems=json.loads(problems) if problems is not None else (),
        checks=json.loads(checks) if checks is not None else (),
        facts=facts or "",
        facets=facets or "",
        quotes=quote_rows,
        quoted=quoted,
    )


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
