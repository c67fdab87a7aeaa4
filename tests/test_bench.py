"""The benchmark's generator writes valid, realistic, reproducible claim folders."""

from __future__ import annotations

from pathlib import Path

import pytest
from tests.test_fastload import generate

from claimtrack.cache import load_dataset
from claimtrack.core.problem import Level


@pytest.mark.parametrize("layout", ["flat", "nested"])
def test_generated_folders_are_valid(tmp_path: Path, layout: str) -> None:
    root = generate.generate(tmp_path / layout, 250, layout, seed=11)
    dataset = load_dataset(root, cache=False)
    assert [p.format() for p in dataset.problems if p.level is Level.ERROR] == []
    assert len(dataset.claims) == 250
    assert len(dataset.sources) == 3 + 20  # three articles and the shared pool
    statuses = {
        e
        for e in (
            r.derivation({sid: rec.source for sid, rec in dataset.sources.items()}).status
            for r in dataset.claims
        )
    }
    assert len(statuses) == 4  # every status occurs, as in a real folder
    folders = {path.parent for path in root.rglob("*-*.yaml")}
    assert len(folders) == (3 if layout == "nested" else 1)


def test_the_generator_is_seeded(tmp_path: Path) -> None:
    one = generate.generate(tmp_path / "one", 30, seed=5)
    two = generate.generate(tmp_path / "two", 30, seed=5)
    other = generate.generate(tmp_path / "other", 30, seed=6)
    read = lambda root: {p.name: p.read_bytes() for p in root.iterdir()}  # noqa: E731
    assert read(one) == read(two) != read(other)


def test_broken_files_are_found_at_their_place(tmp_path: Path) -> None:
    root = generate.generate(tmp_path / "broken", 200, seed=2, broken=0.1)
    errors = [p for p in load_dataset(root, cache=False).problems if p.level is Level.ERROR]
    assert errors and all(p.line > 0 and p.col > 0 for p in errors)
    assert {p.rule for p in errors} <= {"value", "unknown-field", "required"}


def test_sizes() -> None:
    assert [generate.count(s) for s in ("1k", "10k", "100k", "2500")] == [1000, 10000, 100000, 2500]
