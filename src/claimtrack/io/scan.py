"""Listing a claims folder: every YAML file with its stat, no file opened."""

from __future__ import annotations

import hashlib
import os
from array import array
from bisect import bisect_left
from operator import itemgetter
from pathlib import Path
from stat import S_ISREG
from typing import NamedTuple

from claimtrack.io.files import (
    REGISTRY_DIR,
    REGISTRY_NAMES,
    display_path,
)

CLAIM, REGISTRY = "claim", "registry"


class FileStat(NamedTuple):
    """What tells that a file changed without opening it (a tuple: compared with index rows)."""

    size: int
    mtime_ns: int
    ctime_ns: int
    ino: int


class Found(NamedTuple):
    """One YAML file of the folder: its path relative to the root, its kind and its stat (a
    tuple: a warm load makes one per file)."""

    rel: str
    kind: str
    stat: FileStat | None  # None: cannot be stat'ed (a broken link); never cached


def _registry_rel(rel: str) -> bool:
    """:func:`claimtrack.io.files._is_registry` on a ``/``-separated relative path, without Path."""
    head, _, tail = rel.partition("/")
    return rel in REGISTRY_NAMES if not tail else head == REGISTRY_DIR and "/" not in tail


class FolderListing:
    """Every YAML file under a root as the scan met them (folder by folder, each in the order
    the system lists it): their paths, and their stats as four numbers each.

    A warm command needs only its :meth:`digest` (what an unchanged folder's snapshot is kept
    under); the :class:`Found` rows, in the order of the walk, are made only when asked."""

    __slots__ = ("_big", "_folders", "_unusable", "numbers", "rels", "stated")

    def __init__(self, stated: bool) -> None:
        self.rels: list[str] = []
        #: size, mtime_ns, ctime_ns and inode of every file (zeros for one without a stat).
        self.numbers = array("q")
        self.stated = stated
        self._unusable: set[int] = set()  # files with no stat to compare (links, FIFOs, errors)
        self._big: dict[int, FileStat] = {}  # stats past 2**63 (an inode on some file systems)
        #: each folder's prefix -> its files' positions (start, end) and its sub-folders' names
        self._folders: dict[str, tuple[int, int, list[str]]] = {}

    def digest(self, shown: str) -> tuple[str, int] | None:
        """A hash of every path and stat, with ``shown`` (what else the listing stands for), and
        the newest mtime; None when a file has no usable stat (then go row by row). A folder
        listed in another order hashes otherwise: that is only a snapshot missed."""
        if not self.stated or self._unusable or self._big:
            return None
        digest = hashlib.blake2b(digest_size=20)
        # Piece by piece: the names of 100k files joined are megabytes, not copied again.
        digest.update(shown.encode("utf-8", "surrogateescape"))
        digest.update(b"\0")
        digest.update("\0".join(self.rels).encode("utf-8", "surrogateescape"))
        digest.update(b"\1")
        digest.update(self.numbers)
        return digest.hexdigest(), max(self.numbers[1::4], default=0)

    def found(self) -> list[Found]:
        """Every file as a :class:`Found`, in the order of
        :func:`claimtrack.io.files.iter_yaml_files` (path part by part)."""
        rels, numbers, unusable, big = self.rels, self.numbers, self._unusable, self._big
        new_tuple = tuple.__new__
        folders: dict[str, tuple[list[Found], list[str]]] = {}
        for prefix, (start, end, subfolders) in self._folders.items():
            # Registry files are `sources.yaml` at the top and every file right inside
            # `sources/`.
            all_registry = prefix == REGISTRY_DIR + "/"
            named_registry = REGISTRY_NAMES if not prefix else ()
            cut = len(prefix)
            files: list[Found] = []
            for at in range(start, end):
                rel = rels[at]
                kind = REGISTRY if all_registry or rel[cut:] in named_registry else CLAIM
                info: FileStat | None = None
                if self.stated and at not in unusable:
                    info = big.get(at) or new_tuple(FileStat, numbers[4 * at : 4 * at + 4])
                files.append(new_tuple(Found, (rel, kind, info)))
            folders[prefix] = (files, subfolders)
        return _in_order(folders)


def scan(root: Path, stat: bool = True) -> list[Found]:
    """Every YAML file under ``root`` in the order of :func:`claimtrack.io.files.iter_yaml_files`
    (path part by part), with their ``stat`` (only the index needs it)."""
    return listing(root, stat).found()


def listing(root: Path, stat: bool = True) -> FolderListing:
    """Every YAML file under ``root`` with its ``stat`` (only the index needs it), no file
    opened, as a :class:`FolderListing`."""
    from claimtrack.core.errors import EnvironmentProblem

    scanned = FolderListing(stat)
    rels, numbers, unusable = scanned.rels, scanned.numbers, scanned._unusable
    append, extend = rels.append, numbers.extend
    regular, yaml, none = S_ISREG, (".yaml", ".yml"), (0, 0, 0, 0)
    stack = [("", str(root))]
    while stack:
        prefix, folder = stack.pop()
        try:
            entries = os.scandir(folder)
        except OSError as exc:
            if not prefix:  # the claims folder itself
                raise EnvironmentProblem(
                    f"cannot read claims folder {display_path(root)}: {exc.strerror}"
                ) from None
            continue
        start = len(rels)
        subfolders: list[str] = []
        with entries:  # entries are used as they come: 100k of them held would cost 40 MB
            for entry in entries:
                name = entry.name
                if name[0] == ".":
                    continue
                if not name.endswith(yaml):
                    if _folder(entry):
                        subfolders.append(name)
                        stack.append((prefix + name + "/", entry.path))
                    continue
                try:
                    got = entry.stat(follow_symlinks=False) if stat else None
                except OSError:
                    got = None
                # Only plain files are cached: a FIFO would block the hash that checks a racy
                # row, and a link's target can change without the link changing.
                if got is not None and regular(got.st_mode):
                    at = len(rels)
                    try:
                        extend((got.st_size, got.st_mtime_ns, got.st_ctime_ns, got.st_ino))
                    except OverflowError:
                        del numbers[4 * at :]
                        extend(none)
                        scanned._big[at] = FileStat(
                            got.st_size, got.st_mtime_ns, got.st_ctime_ns, got.st_ino
                        )
                else:
                    folder_named_yaml = _folder(entry)
                    if folder_named_yaml is not None:
                        if folder_named_yaml:
                            subfolders.append(name)
                            stack.append((prefix + name + "/", entry.path))
                        continue
                    if stat:  # unstated, no file has numbers to compare
                        unusable.add(len(rels))
                    extend(none)
                append(prefix + name)
        scanned._folders[prefix] = (start, len(rels), subfolders)
    return scanned


def _folder(entry: os.DirEntry[str]) -> bool | None:
    """None for what is not a folder; True for a folder to look into, False for a link to one
    (links are not followed out of the claims folder)."""
    try:
        return (not entry.is_symlink()) if entry.is_dir() else None
    except OSError:
        return None


def _in_order(folders: dict[str, tuple[list[Found], list[str]]]) -> list[Found]:
    """The files of every folder in the order of ``sorted(Path, ...)``, part by part: within a
    folder, files and sub-folders by name, each sub-folder's files where its name sorts."""
    top, subfolders = folders[""]
    top.sort(key=_rel)  # plain strings: several times quicker than comparing tuples
    if not subfolders:
        return top
    found: list[Found] = []
    # Depth first without recursion (a hostile folder can nest thousands deep): a stack of
    # (files, next file, sub-folders by name, next sub-folder, prefix).
    stack = [(top, 0, sorted(subfolders), 0, "")]
    while stack:
        files, at, subs, sub, prefix = stack.pop()
        if sub < len(subs):
            until = bisect_left(files, prefix + subs[sub], lo=at, key=_rel)
            found.extend(files[at:until])
            stack.append((files, until, subs, sub + 1, prefix))
            inner = prefix + subs[sub] + "/"
            if inner in folders:
                inner_files, inner_subs = folders[inner]
                inner_files.sort(key=_rel)
                stack.append((inner_files, 0, sorted(inner_subs), 0, inner))
        else:
            found.extend(files[at:])
    return found


_rel = itemgetter(0)


def digest(raw: bytes) -> str:
    return hashlib.blake2b(raw, digest_size=16).hexdigest()


def file_digest(raw: bytes) -> str:
    """The sha256 of a file's bytes: what the index compares, and what reports cite."""
    return hashlib.sha256(raw).hexdigest()


def folder_digests(root: Path) -> dict[str, str]:
    """The sha256 of every YAML file of the folder by relative path ("" when unreadable), for a
    dataset that was not read with them."""
    digests = {}
    for found in scan(root, stat=False):
        try:
            digests[found.rel] = file_digest((root / found.rel).read_bytes())
        except OSError:
            digests[found.rel] = ""  # unreadable files are already problems
    return digests
