"""Export then import gives the same claims back (Hypothesis), and the escaping that makes it so."""

from __future__ import annotations

import csv
import io
import string
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st
from rapidfuzz import fuzz
from tests.conftest import SHIPPED_CLAIMS

from claimtrack.cache import load_dataset
from claimtrack.core.dataset import ClaimRecord, Dataset
from claimtrack.core.model import SLUG_PATTERN, Claim, Source
from claimtrack.core.query import Entry, evaluate
from claimtrack.core.status import derive
from claimtrack.interop import ExportFormat, ImportFormat, exporter, importer
from claimtrack.interop import csv as csv_format
from claimtrack.interop.plan import normalized, plan_import
from claimtrack.interop.safety import distinct_slug, plain_text, read_date, shorten, slugify
from claimtrack.io.files import parse_document

SOURCES = {
    "article": Source(
        id="article", title="An article", url="https://example.org/a", date="2026-01-05"
    ),
    "wire": Source(id="wire", title="A wire", publisher="A Wire", reliability="B"),
}

# Text a person could type: no control, format or surrogate characters.
TEXT = st.text(
    st.characters(blacklist_categories=("Cs", "Cc", "Cf", "Zl", "Zp", "Co", "Cn")),
    min_size=1,
    max_size=80,
).filter(lambda s: s.strip())
# ClaimReview text is read as possibly-HTML and whitespace-collapsed on import, so its round trip
# is promised for plain one-line text.
PLAIN = (
    st.text(string.ascii_letters + string.digits + " .,;:'\"!?()-éüß", min_size=1, max_size=120)
    .map(lambda s: " ".join(s.split()))
    .filter(bool)
)
SLUG = st.from_regex(r"[a-z][a-z0-9]{0,10}(-[a-z0-9]{1,8}){0,2}", fullmatch=True)
DATE = st.sampled_from(["2020", "2021-03", "2024-02-29", "1999-12-31"])
KIND = st.sampled_from(
    ["official", "government", "organization", "media", "expert", "anonymous", "document", "author"]
)


@st.composite
def verdicts(draw: Any) -> dict[str, Any]:
    verdict: dict[str, Any] = {
        "rating": draw(PLAIN),
        "url": "https://check.example/" + draw(SLUG),
        "reviewer": draw(PLAIN),
    }
    if draw(st.booleans()):
        worst, best = 1, draw(st.integers(2, 10))
        verdict |= {
            "rating_value": draw(st.integers(worst, best)),
            "best_rating": best,
            "worst_rating": worst,
        }
    if draw(st.booleans()):
        verdict["date"] = draw(DATE)
    return verdict


@st.composite
def claims(draw: Any, text: Any = TEXT, full: bool = True) -> Claim:
    data: dict[str, Any] = {
        "id": draw(SLUG),
        "statement": draw(text),
        "appears_in": "article",
        "attribution": {"name": draw(text), "kind": draw(KIND)},
        "confidence": draw(
            st.floats(0, 1) | st.sampled_from(["likely", "remote", "almost certain"])
        ),
        "evidence": [{"source": "wire", "stance": "supports"}],
        "tags": sorted(draw(st.sets(SLUG, max_size=3))),
        "verdict": draw(verdicts()),
    }
    if draw(st.booleans()):
        data["attribution"]["role"] = draw(text)
    if draw(st.booleans()):
        data["date"] = draw(DATE)
    if full:
        optional = {
            "quote": text,
            "notes": text,
            "prefix": text,
            "type": st.sampled_from(["quantity", "event", "opinion"]),
            "analytic_confidence": st.sampled_from(["low", "moderate", "high"]),
            "status": st.sampled_from(["sourced", "contested"]),
        }
        for key, strategy in optional.items():
            if draw(st.booleans()):
                data[key] = draw(strategy)
        if draw(st.booleans()):
            data["evidence"].append(
                {
                    "source": "article",
                    "stance": "refutes",
                    "credibility": draw(st.integers(1, 6)),
                    "note": draw(text),
                }
            )
        if draw(st.booleans()):
            data["disputed_by"] = [{"name": draw(text), "kind": "media", "source": "wire"}]
        if draw(st.booleans()):
            data["quantity"] = {
                "value": draw(st.floats(-1e9, 1e9)),
                "unit": draw(text),
                "approx": True,
            }
        if draw(st.booleans()):
            data["attribution"]["via"] = [{"name": draw(text), "kind": "media"}]
    return Claim.model_validate(data)


def distinct(items: list[Claim]) -> list[Claim]:
    """Claims with unique ids and statements no two of which an import would call one claim."""
    by_id = {c.id: c for c in items}
    kept: list[Claim] = []
    urls = set()
    for claim in by_id.values():
        norm = normalized(claim.statement)
        url = claim.verdict.url if claim.verdict else None
        if url in urls:  # one review page, one claim: a second is merged by design
            continue
        if norm and all(fuzz.ratio(norm, normalized(k.statement)) < 90 for k in kept):
            kept.append(claim)
            urls.add(url)
    return kept


def roundtrip(fmt: str, items: list[Claim], tmp: Path) -> dict[str, Claim]:
    entries = [Entry(ClaimRecord(c, f"{c.id}.yaml"), derive(c, SOURCES)) for c in items]
    export = exporter(ExportFormat(fmt))(entries, SOURCES)
    assert export.refused == ()
    parsed = importer(ImportFormat(fmt))(export.text, f"export.{fmt}")
    assert parsed.skipped == []
    plan = plan_import(parsed, Dataset(root=tmp))
    assert plan.merges == [] and plan.skipped == []
    back = {}
    for planned in plan.files:
        if planned.kind == "claim":
            data = parse_document(planned.text, planned.id)
            assert isinstance(data, dict)
            back[planned.id] = Claim.model_validate(data)
    return back


SETTINGS = settings(
    max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)


@pytest.mark.parametrize("fmt", ["jsonl", "csv"])
@SETTINGS
@given(st.lists(claims(), min_size=1, max_size=5))
def test_full_round_trip(tmp_path, fmt, items):
    items = distinct(items)
    assume(items)
    assert roundtrip(fmt, items, tmp_path) == {c.id: c for c in items}


def _review_view(claim: Claim) -> dict[str, Any]:
    """What a ClaimReview carries of a claim."""
    return claim.model_dump(
        mode="json",
        include={"id", "statement", "attribution", "appears_in", "date", "verdict", "tags"},
    )


@SETTINGS
@given(st.lists(claims(text=PLAIN, full=False), min_size=1, max_size=5))
def test_claimreview_round_trip(tmp_path, items):
    items = distinct(items)
    assume(items)
    back = roundtrip("claimreview", items, tmp_path)
    assert {k: _review_view(v) for k, v in back.items()} == {c.id: _review_view(c) for c in items}


def test_shipped_claims_round_trip_through_jsonl_and_csv(run, tmp_path):
    original = load_dataset(SHIPPED_CLAIMS)
    for fmt in ("jsonl", "csv"):
        exported = tmp_path / f"claims.{fmt}"
        run(["--dir", str(SHIPPED_CLAIMS), "export", "-f", fmt, "-o", str(exported)])
        target = tmp_path / fmt / "claims"
        target.mkdir(parents=True)
        result = run(["--dir", str(target), "import", str(exported), "--write"])
        assert result.exit_code == 0, result.stderr
        again = load_dataset(target)
        assert [p for p in again.problems if p.level.value == "error"] == []
        assert {r.claim.id: r.claim for r in again.claims} == {
            r.claim.id: r.claim for r in original.claims
        }
        statuses = {e.claim.id: e.status for e in evaluate(again)}
        if fmt == "jsonl":  # JSON Lines carries the sources too, so every status survives
            assert statuses == {e.claim.id: e.status for e in evaluate(original)}
            assert {i: r.source for i, r in again.sources.items()} == {
                i: r.source for i, r in original.sources.items()
            }


def test_reimport_into_the_same_folder_merges_everything(run, claims_dir, tmp_path):
    exported = tmp_path / "claims.jsonl"
    run(["--dir", str(claims_dir), "export", "-f", "jsonl", "-o", str(exported)])
    result = run(["--dir", str(claims_dir), "import", str(exported), "--write"])
    assert result.stdout.count(": merged into ") == 40
    assert "would create" not in result.stdout and "create " not in result.stdout


# --- escaping ------------------------------------------------------------------------------

FORMULA = st.sampled_from(["=", "+", "-", "@", "'", " ", "\t", "\n", "\r"])


@settings(max_examples=100)
@given(st.lists(FORMULA, max_size=3).map("".join), TEXT)
def test_csv_cells_are_inert_and_reversible(start, text):
    value = start + text
    cell = csv_format.cell(value)
    assert not cell.startswith(("=", "+", "-", "@", "\t", "\r", "\n"))
    assert not cell.lstrip().startswith(("=", "+", "-", "@"))
    if "\r" not in value:  # a lone CR is shown as \x0d, like every control character
        assert csv_format.uncell(cell) == value


@settings(max_examples=50)
@given(
    st.lists(
        st.tuples(FORMULA.filter(lambda c: c != "\r"), TEXT).map("".join), min_size=1, max_size=4
    )
)
def test_csv_file_survives_a_csv_reader(values):
    out = io.StringIO()
    csv.writer(out, lineterminator="\r\n").writerow([csv_format.cell(v) for v in values])
    (row,) = list(csv.reader(io.StringIO(out.getvalue(), newline="")))
    assert [csv_format.uncell(c) for c in row] == values


@settings(max_examples=100)
@given(st.text(max_size=200))
def test_slugs_are_always_safe(text):
    import re

    for slug in (slugify(text), distinct_slug(text)):
        assert re.fullmatch(SLUG_PATTERN, slug)
        assert "/" not in slug and ".." not in slug and len(slug) <= 80


@settings(max_examples=100)
@given(st.text(max_size=200))
def test_plain_text_is_inert(text):
    shown = plain_text(text)
    assert "<script" not in shown.lower() or "<script" in text.lower()
    assert not any(ord(c) < 0x20 or 0x7F <= ord(c) <= 0x9F for c in shown)
    assert "\u202e" not in shown and "\n" not in shown


@settings(max_examples=100)
@given(PLAIN, st.integers(10, 80))
def test_shorten_keeps_a_prefix_within_the_limit(text, limit):
    short = shorten(text, limit)
    assert len(short) <= limit
    assert short == text or (short.endswith("…") and text.startswith(short[:-1]))


def test_odd_dates():
    assert read_date("2021-7-3") == "2021-07-03"
    assert read_date('"2021-7-13"') == "2021-07-13"
    assert read_date("2021-07-16T10:00:00+02:00") == "2021-07-16"
    assert read_date("July 13, 2021") == "2021-07-13"
    assert read_date("2021-02-30") is None
    assert read_date("13/07/2021") is None  # day-first or month-first: not guessed
