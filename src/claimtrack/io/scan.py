"""Listing a claims folder: every YAML file with its stat, no file opened."""

from __future__ import annotations

import hashlib
import os
from operator import itemgetter
from pathlib import Path
from stat import S_ISREG
from typing import TYPE_CHECKING, NamedTuple

from claimtrack.io.files import (
    REGISTRY_DIR,
    REGISTRY_NAMES,
    display_path,
)

if TYPE_CHECKING:
    pass

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

    found: list[Found] = []
    regular, new_tuple = S_ISREG, tuple.__new__  # NamedTuples made without a Python call
    nested = False
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
        # Registry files are `sources.yaml` at the top and every file right inside `sources/`.
        all_registry = prefix == REGISTRY_DIR + "/"
        named_registry = REGISTRY_NAMES if not prefix else ()
        with listing:  # entries are used as they come: 100k of them held would cost 40 MB
            for entry in listing:
                name = entry.name
                if name.startswith("."):
                    continue
                try:
                    is_dir = entry.is_dir()
                except OSError:
                    is_dir = False
                if is_dir:
                    if not entry.is_symlink():
                        stack.append((prefix + name + "/", entry.path))
                        nested = True
                    continue
                if not name.endswith((".yaml", ".yml")):
                    continue
                info: FileStat | None = None
                if stat:
                    try:
                        got = entry.stat(follow_symlinks=False)
                        # Only plain files are cached: a FIFO would block the hash that checks
                        # a racy row, and a link's target can change without the link changing.
                        if regular(got.st_mode):
                            info = new_tuple(
                                FileStat,
                                (got.st_size, got.st_mtime_ns, got.st_ctime_ns, got.st_ino),
                            )
                    except OSError:
                        pass
                kind = REGISTRY if all_registry or name in named_registry else CLAIM
                found.append(new_tuple(Found, (prefix + name, kind, info)))
    # One folder: by name (sorting plain strings is several times quicker than tuples).
    found.sort(key=_sort_key if nested else itemgetter(0))
    return found


def _sort_key(found: Found) -> str:
    # The order of ``sorted(Path, ...)``, part by part: with NUL (in no file name) below every
    # character, comparing the joined strings compares the parts one by one.
    return found.rel.replace("/", "\0")


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
