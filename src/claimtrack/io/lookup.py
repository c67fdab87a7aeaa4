"""Finding one claim's files without listing the whole claims folder (the write side's lookups).

A one-claim edit needs every file named ``<id>.yaml`` or ``<id>.yml`` anywhere in the folder
(one is the claim, two are an error), and the registry files. ``iter_yaml_files`` finds them by
listing every folder, which at 100k claims costs more than the edit itself. Here each folder is
asked by name instead: two ``lstat`` calls for the two possible names, and its subfolders are
listed only when its link count does not already say it has none.

A folder's link count is 2 plus its number of subfolders on the file systems that keep the Unix
convention (ext4, XFS, tmpfs, APFS...); the others report 1, which never passes for "no subfolders",
so they are listed as before. A folder with subfolders is listed too, unless the subfolders it is
known to have (the registry's ``sources/``) account for its whole link count. The answers are those
of :func:`claimtrack.io.files.iter_yaml_files`: hidden names skipped, links to folders not followed,
sorted the same way. Nothing is cached, so nothing can be stale.
"""

from __future__ import annotations

import os
import stat
from collections.abc import Iterator
from pathlib import Path

from claimtrack.io.files import REGISTRY_DIR, REGISTRY_NAMES, YAML_SUFFIXES


def _listed_file(path: str) -> bool:
    """Whether ``iter_yaml_files`` lists ``path``: it exists and is not a folder (a link to one
    counts as a folder, a broken link as a file), as ``os.walk`` sorts entries."""
    return os.path.lexists(path) and not os.path.isdir(path)


def _real_folder(path: str) -> bool:
    """A folder ``os.walk(followlinks=False)`` goes into: a folder, not a link to one."""
    try:
        return stat.S_ISDIR(os.lstat(path).st_mode)
    except OSError:
        return False


def _link_count(folder: str) -> int:
    return os.stat(folder).st_nlink


def _subfolders(folder: str, expected: tuple[str, ...]) -> list[str]:
    """The non-hidden subfolders of ``folder`` that the walk goes into.

    Without listing ``folder`` when its link count proves that ``expected`` (those of them that
    exist) are all of them."""
    try:
        links = _link_count(folder)
    except OSError:
        return []
    if links >= 2:
        known = [name for name in expected if _real_folder(os.path.join(folder, name))]
        if links == 2 + len(known):
            return known
    found = []
    try:
        with os.scandir(folder) as entries:
            for entry in entries:
                if entry.name.startswith("."):
                    continue
                try:
                    if entry.is_dir() and not entry.is_symlink():
                        found.append(entry.name)
                except OSError:
                    continue
    except OSError:
        return []
    return found


def _folders(root: Path) -> Iterator[tuple[str, int]]:
    """Every folder the walk visits, with its depth below ``root`` (0 for ``root``)."""
    stack = [(str(root), 0)]
    while stack:
        folder, depth = stack.pop()
        yield folder, depth
        expected = (REGISTRY_DIR,) if depth == 0 else ()
        for name in _subfolders(folder, expected):
            stack.append((os.path.join(folder, name), depth + 1))


def _plain_stem(stem: str) -> bool:
    """A stem a listed file can have: not hidden, not a path, not empty."""
    bad = ("/", "\0", os.sep) + ((os.altsep,) if os.altsep else ())
    return bool(stem) and not stem.startswith(".") and not any(c in stem for c in bad)


def claim_files_named(root: Path, stem: str) -> list[Path]:
    """The claim files (not registry files) whose stem is ``stem``, sorted like the walk's."""
    if not _plain_stem(stem):
        return []
    found = []
    for folder, depth in _folders(root):
        for suffix in YAML_SUFFIXES:
            name = stem + suffix
            if depth == 0 and name in REGISTRY_NAMES:
                continue
            if depth == 1 and os.path.basename(folder) == REGISTRY_DIR:
                continue  # sources/*.yaml are registry files
            path = os.path.join(folder, name)
            if _listed_file(path):
                found.append(Path(path))
    return sorted(found)


def registry_files(root: Path) -> list[Path]:
    """``sources.yaml`` / ``sources.yml`` and ``sources/*.yaml``, sorted like the walk's."""
    found = [root / name for name in REGISTRY_NAMES if _listed_file(str(root / name))]
    folder = root / REGISTRY_DIR
    if _real_folder(str(folder)):
        try:
            with os.scandir(folder) as entries:
                for entry in entries:
                    if entry.name.startswith(".") or not entry.name.endswith(YAML_SUFFIXES):
                        continue
                    try:
                        is_dir = entry.is_dir()
                    except OSError:
                        is_dir = False
                    if not is_dir:
                        found.append(folder / entry.name)
        except OSError:
            pass
    return sorted(found)
