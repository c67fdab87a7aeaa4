"""The real ClaimReview records of ten fact-checkers: every distinct review imported as
evidence, published again, read by a JSON-LD consumer, and round-tripped byte for byte."""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path
from typing import Any

import pytest
from tests.conftest import SHARED

from claimtrack.cache import load_dataset
from claimtrack.core.query import evaluate
from claimtrack.interop.claimants import is_unnamed

DATA = SHARED / "data" / "claimreview"
COMPLETE = DATA / "claimreview-claimskg.jsonld"
CONTEXT = SHARED / "data" / "schemaorg-context" / "schemaorgcontext.jsonld"
REQUIREMENTS = json.loads((DATA / "google-claimreview-requirements.json").read_text("utf-8"))
SCHEMA = "http://schema.org/"


@pytest.fixture(scope="module")
def imported(tmp_path_factory: pytest.TempPathFactory) -> Path:
    from typer.testing import CliRunner

    from claimtrack.cli import app

    folder = tmp_path_factory.mktemp("real") / "claims"
    folder.mkdir()
    result = CliRunner().invoke(
        app, ["--no-cache", "--dir", str(folder), "import", str(COMPLETE), "--write"]
    )
    assert result.exit_code == 0, result.stderr
    return folder


def _records() -> list[dict[str, Any]]:
    records: list[dict[str, Any]] = json.loads(COMPLETE.read_text(encoding="utf-8"))
    return records


def _export(run, folder: Path) -> str:
    result = run(["--no-cache", "--dir", str(folder), "export", "--format", "claimreview"])
    assert result.exit_code == 0, result.stderr
    return result.stdout


def _expand(doc: dict[str, Any]) -> list[dict[str, Any]]:
    """The document expanded by a JSON-LD processor, with the schema.org context served from
    the offline copy (no network)."""
    from pyld import jsonld

    context = json.loads(CONTEXT.read_text(encoding="utf-8"))

    def loader(url: str, options: object = None) -> dict[str, Any]:
        assert url.rstrip("/").split("://", 1)[1].startswith("schema.org"), url
        return {"contextUrl": None, "documentUrl": url, "document": context}

    expanded: list[dict[str, Any]] = jsonld.expand(doc, {"documentLoader": loader})
    return expanded


def test_every_distinct_review_is_published_once(run, imported):
    docs = json.loads(_export(run, imported))
    distinct = {record["url"] for record in _records()}
    assert len(distinct) == 343
    urls = [doc["url"] for doc in docs]
    assert len(urls) == len(set(urls)) and set(urls) == distinct


def test_a_json_ld_consumer_accepts_every_review(run, imported):
    docs = json.loads(_export(run, imported))
    required = REQUIREMENTS["ClaimReview"]["required"]
    for doc in docs:
        (node,) = _expand(doc)
        assert node["@type"] == [SCHEMA + "ClaimReview"]
        for name in required:
            assert node.get(SCHEMA + name), (doc["url"], name)
        (rating,) = node[SCHEMA + "reviewRating"]
        assert rating[SCHEMA + "alternateName"][0]["@value"]
        assert node[SCHEMA + "url"] == [{"@id": doc["url"]}]
        assert len(doc["claimReviewed"]) <= 75


def test_export_import_export_is_byte_identical(run, imported, tmp_path):
    first = _export(run, imported)
    path = tmp_path / "published.json"
    path.write_text(first, encoding="utf-8")
    again = tmp_path / "again"
    again.mkdir()
    result = run(["--no-cache", "--dir", str(again), "import", str(path), "--write"])
    assert result.exit_code == 0, result.stderr
    assert _export(run, again) == first


def test_verdicts_set_the_status(imported):
    dataset = load_dataset(imported, cache=False)
    by_rating: dict[str, Counter[str]] = {}
    for entry in evaluate(dataset):
        verdict = entry.claim.verdict
        assert verdict is not None
        by_rating.setdefault(verdict.rating.casefold(), Counter())[entry.status.value] += 1
    false, true = by_rating["false"], by_rating["true"]
    assert false["refuted"] / sum(false.values()) >= 0.95
    assert true["sourced"] / sum(true.values()) >= 0.90
    assert set(by_rating["mixture"]) == {"contested"}


def test_named_claimants_are_never_anonymous(imported):
    dataset = load_dataset(imported, cache=False)
    kinds = Counter()
    for record in dataset.claims:
        attribution = record.claim.attribution
        kinds[attribution.kind.value] += 1
        if attribution.kind.value == "anonymous":
            assert is_unnamed(attribution.name) or attribution.name == "unknown claimant"
    anonymous = {
        r.claim.attribution.name for r in dataset.claims if r.claim.attribution.kind == "anonymous"
    }
    assert anonymous == {
        "FB User",
        "Multiple",
        "Multiple Sources",
        "Multiple authors",
        "Multiple people",
        "Multiple persons",
        "Multiple resources",
        "Multiple source",
        "Multiple sources",
        "Multiples sources",
        "Various sources",
        "Whastapp user",
        "WhatsApp Users",
        "multiple sources",
        "unknown claimant",
        "ட்விட்டர் பயனர்",  # Tamil: "Twitter user"
        "பேஸ்புக் பயனர்",  # Tamil: "Facebook user"
    }
    assert kinds["person"] > kinds["organization"] > 0


def test_ids_are_readable_and_files_canonical(run, imported):
    dataset = load_dataset(imported, cache=False)
    ids = [r.claim.id for r in dataset.claims]
    assert not [i for i in ids if i.startswith("x-")]
    assert min(len(i) for i in ids) >= 10
    result = run(["--no-cache", "--dir", str(imported), "fmt", "--check"])
    assert result.exit_code == 0, result.stdout
    assert result.stdout == ""


def test_nothing_the_record_says_is_dropped(run, imported):
    record = _records()[0]
    docs = {doc["url"]: doc for doc in json.loads(_export(run, imported))}
    doc = docs[record["url"]]
    assert doc["name"] == record["name"]
    assert doc["author"]["url"] == record["author"]["url"]
    assert doc["isBasedOn"] == [record["isBasedOn"]]
    assert doc["reviewRating"]["ratingValue"] == int(record["reviewRating"]["ratingValue"])
    assert "appearance" not in doc["itemReviewed"]  # the record names no appearance


def test_show_names_the_verdict_and_its_page(run, imported):
    record = _records()[0]
    dataset = load_dataset(imported, cache=False)
    (claim_id,) = [
        r.claim.id
        for r in dataset.claims
        if r.claim.verdict and r.claim.verdict.url == record["url"]
    ]
    result = run(["--no-cache", "--dir", str(imported), "show", claim_id], env={"COLUMNS": "400"})
    assert result.exit_code == 0, result.stderr
    (line,) = [ln for ln in result.stdout.splitlines() if ln.startswith("verdict ")]
    assert "Misleading (3 on a scale from 1, worst, to 5, best) by factcheck_afp" in line
    assert line.endswith(f"<{record['url']}>")
