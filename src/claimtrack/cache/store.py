"""Claims' JSON and JSON records kept in the index, by what they depend on."""

from __future__ import annotations

import contextlib
import itertools
import sqlite3
import zlib
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from claimtrack.cache.db import MAX_PARAMETERS, _reader, _writing, discard_for, index_file
from claimtrack.io.pipeline import DisplayPaths
from claimtrack.io.scan import digest

if TYPE_CHECKING:
    from claimtrack.core.query import Entry
    from claimtrack.io.records import ClaimJson


class ClaimStore:
    """Claims' JSON fetched from the index one by one, for the records that are read; and each
    claim as ``list --format json`` writes it, once written.

    A claim's record depends on its file's bytes, the registry (its status), the claims that
    contradict it, and how paths are shown: kept by file with all of these (``context``), it
    is written again as long as none of them changed, whatever else in the folder did."""

    #: Kept records are written in batches of this many (one transaction each).
    BATCH = 2000

    def __init__(self, root: Path, registry: str | None = None) -> None:
        self._root = root
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

    def kept_records(self, wanted: Sequence[tuple[str, str, Sequence[str]]]) -> dict[str, str]:
        """The records kept of many files, by rel: one query for a whole screen of rows."""
        expected: dict[str, tuple[str, str]] = {}
        for rel, sha, against in wanted:
            context = self._context_of(against)
            if context is not None and sha:
                expected[rel] = (sha, context)
        found: dict[str, str] = {}
        rels = list(expected)
        try:
            for start in range(0, len(rels), MAX_PARAMETERS):
                part = rels[start : start + MAX_PARAMETERS]
                rows = (
                    self._connection()
                    .execute(
                        "SELECT rel, sha, context, record, crc FROM records WHERE rel IN "
                        f"({','.join('?' * len(part))})",
                        part,
                    )
                    .fetchall()
                )
                for rel, sha, context, text, crc in rows:
                    if (
                        expected.get(rel) == (sha, context)
                        and isinstance(text, str)
                        and zlib.crc32(text.encode("utf-8", "surrogatepass")) == crc
                    ):
                        found[rel] = text
        except sqlite3.Error:
            return found  # the others are made again
        return found

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

    def discard(self) -> None:
        discard_for(self._root)

    def flush(self) -> None:
        """Write the kept records (a cache that cannot be written is just not written)."""
        pending, self._pending = self._pending, []
        if not pending:
            return
        with contextlib.suppress(sqlite3.Error), _writing(self._path) as con:
            con.executemany("INSERT OR REPLACE INTO records VALUES (?, ?, ?, ?, ?)", pending)


class RecordTexts:
    """Each entry's line of JSON as ``list --format json`` writes it (``make(entry)``), taken
    from the index when it kept that claim's record under the same bytes, registry and
    contradicting claims, and kept there otherwise: the next listing writes unchanged claims
    without building them, even after other files changed. :meth:`flush` writes what was
    kept.

    Given the ``entries`` that will be asked for, in order, it looks their kept records up a
    screenful at a time (one query for :attr:`AHEAD` rows rather than one each)."""

    #: Rows whose kept records are looked up together.
    AHEAD = 400

    def __init__(self, make: Callable[[Entry], str], entries: Sequence[Entry] = ()) -> None:
        self._make = make
        self._stores: dict[int, ClaimJson] = {}
        self._ahead = iter(entries)
        self._looked: set[int] = set()  # the entries (by id) looked up, not yet asked for
        self._kept: dict[int, str] = {}

    def _look_ahead(self) -> None:
        from claimtrack.io.records import CachedClaimRecord

        chunk = list(itertools.islice(self._ahead, self.AHEAD))
        wanted: dict[int, tuple[ClaimJson, list[tuple[Entry, tuple[str, str, Sequence[str]]]]]]
        wanted = {}
        for entry in chunk:
            self._looked.add(id(entry))
            record = entry.record
            key = record.kept_key() if isinstance(record, CachedClaimRecord) else None
            if key is not None:
                store, rel, sha = key
                item = (entry, (rel, sha, entry.derivation.contradicted_by))
                wanted.setdefault(id(store), (store, []))[1].append(item)
        for store, items in wanted.values():
            found = store.kept_records([item for _, item in items])
            for entry, (rel, _, _) in items:
                if rel in found:
                    self._kept[id(entry)] = found[rel]

    def __call__(self, entry: Entry) -> str:
        from claimtrack.io.records import CachedClaimRecord

        record = entry.record
        if not isinstance(record, CachedClaimRecord):
            return self._make(entry)
        if id(entry) not in self._looked:
            self._look_ahead()
        if id(entry) in self._looked:  # looked up with its screenful
            self._looked.discard(id(entry))
            text = self._kept.pop(id(entry), None)
        else:  # asked out of order
            text = record.kept_record(entry.derivation.contradicted_by)
        if text is None:
            against = entry.derivation.contradicted_by
            text = self._make(entry)
            store = record.keep_record(against, text)
            if store is not None:
                self._stores.setdefault(id(store), store)
        return text

    def flush(self) -> None:
        for store in self._stores.values():
            store.flush()
        self._stores.clear()
