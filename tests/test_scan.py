"""The folder's listing (`io.scan`) finds what `iter_yaml_files` finds, in the same order.

The index is keyed by this listing and the dataset follows its order, so the quick scan and
the plain walk must agree on every tree, however its names sort.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from claimtrack.io.files import iter_yaml_files
from claimtrack.io.scan import CLAIM, REGISTRY, listing, scan

#: Names whose plain-string order differs from the order part by part ("a-b" < "a/x" < "a.yaml"
#: as strings sort "-" and "." below "/"), folders named like YAML files, hidden ones.
NAMES = st.sampled_from(
    [
        "a",
        "a-b",
        "a.yaml",
        "a b.yml",
        "b",
        "sources",
        "sources.yaml",
        "sources-old.yaml",
        "x.yaml",
        ".hidden.yaml",
        ".git",
        "z",
        "é.yaml",
        "A.yaml",
        "notes.txt",
    ]
)
TREE = st.lists(st.lists(NAMES, min_size=1, max_size=4), max_size=25)


def _build(root: Path, paths: list[list[str]], links: bool) -> None:
    for parts in paths:
        path = root.joinpath(*parts)
        try:
            if parts[-1].endswith((".yaml", ".yml", ".txt")):
                path.parent.mkdir(parents=True, exist_ok=True)
                if not path.exists():
                    path.write_text("id: x\n")
            else:
                path.mkdir(parents=True, exist_ok=True)
        except (FileExistsError, NotADirectoryError, IsADirectoryError):
            continue
    if links:
        for name, target in (
            ("dirlink", root / "a"),
            ("dirlink.yaml", root),
            ("l.yaml", root / "x"),
        ):
            if not os.path.lexists(root / name):
                (root / name).symlink_to(target)


@settings(max_examples=150, suppress_health_check=[HealthCheck.too_slow], deadline=None)
@given(paths=TREE, links=st.booleans(), stat=st.booleans())
def test_the_scan_lists_what_the_walk_finds_in_its_order(paths, links, stat) -> None:
    root = Path(tempfile.mkdtemp())
    try:
        _build(root, paths, links)
        walked = [p.relative_to(root).as_posix() for p in iter_yaml_files(root)]
        found = scan(root, stat=stat)
        assert [f.rel for f in found] == walked
        for f in found:
            top = f.rel in {"sources.yaml"} or (
                f.rel.startswith("sources/") and f.rel.count("/") == 1
            )
            assert f.kind == (REGISTRY if top else CLAIM), f.rel
            plain = (root / f.rel).is_file() and not (root / f.rel).is_symlink()
            assert (f.stat is not None) == (stat and plain), f.rel
    finally:
        shutil.rmtree(root)


def test_a_deep_nest_is_listed_without_recursion(tmp_path: Path) -> None:
    """Twelve hundred folders deep (beyond Python's recursion limit) is listed all the same."""
    folder = tmp_path / "nest"
    folder.mkdir()
    depth = 1200
    for _ in range(depth):
        folder = folder / "d"
        os.mkdir(folder)
    try:
        (folder / "deep.yaml").write_text("id: x\n")
        (tmp_path / "nest" / "top.yaml").write_text("id: y\n")
        rels = [f.rel for f in scan(tmp_path / "nest")]
        assert rels == ["/".join(["d"] * depth + ["deep.yaml"]), "top.yaml"]
    finally:  # taken down from the bottom: shutil.rmtree (and pytest's clean-up) would recurse
        (folder / "deep.yaml").unlink(missing_ok=True)
        while folder != tmp_path / "nest":
            folder.rmdir()
            folder = folder.parent


@settings(max_examples=100, suppress_health_check=[HealthCheck.too_slow], deadline=None)
@given(paths=TREE, links=st.booleans(), pick=st.integers(min_value=0), shown=st.text(max_size=5))
def test_the_listing_s_digest_changes_with_any_file_and_only_then(
    paths: list[list[str]], links: bool, pick: int, shown: str
) -> None:
    """What an unchanged folder's snapshot is kept under: the same for the same folder, another
    once any file is touched, added or gone, and none while a file has no stat to compare."""
    root = Path(tempfile.mkdtemp())
    try:
        _build(root, paths, links)
        first = listing(root)
        found = first.found()
        assert found == scan(root)
        if any(f.stat is None for f in found):  # a link to a file: only its rows can tell
            assert first.digest(shown) is None
            return
        digest = first.digest(shown)
        assert digest is not None
        assert listing(root).digest(shown) == digest
        assert listing(root).digest(shown + "/") != digest  # paths shown otherwise
        assert listing(root, stat=False).digest(shown) is None
        if not found:
            return
        assert digest[1] == max(f.stat.mtime_ns for f in found if f.stat)
        chosen = root / found[pick % len(found)].rel
        stat = chosen.stat()
        os.utime(chosen, ns=(stat.st_atime_ns, stat.st_mtime_ns + 1))
        assert listing(root).digest(shown) != digest
        os.utime(chosen, ns=(stat.st_atime_ns, stat.st_mtime_ns))
        touched = listing(root).digest(shown)
        assert touched is not None
        # Put back, the mtime still leaves the ctime changed, unless both changes fell in one
        # tick of the ctime's clock: then the two stats are the same, and nothing can tell.
        assert (touched[0] != digest[0]) == (chosen.stat().st_ctime_ns != stat.st_ctime_ns)
        chosen.rename(chosen.with_name(chosen.name + ".yml"))
        assert listing(root).digest(shown) != touched
        chosen.with_name(chosen.name + ".yml").unlink()
        assert listing(root).digest(shown) != touched
    finally:
        shutil.rmtree(root)


def test_a_file_past_64_bit_stats_is_listed_and_read_row_by_row(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """An inode number beyond 2**63 (some file systems give one) does not fit the digest's
    numbers: the file keeps its stat, and the folder goes row by row."""
    (tmp_path / "a.yaml").write_text("id: a\n")
    (tmp_path / "b.yaml").write_text("id: b\n")
    plain = listing(tmp_path)
    assert plain.digest("") is not None

    class Huge:
        def __init__(self, stat: os.stat_result) -> None:
            self._stat = stat

        def __getattr__(self, name: str) -> object:
            return 2**64 - 5 if name == "st_ino" else getattr(self._stat, name)

    original = os.scandir

    class Entry:
        def __init__(self, entry: os.DirEntry[str]) -> None:
            self._entry = entry
            self.name, self.path = entry.name, entry.path

        def stat(self, follow_symlinks: bool = True) -> object:
            got = self._entry.stat(follow_symlinks=follow_symlinks)
            return Huge(got) if self.name == "b.yaml" else got

        def is_dir(self) -> bool:
            return self._entry.is_dir()

        def is_symlink(self) -> bool:
            return self._entry.is_symlink()

    class Listing:
        def __init__(self, folder: str) -> None:
            self._it = original(folder)

        def __enter__(self) -> Listing:
            return self

        def __exit__(self, *exc: object) -> None:
            self._it.close()

        def __iter__(self):  # type: ignore[no-untyped-def]
            return (Entry(e) for e in self._it)

    monkeypatch.setattr(os, "scandir", Listing)
    huge = listing(tmp_path)
    assert huge.digest("") is None
    by_rel = {f.rel: f.stat for f in huge.found()}
    assert by_rel["b.yaml"] is not None and by_rel["b.yaml"].ino == 2**64 - 5
    assert by_rel["a.yaml"] == next(f.stat for f in plain.found() if f.rel == "a.yaml")
