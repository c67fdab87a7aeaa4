"""Quotes against archived source text: every claim's quote must be found in its source.

A source's archived text lives in ``<claims>/sources/<id>.txt`` and its sha256 in the registry
(``text_sha256``). Rules, all reported as located Problems:

* ``archive-changed`` (error): the file's sha256 is not the registered one; quotes are still
  checked against the text as it is now, so the damage shows.
* ``archive-missing`` (error): ``text_sha256`` is registered but the file is not there.
* ``archive-unhashed`` (warning): the file is there but the registry holds no ``text_sha256``.
* ``archive-unreadable`` (error): not UTF-8, or not a regular file.
* ``quote-missing`` (error): the quote is not in the text (the closest passage is suggested).
* ``quote-context`` (error): the quote is there, but never next to the given prefix or suffix.
* ``quote-ambiguous`` (warning): the quote occurs more than once; add a prefix or suffix.

A quote is never re-anchored to similar text: the suggestion is only a message.
"""

from __future__ import annotations

import hashlib
import stat
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from claimtrack import anchor
from claimtrack.load import REGISTRY_DIR, display_path
from claimtrack.problems import Level, Problem

if TYPE_CHECKING:
    from claimtrack.checks import Locator
    from claimtrack.load import ClaimRecord, Dataset

ARCHIVE_SUFFIX = ".txt"
#: Archived texts larger than this are refused (an article, not a book).
MAX_ARCHIVE_BYTES = 8 * 1024 * 1024


def archive_path(root: Path, source_id: str) -> Path:
    """Where the archived text of a source lives."""
    return root / REGISTRY_DIR / f"{source_id}{ARCHIVE_SUFFIX}"


def sha256_of(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


@dataclass
class Archives:
    """The archived texts of a dataset's sources, read once, with the problems found on the way."""

    texts: dict[str, anchor.Normalized] = field(default_factory=dict)
    problems: list[Problem] = field(default_factory=list)

    def text(self, source_id: str) -> anchor.Normalized | None:
        return self.texts.get(source_id)


def read_archives(dataset: Dataset) -> Archives:
    """Every source's archived text, checked against its registered sha256."""
    archives = Archives()
    for sid, record in sorted(dataset.sources.items()):
        path = archive_path(dataset.root, sid)
        shown = display_path(path)
        where = (record.path, record.line, 1)
        expected = record.source.text_sha256
        try:
            info = path.stat()
        except FileNotFoundError:
            if expected is not None:
                archives.problems.append(
                    Problem(
                        *where,
                        Level.ERROR,
                        "archive-missing",
                        f"text_sha256 is registered but {shown} does not exist",
                        f"{sid}.text_sha256",
                    )
                )
            continue
        except OSError as exc:
            archives.problems.append(
                Problem(
                    shown, 0, 0, Level.ERROR, "archive-unreadable", f"cannot read: {exc.strerror}"
                )
            )
            continue
        if not stat.S_ISREG(info.st_mode) or info.st_size > MAX_ARCHIVE_BYTES:
            archives.problems.append(
                Problem(
                    shown,
                    0,
                    0,
                    Level.ERROR,
                    "archive-unreadable",
                    f"not a regular file of at most {MAX_ARCHIVE_BYTES} bytes",
                )
            )
            continue
        data = path.read_bytes()
        digest = sha256_of(data)
        if expected is None:
            archives.problems.append(
                Problem(
                    *where,
                    Level.WARNING,
                    "archive-unhashed",
                    f"{shown} has no text_sha256 in the registry; add `text_sha256: {digest}` once "
                    "you have checked the text",
                    sid,
                )
            )
        elif digest != expected:
            archives.problems.append(
                Problem(
                    *where,
                    Level.ERROR,
                    "archive-changed",
                    f"{shown} changed: its sha256 is {digest}, the registry says {expected}; "
                    "check the quotes below, then update text_sha256",
                    f"{sid}.text_sha256",
                )
            )
        try:
            text = data.decode("utf-8-sig")
        except UnicodeDecodeError as exc:
            archives.problems.append(
                Problem(
                    shown,
                    0,
                    0,
                    Level.ERROR,
                    "archive-unreadable",
                    f"not UTF-8 (byte {exc.start}): quotes cannot be checked",
                )
            )
            continue
        archives.texts[sid] = anchor.normalize(text)
    return archives


@dataclass(frozen=True)
class QuoteCheck:
    """Where one quote was looked for and what was found."""

    source: str
    matches: tuple[anchor.Match, ...]
    total: int  # occurrences before prefix and suffix were applied


def check_quote(
    quote: str, source_id: str, text: anchor.Normalized, prefix: str | None, suffix: str | None
) -> QuoteCheck:
    matches, total = anchor.find(quote, text, prefix, suffix)
    return QuoteCheck(source_id, tuple(matches), total)


def _quote_problems(
    record: ClaimRecord,
    loc: tuple[str | int, ...],
    quote: str,
    source_id: str,
    archives: Archives,
    prefix: str | None,
    suffix: str | None,
    locate: Locator,
) -> list[Problem]:
    text = archives.text(source_id)
    assert text is not None
    result = check_quote(quote, source_id, text, prefix, suffix)
    where = f"sources/{source_id}{ARCHIVE_SUFFIX}"
    line, col = locate(record.path, loc)
    from claimtrack.load import dotted

    field_name = dotted(loc)

    def problem(level: Level, rule: str, message: str) -> Problem:
        return Problem(record.path, line, col, level, rule, message, field_name)

    count = len(result.matches)
    if count == 1:
        return []
    if count > 1:
        extra = " even with the given prefix/suffix" if prefix or suffix else ""
        return [
            problem(
                Level.WARNING,
                "quote-ambiguous",
                f"the quote occurs {count} times in {where}{extra}; add a prefix or "
                "suffix (the words just before or after it) to pick one",
            )
        ]
    if result.total:
        return [
            problem(
                Level.ERROR,
                "quote-context",
                f"the quote occurs {result.total} times in {where}, but never with the "
                "given prefix/suffix",
            )
        ]
    hint = ""
    suggestion = anchor.closest(quote, text)
    if suggestion is not None and suggestion.ratio >= 0.5:
        from claimtrack.escape import one_line

        hint = (
            f"; the closest passage ({round(suggestion.ratio * 100)}% alike) is "
            f"{one_line(suggestion.passage)!r}"
        )
    return [problem(Level.ERROR, "quote-missing", f"the quote is not in {where}{hint}")]


@dataclass(frozen=True)
class Verification:
    """What ``verify`` found: the problems, how many quotes were checked, against how many texts."""

    problems: list[Problem]
    quotes: int
    texts: int

    def to_dict(self) -> dict[str, object]:
        return {
            "quotes": self.quotes,
            "texts": self.texts,
            "errors": sum(p.level is Level.ERROR for p in self.problems),
            "warnings": sum(p.level is Level.WARNING for p in self.problems),
            "problems": [p.to_dict() for p in self.problems],
        }


def verify(dataset: Dataset) -> Verification:
    """Check every archive against its hash and every quote against its source's archive."""
    from claimtrack.checks import Locator

    archives = read_archives(dataset)
    locate = Locator()
    problems = list(archives.problems)
    checked = 0
    for record in dataset.claims:
        claim = record.claim
        if claim.quote and archives.text(claim.appears_in) is not None:
            checked += 1
            problems += _quote_problems(
                record,
                ("quote",),
                claim.quote,
                claim.appears_in,
                archives,
                claim.prefix,
                claim.suffix,
                locate,
            )
        for i, item in enumerate(claim.evidence):
            if item.quote and archives.text(item.source) is not None:
                checked += 1
                problems += _quote_problems(
                    record,
                    ("evidence", i, "quote"),
                    item.quote,
                    item.source,
                    archives,
                    None,
                    None,
                    locate,
                )
    problems.sort()
    return Verification(problems, checked, len(archives.texts))


def verify_dataset(dataset: Dataset) -> list[Problem]:
    """Archive and quote problems of a loaded dataset, sorted."""
    return verify(dataset).problems


def quote_in_context(dataset: Dataset, record: ClaimRecord) -> tuple[str, str, str] | None:
    """The claim's quote inside its sentence, (before, quote, after), when it is found once."""
    claim = record.claim
    if not claim.quote:
        return None
    archives = read_archives_of(dataset, claim.appears_in)
    if archives is None:
        return None
    matches, _ = anchor.find(claim.quote, archives, claim.prefix, claim.suffix)
    if len(matches) != 1:
        return None
    return anchor.sentence_around(archives.original, matches[0].start, matches[0].end)


def read_archives_of(dataset: Dataset, source_id: str) -> anchor.Normalized | None:
    """The normalised archived text of one source, or None when there is none readable."""
    path = archive_path(dataset.root, source_id)
    try:
        if not path.is_file() or path.stat().st_size > MAX_ARCHIVE_BYTES:
            return None
        return anchor.normalize(path.read_bytes().decode("utf-8-sig"))
    except (OSError, UnicodeDecodeError):
        return None
