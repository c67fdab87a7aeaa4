"""`claimtrack import`: real ClaimReview data, messy records, de-duplication, untrusted input."""

from __future__ import annotations

import json
import socket
from pathlib import Path

import pytest
from tests.conftest import SHARED

from claimtrack.cache import load_dataset
from claimtrack.core.problem import Level
from claimtrack.interop import claimreview, safety
from claimtrack.interop import csv as csv_format
from claimtrack.interop.plan import plan_import

DATA = SHARED / "data" / "claimreview"
COMPLETE = DATA / "claimreview-claimskg.jsonld"
INCOMPLETE = DATA / "claimreview-claimskg-incomplete.jsonld"
SAMPLES = sorted((DATA / "claimskg-samples").glob("*.csv"))


@pytest.fixture
def empty_dir(tmp_path: Path) -> Path:
    folder = tmp_path / "claims"
    folder.mkdir()
    return folder


def _files(folder: Path) -> list[str]:
    return sorted(str(p.relative_to(folder)) for p in folder.rglob("*") if p.is_file())


def _errors(folder: Path) -> list[str]:
    dataset = load_dataset(folder)
    return [p.format() for p in dataset.problems if p.level is Level.ERROR]


def _accounted(plan) -> int:
    return plan.claims + len(plan.merges) + plan.source_records + len(plan.skipped)


def test_dry_run_writes_nothing(run, empty_dir):
    result = run(["--dir", str(empty_dir), "import", str(COMPLETE)])
    assert result.exit_code == 0, result.stderr
    assert _files(empty_dir) == []
    assert (
        result.stdout.startswith("would create claims/sources/") or "would create " in result.stdout
    )
    assert "(dry run: pass --write to create them)" in result.stderr


def test_real_claimreview_file_imports_and_validates(run, empty_dir):
    result = run(["--dir", str(empty_dir), "import", str(COMPLETE), "--write"])
    assert result.exit_code == 0, result.stderr
    dataset = load_dataset(empty_dir)
    assert _errors(empty_dir) == []
    parsed = claimreview.parse(COMPLETE.read_text(encoding="utf-8"), COMPLETE.name)
    merged = [line for line in result.stdout.splitlines() if ": merged into " in line]
    assert len(dataset.claims) + len(merged) == parsed.records == 386
    assert any("same review URL" in line for line in merged)
    apart = [line for line in result.stdout.splitlines() if ": kept apart from " in line]
    assert apart and all(line.endswith("a review of its own") for line in apart)
    summary = result.stderr.splitlines()[-1]
    assert summary.startswith(
        f"386 records: {len(dataset.claims)} new claims, {len(merged)} merged"
    )
    by_url = {c.claim.verdict.url for c in dataset.claims if c.claim.verdict}
    assert len(by_url) == len(dataset.claims) == 343  # one claim per distinct review


def test_incomplete_records_are_reported_one_line_each(run, empty_dir):
    result = run(["--dir", str(empty_dir), "import", str(INCOMPLETE), "--write"])
    assert result.exit_code == 1
    skipped = [line for line in result.stderr.splitlines() if ": skipped: " in line]
    assert len(skipped) == 124
    assert skipped[0] == (
        "claimreview-claimskg-incomplete.jsonld record 1: skipped: "
        "no claimReviewed (the text of the claim)"
    )
    assert _files(empty_dir) == []


def test_schemaorg_examples(run, empty_dir):
    with_rating = DATA / "schemaorg-examples" / "eg-0324-ClaimReview.jsonld"
    result = run(["--dir", str(empty_dir), "import", str(with_rating), "--write"])
    assert result.exit_code == 0, result.stderr
    dataset = load_dataset(empty_dir)
    (record,) = dataset.claims
    claim = record.claim
    assert claim.attribution.name == "Rich Perry"
    assert claim.attribution.role == "Former Governor of Texas"
    assert claim.verdict is not None and claim.verdict.rating == "True"
    assert (claim.verdict.rating_value, claim.verdict.best_rating) == (1, 6)
    assert claim.date == "2014-07-17"
    assert dataset.sources[claim.appears_in].source.title.startswith(
        "The St. Petersburg Times interview"
    )
    no_rating = DATA / "schemaorg-examples" / "eg-0325-ClaimReview.jsonld"
    result = run(["--dir", str(empty_dir), "import", str(no_rating), "--write"])
    assert result.exit_code == 1
    assert "record 1: skipped: no reviewRating.alternateName (the verdict)" in result.stderr


@pytest.mark.parametrize("sample", SAMPLES, ids=lambda p: p.stem.removeprefix("output_sample_"))
def test_every_fact_checker_csv_is_accounted_for(sample, empty_dir):
    parsed = csv_format.parse(sample.read_text(encoding="utf-8"), sample.name)
    plan = plan_import(parsed, load_dataset(empty_dir))
    assert parsed.records > 0
    assert _accounted(plan) == parsed.records
    for item in parsed.items:
        assert item.claim.verdict is not None
        assert not item.claim.statement.startswith('"')


def test_csv_samples_total_the_jsonld_records():
    records = sum(csv_format.parse(p.read_text(encoding="utf-8"), p.name).records for p in SAMPLES)
    assert records == 386 + 124


def test_vishvas_quirks(empty_dir):
    sample = DATA / "claimskg-samples" / "output_sample_vishvasnews.csv"
    parsed = csv_format.parse(sample.read_text(encoding="utf-8"), sample.name)
    first = parsed.items[0].claim
    assert first.statement == "Muslims should never hire Buddhists, SC ST said Maulana Jafar Sheikh"
    assert first.verdict is not None and first.verdict.date == "2021-07-16"
    assert first.attribution.name == "Rohan नाशिककर"


def test_import_all_csv_samples_into_one_folder(run, empty_dir):
    for sample in SAMPLES:
        run(["--dir", str(empty_dir), "import", str(sample), "--write"])
    assert _errors(empty_dir) == []
    again = run(
        ["--dir", str(empty_dir), "import", str(SAMPLES[0].parent / "output_sample_snopes.csv")]
    )
    assert again.stdout.count(": merged into ") == 33 and "would create" not in again.stdout


def _review(**extra) -> dict:
    node = {
        "@context": "https://schema.org",
        "@type": "ClaimReview",
        "url": "https://check.example/one",
        "claimReviewed": "The moon is made of cheese.",
        "reviewRating": {"@type": "Rating", "alternateName": "False"},
        "itemReviewed": {"@type": "Claim", "author": {"@type": "Person", "name": "A Blogger"}},
    }
    node.update(extra)
    return node


def _import(run, folder: Path, tmp_path: Path, nodes, *args: str):
    path = tmp_path / "in.jsonld"
    path.write_text(json.dumps(nodes), encoding="utf-8")
    return run(["--dir", str(folder), "import", str(path), *args])


def test_duplicates_by_url_and_statement_are_merged_and_named(run, empty_dir, tmp_path):
    nodes = [
        _review(),
        _review(),  # the same review twice
        _review(url="https://other.example/moon", claimReviewed="The Moon is made of cheese!"),
        _review(url="https://third.example/x", claimReviewed="Bananas are blue."),
    ]
    result = _import(run, empty_dir, tmp_path, nodes, "--write")
    assert result.exit_code == 0
    assert (
        "in.jsonld record 2: merged into the-moon-is-made-of-cheese: same review URL"
        in result.stdout
    )
    # a second review of the same statement keeps its own verdict: a claim of its own
    assert (
        "in.jsonld record 3: kept apart from the-moon-is-made-of-cheese (same statement): "
        "a review of its own" in result.stdout
    )
    dataset = load_dataset(empty_dir)
    assert sorted(r.claim.id for r in dataset.claims) == [
        "bananas-are-blue",
        "the-moon-is-made-of-cheese",
        "the-moon-is-made-of-cheese-2",
    ]
    second = dataset.claim("the-moon-is-made-of-cheese-2").claim
    assert second.verdict is not None and second.verdict.url == "https://other.example/moon"
    assert "4 records: 3 new claims, 1 merged, 0 skipped" in result.stderr


def test_existing_files_are_never_overwritten(run, make_claims, tmp_path):
    folder = make_claims({"the-moon-is-made-of-cheese": "not: a claim\n"})
    before = (folder / "the-moon-is-made-of-cheese.yaml").read_text(encoding="utf-8")
    result = _import(run, folder, tmp_path, [_review()], "--write")
    assert result.exit_code == 0
    assert (folder / "the-moon-is-made-of-cheese.yaml").read_text(encoding="utf-8") == before
    assert (folder / "the-moon-is-made-of-cheese-2.yaml").is_file()


def test_html_is_stripped_to_inert_text(run, empty_dir, tmp_path):
    node = _review(
        claimReviewed='<b>Cheese</b> &amp; <a href="javascript:alert(1)">moon</a>'
        "<script>alert(2)</script>\u202e",
        name="<img src=x onerror=alert(1)>Moon check",
    )
    result = _import(run, empty_dir, tmp_path, [node], "--write")
    assert result.exit_code == 0, result.stderr
    dataset = load_dataset(empty_dir)
    (record,) = dataset.claims
    assert record.claim.statement == "Cheese & moon"
    assert dataset.sources[record.claim.appears_in].source.title == "Moon check"


def test_unsafe_urls_and_ids(run, empty_dir, tmp_path):
    nodes = [
        _review(url="javascript:alert(1)"),
        _review(url="file:///etc/passwd", claimReviewed="Other."),
        _review(url="https://ok.example/a", identifier="../../etc/passwd", claimReviewed="Safe."),
        _review(
            url="https://ok.example/b",
            claimReviewed="Appears.",
            itemReviewed={
                "@type": "Claim",
                "appearance": {"url": "ftp://x.example/", "name": "FTP"},
            },
        ),
    ]
    result = _import(run, empty_dir, tmp_path, nodes, "--write")
    assert result.exit_code == 1
    assert "in.jsonld record 1: skipped: review url is not http(s)" in result.stderr
    assert "in.jsonld record 2: skipped: review url is not http(s)" in result.stderr
    dataset = load_dataset(empty_dir)
    assert sorted(r.claim.id for r in dataset.claims) == ["appears", "safe"]
    for path in empty_dir.rglob("*.yaml"):
        assert path.resolve().is_relative_to(empty_dir.resolve())
    urls = {s.source.title: s.source.url for s in dataset.sources.values()}
    assert urls["FTP"] is None
    assert all(url.startswith("https://") for url in urls.values() if url is not None)


def test_contexts_are_never_fetched(run, empty_dir, tmp_path, monkeypatch):
    def no_network(*args, **kwargs):
        raise AssertionError("import tried to open a network connection")

    monkeypatch.setattr(socket, "create_connection", no_network)
    monkeypatch.setattr(socket.socket, "connect", no_network)
    node = _review(**{"@context": "https://evil.example/context.jsonld"})
    result = _import(run, empty_dir, tmp_path, [node])
    assert result.exit_code == 0, result.stderr


def test_size_limit(run, empty_dir, tmp_path, monkeypatch):
    monkeypatch.setattr(safety, "MAX_IMPORT_BYTES", 100)
    result = _import(run, empty_dir, tmp_path, [_review()])
    assert result.exit_code == 2
    assert result.stderr.startswith("error: ") and "over the 100-byte import limit" in result.stderr


def test_deep_nesting_and_bad_json(run, empty_dir, tmp_path):
    deep: dict = {}
    node = deep
    for _ in range(40):
        node["x"] = {}
        node = node["x"]
    result = _import(run, empty_dir, tmp_path, [_review(extra=deep)])
    assert "record 1: skipped: nested more than 32 levels deep" in result.stderr
    bad = tmp_path / "bad.jsonld"
    bad.write_text("[{", encoding="utf-8")
    result = run(["--dir", str(empty_dir), "import", str(bad)])
    assert result.exit_code == 2 and result.stderr.startswith("error: bad.jsonld:1:3: not JSON")
    huge = tmp_path / "huge.jsonld"
    huge.write_text("[" * 100_000, encoding="utf-8")
    result = run(["--dir", str(empty_dir), "import", str(huge)])
    assert result.exit_code in (1, 2) and result.stderr.startswith("error: ")


def test_odd_dates_and_numbers(run, empty_dir, tmp_path):
    node = _review(
        datePublished="2021-7-3",
        reviewRating={"@type": "Rating", "alternateName": "Mostly False", "ratingValue": "9"},
        itemReviewed={"@type": "Claim", "datePublished": "last Tuesday"},
    )
    result = _import(run, empty_dir, tmp_path, [node], "--write")
    assert result.exit_code == 0, result.stderr
    (record,) = load_dataset(empty_dir).claims
    claim = record.claim
    assert claim.verdict is not None and claim.verdict.date == "2021-07-03"
    assert claim.verdict.rating_value is None
    assert claim.notes == (
        "claim date 'last Tuesday' could not be read; numeric rating 9 lay outside its scale 1-5."
    )


def test_unknown_format_and_columns(run, empty_dir, tmp_path):
    other = tmp_path / "data.txt"
    other.write_text("x", encoding="utf-8")
    result = run(["--dir", str(empty_dir), "import", str(other)])
    assert result.exit_code == 2 and "pass --format" in result.stderr
    table = tmp_path / "table.csv"
    table.write_text("a,b\n1,2\n", encoding="utf-8")
    result = run(["--dir", str(empty_dir), "import", str(table)])
    assert result.exit_code == 2 and "unknown CSV columns" in result.stderr
    missing = run(["--dir", str(empty_dir), "import", str(tmp_path / "nope.csv")])
    assert missing.exit_code == 2 and "no such file" in missing.stderr


def test_show_prints_the_files(run, empty_dir, tmp_path):
    result = _import(run, empty_dir, tmp_path, [_review()], "--show")
    assert "# yaml-language-server: $schema=../schema/claim.schema.json" in result.stdout
    assert "rating: 'False'" in result.stdout or 'rating: "False"' in result.stdout


@pytest.mark.parametrize(
    "path", [COMPLETE, INCOMPLETE, *sorted((DATA / "schemaorg-examples").glob("*"))]
)
def test_every_claimreview_record_is_imported_merged_or_reported(path, empty_dir):
    parsed = claimreview.parse(path.read_text(encoding="utf-8"), path.name)
    plan = plan_import(parsed, load_dataset(empty_dir))
    assert _accounted(plan) == parsed.records
    assert plan.claims == sum(1 for f in plan.files if f.kind == "claim")


def test_show_makes_hidden_characters_visible(run, empty_dir, tmp_path):
    line = (
        '{"record": "claim", "id": "odd", "statement": "left \\u202e right", "appears_in": "a", '
        '"attribution": {"name": "A", "kind": "media"}, "confidence": 0.5}\n'
    )
    path = tmp_path / "in.jsonl"
    path.write_text(line, encoding="utf-8")
    result = run(["--dir", str(empty_dir), "import", str(path), "--show"])
    assert "\u202e" not in result.stdout and "<U+202E>" in result.stdout
