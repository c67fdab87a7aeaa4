"""The index's full-text table: every valid claim's searchable words in SQLite FTS5, brought up
to date with the claim rows when a search runs, so a warm search reads no claim.

The words are those of :func:`claimtrack.core.search.tokens`, stored space-separated under
FTS5's ``ascii`` tokeniser, which splits on ASCII punctuation and spaces and keeps every other
character: it gives back exactly the tokens stored, so the index and ``--no-cache`` search one
tokenisation, not two. The table is looked up only; ranking is ``core.search.rank``.
"""

from __future__ import annotations

import hashlib
import sqlite3
from collections.abc import Callable, Iterable, Sequence
from pathlib import Path

from claimtrack.cache.db import open_index
from claimtrack.core.search import Corpus, Term

_TABLES = """
CREATE TABLE IF NOT EXISTS search_docs (
    id INTEGER PRIMARY KEY,
    key TEXT NOT NULL UNIQUE,
    fp TEXT NOT NULL,
    length INTEGER NOT NULL
);
CREATE VIRTUAL TABLE IF NOT EXISTS search_words USING fts5(words, tokenize = 'ascii');
"""


#: A document to keep: its key, a fingerprint of everything its words come from, and a way to
#: make its words (called only when the fingerprint changed).
Doc = tuple[str, str, Callable[[], list[str]]]


def fingerprint(*parts: str) -> str:
    return hashlib.sha256("\0".join(parts).encode("utf-8", "surrogatepass")).hexdigest()


class FullText:
    """The FTS5 table of one claims folder's index; unusable (``None`` from :func:`open_for`)
    when SQLite has no FTS5 or the index cannot be opened: then search goes without it."""

    def __init__(self, con: sqlite3.Connection) -> None:
        self._con = con

    @classmethod
    def open_for(cls, root: Path) -> FullText | None:
        con = open_index(root)
        if con is None:
            return None
        try:
            for statement in _TABLES.split(";"):
                if statement.strip():
                    con.execute(statement)
        except sqlite3.Error:  # no FTS5 in this SQLite, or a read-only index
            con.close()
            return None
        return cls(con)

    def close(self) -> None:
        self._con.close()

    def kept(self, docs: Iterable[Doc]) -> FullText | None:
        """The table brought up to date with ``docs`` (:meth:`sync`), or None when the index
        cannot be written now (busy, read-only): then search goes without it."""
        try:
            self.sync(docs)
        except sqlite3.Error:
            return None
        return self

    def sync(self, docs: Iterable[Doc]) -> None:
        """Make the table hold exactly ``docs``: changed ones written again, gone ones removed,
        in one transaction."""
        con = self._con
        kept = dict(con.execute("SELECT key, fp FROM search_docs").fetchall())
        wanted: set[str] = set()
        con.execute("BEGIN IMMEDIATE")
        try:
            for key, fp, make in docs:
                wanted.add(key)
                if kept.get(key) == fp:
                    continue
                words = make()
                row = con.execute("SELECT id FROM search_docs WHERE key = ?", (key,)).fetchone()
                if row is not None:
                    con.execute("DELETE FROM search_words WHERE rowid = ?", row)
                    con.execute("DELETE FROM search_docs WHERE id = ?", row)
                cursor = con.execute(
                    "INSERT INTO search_docs (key, fp, length) VALUES (?, ?, ?)",
                    (key, fp, len(words)),
                )
                con.execute(
                    "INSERT INTO search_words (rowid, words) VALUES (?, ?)",
                    (cursor.lastrowid, " ".join(words)),
                )
            for key in kept.keys() - wanted:
                row = con.execute("SELECT id FROM search_docs WHERE key = ?", (key,)).fetchone()
                con.execute("DELETE FROM search_words WHERE rowid = ?", row)
                con.execute("DELETE FROM search_docs WHERE id = ?", row)
            con.execute("COMMIT")
        except BaseException:
            con.execute("ROLLBACK")
            raise

    def find(self, terms: Sequence[Term]) -> tuple[dict[str, list[str]], Corpus] | None:
        """The documents holding every term (key -> their words), and the whole table's
        count and mean length, for ranking; None when the table cannot be read."""
        # Each word is letters and digits only: quoted, it is one token to FTS5, never syntax.
        query = " AND ".join(f'"{t.word}"' + (" *" if t.prefix else "") for t in terms)
        con = self._con
        try:
            rows = con.execute(
                "SELECT d.key, w.words FROM search_words AS w "
                "JOIN search_docs AS d ON d.id = w.rowid WHERE search_words MATCH ?",
                (query,),
            ).fetchall()
            count, total = con.execute(
                "SELECT count(*), coalesce(sum(length), 0) FROM search_docs"
            ).fetchone()
        except sqlite3.Error:
            return None
        found = {key: words.split(" ") if words else [] for key, words in rows}
        return found, Corpus(count, total / count if count else 0.0)
