"""`claimtrack report` and `claimtrack rules`: content, order, policies, baseline, configuration."""

from __future__ import annotations

import json
import re
from pathlib import Path

import jsonschema
import pytest

from claimtrack import __version__
from claimtrack.render import REPORT_RENDERERS, ReportFormat, report_renderer
from claimtrack.render.schema import build_schema
from claimtrack.rules.policy import POLICY_RULES
from conftest import ROOT, claim_yaml, manual

CONTESTED = claim_yaml(
    "b-contested",
    disputed_by="\n  - name: A Rival\n    kind: official",
    evidence="\n  - source: wire\n    stance: supports\n  - source: rebuttal\n    stance: refutes",
)
REFUTED = claim_yaml("c-refuted", evidence="\n  - source: rebuttal\n    stance: refutes")
UNSOURCED = claim_yaml("d-unsourced", evidence="\n  - source: article\n    stance: supports")
SOURCED = claim_yaml("a-sourced")


@pytest.fixture
def folder(make_claims):
    return make_claims(
        {
            "a-sourced": SOURCED,
            "b-contested": CONTESTED,
            "c-refuted": REFUTED,
            "d-unsourced": UNSOURCED,
        }
    )


def test_every_report_format_has_a_renderer():
    assert set(REPORT_RENDERERS) == set(ReportFormat)
    for fmt in ReportFormat:
        assert callable(report_renderer(fmt))


def test_piped_default_is_markdown_with_totals_and_status_order(run, folder):
    result = run(["--dir", str(folder), "report"])
    assert result.exit_code == 0, result.stderr
    out = result.stdout
    assert out.startswith("# claimtrack report")
    for status in ("contested", "refuted", "unsourced", "sourced"):
        assert re.search(rf"^\| {status} \| 1 \|$", out, re.MULTILINE)
    positions = [out.index(f"## {s} (1)") for s in ("Contested", "Refuted", "Unsourced", "Sourced")]
    assert positions == sorted(positions)


def test_contested_claim_shows_both_sides_and_its_file(run, folder):
    out = run(["--dir", str(folder), "report", "-f", "md"]).stdout
    block = out[out.index("### b-contested") : out.index("## Refuted")]
    assert "**Asserted by:** A Minister (official)" in block
    assert "**Disputed by:** A Rival (official)" in block
    assert "**Supporting:** wire" in block and "**Refuting:** rebuttal" in block
    assert "**Confidence:** likely (0.675)" in block
    assert re.search(r"b-contested\.yaml:1\b", block)


def test_same_data_gives_byte_identical_reports_with_version_and_hash(run, folder):
    first = run(["--dir", str(folder), "report", "-f", "html"]).stdout
    second = run(["--dir", str(folder), "report", "-f", "html"]).stdout
    assert first == second
    digest = re.search(r"inputs sha256\s+([0-9a-f]{64})", first)
    assert digest and f"claimtrack {__version__}" in first
    (folder / "a-sourced.yaml").write_text(SOURCED + "notes: changed\n", encoding="utf-8")
    third = run(["--dir", str(folder), "report", "-f", "html"]).stdout
    assert digest.group(1) not in third


def _documented_digest(folder: Path) -> str:
    """The input digest as the README defines it, worked out independently of claimtrack."""
    import hashlib

    files = sorted(
        (p.relative_to(folder).as_posix() for p in folder.rglob("*.y*ml")),
        key=lambda rel: rel.split("/"),
    )
    digest = hashlib.sha256()
    for rel in files:
        inner = hashlib.sha256((folder / rel).read_bytes()).hexdigest()
        digest.update(f"{rel}\0{inner}\n".encode())
    return digest.hexdigest()


def test_input_digest_is_the_documented_one_with_and_without_the_index(run, folder):
    (folder / "sub").mkdir()
    (folder / "sub" / "e-nested.yaml").write_text(claim_yaml("e-nested"), encoding="utf-8")
    expected = _documented_digest(folder)
    reports = [
        json.loads(run(["--dir", str(folder), *flag, "report", "-f", "json"]).stdout)
        for flag in ([], [], ["--no-cache"])  # builds the index, uses it, goes without it
    ]
    assert {r["input_sha256"] for r in reports} == {expected}
    (folder / "sub" / "e-nested.yaml").write_text(
        claim_yaml("e-nested") + "notes: edited\n", encoding="utf-8"
    )
    warm = json.loads(run(["--dir", str(folder), "report", "-f", "json"]).stdout)
    assert warm["input_sha256"] == _documented_digest(folder) != expected


def test_output_file_is_written_whole_and_stdout_stays_empty(run, folder, tmp_path):
    target = tmp_path / "out" / "report.sarif"
    target.parent.mkdir()
    result = run(["--dir", str(folder), "report", "--output", str(target)])
    assert result.exit_code == 0 and result.stdout == ""
    assert json.loads(target.read_text(encoding="utf-8"))["version"] == "2.1.0"  # suffix → sarif
    assert [p.name for p in target.parent.iterdir()] == ["report.sarif"]  # no temp file left


def test_output_into_the_claims_folder_or_a_missing_folder_is_refused(run, folder, tmp_path):
    inside = run(["--dir", str(folder), "report", "-o", str(folder / "r.md")])
    assert inside.exit_code == 2 and "claims folder" in inside.stderr
    missing = run(["--dir", str(folder), "report", "-o", str(tmp_path / "nope" / "r.md")])
    assert missing.exit_code == 2 and missing.stderr.startswith("error: ")


def test_text_format_to_a_file_is_plain_text(run, folder, tmp_path):
    target = tmp_path / "report.txt"
    assert run(["--dir", str(folder), "report", "-o", str(target)]).exit_code == 0
    text = target.read_text(encoding="utf-8")
    assert "claims by status" in text and "\x1b" not in text


def test_summary_is_appended_to_the_step_summary(run, folder, tmp_path):
    summary = tmp_path / "summary.md"
    summary.write_text("earlier step\n", encoding="utf-8")
    env = {"GITHUB_STEP_SUMMARY": str(summary)}
    result = run(["--dir", str(folder), "report", "-f", "github", "--summary"], env=env)
    assert result.exit_code == 0
    text = summary.read_text(encoding="utf-8")
    assert text.startswith("earlier step\n# claimtrack report")
    assert result.stdout.startswith("::")


def test_summary_without_the_variable_says_so(run, folder):
    result = run(["--dir", str(folder), "report", "--summary"])
    assert result.exit_code == 0 and "GITHUB_STEP_SUMMARY is not set" in result.stderr


@pytest.mark.parametrize(
    "args",
    [
        ["--fail-on", "contested"],
        ["--fail-on", "refuted,contested"],
        ["--fail-on", "refuted", "--fail-on", "contested"],
    ],
)
def test_fail_on_exits_1_when_a_claim_matches(run, folder, args):
    result = run(["--dir", str(folder), "report", "-f", "json", *args])
    assert result.exit_code == 1
    assert "policy failed" in result.stderr
    data = json.loads(result.stdout)
    assert data["failed"] is True
    failing = {c["id"] for c in data["claims"] if any(f["failing"] for f in c["findings"])}
    assert "b-contested" in failing and "a-sourced" not in failing


def test_fail_on_a_rule_no_claim_matches_passes(run, make_claims):
    folder = make_claims({"a-sourced": SOURCED})
    result = run(["--dir", str(folder), "report", "--fail-on", "contested,refuted"])
    assert result.exit_code == 0 and "**passed**" in result.stdout


def test_unknown_rule_is_a_usage_error(run, folder):
    result = run(["--dir", str(folder), "report", "--fail-on", "contestd"])
    assert result.exit_code == 2 and "unknown rule 'contestd'" in result.stderr


def test_baseline_fails_only_on_new_findings(run, folder, tmp_path):
    baseline = tmp_path / "baseline.json"
    first = run(
        [
            "--dir",
            str(folder),
            "report",
            "-f",
            "json",
            "-o",
            str(baseline),
            "--fail-on",
            "contested,unsourced",
        ]
    )
    assert first.exit_code == 1
    # Moving the claim's lines does not change its findings' fingerprints.
    (folder / "b-contested.yaml").write_text("# a comment\n\n" + CONTESTED, encoding="utf-8")
    same = run(
        [
            "--dir",
            str(folder),
            "report",
            "-f",
            "sarif",
            "--baseline",
            str(baseline),
            "--fail-on",
            "contested,unsourced",
        ]
    )
    assert same.exit_code == 0, same.stderr
    states = {r["baselineState"] for r in json.loads(same.stdout)["runs"][0]["results"]}
    assert states == {"unchanged"}
    (folder / "e-new.yaml").write_text(
        claim_yaml("e-new", evidence="\n  - source: article\n    stance: supports"),
        encoding="utf-8",
    )
    new = run(
        [
            "--dir",
            str(folder),
            "report",
            "-f",
            "json",
            "--baseline",
            str(baseline),
            "--fail-on",
            "contested,unsourced",
        ]
    )
    assert new.exit_code == 1
    failing = [
        (c["id"], f["rule"])
        for c in json.loads(new.stdout)["claims"]
        for f in c["findings"]
        if f["failing"]
    ]
    assert failing == [("e-new", "unsourced")]


def test_baseline_that_is_not_a_report_is_a_usage_error(run, folder, tmp_path):
    bad = tmp_path / "bad.json"
    bad.write_text("[1, 2]", encoding="utf-8")
    result = run(["--dir", str(folder), "report", "--baseline", str(bad)])
    assert result.exit_code == 2 and "not a claimtrack JSON report" in result.stderr


def test_configuration_from_pyproject_and_flags_win(run, folder):
    (folder.parent / "pyproject.toml").write_text(
        '[project]\nname = "x"\n\n[tool.claimtrack]\nfail-on = ["contested"]\nformat = "json"\n',
        encoding="utf-8",
    )
    configured = run(["--dir", str(folder), "report"])
    assert configured.exit_code == 1 and json.loads(configured.stdout)["policy"]["fail_on"] == [
        "contested"
    ]
    flagged = run(["--dir", str(folder), "report", "-f", "md", "--fail-on", "no-quote"])
    assert flagged.exit_code == 0 and flagged.stdout.startswith("# claimtrack report")


def test_dot_claimtrack_toml_is_found_upward_and_checked(run, folder):
    (folder.parent / ".claimtrack.toml").write_text('fail-on = "refuted"\n', encoding="utf-8")
    assert run(["--dir", str(folder), "report"]).exit_code == 1
    (folder.parent / ".claimtrack.toml").write_text("fail_on = ['refuted']\n", encoding="utf-8")
    result = run(["--dir", str(folder), "report"])
    assert result.exit_code == 2 and "did you mean 'fail-on'?" in result.stderr
    (folder.parent / ".claimtrack.toml").write_text("max-age-days = 'soon'\n", encoding="utf-8")
    assert "must be an integer" in run(["--dir", str(folder), "report"]).stderr


def test_invalid_files_are_reported_and_exit_1(run, folder):
    (folder / "broken.yaml").write_text("id: broken\nstatement: [\n", encoding="utf-8")
    result = run(["--dir", str(folder), "report", "-f", "json"])
    assert result.exit_code == 1
    data = json.loads(result.stdout)
    assert data["problems"][0]["rule"] == "yaml-syntax" and len(data["claims"]) == 4


def test_link_base_makes_file_links(run, folder):
    base = "https://github.com/o/r/blob/abc"
    out = run(["--dir", str(folder), "report", "-f", "md", "--link-base", base]).stdout
    assert re.search(r"\]\(<https://github\.com/o/r/blob/abc/.*b-contested\.yaml#L1>\)", out)
    bad = run(["--dir", str(folder), "report", "--link-base", "javascript:alert(1)"])
    assert bad.exit_code == 2


# --- the policy rules ----------------------------------------------------------------------------


def _rules_hit(run, folder, env=None):
    data = json.loads(run(["--dir", str(folder), "report", "-f", "json"], env=env).stdout)
    return {(c["id"], f["rule"]) for c in data["claims"] for f in c["findings"]}


def test_each_rule_finds_what_its_docstring_says(run, make_claims):
    undated = (
        "sources:\n  - id: article\n    title: T\n  - id: wire\n    title: W\n"
        "    date: 2020\n    reliability: B\n  - id: copy\n    title: C\n"
        "    reliability: B\n    derived_from: [wire]\n"
    )
    folder = make_claims(
        {
            "quoteless": claim_yaml("quoteless", quote=None),
            "mismatch": claim_yaml("mismatch", confidence="{value: 0.9, word: unlikely}"),
            "echoed": claim_yaml(
                "echoed",
                evidence="\n  - source: wire\n    stance: supports\n  - source: copy\n"
                "    stance: supports",
            ),
            "stale": claim_yaml("stale", quantity="\n  value: 3\n  unit: t\n  as_of: 2023-06"),
        },
        sources=undated,
    )
    hits = _rules_hit(run, folder, env={"SOURCE_DATE_EPOCH": "1750000000"})  # 2025-06-15
    assert ("quoteless", "no-quote") in hits and ("mismatch", "no-quote") not in hits
    assert ("mismatch", "confidence-word") in hits
    assert ("echoed", "single-source") in hits  # copy derives from wire: one source
    assert ("stale", "stale-as-of") in hits
    assert ("quoteless", "source-no-date") in hits  # the article has no date
    assert ("quoteless", "source-no-reliability") in hits
    fresh = _rules_hit(run, folder, env={"SOURCE_DATE_EPOCH": "1700000000"})  # 2023-11-14
    assert ("stale", "stale-as-of") not in fresh


def test_two_independent_sources_are_not_single_source(run, make_claims):
    folder = make_claims(
        {
            "two": claim_yaml(
                "two",
                evidence="\n  - source: wire\n    stance: supports\n  - source: rebuttal\n"
                "    stance: supports",
            )
        }
    )
    assert ("two", "single-source") not in _rules_hit(run, folder)


def test_rules_lists_every_rule_with_its_docstring(run):
    result = run(["rules"])
    assert result.exit_code == 0
    for name, rule in POLICY_RULES.items():
        assert f"{name} ({rule.severity.value})" in result.stdout
        assert rule.summary.split()[0] in result.stdout
    data = json.loads(run(["rules", "-f", "json"]).stdout)
    assert [r["name"] for r in data] == list(POLICY_RULES)
    assert all(r["doc"] for r in data)


def test_readme_documents_every_rule_config_key_and_command():
    from claimtrack.io.config import KEYS

    readme = manual()
    for name in POLICY_RULES:
        assert f"| `{name}` |" in readme
    for key in KEYS:
        assert f"| `{key}` |" in readme
    assert "### `claimtrack report`" in readme and "### `claimtrack rules`" in readme


# --- the JSON format and its schema -----------------------------------------------------------


def test_committed_report_schema_is_current(run):
    committed = json.loads((ROOT / "schema" / "report.schema.json").read_text(encoding="utf-8"))
    assert committed == build_schema("report")
    assert json.loads(run(["schema", "report"]).stdout) == committed


def test_json_report_of_the_shipped_claims_matches_its_schema(run, claims_dir):
    schema = build_schema("report")
    jsonschema.Draft202012Validator.check_schema(schema)
    data = json.loads(
        run(["--dir", str(claims_dir), "report", "-f", "json", "--fail-on", "contested"]).stdout
    )
    jsonschema.Draft202012Validator(schema).validate(data)
    assert data["totals"] == {"contested": 4, "refuted": 0, "unsourced": 32, "sourced": 4}


def test_shipped_claims_pass_the_default_policy(run, claims_dir):
    result = run(["--dir", str(claims_dir), "report", "--format", "md"])
    assert result.exit_code == 0, result.stderr
    assert "Policy: no `--fail-on` rules" in result.stdout


def test_report_help_lists_the_formats(run):
    out = run(["report", "--help"]).stdout
    for fmt in ReportFormat:
        assert fmt.value in out


def test_paths_in_findings_point_at_the_claim(run, folder):
    data = json.loads(run(["--dir", str(folder), "report", "-f", "json"]).stdout)
    for claim in data["claims"]:
        assert Path(claim["path"]).name == f"{claim['id']}.yaml" and claim["line"] == 1


def test_format_defaults_to_text_on_a_terminal_and_md_when_piped(monkeypatch):
    from claimtrack.cli.report import _pick_format

    monkeypatch.setattr("sys.stdout.isatty", lambda: True)
    assert _pick_format(None, None, None) is ReportFormat.TEXT
    monkeypatch.setattr("sys.stdout.isatty", lambda: False)
    assert _pick_format(None, None, None) is ReportFormat.MD
    assert _pick_format(None, "html", None) is ReportFormat.HTML
    assert _pick_format(ReportFormat.JSON, "html", Path("r.xml")) is ReportFormat.JSON
    assert _pick_format(None, None, Path("r.xml")) is ReportFormat.JUNIT


def test_a_failed_run_leaves_an_earlier_output_untouched(run, folder, tmp_path):
    target = tmp_path / "report.md"
    target.write_text("earlier report\n", encoding="utf-8")
    result = run(["--dir", str(folder), "report", "-o", str(target), "--fail-on", "nope"])
    assert result.exit_code == 2
    assert target.read_text(encoding="utf-8") == "earlier report\n"


def test_step_summary_is_cut_to_githubs_limit(run, folder, tmp_path, monkeypatch):
    import claimtrack.render.markdown as markdown

    full = run(["--dir", str(folder), "report", "-f", "md"]).stdout
    monkeypatch.setattr(markdown, "SUMMARY_LIMIT", len(full.encode()) - 1)
    summary = tmp_path / "summary.md"
    run(
        ["--dir", str(folder), "report", "-f", "json", "--summary"],
        env={"GITHUB_STEP_SUMMARY": str(summary)},
    )
    text = summary.read_text(encoding="utf-8")
    assert len(text.encode()) < len(full.encode()) and "more claims: see the full report" in text
    assert "| contested | 1 |" in text  # the totals always stay


def test_installed_command_defaults_to_markdown_when_piped(claims_dir):
    import subprocess
    import sys

    before = sorted(p.name for p in claims_dir.iterdir())
    done = subprocess.run(
        [sys.executable, "-m", "claimtrack", "--dir", str(claims_dir), "report"],
        capture_output=True,
        text=True,
        check=False,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.startswith("# claimtrack report\n")
    assert sorted(p.name for p in claims_dir.iterdir()) == before  # nothing written there
