"""Listing a claims folder: every YAML file with its stat, no file opened."""

from __future__ import annotations

import hashlib
import os
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


def scan(root: Path, stat: bool = True) -> list[Found]:
    """Every YAML file under ``root`` in the order of :func:`claimtrack.io.files.iter_yaml_files`
    (path part by part), with their ``stat`` (only the index needs it)."""
    from claimtrack.core.errors import EnvironmentProblem

    # Each folder's files (relative paths, in listing order) and its sub-folders' names.
    folders: dict[str, tuple[list[Found], list[str]]] = {}
    regular, new_tuple, yaml = S_ISREG, tuple.__new__, (".yaml", ".yml")
    stack = [("", str(root))]
    while stack:
        prefix, folder = stack.pop()
        try:
            listing = os.scandir(folder)
        except OSError as exc:
            if not prefix:  # the claims folder itself
                raise EnvironmentProblem(
                    f"cannot read claims folder {display_path(root)}: {exc.strerror}"
                ) from None
            continue
        files: list[Found] = []
        subfolders: list[str] = []
        folders[prefix] = (files, subfolders)
        # Registry files are `sources.yaml` at the top and every file right inside `sources/`.
        all_registry = prefix == REGISTRY_DIR + "/"
        named_registry = REGISTRY_NAMES if not prefix else ()
        with listing:  # entries are used as they come: 100k of them held would cost 40 MB
            for entry in listing:
                name = entry.name
                if name[0] == ".":
                    continue
                if not name.endswith(yaml):
                    if _folder(entry):
                        subfolders.append(name)
                        stack.append((prefix + name + "/", entry.path))
                    continue
                info: FileStat | None = None
                try:
                    got = entry.stat(follow_symlinks=False) if stat else None
                except OSError:
                    got = None
                # Only plain files are cached: a FIFO would block the hash that checks a racy
                # row, and a link's target can change without the link changing.
                if got is not None and regular(got.st_mode):
                    info = new_tuple(
                        FileStat, (got.st_size, got.st_mtime_ns, got.st_ctime_ns, got.st_ino)
                    )
                else:
                    folder_named_yaml = _folder(entry)
                    if folder_named_yaml is not None:
                        if folder_named_yaml:
                            subfolders.append(name)
                            stack.append((prefix + name + "/", entry.path))
                        continue
                kind = REGISTRY if all_registry or name in named_registry else CLAIM
                files.append(new_tuple(Found, (prefix + name, kind, info)))
    return _in_order(folders)


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
