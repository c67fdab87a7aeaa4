"""The read-side commands through the real CLI, on the shipped claims and on small fixtures."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import jsonschema
import pytest

from conftest import ROOT, claim_yaml, manual


def test_list_table_shows_every_shipped_claim(run):
    result = run(["--dir", str(ROOT / "claims"), "list"])
    assert result.exit_code == 0, result.stderr
    assert "rubio-venezuela-intelligence-basically-cubans" in result.stdout
    assert "contested" in result.stdout and "sourced" in result.stdout


def test_list_json_carries_id_status_confidence(run):
    result = run(["--dir", str(ROOT / "claims"), "list", "--format", "json"])
    data = json.loads(result.stdout)
    assert len(data) >= 25
    for item in data:
        assert {"id", "status", "confidence"} <= item.keys()
        assert 0 <= item["confidence"] <= 1
    # contested first, then by id
    order = {"contested": 0, "refuted": 1, "unsourced": 2, "sourced": 3}
    keys = [(order[i["status"]], i["id"]) for i in data]
    assert keys == sorted(keys)


def test_list_status_filter_is_repeatable(run):
    args = ["--dir", str(ROOT / "claims"), "list", "-f", "json"]
    contested = json.loads(run([*args, "--status", "contested"]).stdout)
    sourced = json.loads(run([*args, "--status", "sourced"]).stdout)
    both = json.loads(run([*args, "--status", "contested", "--status", "sourced"]).stdout)
    assert contested and sourced
    assert {c["status"] for c in contested} == {"contested"}
    assert len(both) == len(contested) + len(sourced)


def test_list_search_ignores_case_and_accents(run):
    args = ["--dir", str(ROOT / "claims"), "list", "-f", "json", "--search"]
    plain = json.loads(run([*args, "CHAVEZ"]).stdout)
    accented = json.loads(run([*args, "chávez"]).stdout)
    assert plain and {c["id"] for c in plain} == {c["id"] for c in accented}


def test_list_filters_combine(run, make_claims):
    folder = make_claims(
        {
            "a": claim_yaml("a", tags="[oil]", confidence="0.9"),
            "b": claim_yaml("b", tags="[oil, cuba]", confidence="0.3"),
            "c": claim_yaml("c", attribution="\n  name: Anónimo\n  kind: anonymous"),
        }
    )
    base = ["--dir", str(folder), "list", "-f", "json"]

    def ids(*extra):
        result = run([*base, *extra])
        assert result.exit_code == 0, result.stderr
        return [c["id"] for c in json.loads(result.stdout)]

    assert ids("--tag", "oil") == ["a", "b"]
    assert ids("--tag", "cuba,missing") == ["b"]
    assert ids("--min-confidence", "0.5") == ["a", "c"]
    assert ids("--max-confidence", "0.5") == ["b"]
    assert ids("--kind", "anonymous") == ["c"]
    assert ids("--attributed-to", "anonimo") == ["c"]
    assert ids("--source", "wire") == ["a", "b", "c"]
    assert ids("--source", "rebuttal") == []
    assert ids("--sort", "-confidence", "--limit", "2") == ["a", "c"]
    assert ids("--sort", "confidence") == ["b", "c", "a"]


def test_list_unknown_sort_key_is_a_usage_error(run):
    result = run(["--dir", str(ROOT / "claims"), "list", "--sort", "colour"])
    assert result.exit_code == 2
    assert result.stderr.startswith("error: unknown sort key 'colour'")


def test_list_jsonl_and_csv_and_md(run):
    base = ["--dir", str(ROOT / "claims"), "list", "-f"]
    lines = run([*base, "jsonl"]).stdout.splitlines()
    assert all(json.loads(line)["id"] for line in lines)
    rows = list(csv.DictReader(io.StringIO(run([*base, "csv"]).stdout)))
    assert len(rows) == len(lines)
    assert rows[0].keys() >= {"id", "status", "confidence", "statement"}
    md = run([*base, "md"]).stdout.splitlines()
    assert md[0].startswith("| id | status |") and len(md) == len(lines) + 2


def test_show_explains_status_and_evidence(run):
    result = run(["--dir", str(ROOT / "claims"), "show", "venezuela-cuba-oil-recent-27000-bpd"])
    assert result.exit_code == 0, result.stderr
    out = result.stdout
    for needle in (
        "statement",
        "quote",
        "attributed to",
        "PDVSA",
        "via",
        "evidence",
        "reliability F",
        "sourced",
        "supported by",
        "claims/",
    ):
        assert needle in out, needle


def test_show_json(run):
    result = run(
        [
            "--dir",
            str(ROOT / "claims"),
            "show",
            "-f",
            "json",
            "rubio-venezuela-intelligence-basically-cubans",
        ]
    )
    data = json.loads(result.stdout)
    assert data["status"] == "contested"
    assert data["evidence_weighing"] and "sources" in data


def test_show_unknown_id_suggests_close_matches(run):
    result = run(["--dir", str(ROOT / "claims"), "show", "rubio-venezuela-inteligence"])
    assert result.exit_code == 2
    assert result.stderr.count("\n") == 1
    assert "no claim with id" in result.stderr
    assert "rubio-venezuela-intelligence-basically-cubans" in result.stderr


def test_validate_shipped_claims_is_clean(run):
    result = run(["--dir", str(ROOT / "claims"), "validate"])
    assert result.exit_code == 0
    assert result.stdout == ""
    assert result.stderr.startswith("ok:")


def test_validate_problem_format_and_exit_code(run, make_claims):
    folder = make_claims({"good": claim_yaml("good"), "bad": claim_yaml("bad", confidence="2")})
    result = run(["--dir", str(folder), "validate"])
    assert result.exit_code == 1
    line = result.stdout.strip()
    assert line.endswith("(value)")
    path, row, col, rest = line.split(":", 3)
    assert path.endswith("bad.yaml") and (row, col) == ("8", "13")
    assert rest.startswith(" [error] confidence: ")


def test_validate_specific_files(run, make_claims):
    folder = make_claims({"good": claim_yaml("good"), "bad": claim_yaml("bad", confidence="2")})
    assert run(["validate", str(folder / "good.yaml")]).exit_code == 0
    result = run(["validate", str(folder / "bad.yaml")])
    assert result.exit_code == 1 and "bad.yaml:8:13" in result.stdout
    assert run(["validate", str(folder / "nope.yaml")]).exit_code == 2


def test_validate_json_format(run, make_claims):
    folder = make_claims({"bad": claim_yaml("bad", statment="typo")})
    data = json.loads(run(["--dir", str(folder), "validate", "-f", "json"]).stdout)
    assert data["errors"] == 1
    problem = data["problems"][0]
    assert problem["rule"] == "unknown-field" and "did you mean 'statement'" in problem["message"]


def test_read_commands_still_show_good_claims_beside_a_bad_file(run, make_claims):
    folder = make_claims({"good": claim_yaml("good"), "bad": "id: [unclosed\n"})
    result = run(["--dir", str(folder), "list", "-f", "json"])
    assert result.exit_code == 1
    assert [c["id"] for c in json.loads(result.stdout)] == ["good"]
    assert "bad.yaml:2:1:" in result.stderr and "(yaml-syntax)" in result.stderr


def test_stats(run):
    result = run(["--dir", str(ROOT / "claims"), "stats", "-f", "json"])
    data = json.loads(result.stdout)
    assert data["claims"] == sum(data["by_status"].values())
    assert sum(data["confidence"]["bands"].values()) == data["claims"]
    table = run(["--dir", str(ROOT / "claims"), "stats"])
    assert "claims by status" in table.stdout and "contested" in table.stdout


def test_stats_tables_show_the_most_cited_and_count_the_rest(run):
    data = json.loads(run(["--dir", str(ROOT / "claims"), "stats", "-f", "json"]).stdout)
    tags = list(data["by_tag"])  # the most cited first
    assert len(tags) > 3
    top = run(["--dir", str(ROOT / "claims"), "stats", "--top", "3"]).stdout
    shown = top.split("claims by tag")[1].split("claims by confidence")[0]
    assert all(f"│{tag} " in shown for tag in tags[:3])
    assert not any(f"│{tag} " in shown for tag in tags[3:])
    assert f"… and {len(tags) - 3} more (--top 0 for all)" in shown
    every = run(["--dir", str(ROOT / "claims"), "stats", "--top", "0"]).stdout
    assert all(f"│{tag} " in every for tag in tags) and "more (--top 0" not in every


def test_claims_dir_from_environment_and_upward(run, make_claims, monkeypatch):
    folder = make_claims({"one": claim_yaml("one")})
    assert json.loads(run(["list", "-f", "json"], env={"CLAIMTRACK_DIR": str(folder)}).stdout)
    nested = folder.parent / "deep" / "er"
    nested.mkdir(parents=True)
    monkeypatch.chdir(nested)
    assert [c["id"] for c in json.loads(run(["list", "-f", "json"]).stdout)] == ["one"]


def test_missing_claims_dir_is_a_usage_error(run, tmp_path):
    result = run(["--dir", str(tmp_path / "nope"), "list"])
    assert result.exit_code == 2
    assert result.stderr.startswith("error: claims folder")


def test_version_and_help(run):
    assert run(["--version"]).stdout.startswith("claimtrack ")
    help_text = run(["--help"]).stdout
    for command in ("list", "show", "validate", "stats", "schema"):
        assert command in help_text


def test_committed_schemas_are_current(run):
    for which in ("claim", "sources"):
        result = run(["schema", which])
        committed = (ROOT / "schema" / f"{which}.schema.json").read_text(encoding="utf-8")
        assert result.stdout == committed, f"run: claimtrack schema --write schema ({which})"


def test_shipped_files_validate_against_the_json_schema():
    import yaml

    claim_schema = json.loads((ROOT / "schema" / "claim.schema.json").read_text())
    sources_schema = json.loads((ROOT / "schema" / "sources.schema.json").read_text())
    jsonschema.Draft202012Validator.check_schema(claim_schema)
    for path in sorted((ROOT / "claims").glob("*.yaml")):
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        schema = sources_schema if path.name == "sources.yaml" else claim_schema
        jsonschema.validate(data, schema)
        first = path.read_text(encoding="utf-8").splitlines()[0]
        assert first.startswith("# yaml-language-server: $schema=../schema/"), path


def test_every_command_is_documented_in_the_readme(run):
    readme = manual()
    import typer.main

    from claimtrack.cli import app

    group = typer.main.get_command(app)
    for name in group.commands:  # type: ignore[attr-defined]
        assert f"claimtrack {name}" in readme, name
        assert run([name, "--help"]).exit_code == 0


def test_read_commands_write_nothing_into_the_claims_folder(run, claims_dir: Path):
    before = {p: p.stat().st_mtime_ns for p in claims_dir.rglob("*")}
    for args in (
        ["list"],
        ["list", "-f", "csv"],
        ["show", "chavez-died-2013"],
        ["validate"],
        ["stats"],
    ):
        run(["--dir", str(claims_dir), *args])
    after = {p: p.stat().st_mtime_ns for p in claims_dir.rglob("*")}
    assert before == after


@pytest.mark.parametrize("color", ["always", "never"])
def test_color_option(run, color):
    result = run(["--dir", str(ROOT / "claims"), "--color", color, "list", "-s", "contested"])
    assert ("\x1b[" in result.stdout) == (color == "always")


def test_problem_lines_are_the_same_written_plain_or_through_rich(run, make_claims):
    """Piped output skips rich; a terminal's goes through it: the same lines either way."""
    hostile_key = '"\\u202e\\x1b[31m[red]note"'  # a bidi override, ANSI, rich markup
    folder = make_claims(
        {
            "bad": claim_yaml("bad", **{hostile_key: "x"}),
            "typo": claim_yaml("typo", confidence_note="x"),
        }
    )
    args = ["--dir", str(folder), "validate"]
    plain = run(args)
    styled = run(args, env={"TTY_COMPATIBLE": "1"})  # rich takes it for a terminal (no colour)
    assert plain.exit_code == styled.exit_code == 1
    assert plain.stdout == styled.stdout and plain.stderr == styled.stderr
    assert plain.stdout.count("unknown-field") == 2
    assert not {"\x1b", "\u202e"} & set(plain.stdout + plain.stderr)
    assert "[red]note" in plain.stdout  # markup is text
    listed = run(["--dir", str(folder), "list"], env={"TTY_COMPATIBLE": "1"})
    assert listed.stderr == run(["--dir", str(folder), "list"]).stderr
