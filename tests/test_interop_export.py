"""`claimtrack export`: ClaimReview, CSV, JSON Lines and STIX, checked with real consumers."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest
from stix2validator import ValidationOptions, validate_string
from tests.conftest import ROOT, SHARED, claim_yaml

from claimtrack.render.schema import SCHEMA_FILES, build_schema
from conftest import manual

REQUIREMENTS = SHARED / "data" / "claimreview" / "google-claimreview-requirements.json"

VERDICT = """
  rating: "False"
  rating_value: 1
  best_rating: 5
  worst_rating: 1
  url: https://factcheck.example/minister-claim
  reviewer: Example Check
  date: 2026-01-06"""

LONG = (
    "The minister said that the new bridge across the river cost four times the budget and "
    "was finished two years late."
)


@pytest.fixture
def reviewed(make_claims):
    return make_claims(
        {
            "bridge": claim_yaml("bridge", statement=LONG, verdict=VERDICT, date="2026-01-02"),
            "short": claim_yaml("short", statement="Taxes rose.", verdict=VERDICT, tags="[tax]"),
            "no-verdict": claim_yaml("no-verdict"),
            "unsourced": claim_yaml("unsourced", evidence="[]", verdict=VERDICT),
            "formula": claim_yaml("formula", statement='\'=HYPERLINK("http://evil.example","x")\''),
        }
    )


def test_committed_schema_is_current():
    for name, which in SCHEMA_FILES.items():
        committed = json.loads((ROOT / "schema" / name).read_text(encoding="utf-8"))
        assert committed == build_schema(which), f"run: claimtrack schema --write schema ({name})"


def test_claimreview_has_googles_required_properties(run, reviewed):
    result = run(["--dir", str(reviewed), "export", "--format", "claimreview"])
    docs = json.loads(result.stdout)
    assert [d["identifier"] for d in docs] == ["bridge", "short"]
    rules = json.loads(REQUIREMENTS.read_text(encoding="utf-8"))
    for doc in docs:
        assert doc["@context"] == "https://schema.org" and doc["@type"] == "ClaimReview"
        for prop in rules["ClaimReview"]["required"] + rules["ClaimReview"]["recommended"]:
            assert doc.get(prop), prop
        for prop in rules["Rating (reviewRating)"]["required"]:
            assert doc["reviewRating"][prop] == "False"
        assert len(doc["claimReviewed"]) <= 75
        item = doc["itemReviewed"]
        assert item["@type"] == "Claim"
        assert item["author"]["name"] == "A Minister"
        assert item["appearance"]["url"] == "https://example.org/article"
    bridge = docs[0]
    assert bridge["claimReviewed"].endswith("…") and LONG.startswith(bridge["claimReviewed"][:-1])
    assert bridge["itemReviewed"]["text"] == LONG
    assert bridge["itemReviewed"]["datePublished"] == "2026-01-02"
    assert bridge["reviewRating"] | {} == {
        "@type": "Rating",
        "alternateName": "False",
        "ratingValue": 1,
        "bestRating": 5,
        "worstRating": 1,
    }
    assert "text" not in docs[1]["itemReviewed"] and docs[1]["keywords"] == "tax"


def test_claimreview_refuses_with_one_line_each(run, reviewed):
    result = run(["--dir", str(reviewed), "export", "--format", "claimreview"])
    assert result.exit_code == 1
    lines = result.stderr.splitlines()
    assert (
        "formula: not exported: no verdict (add a `verdict:` block with `rating` and `url`)"
        in lines
    )
    assert any(line.startswith("no-verdict: not exported: no verdict") for line in lines)
    assert "unsourced: not exported: its status is unsourced" in "\n".join(lines)
    assert lines[-1] == "exported 2 claims as claimreview; 3 refused"


def test_exports_are_deterministic_and_atomic(run, reviewed, tmp_path):
    for fmt in ("claimreview", "csv", "jsonl", "stix"):
        first = run(["--dir", str(reviewed), "export", "--format", fmt]).stdout
        target = tmp_path / f"out.{fmt}"
        run(["--dir", str(reviewed), "export", "--format", fmt, "--output", str(target)])
        assert target.read_text(encoding="utf-8") == first
        assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".")] == []


def test_csv_is_a_real_csv_and_defuses_formulas(run, reviewed):
    result = run(["--dir", str(reviewed), "export", "--format", "csv"])
    assert result.exit_code == 0
    rows = list(csv.DictReader(io.StringIO(result.stdout, newline="")))
    assert [r["id"] for r in rows] == ["bridge", "formula", "no-verdict", "short", "unsourced"]
    formula = rows[1]
    assert formula["statement"].startswith("'=HYPERLINK")
    for row in rows:
        for value in row.values():
            assert not value.startswith(("=", "+", "-", "@")), value
    bridge = rows[0]
    assert bridge["verdict_rating"] == "False"
    assert bridge["verdict_rating_value"] == "1"  # an integer stays one
    assert json.loads(bridge["evidence"]) == [{"source": "wire", "stance": "supports"}]
    assert bridge["effective_status"] == "sourced"


def test_export_filters_like_list(run, claims_dir):
    result = run(["--dir", str(claims_dir), "export", "-f", "jsonl", "--status", "contested"])
    claims = [json.loads(line) for line in result.stdout.splitlines()]
    claims = [c for c in claims if c["record"] == "claim"]
    listed = run(["--dir", str(claims_dir), "list", "-f", "json", "--status", "contested"])
    assert sorted(c["id"] for c in claims) == sorted(c["id"] for c in json.loads(listed.stdout))
    assert {c["effective_status"] for c in claims} == {"contested"}


def _validated(bundle_text: str):
    # Two best practices are knowingly not followed: ids are UUIDv5 so they are deterministic
    # (103 wants UUIDv4), and a reference URL has no hash since claimtrack never fetches the page.
    options = ValidationOptions(version="2.1", strict=True, disabled="103,302")
    strict = validate_string(bundle_text, options)
    assert strict.is_valid, [str(e) for e in strict.errors]
    default = validate_string(bundle_text, ValidationOptions(version="2.1"))
    assert default.is_valid and not default.errors
    assert default.warnings, "the validator ran its best-practice checks"
    assert {str(w).split("{")[1][:3] for w in default.warnings} <= {"103", "302"}


def test_stix_bundle_validates_with_the_oasis_validator(run, claims_dir):
    result = run(["--dir", str(claims_dir), "export", "--format", "stix"])
    assert result.exit_code == 0
    _validated(result.stdout)
    bundle = json.loads(result.stdout)
    notes = {
        o["external_references"][0]["external_id"]: o
        for o in bundle["objects"]
        if o["type"] == "note"
    }
    assert len(notes) == 40
    listed = json.loads(run(["--dir", str(claims_dir), "list", "-f", "json"]).stdout)
    for claim in listed:
        assert notes[claim["id"]]["confidence"] == round(100 * claim["confidence"])
    ids = [o["id"] for o in bundle["objects"]]
    assert len(ids) == len(set(ids))
    known = set(ids)
    for obj in bundle["objects"]:
        assert set(obj.get("object_refs", [])) <= known
    again = run(["--dir", str(claims_dir), "export", "--format", "stix"]).stdout
    assert again == result.stdout


def test_stix_timestamps_come_from_the_data(run, reviewed):
    bundle = json.loads(run(["--dir", str(reviewed), "export", "-f", "stix"]).stdout)
    _validated(json.dumps(bundle))
    notes = {
        o["external_references"][0]["external_id"]: o
        for o in bundle["objects"]
        if o["type"] == "note"
    }
    assert notes["bridge"]["created"] == "2026-01-02T00:00:00.000Z"  # the claim's date
    assert notes["short"]["created"] == "2026-01-05T00:00:00.000Z"  # its article's date
    refs = notes["bridge"]["external_references"]
    assert {
        "source_name": "Example Check",
        "description": "verdict: False",
        "url": "https://factcheck.example/minister-claim",
    } in refs
    opinions = [o for o in bundle["objects"] if o["type"] == "opinion"]
    assert {o["opinion"] for o in opinions} == {"agree"}


def test_export_needs_a_known_format(run, claims_dir):
    result = run(["--dir", str(claims_dir), "export", "--format", "xml"])
    assert result.exit_code == 2


def test_output_into_a_missing_folder_is_one_line(run, claims_dir, tmp_path):
    target = tmp_path / "missing" / "out.csv"
    result = run(["--dir", str(claims_dir), "export", "-f", "csv", "-o", str(target)])
    assert result.exit_code == 2
    assert result.stderr.startswith("error: ") and len(result.stderr.splitlines()) == 1


def test_verdict_in_the_json_schema(tmp_path: Path):
    schema = build_schema("claim")
    verdict = schema["$defs"]["Verdict"]
    assert verdict["required"] == ["rating"]
    assert set(verdict["properties"]) == {
        "rating",
        "rating_value",
        "best_rating",
        "worst_rating",
        "url",
        "headline",
        "reviewer",
        "reviewer_url",
        "reviewer_same_as",
        "date",
        "based_on",
    }


def test_every_format_has_its_module():
    from claimtrack.interop import ExportFormat, ImportFormat, exporter, importer

    assert all(callable(exporter(fmt)) for fmt in ExportFormat)
    assert all(callable(importer(fmt)) for fmt in ImportFormat)


@pytest.mark.parametrize("command", ["export", "import"])
def test_commands_have_help_and_docs(run, command):
    result = run([command, "--help"])
    assert result.exit_code == 0 and "--format" in result.stdout
    readme = manual()
    assert f"### `claimtrack {command} " in readme
