"""The folder's listing (`io.scan`) finds what `iter_yaml_files` finds, in the same order.

The index is keyed by this listing and the dataset follows its order, so the quick scan and
the plain walk must agree on every tree, however its names sort.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from claimtrack.io.files import iter_yaml_files
from claimtrack.io.scan import CLAIM, REGISTRY, scan

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
