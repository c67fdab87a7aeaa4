"""The composite Action run as a GitHub runner runs it: action.yml parsed with a YAML parser, its
expressions filled in from the inputs and the runner's contexts, each bash step run by bash with
the runner's files (GITHUB_OUTPUT, GITHUB_PATH, GITHUB_STEP_SUMMARY) in a temporary folder.

The steps that use other actions (setup-python, cache) are GitHub's own and are not run here:
this test's Python, 3.11 or newer, stands for the one setup-python provides."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import jsonschema
import pytest
import yaml

from claimtrack.render.schema import build_schema
from conftest import ROOT, SHIPPED_CLAIMS

ACTION = yaml.safe_load((ROOT / "action.yml").read_text(encoding="utf-8"))
EXPRESSION = re.compile(r"\$\{\{\s*(.*?)\s*\}\}")


@dataclass
class Runner:
    """One job on a simulated runner: the contexts, and what the steps left behind."""

    workspace: Path
    temp: Path
    inputs: dict[str, str]
    python: str
    path: list[str] = field(default_factory=list)
    outputs: dict[str, dict[str, str]] = field(default_factory=dict)
    results: dict[str, subprocess.CompletedProcess[str]] = field(default_factory=dict)
    summary: Path = field(init=False)

    def __post_init__(self) -> None:
        self.summary = self.temp / "step_summary.md"
        self.summary.touch()

    def value(self, name: str) -> str:
        """A context value, as GitHub gives it (a missing output is the empty string)."""
        if name.startswith("inputs."):
            key = name.removeprefix("inputs.")
            return self.inputs.get(key, str(ACTION["inputs"][key].get("default", "")))
        if name.startswith("steps."):
            step, kind, key = name.removeprefix("steps.").split(".", 2)
            assert kind == "outputs", name
            if step == "python" and key == "python-path":
                return self.python
            if step == "python" and key == "python-version":
                return f"{sys.version_info.major}.{sys.version_info.minor}"
            return self.outputs.get(step, {}).get(key, "")
        contexts = {
            "github.action_path": str(ROOT),
            "github.action_ref": "v0",
            "github.server_url": "https://github.com",
            "github.repository": "octo/claims",
            "github.sha": "0123456789abcdef0123456789abcdef01234567",
            "runner.os": "Linux",
        }
        return contexts[name]

    def expand(self, text: str) -> str:
        return EXPRESSION.sub(lambda m: self.value(m.group(1)), text)

    def condition(self, step: dict[str, Any], failed: bool) -> bool:
        """The step's ``if:`` (default ``success()``), for the expressions action.yml uses."""
        expression = EXPRESSION.sub(r"\1", str(step.get("if", "success()"))).strip()
        if expression == "!cancelled()":
            return True
        if expression == "success()":
            return not failed
        match = re.fullmatch(r"inputs\.([\w-]+) == '([^']*)'", expression)
        assert match, f"the simulation does not know the condition {expression!r}"
        return not failed and self.value(f"inputs.{match.group(1)}") == match.group(2)

    def run_steps(self, steps: list[dict[str, Any]]) -> None:
        failed = False
        for step in steps:
            if "uses" in step or not self.condition(step, failed):
                continue
            assert step["shell"] == "bash"
            files = {name: self.temp / f"{name}.{len(self.results)}" for name in ("out", "path")}
            for file in files.values():
                file.touch()
            env = {k: v for k, v in os.environ.items() if not k.startswith(("GITHUB", "RUNNER"))}
            env.update({k: self.expand(str(v)) for k, v in step.get("env", {}).items()})
            env.update(
                GITHUB_OUTPUT=str(files["out"]),
                GITHUB_PATH=str(files["path"]),
                GITHUB_STEP_SUMMARY=str(self.summary),
                RUNNER_TEMP=str(self.temp),
                PATH=os.pathsep.join([*self.path, env.get("PATH", "")]),
            )
            script = self.temp / "step.sh"
            script.write_text(self.expand(step["run"]), encoding="utf-8")
            # GitHub's own command line for `shell: bash`.
            result = subprocess.run(
                ["bash", "--noprofile", "--norc", "-eo", "pipefail", str(script)],
                cwd=self.workspace,
                env=env,
                capture_output=True,
                text=True,
                timeout=300,
                check=False,
            )
            self.results[step["name"]] = result
            if "id" in step:
                lines = files["out"].read_text(encoding="utf-8").splitlines()
                self.outputs[step["id"]] = dict(line.split("=", 1) for line in lines if line)
            self.path = [*reversed(files["path"].read_text().split()), *self.path]
            failed = failed or result.returncode != 0

    def action_output(self, name: str) -> str:
        return self.expand(ACTION["outputs"][name]["value"])


@pytest.fixture(scope="module")
def installed(tmp_path_factory: pytest.TempPathFactory) -> list[str]:
    """The Action's install step, run once: the PATH entry it leaves for the later steps."""
    temp = tmp_path_factory.mktemp("runner-temp")
    runner = Runner(temp, temp, {}, sys.executable)
    runner.run_steps([s for s in ACTION["runs"]["steps"] if s["name"] == "Install claimtrack"])
    result = runner.results["Install claimtrack"]
    assert result.returncode == 0, result.stderr
    return runner.path


def _job(tmp_path: Path, installed: list[str], claims: Path, **inputs: str) -> Runner:
    workspace = tmp_path / "workspace"
    workspace.mkdir()
    shutil.copytree(claims, workspace / "claims")
    temp = tmp_path / "runner-temp"
    temp.mkdir(exist_ok=True)
    runner = Runner(workspace, temp, inputs, sys.executable, path=list(installed))
    # Every step but the install step, which the `installed` fixture ran once for the module.
    runner.run_steps([s for s in ACTION["runs"]["steps"] if s["name"] != "Install claimtrack"])
    return runner


@pytest.fixture
def job(installed: list[str]):
    """Run the job's steps after the (already run) install step."""

    def start(tmp_path: Path, claims: Path = SHIPPED_CLAIMS, **inputs: str) -> Runner:
        return _job(tmp_path, installed, claims, **inputs)

    return start


def test_the_install_step_puts_a_venv_on_the_path(installed):
    assert len(installed) == 1
    bin_dir = Path(installed[0])
    assert bin_dir.name in ("bin", "Scripts") and bin_dir.parent.name == "claimtrack-venv"
    found = [p for p in bin_dir.iterdir() if p.stem == "claimtrack"]
    assert found, "the install step installed no claimtrack command"


def test_a_passing_job_writes_and_outputs_every_report(job, tmp_path):
    runner = job(tmp_path)
    for name, result in runner.results.items():
        assert result.returncode == 0, (name, result.stderr)
    sarif, report = runner.action_output("sarif"), runner.action_output("json")
    assert Path(sarif).parent == runner.temp and Path(report).parent == runner.temp
    log = json.loads(Path(sarif).read_text(encoding="utf-8"))
    assert log["version"] == "2.1.0" and log["runs"][0]["tool"]["driver"]["name"] == "claimtrack"
    data = json.loads(Path(report).read_text(encoding="utf-8"))
    jsonschema.Draft202012Validator(build_schema("report")).validate(data)
    assert data["failed"] is False
    annotations = runner.results["claimtrack report"].stdout
    assert "::notice title=claimtrack report::" in annotations
    assert "See the job summary" in annotations  # and the summary was written:
    summary = runner.summary.read_text(encoding="utf-8")
    assert summary.startswith("# ") and "contested" in summary
    # Links point at the workflow's repository and commit.
    assert "https://github.com/octo/claims/blob/0123456789abcdef" in summary


def test_a_failed_policy_fails_the_step_and_still_outputs_its_reports(job, tmp_path):
    runner = job(tmp_path, **{"fail-on": "contested"})
    result = runner.results["claimtrack report"]
    assert result.returncode == 1
    assert "policy failed" in result.stderr  # stderr is the step's log, not thrown away
    assert Path(runner.action_output("sarif")).is_file()
    assert json.loads(Path(runner.action_output("json")).read_text())["failed"] is True


def test_an_unreadable_baseline_is_shown_and_no_output_names_a_file_not_written(job, tmp_path):
    # A report from an earlier use of the action in the same job must not pass for this one's.
    (tmp_path / "runner-temp").mkdir()
    (tmp_path / "runner-temp" / "claimtrack.sarif").write_text("{}", encoding="utf-8")
    runner = job(tmp_path, baseline="missing.json")
    result = runner.results["claimtrack report"]
    assert result.returncode == 2
    assert "cannot read baseline missing.json" in result.stderr
    assert runner.action_output("sarif") == "" and runner.action_output("json") == ""
    assert not list(runner.temp.glob("claimtrack*.json")) + list(runner.temp.glob("*.sarif"))


def test_broken_claims_fail_validate_and_the_report_still_runs(job, tmp_path):
    broken = tmp_path / "broken"
    shutil.copytree(SHIPPED_CLAIMS, broken)
    target = next(p for p in sorted(broken.glob("*.yaml")) if p.name != "sources.yaml")
    target.write_text("id: [unclosed\n", encoding="utf-8")
    runner = job(tmp_path, claims=broken)
    validate = runner.results["claimtrack validate"]
    assert validate.returncode == 1
    assert re.match(rf"claims/{re.escape(target.name)}:\d+:\d+: \[error\]", validate.stdout)
    report = runner.results["claimtrack report"]
    assert report.returncode == 1 and "::error " in report.stdout
    assert Path(runner.action_output("sarif")).is_file()


def test_the_action_sets_up_python_and_runs_on_every_runner_os():
    steps = ACTION["runs"]["steps"]
    setup = next(s for s in steps if s.get("uses", "").startswith("actions/setup-python@"))
    assert steps.index(setup) == 0
    version = ACTION["inputs"]["python-version"]["default"]
    assert tuple(int(p) for p in version.split(".")) >= (3, 11)
    assert any(s.get("uses", "").startswith("actions/cache@") for s in steps)
    install = next(s for s in steps if s["name"] == "Install claimtrack")["run"]
    assert "Scripts" in install and "$PYTHON" in install and "python3" not in install
    for step in steps:
        if "run" in step:
            assert step["shell"] == "bash", step["name"]  # on Linux, macOS and Windows runners
    report = next(s for s in steps if s.get("id") == "report")["run"]
    assert "2>/dev/null" not in report
