"""Lossless round trips: ClaimReview, CSV and JSON Lines export -> import -> export give the
same bytes, for claims and the registry (types, registry fields, archived texts), and every
imported file is already in the canonical layout."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest
from tests.conftest import SHARED, claim_yaml

from claimtrack.cache import load_dataset

COMPLETE = SHARED / "data" / "claimreview" / "claimreview-claimskg.jsonld"
ARCHIVE = "The wire said: the bridge is 12 km long.\nZWNJ: می\u200cخواهم\n"

SOURCES = f"""\
sources:
  - id: wire
    title: A wire report
    publisher: A Wire
    url: https://example.org/wire
    date: 2026-01-04
    retrieved: 2026-01-05
    kind: report
    reliability: B
    author: A. Writer
    text_sha256: {hashlib.sha256(ARCHIVE.encode()).hexdigest()}
    language: en
    notes: Kept for the bridge claims.
  - id: article
    title: An article
    publisher: A Paper
    url: https://example.org/article
    kind: article
    reliability: F
    derived_from:
      - wire
"""


def _export(run, folder: Path, fmt: str) -> str:
    result = run(["--no-cache", "--dir", str(folder), "export", "--format", fmt])
    assert result.exit_code == 0, result.stderr
    return result.stdout


def _reimport(run, text: str, fmt: str, tmp_path: Path) -> Path:
    path = tmp_path / f"export.{fmt}"
    path.write_text(text, encoding="utf-8", newline="")
    folder = tmp_path / f"again-{fmt}"
    folder.mkdir()
    args = ["--no-cache", "--dir", str(folder), "import", str(path), "--format", fmt, "--write"]
    result = run(args)
    assert result.exit_code == 0, result.stderr
    return folder


def _canonical(run, folder: Path) -> None:
    result = run(["--no-cache", "--dir", str(folder), "fmt", "--check"])
    assert result.exit_code == 0 and result.stdout == "", result.stdout


@pytest.fixture(scope="module")
def real(tmp_path_factory: pytest.TempPathFactory) -> Path:
    from typer.testing import CliRunner

    from claimtrack.cli import app

    folder = tmp_path_factory.mktemp("real") / "claims"
    folder.mkdir()
    result = CliRunner().invoke(
        app, ["--no-cache", "--dir", str(folder), "import", str(COMPLETE), "--write"]
    )
    assert result.exit_code == 0, result.stderr
    return folder


def _tree(folder: Path) -> dict[str, bytes]:
    return {
        str(p.relative_to(folder)): p.read_bytes()
        for p in sorted(folder.rglob("*"))
        if p.is_file() and p.suffix in (".yaml", ".txt")
    }


@pytest.mark.parametrize("fmt", ["claimreview", "csv", "jsonl"])
def test_real_data_round_trips_byte_for_byte(run, real, tmp_path, fmt):
    first = _export(run, real, fmt)
    again = _reimport(run, first, fmt, tmp_path)
    assert _export(run, again, fmt) == first
    _canonical(run, again)
    if fmt != "claimreview":  # the same files, byte for byte, as the first import wrote
        assert _tree(again) == _tree(real)


@pytest.fixture
def graded(make_claims) -> Path:
    folder = make_claims(
        {
            "bridge": claim_yaml(
                "bridge",
                statement="The bridge is 12 km long.",
                quote="the bridge is 12 km long",
                quantity="\n  value: 12\n  unit: km\n  measure: bridge length",
                language="en",
                verdict=(
                    "\n  rating: Mostly True\n  rating_value: 4\n  best_rating: 5\n"
                    "  worst_rating: 1\n  url: https://check.example/bridge\n"
                    "  headline: How long is the bridge?\n  reviewer: Checkers\n"
                    "  reviewer_url: https://check.example/\n  reviewer_same_as:\n"
                    "    - https://social.example/checkers\n  based_on:\n"
                    "    - type: Dataset\n      name: Bridge survey"
                ),
            ),
        },
        sources=SOURCES,
    )
    (folder / "sources").mkdir()
    (folder / "sources" / "wire.txt").write_bytes(ARCHIVE.encode("utf-8"))
    return folder


@pytest.mark.parametrize("fmt", ["csv", "jsonl"])
def test_types_and_registry_survive(run, graded, tmp_path, fmt):
    assert run(["--no-cache", "--dir", str(graded), "validate"]).exit_code == 0
    first = _export(run, graded, fmt)
    again = _reimport(run, first, fmt, tmp_path)
    assert _export(run, again, fmt) == first
    _canonical(run, again)
    dataset = load_dataset(again, cache=False)
    claim = dataset.claim("bridge").claim
    assert claim.quantity is not None and type(claim.quantity.value) is int
    assert claim.verdict is not None and type(claim.verdict.rating_value) is int
    assert claim.language == "en"
    wire = dataset.sources["wire"].source
    before = load_dataset(graded, cache=False).sources["wire"].source
    assert wire == before
    assert dataset.sources["article"].source.derived_from == ["wire"]
    if fmt == "jsonl":  # the archive travels, so the re-imported folder validates its quote
        assert (again / "sources" / "wire.txt").read_bytes() == ARCHIVE.encode("utf-8")
        result = run(["--no-cache", "--dir", str(again), "validate"])
        assert result.exit_code == 0, result.stdout + result.stderr


def test_an_archive_that_does_not_match_is_refused(run, graded, tmp_path):
    text = _export(run, graded, "jsonl").replace("12 km long", "13 km long", 1)
    path = tmp_path / "tampered.jsonl"
    path.write_text(text, encoding="utf-8")
    folder = tmp_path / "t"
    folder.mkdir()
    result = run(["--no-cache", "--dir", str(folder), "import", str(path)])
    assert result.exit_code == 1
    assert "archive: its sha256 is not the source's text_sha256 (wire)" in result.stderr


def test_language_is_a_bcp47_tag(run, graded):
    assert run(["--dir", str(graded), "set", "bridge", "language", "fa-IR"]).exit_code == 0
    assert load_dataset(graded, cache=False).claim("bridge").claim.language == "fa-IR"
    refused = run(["--dir", str(graded), "set", "bridge", "language", "Persian!"])
    assert refused.exit_code == 1 and "is not a BCP 47 language tag" in refused.stderr
