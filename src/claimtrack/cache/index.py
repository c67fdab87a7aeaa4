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

import json
import os
import sqlite3
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any

from claimtrack.cache.db import (
    FORMAT,
    RACY_NS,
    SCHEMA_VERSION,
    _busy,
    _meta,
    discard_for,
    index_file,
    open_index,
)
from claimtrack.cache.snapshot import SnapshotMemo, _from_snapshot, _save_snapshot, listing_of
from claimtrack.cache.store import ClaimStore
from claimtrack.io.archive import (
    ArchiveFile,
    archives_fingerprint,
    read_archive_files,
    read_archives,
)
from claimtrack.io.parse import (
    PARALLEL_MIN,
    FileResult,
    Progress,
    parse_claim,
    parse_claims,
    parse_registry,
    refs_fingerprint,
    source_digests,
)
from claimtrack.io.pipeline import DisplayPaths, assemble, registry_fingerprint, registry_sources
from claimtrack.io.scan import CLAIM, REGISTRY, FileStat, Found, file_digest

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
    """The index as the folder pipeline's port (:class:`claimtrack.io.pipeline.FolderIndex`)."""

    def load(
        self,
        root: Path,
        found: list[Found],
        scanned_ns: int,
        *,
        archive_files: dict[str, ArchiveFile],
        progress: Progress | None,
        keep_claims: bool,
        parallel_min: int,
    ) -> Dataset | None:
        return load(
            root,
            found,
            scanned_ns,
            archive_files=archive_files,
            progress=progress,
            keep_claims=keep_claims,
            parallel_min=parallel_min,
        )


def load(
    root: Path,
    found: list[Found],
    scanned_ns: int,
    *,
    archive_files: dict[str, ArchiveFile] | None = None,
    progress: Progress | None = None,
    keep_claims: bool = True,
    parallel_min: int = PARALLEL_MIN,
) -> Dataset | None:
    """The dataset through the index, parsing only changed files; None when the index can't be
    used (the caller then reads every file)."""
    con = open_index(root)
    if con is None:
        return None
    if archive_files is None:
        archive_files = read_archive_files(root)
    archives_fp = archives_fingerprint(archive_files)
    try:
        # The archived texts are part of what a snapshot is keyed by: a changed text changes
        # the quotes' problems.
        listing = listing_of(found, f"{DisplayPaths(root).prefix}\0{archives_fp}")
        if listing is not None:
            dataset = _from_snapshot(con, root, listing, keep_claims)
            if dataset is not None:
                return dataset
        dataset, registry = _load(
            con, root, found, scanned_ns, progress, keep_claims, parallel_min, archive_files
        )
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
    archive_files: dict[str, ArchiveFile],
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
    fingerprint = registry_fingerprint(registry, archives_fingerprint(archive_files))
    _write(con, _rows(stale, stats, scanned_ns, fingerprint))
    records, _ = registry_sources(registry, DisplayPaths(root))
    sources = {sid: rec.source for sid, rec in records.items()}
    archives = read_archives(root, records, archive_files)

    # One read of every claim row, with only what a fresh row contributes (source references
    # are fetched for the few rows that need them, a claim's JSON when it is read): memory
    # stays small at 100k.
    known: dict[str, tuple[Any, ...]] = {
        row[0]: row
        for row in con.execute(
            "SELECT rel, kind, size, mtime_ns, ctime_ns, ino, sha, indexed_ns, registry = ?, "
            "claim_id, line, status, NULL, NULLIF(problems, '[]'), NULLIF(checks, '[]'), "
            "NULLIF(facts, ''), facets, NULLIF(quotes, '[0,[]]') "
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
                digests = source_digests(sources, archives.digests)
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
            root,
            todo,
            sources,
            keep=False,
            progress=progress,
            parallel_min=parallel_min,
            archives=archives,
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
                yield parse_claim(root, f.rel, sources, keep=keep_claims, archives=archives)
                continue
            claim_id, line, status, claim_json, problems, checks, facts, facets, quotes = row[9:]
            quoted, quote_rows = json.loads(quotes) if quotes is not None else (0, ())
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
                quotes=quote_rows,
                quoted=quoted,
            )

    store = ClaimStore(root, fingerprint)
    dataset = assemble(
        root,
        registry,
        results(),
        len(found),
        keep_claims=keep_claims,
        store=store,
        archives=archives,
    )
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
