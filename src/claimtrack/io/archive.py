"""Archived source texts (``sources/<id>.txt``): read once, checked against their sha256."""

from __future__ import annotations

import hashlib
import os
import stat
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, NamedTuple

from claimtrack.core.problem import Level, Problem
from claimtrack.io.files import REGISTRY_DIR, display_path

if TYPE_CHECKING:
    from claimtrack.core import anchor
    from claimtrack.core.dataset import ClaimRecord, Dataset, SourceRecord


ARCHIVE_SUFFIX = ".txt"


#: Archived texts larger than this are refused (an article, not a book).
MAX_ARCHIVE_BYTES = 8 * 1024 * 1024


def archive_path(root: Path, source_id: str) -> Path:
    """Where the archived text of a source lives."""
    return root / REGISTRY_DIR / f"{source_id}{ARCHIVE_SUFFIX}"


def sha256_of(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


class ArchiveFile(NamedTuple):
    """One ``sources/<id>.txt`` as found: its bytes, or why there are none."""

    data: bytes | None
    error: str = ""  # "unreadable: <reason>" or "irregular" when ``data`` is None


def read_archive_files(root: Path) -> dict[str, ArchiveFile]:
    """Every ``sources/*.txt`` of the folder by source id, read once per run."""
    folder = root / REGISTRY_DIR
    files: dict[str, ArchiveFile] = {}
    try:
        entries = sorted(os.scandir(folder), key=lambda e: e.name)
    except OSError:
        return files
    for entry in entries:
        if not entry.name.endswith(ARCHIVE_SUFFIX):
            continue
        sid = entry.name[: -len(ARCHIVE_SUFFIX)]
        try:
            info = os.stat(entry.path)
            if not stat.S_ISREG(info.st_mode) or info.st_size > MAX_ARCHIVE_BYTES:
                files[sid] = ArchiveFile(None, "irregular")
                continue
            with open(entry.path, "rb") as handle:
                files[sid] = ArchiveFile(handle.read(MAX_ARCHIVE_BYTES + 1))
        except OSError as exc:
            files[sid] = ArchiveFile(None, f"unreadable: {exc.strerror}")
    return files


def archive_stats(root: Path) -> tuple[str, int]:
    """What the archived texts are as far as their stat tells, without reading one: a
    fingerprint of every ``sources/*.txt``'s stat (a text changed since has another), and the
    newest mtime among them (a change within a tick of a scan may not show in the stat: an
    index then goes by the texts). An index keys the snapshot of a folder by it, so that an
    unchanged folder is answered without reading megabytes of archived texts."""
    parts, newest = [], 0
    try:
        entries = sorted(os.scandir(root / REGISTRY_DIR), key=lambda e: e.name)
    except OSError:
        entries = []
    for entry in entries:
        if not entry.name.endswith(ARCHIVE_SUFFIX):
            continue
        try:
            info = os.stat(entry.path)  # followed, as the text is read
        except OSError as exc:
            parts.append(f"{entry.name}\0unreadable: {exc.strerror}")
            continue
        parts.append(
            f"{entry.name}\0{info.st_mode}\0{info.st_size}\0{info.st_mtime_ns}"
            f"\0{info.st_ctime_ns}\0{info.st_ino}"
        )
        newest = max(newest, info.st_mtime_ns)
    joined = "\n".join(parts).encode("utf-8", "surrogateescape")
    return "stat:" + hashlib.blake2b(joined).hexdigest(), newest


def archived_texts(root: Path) -> dict[str, str]:
    """The folder's archived texts that are UTF-8, by source id (what JSON Lines carries)."""
    texts = {}
    for sid, found in read_archive_files(root).items():
        if found.data is None:
            continue
        try:
            texts[sid] = found.data.decode("utf-8")
        except UnicodeDecodeError:
            continue
    return texts


def archives_fingerprint(files: Mapping[str, ArchiveFile]) -> str:
    """What the quote checks depend on besides the claims and the registry."""
    parts = [
        f"{sid}\0{sha256_of(f.data) if f.data is not None else f.error}"
        for sid, f in sorted(files.items())
    ]
    return hashlib.blake2b("\n".join(parts).encode("utf-8", "surrogateescape")).hexdigest()


@dataclass
class Archives:
    """The archived texts of a folder's sources, each normalised at most once (when a quote is
    first looked for in it), with the problems found reading them."""

    #: The decoded text of every readable archive, by source id.
    raw: dict[str, str] = field(default_factory=dict)
    problems: list[Problem] = field(default_factory=list)
    #: The sha256 of every archive read, by source id: claims naming it are checked again
    #: when it changes.
    digests: dict[str, str] = field(default_factory=dict)
    _normalized: dict[str, anchor.Normalized] = field(default_factory=dict, repr=False)
    #: How many texts ``raw`` held when they were let go of (:meth:`release`).
    _released: int = field(default=0, repr=False)

    @property
    def readable(self) -> int:
        """How many archived texts were read and decoded (quotes were checked against them)."""
        return self._released or len(self.raw)

    def release(self) -> None:
        """Let go of the texts once the workers that check the quotes hold them (forked with
        them): this process then only reports the problems and the count."""
        self._released = len(self.raw)
        self.raw = {}
        self._normalized = {}

    def __contains__(self, source_id: object) -> bool:
        return source_id in self.raw

    def text(self, source_id: str) -> anchor.Normalized | None:
        normalized = self._normalized.get(source_id)
        if normalized is None:
            raw = self.raw.get(source_id)
            if raw is None:
                return None
            from claimtrack.core.anchor import normalize

            normalized = self._normalized[source_id] = normalize(raw)
        return normalized


def read_archives(
    root: Path,
    sources: Mapping[str, SourceRecord],
    files: Mapping[str, ArchiveFile] | None = None,
) -> Archives:
    """Every registered source's archived text, checked against its registered sha256.

    ``files`` are the archives as :func:`read_archive_files` read them (read now without)."""
    if files is None:
        files = read_archive_files(root)
    archives = Archives()
    for sid, record in sorted(sources.items()):
        shown = display_path(archive_path(root, sid))
        where = (record.path, record.line, 1)
        expected = record.source.text_sha256
        found = files.get(sid)
        if found is None:
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
        if found.data is None:
            reason = (
                f"not a regular file of at most {MAX_ARCHIVE_BYTES} bytes"
                if found.error == "irregular"
                else f"cannot read: {found.error.partition(': ')[2]}"
            )
            archives.problems.append(
                Problem(shown, 0, 0, Level.ERROR, "archive-unreadable", reason)
            )
            continue
        data = found.data
        if len(data) > MAX_ARCHIVE_BYTES:  # grown since it was stat'ed
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
        digest = archives.digests[sid] = sha256_of(data)
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
        archives.raw[sid] = text
    return archives


def quote_in_context(dataset: Dataset, record: ClaimRecord) -> tuple[str, str, str] | None:
    """The claim's quote inside its sentence, (before, quote, after), when it is found once."""
    claim = record.claim
    if not claim.quote:
        return None
    archives = read_archives_of(dataset, claim.appears_in)
    if archives is None:
        return None
    from claimtrack.core.anchor import find, sentence_around

    matches, _ = find(claim.quote, archives, claim.prefix, claim.suffix)
    if len(matches) != 1:
        return None
    return sentence_around(archives.original, matches[0].start, matches[0].end)


def read_archives_of(dataset: Dataset, source_id: str) -> anchor.Normalized | None:
    """The normalised archived text of one source, or None when there is none readable."""
    path = archive_path(dataset.root, source_id)
    try:
        if not path.is_file() or path.stat().st_size > MAX_ARCHIVE_BYTES:
            return None
        from claimtrack.core.anchor import normalize

        return normalize(path.read_bytes().decode("utf-8-sig"))
    except (OSError, UnicodeDecodeError):
        return None
