"""Claims' JSON and JSON records kept in the index, by what they depend on."""

from __future__ import annotations

import contextlib
import sqlite3
import zlib
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from claimtrack.cache.db import _reader, _writing, discard_for, index_file
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
    kept."""

    def __init__(self, make: Callable[[Entry], str]) -> None:
        self._make = make
        self._stores: dict[int, ClaimJson] = {}

    def __call__(self, entry: Entry) -> str:
        from claimtrack.io.records import CachedClaimRecord

        record = entry.record
        if not isinstance(record, CachedClaimRecord):
            return self._make(entry)
        against = entry.derivation.contradicted_by
        text = record.kept_record(against)
        if text is None:
            text = self._make(entry)
            store = record.keep_record(against, text)
            if store is not None:
                self._stores.setdefault(id(store), store)
        return text

    def flush(self) -> None:
        for store in self._stores.values():
            store.flush()
        self._stores.clear()
