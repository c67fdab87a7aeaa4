"""What a new user meets first: the README's set-up commands as CI runs them, the release's
metadata, a project folder given to --dir, output suffixes, honest summaries, and schema
modelines that resolve from the file they are in."""

from __future__ import annotations

import importlib.metadata
import json
import re
import subprocess
import tomllib
from pathlib import Path, PurePosixPath

import jsonschema
from hypothesis import given
from hypothesis import strategies as st

from claimtrack import __version__
from claimtrack.io.emit import modeline
from claimtrack.render.schema import SCHEMA_FILES, build_schema
from conftest import ROOT, SHARED, claim_yaml

PYPROJECT = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
MODELINE = re.compile(r"# yaml-language-server: \$schema=(\S+)")


def _readme_command(n: int) -> str:
    result = subprocess.run(
        ["bash", str(ROOT / ".ci" / "readme-command"), str(n)],
        capture_output=True,
        text=True,
        check=True,
    )
    return result.stdout.rstrip("\n")


# --- the README's commands and CI ------------------------------------------------------------


def test_ci_runs_the_readme_test_command_as_written():
    from test_docs import SETUP

    install, tests = SETUP.split("\n")
    assert _readme_command(1) == install and _readme_command(2) == tests
    assert "apt-get update" in tests and "chromium" in tests and "pytest" in tests
    script = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    assert tests in script.splitlines()  # the README's own words, as one line of CI
    # The tests run only through the README's command (and the wheel's smoke test).
    assert script.count("pytest") == tests.count("pytest")
    assert "bash .ci/wheel-smoke" in script
    smoke = (ROOT / ".ci" / "wheel-smoke").read_text(encoding="utf-8")
    assert "python -m build" in smoke and "tests/test_smoke.py" in smoke


def test_the_readme_command_reader_refuses_a_command_that_is_not_there():
    result = subprocess.run(
        ["bash", str(ROOT / ".ci" / "readme-command"), "3"], capture_output=True, check=False
    )
    assert result.returncode != 0 and result.stdout == b""


# --- the release ---------------------------------------------------------------------------


def test_the_release_metadata_is_complete_and_honest():
    project = PYPROJECT["project"]
    assert project["license"] == "MIT"
    assert (ROOT / "LICENSE").read_text(encoding="utf-8").startswith("MIT License\n")
    assert "LICENSE" in project["license-files"]
    classifiers = project["classifiers"]
    assert any(c.startswith("Development Status :: ") for c in classifiers)
    assert "Programming Language :: Python :: 3.11" in classifiers
    assert ".invalid" not in (ROOT / "pyproject.toml").read_text(encoding="utf-8")
    # The version has one home, which the installed metadata reads.
    assert "version" in project["dynamic"] and "version" not in project
    assert importlib.metadata.version("claimtrack") == __version__


def test_every_package_data_pattern_matches_a_file():
    package = ROOT / "src" / "claimtrack"
    for pattern in PYPROJECT["tool"]["setuptools"]["package-data"]["claimtrack"]:
        assert list(package.glob(pattern)), pattern


def test_the_schemas_have_real_identifiers():
    for which in SCHEMA_FILES.values():
        schema = build_schema(which)
        assert schema["$id"] == f"urn:claimtrack:schema:{which}"
        jsonschema.Draft202012Validator.check_schema(schema)


# --- --dir given a project -------------------------------------------------------------------


def test_dir_given_a_project_uses_its_claims_folder_and_says_so_once(run, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    assert run(["init", "p1"]).exit_code == 0
    (tmp_path / "p1" / "claims" / "a.yaml").write_text(
        claim_yaml("a", evidence=None), encoding="utf-8"
    )
    result = run(["--dir", "p1", "validate"])
    assert result.stderr.count("note: p1 is a project folder: using p1/claims") == 1
    assert "schema" not in result.stdout  # the project's schemas are not read as claims
    assert "1 valid claim" in result.stderr
    report = run(["--dir", "p1", "report", "-f", "json"])
    assert [c["id"] for c in json.loads(report.stdout)["claims"]] == ["a"]
    assert report.stderr.count("is a project folder") == 1
    # The claims folder itself, given directly, is used as it is, without a note.
    direct = run(["--dir", "p1/claims", "validate"])
    assert "project folder" not in direct.stderr


def test_a_claims_folder_with_a_claims_subfolder_is_still_a_claims_folder(run, make_claims):
    folder = make_claims({"a": claim_yaml("a")})
    (folder / "claims").mkdir()
    (folder / "claims" / "b.yaml").write_text(claim_yaml("b"), encoding="utf-8")
    result = run(["--dir", str(folder), "validate"])
    assert result.exit_code == 0 and "project folder" not in result.stderr
    assert "2 valid claims" in result.stderr


# --- report -o and the github format -----------------------------------------------------------


def test_an_output_suffix_picks_its_format_and_an_unknown_one_is_refused(run, claims_dir, tmp_path):
    pdf = tmp_path / "r.pdf"
    refused = run(["--dir", str(claims_dir), "report", "-o", str(pdf)])
    assert refused.exit_code == 2 and not pdf.exists()
    assert "'.pdf' names no report format" in refused.stderr and ".sarif" in refused.stderr
    sarif = tmp_path / "r.sarif"
    assert run(["--dir", str(claims_dir), "report", "-o", str(sarif)]).exit_code == 0
    assert json.loads(sarif.read_text(encoding="utf-8"))["version"] == "2.1.0"
    report = tmp_path / "R.JSON"
    assert run(["--dir", str(claims_dir), "report", "-o", str(report)]).exit_code == 0
    assert json.loads(report.read_text(encoding="utf-8"))["tool"] == "claimtrack"
    # --format names the format whatever the file is called; no suffix is Markdown.
    forced = run(["--dir", str(claims_dir), "report", "-f", "md", "-o", str(pdf)])
    assert forced.exit_code == 0 and pdf.read_text(encoding="utf-8").startswith("# ")
    bare = tmp_path / "report"
    assert run(["--dir", str(claims_dir), "report", "-o", str(bare)]).exit_code == 0
    assert bare.read_text(encoding="utf-8").startswith("# ")


def test_the_github_notice_points_at_a_summary_only_when_one_is_written(
    run, claims_dir, tmp_path, monkeypatch
):
    monkeypatch.delenv("GITHUB_STEP_SUMMARY", raising=False)
    for args in (["-f", "github"], ["-f", "github", "--summary"]):
        result = run(["--dir", str(claims_dir), "report", *args])
        notice = result.stdout.splitlines()[-1]
        assert notice.startswith("::notice ") and "job summary" not in notice
    summary = tmp_path / "summary.md"
    monkeypatch.setenv("GITHUB_STEP_SUMMARY", str(summary))
    without = run(["--dir", str(claims_dir), "report", "-f", "github"])
    assert "job summary" not in without.stdout and not summary.exists()
    written = run(["--dir", str(claims_dir), "report", "-f", "github", "--summary"])
    assert written.stdout.splitlines()[-1].endswith("See the job summary for the full report.")
    assert summary.read_text(encoding="utf-8").startswith("# ")


# --- counted words -------------------------------------------------------------------------------


def test_summaries_count_in_the_singular_and_the_plural(run, make_claims):
    folder = make_claims({"a": claim_yaml("a"), "b": claim_yaml("b", confidence="[")})
    broken = run(["validate", str(folder / "b.yaml")])
    assert broken.stderr.strip() == "1 error, 0 warnings in 1 of 1 file (0 valid claims)"
    good = run(["validate", str(folder / "a.yaml")])
    assert good.stderr.strip().startswith("ok: 1 file, 1 valid claim, ")
    report = run(["--dir", str(folder), "report", "-f", "github"])
    assert "1 error," in report.stdout.splitlines()[-1]
    (folder / "b.yaml").unlink()
    markdown = run(["--dir", str(folder), "report", "-f", "md"]).stdout
    assert " · 2 files · " in markdown  # a.yaml and sources.yaml


# --- modelines -----------------------------------------------------------------------------------


def _assert_modelines_resolve(claims: Path) -> int:
    """Every YAML file under ``claims`` starts with a modeline whose schema exists, resolved
    from the file's own folder as an editor resolves it; the number of files checked."""
    checked = 0
    for path in sorted(claims.rglob("*.y*ml")):
        first = path.read_text(encoding="utf-8").split("\n", 1)[0]
        match = MODELINE.fullmatch(first)
        assert match, f"{path}: no modeline"
        target = (path.parent / match.group(1)).resolve()
        assert target.is_file(), f"{path}: {match.group(1)} does not resolve"
        checked += 1
    return checked


def test_every_modeline_claimtrack_writes_resolves(run, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    assert run(["init", "p"]).exit_code == 0
    claims = tmp_path / "p" / "claims"
    imported = SHARED / "data" / "claimreview" / "claimreview-claimskg.jsonld"
    result = run(["--dir", str(claims), "import", str(imported), "--write"])
    assert result.exit_code == 0, result.stderr
    assert list((claims / "sources").glob("*.yaml")), "the import wrote no source files"
    # Claims in a nested folder, without a modeline and with one written before they moved.
    nested = claims / "desk" / "2026"
    nested.mkdir(parents=True)
    (nested / "deep.yaml").write_text(claim_yaml("deep"), encoding="utf-8")
    moved = next(p for p in sorted(claims.glob("*.yaml")) if p.name != "sources.yaml")
    moved.rename(nested / moved.name)
    assert run(["--dir", str(claims), "fmt"]).exit_code == 0
    # Drafts, inside the claims folder and outside the project.
    article = tmp_path / "article.txt"
    article.write_text(
        "Officials said that Venezuela shipped 90,000 barrels of oil a day to Cuba in 2010.\n",
        encoding="utf-8",
    )
    for into in (claims / "drafts", tmp_path / "desk" / "drafts"):
        drafted = run(["--dir", str(claims), "extract", str(article), "--into", str(into)])
        assert drafted.exit_code == 0 and list(into.glob("*.yaml")), drafted.stderr
    assert _assert_modelines_resolve(tmp_path / "desk") == 1
    assert _assert_modelines_resolve(claims) > 3


def test_a_modeline_of_the_users_own_is_kept(run, make_claims):
    own = "# yaml-language-server: $schema=https://x.test/s.json\n"
    folder = make_claims({"a": own + claim_yaml("a")})
    assert run(["--dir", str(folder), "fmt"]).exit_code == 0
    assert (folder / "a.yaml").read_text(encoding="utf-8").startswith(own)


@given(st.lists(st.text(alphabet="abz09_-", min_size=1, max_size=8), max_size=6))
def test_a_modeline_climbs_as_many_folders_as_the_file_is_deep(folders):
    relative = PurePosixPath(*folders, "x.yaml")
    line = modeline("claim", relative)
    target = MODELINE.fullmatch(line.rstrip("\n"))
    assert target
    # From claims/<folders>/, the path leads back out of claims/ to the project's schema/.
    resolved = PurePosixPath("/project/claims", *folders, target.group(1))
    parts: list[str] = []
    for part in resolved.parts[1:]:
        if part == "..":
            parts.pop()
        else:
            parts.append(part)
    assert parts == ["project", "schema", "claim.schema.json"]


def test_no_output_carries_a_placeholder_address(run, claims_dir):
    for fmt in ("sarif", "json", "html", "md"):
        result = run(["--dir", str(claims_dir), "report", "-f", fmt])
        assert ".invalid" not in result.stdout, fmt
