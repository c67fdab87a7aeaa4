"""The snapshot of an unchanged folder: its assembled Dataset, kept whole in the index."""

from __future__ import annotations

import contextlib
import json
import sqlite3
import time
import zlib
from collections.abc import Collection
from pathlib import Path
from typing import TYPE_CHECKING, Any, NamedTuple

from claimtrack.cache.db import (
    _SNAPSHOT_TABLES,
    _STATUS_STRINGS,
    KEPT_OUTPUTS,
    MAX_PARAMETERS,
    RACY_NS,
    _connect,
    _reader,
    _writing,
    index_file,
)
from claimtrack.cache.store import ClaimStore
from claimtrack.io.pipeline import DisplayPaths
from claimtrack.io.scan import FolderListing

if TYPE_CHECKING:
    from claimtrack.core.dataset import ClaimRecord, Dataset, SourceRecord


class Listing(NamedTuple):
    """What the snapshot is keyed by: a hash of the folder's paths and stats, and its newest
    mtime (how close the folder's last change is to a scan)."""

    digest: str
    newest_ns: int


def listing_of(scanned: FolderListing, shown: str = "", newest_ns: int = 0) -> Listing | None:
    """The folder's listing; None when a file has no usable stat (then go row by row).

    ``shown`` is how the folder's paths are shown (relative to the working folder): some
    problems name another file, so a dataset is that of one way of showing paths. It holds
    what else the snapshot stands for (the archived texts' stats), whose newest mtime is
    ``newest_ns``."""
    got = scanned.digest(shown)
    if got is None:
        return None
    digest, newest = got
    return Listing(digest, max(newest, newest_ns))


def _save_snapshot(
    con: sqlite3.Connection, dataset: Dataset, listing: str, scanned_ns: int, registry: str
) -> bool:
    """Keep ``dataset`` for the listing it was read from; False when it cannot be kept whole."""
    from claimtrack.io.records import CachedClaimRecord

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
    if (
        any(row[1] is None for row in sources)
        or any(row[0] is None for row in problems)
        or any(rel(p.path) is None for p in dataset.quote_problems)
    ):
        return False  # a path outside the folder: nothing to key it by
    body = {
        "files": dataset.files,
        "claims": len(records),
        "registry": registry,
        "sources": sources,
        "problems": problems,
        "contradicted": {cid: sorted(by) for cid, by in dataset.contradicted.items()},
        "quotes": [
            dataset.quotes,
            dataset.archive_texts,
            [
                (rel(p.path), p.line, p.col, p.level.value, p.rule, p.message, p.field)
                for p in dataset.quote_problems
            ],
        ],
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
                (pos, r._rel, r.line, r.id, r._status, r._facets, r.sha)
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


def _drop_snapshot(con: sqlite3.Connection) -> None:
    for table in _SNAPSHOT_TABLES:
        con.execute(f"DELETE FROM {table}")


def _read_snapshot(
    con: sqlite3.Connection, root: Path, listing: Listing, keep_claims: bool
) -> Dataset | None:
    from claimtrack.core.dataset import LazyDataset
    from claimtrack.core.problem import Level, Problem

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
        sources = data["sources"]
        if type(sources) is not list or not all(
            type(row) is list and len(row) == 4 and type(row[0]) is str for row in sources
        ):
            raise ValueError("the sources are not rows")
        rows = SnapshotRows(
            con, root, listing.digest, claims, keep_claims, others, registry, sources
        )
        dataset = LazyDataset(root, int(data["files"]), rows)
        dataset.problems = [
            Problem(shown(rel), line, col, Level(level), rule, message, field)
            for rel, line, col, level, rule, message, field in data["problems"]
        ]
        dataset.contradicted = {cid: frozenset(by) for cid, by in data["contradicted"].items()}
        dataset.quotes, dataset.archive_texts, quote_rows = data["quotes"]
        dataset.quote_problems = [
            Problem(shown(rel), line, col, Level(level), rule, message, field)
            for rel, line, col, level, rule, message, field in quote_rows
        ]
        remembered = json.loads(memo)
        if not isinstance(remembered, dict):
            raise ValueError("the memo is not an object")
        dataset.index = SnapshotResults(root, listing.digest, remembered)
    except (ValueError, TypeError, KeyError):
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
        sources: list[list[Any]],
    ) -> None:
        self._con = con
        self._sources = sources  # (source JSON, path, line, loc), built when first wanted
        self._others = digests
        self._root = root
        self._listing = listing
        self._count = claims
        self._keep = keep_claims
        self._store = ClaimStore(root, registry) if keep_claims else None
        self._read: Dataset | None = None  # the files, if the rows did not read back

    def count(self) -> int:
        return self._count

    def source_count(self) -> int:
        return len(self._sources)

    def sources(self) -> dict[str, SourceRecord]:
        from pydantic import ValidationError

        from claimtrack.core.dataset import SourceRecord
        from claimtrack.core.model import Source

        shown = DisplayPaths(self._root)
        built: dict[str, SourceRecord] = {}
        try:
            for source_json, rel, line, loc in self._sources:
                source = Source.model_validate_json(source_json)
                built[source.id] = SourceRecord(source, shown(rel), int(line), tuple(loc))
        except (ValidationError, ValueError, TypeError):
            return self._from_files().sources
        return built

    def records(self, claim_id: str | None = None) -> list[ClaimRecord]:
        if claim_id is None:
            return self._select("", ())
        return self._select("WHERE claim_id = ?", (claim_id,))

    def of_status(
        self, statuses: Collection[str], contradicted: Collection[str]
    ) -> list[ClaimRecord]:
        if len(contradicted) + len(statuses) > MAX_PARAMETERS:
            return [
                r for r in self.records() if r.parsed_status in statuses or r.id in contradicted
            ]
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
        from claimtrack.io.records import CachedClaimRecord

        shown = DisplayPaths(self._root)
        root, store, keep = self._root, self._store, self._keep
        columns = "rel, line, claim_id, status" + (", sha" if keep else ", ''")
        # Row by row from the cursor (100k rows held as tuples would add 10 MB to the peak),
        # each status as the one string of its value (not 100k copies); a row that is not
        # what the index writes (a damaged index) drops the snapshot for the files.
        statuses = _STATUS_STRINGS
        records: list[ClaimRecord] = []
        append = records.append
        try:
            for rel, line, cid, status, sha in self._con.execute(
                f"SELECT {columns} FROM snapshot_claims {where} ORDER BY pos", params
            ):
                status = statuses.get(status)
                if status is None or type(line) is not int:
                    return self._fallback(where, params)
                append(
                    CachedClaimRecord(
                        shown(rel), line, cid, None, status, root, rel, None, "", store, sha
                    )
                )
        except sqlite3.Error:
            return self._fallback(where, params)
        return records

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
        from claimtrack.io.pipeline import load

        # On another connection: this one only reads.
        with contextlib.suppress(sqlite3.Error), _writing(index_file(self._root)) as con:
            if con.execute(
                "SELECT 1 FROM snapshot WHERE one = 1 AND listing = ?", (self._listing,)
            ).fetchone():
                _drop_snapshot(con)
        self._read = load(self._root, keep_claims=self._keep)
        return self._read


class SnapshotResults:
    """Results worked out from a snapshot's dataset (``stats``' figures), kept with it: they
    go when the snapshot goes, that is when anything in the folder changes."""

    def __init__(self, root: Path, listing: str, values: dict[str, Any]) -> None:
        self._root = root
        self._listing = listing
        self._values = values

    def get(self, name: str) -> Any:
        return self._values.get(name)

    def facets_json(self) -> list[str] | None:
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
