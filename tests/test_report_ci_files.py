"""The files other repositories use: pre-commit hooks, the composite Action, and .ci/run."""

from __future__ import annotations

import re
import shlex

import yaml

from claimtrack.cli import app
from conftest import ROOT, manual


def _commands() -> set[str]:
    import typer.main

    group = typer.main.get_command(app)
    return set(group.commands)  # type: ignore[attr-defined]


def _check_command_line(line: str, run) -> None:
    """``claimtrack [global options] COMMAND [options]`` names a real command whose options
    the CLI accepts (checked by asking that command for --help with those options)."""
    words = shlex.split(line)
    assert words[0] == "claimtrack", line
    rest = ["placeholder" if "$" in w else w for w in words[1:]]  # shell variables
    assert any(w in _commands() for w in rest), line
    result = run([*rest, "--help"])
    assert result.exit_code == 0, (line, result.stdout, result.stderr)


def test_pre_commit_hooks_name_real_commands(run):
    hooks = yaml.safe_load((ROOT / ".pre-commit-hooks.yaml").read_text(encoding="utf-8"))
    by_id = {hook["id"]: hook for hook in hooks}
    assert set(by_id) == {"claimtrack-validate", "claimtrack-report"}
    for hook in hooks:
        assert {"id", "name", "entry", "language"} <= set(hook)
        assert hook["language"] == "python"
        _check_command_line(hook["entry"], run)
    assert by_id["claimtrack-validate"].get("pass_filenames", True) is True
    assert by_id["claimtrack-report"]["pass_filenames"] is False
    # Both run on claims, the registry and the archived texts the quotes are checked against.
    for hook in hooks:
        assert "types" not in hook
        pattern = re.compile(hook["files"])
        for changed in (
            "claims/a.yaml",
            "claims/desk/b.yml",
            "claims/sources.yaml",
            "claims/sources/wire.yaml",
            "claims/sources/wire.txt",
            "news/claims/sources/wire.txt",
        ):
            assert pattern.search(changed), (hook["id"], changed)
        for other in ("claims/README.md", "src/claims.py", "claims/sources/wire.pdf"):
            assert not pattern.search(other), (hook["id"], other)


def test_the_validate_hook_checks_a_changed_archive(run, claims_dir, monkeypatch):
    monkeypatch.chdir(claims_dir.parent)
    archive = next((claims_dir / "sources").glob("*.txt"))
    archive.write_text(archive.read_text(encoding="utf-8") + "\nedited\n", encoding="utf-8")
    result = run(["validate", f"claims/sources/{archive.name}"])
    assert result.exit_code == 1
    assert "(archive-changed)" in result.stdout and "yaml-syntax" not in result.stdout


def test_a_failing_report_hook_prints_one_line_that_names_the_report(run, claims_dir, monkeypatch):
    hooks = yaml.safe_load((ROOT / ".pre-commit-hooks.yaml").read_text(encoding="utf-8"))
    entry = next(h for h in hooks if h["id"] == "claimtrack-report")["entry"]
    monkeypatch.chdir(claims_dir.parent)
    result = run([*shlex.split(entry)[1:], "--fail-on", "contested"])
    assert result.exit_code == 1
    assert result.stdout == ""  # not the raw report
    failure = [line for line in result.stderr.splitlines() if line.startswith("policy failed")]
    assert failure == [
        "policy failed: 4 findings of contested; the report is in .claimtrack-report.md"
    ]
    written = (claims_dir.parent / ".claimtrack-report.md").read_text(encoding="utf-8")
    assert written.startswith("# ")


def test_the_validate_hook_checks_the_files_it_is_given(run, claims_dir, monkeypatch):
    monkeypatch.chdir(claims_dir.parent)
    files = ["claims/chavez-died-2013.yaml", "claims/sources.yaml"]
    result = run(["validate", *files])
    assert result.exit_code == 0, result.stderr


def test_the_action_runs_real_commands_and_exposes_the_sarif_path(run):
    action = yaml.safe_load((ROOT / "action.yml").read_text(encoding="utf-8"))
    assert action["runs"]["using"] == "composite"
    steps = action["runs"]["steps"]
    assert "steps.report.outputs.sarif" in action["outputs"]["sarif"]["value"]
    scripts = "\n".join(step.get("run", "") for step in steps)
    assert "upload" not in scripts.lower()  # it uploads nothing itself
    assert all(step["uses"].startswith("actions/") for step in steps if "uses" in step)
    lines = [line.strip() for line in scripts.splitlines() if line.strip().startswith("claimtrack")]
    assert any(" validate" in line for line in lines)
    assert any("--format sarif" in line for line in lines)
    assert any("--summary" in line for line in lines)
    for line in lines:
        _check_command_line(re.sub(r'"\$\{args\[@\]\}"', "", line), run)
    # Inputs reach the scripts through the environment, never pasted into the script text.
    assert "${{ inputs." not in scripts


def test_ci_dogfoods_validate_then_report():
    script = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    assert "set -euo pipefail" in script
    validate = script.index("claimtrack --dir claims validate")
    assert script.index("claimtrack --dir claims report --format md") > validate


def test_readme_example_workflow_uses_the_action_output():
    readme = manual()
    match = re.search(r"```yaml\n(name: claims\n.*?)```", readme, re.DOTALL)
    assert match, "the README's example workflow"
    workflow = yaml.safe_load(match.group(1))
    steps = workflow["jobs"]["claims"]["steps"]
    uses = [step.get("uses", "") for step in steps]
    assert any(u.startswith("github/codeql-action/upload-sarif") for u in uses)
    upload = next(s for s in steps if s.get("uses", "").startswith("github/codeql-action"))
    assert "outputs.sarif" in upload["with"]["sarif_file"]
