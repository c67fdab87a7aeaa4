"""`claimtrack quantities`, unit normalisation, and the committed schema after the new fields."""

from __future__ import annotations

import json

import jsonschema
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from claimtrack.core.units import BASE_UNITS, SCALES, parse_unit, to_canonical
from claimtrack.render.schema import SCHEMA_FILES, build_schema
from claimtrack.render.timeline_chart import BAR_WIDTH, bar
from conftest import ROOT, SHIPPED_CLAIMS, claim_yaml


def test_the_oil_timeline_of_the_shipped_claims(run) -> None:
    result = run(["--dir", str(SHIPPED_CLAIMS), "quantities", "--format", "json"])
    assert result.exit_code == 0
    series = {s["measure"]: s for s in json.loads(result.stdout)}
    oil = series["venezuela-cuba-oil-shipments"]
    assert oil["unit"] == "bbl/d"
    points = [(p["claim"], p["canonical_value"], p["bound"]) for p in oil["points"]]
    assert points == [
        ("venezuela-cuba-oil-early-53000-bpd", 53000, None),
        ("venezuela-cuba-oil-expanded-peak-years", 53000, "lower"),
        ("venezuela-cuba-oil-recent-27000-bpd", 27000, None),
    ]
    assert series["cuban-deaths-in-maduro-capture"]["unit"] == "people"


def test_the_chart(run) -> None:
    result = run(["--dir", str(SHIPPED_CLAIMS), "quantities", "-m", "venezuela-cuba-oil-shipments"])
    lines = result.stdout.splitlines()
    assert lines[0] == "venezuela-cuba-oil-shipments  (bbl/d; 3 claims)"
    # each amount as its file gives it; the bars compare them in the measure's unit
    assert lines[1].lstrip().startswith("~53,000 barrels per day  " + "█" * BAR_WIDTH + " ")
    assert "> ~53,000 barrels per day" in lines[2] and "→" in lines[2]
    recent = next(line for line in lines if "~27,000" in line)
    assert "█" * (BAR_WIDTH // 2 - 1) in recent and "█" * BAR_WIDTH not in recent


def test_units_convert_and_dated_points_sort(run, make_claims) -> None:
    quantity = "\n  value: {}\n  unit: {}\n  as_of: {}\n  measure: flow"
    folder = make_claims(
        {
            "a": claim_yaml("a", quantity=quantity.format(90, "kb/d", 2010)),
            "b": claim_yaml("b", quantity=quantity.format(0.1, "million barrels per day", 2008)),
            "c": claim_yaml("c", quantity=quantity.format(27000, "b/d", "2024-05")),
        }
    )
    data = json.loads(run(["--dir", str(folder), "quantities", "-f", "json"]).stdout)
    (flow,) = data
    assert [(p["claim"], p["canonical_value"]) for p in flow["points"]] == [
        ("b", 100000),
        ("a", 90000),
        ("c", 27000),
    ]


def test_no_quantities_is_said_plainly(run, make_claims) -> None:
    folder = make_claims({"a": claim_yaml("a")})
    assert run(["--dir", str(folder), "quantities"]).stdout.strip() == "no claims with a quantity"


@settings(max_examples=100, deadline=None)
@given(
    spelling=st.sampled_from(sorted(BASE_UNITS)),
    scale=st.sampled_from(sorted(SCALES)),
    upper=st.booleans(),
    first=st.booleans(),
)
def test_every_spelling_and_scale_normalises(
    spelling: str, scale: str, upper: bool, first: bool
) -> None:
    base = BASE_UNITS[spelling]
    written = spelling.upper() if upper else spelling
    assert parse_unit(f"  {written} ") == base
    combined = f"{scale} {spelling}" if first else f"{spelling} {scale}"
    value, unit = to_canonical(2.0, combined)
    assert unit.dimension == base.dimension and unit.canonical == base.canonical
    assert value == 2.0 * base.factor * SCALES[scale]


def test_unknown_units_compare_only_with_themselves() -> None:
    assert parse_unit("Widgets").dimension == parse_unit("widgets ").dimension
    assert parse_unit("widgets").dimension != parse_unit("gadgets").dimension


@settings(max_examples=100, deadline=None)
@given(value=st.floats(0, 1e9), largest=st.floats(1, 1e9))
def test_bars_never_exceed_the_width(value: float, largest: float) -> None:
    drawn = bar(value, largest)
    assert len(drawn) <= BAR_WIDTH
    if value >= largest:
        assert drawn == "█" * BAR_WIDTH


def test_committed_schemas_are_current_and_accept_the_new_fields() -> None:
    for name, which in SCHEMA_FILES.items():
        committed = json.loads((ROOT / "schema" / name).read_text(encoding="utf-8"))
        assert committed == build_schema(which), f"schema/{name} is stale"
    sources = build_schema("sources")
    jsonschema.validate({"sources": [{"id": "a", "title": "A", "text_sha256": "ab" * 32}]}, sources)
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate({"sources": [{"id": "a", "title": "A", "text_sha256": "xyz"}]}, sources)


def test_quantities_without_a_measure_stand_alone(run, make_claims) -> None:
    quantity = "\n  value: {}\n  unit: people"
    folder = make_claims(
        {
            "a": claim_yaml("a", quantity=quantity.format(5)),
            "b": claim_yaml("b", quantity=quantity.format(500)),
        }
    )
    data = json.loads(run(["--dir", str(folder), "quantities", "-f", "json"]).stdout)
    assert [s["measure"] for s in data] == ["(no measure) a", "(no measure) b"]
    assert (
        json.loads(run(["--dir", str(folder), "validate", "-f", "json"]).stdout)["problems"] == []
    )


def test_show_marks_a_bound(run) -> None:
    shown = run(["--dir", str(SHIPPED_CLAIMS), "show", "venezuela-cuba-oil-expanded-peak-years"])
    assert "quantity      more than ~53,000 barrels per day (Chávez's peak years" in shown.stdout
