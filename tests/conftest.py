"""Shared test helpers: run the real CLI, and build claim folders in temporary directories."""

from __future__ import annotations

import os
import shutil
import textwrap
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pytest
from typer.testing import CliRunner

from claimtrack.cli import app

ROOT = Path(__file__).resolve().parent.parent


def manual() -> str:
    """The whole manual as one text: the README, then every page of docs/ by name."""
    pages = [ROOT / "README.md", *sorted((ROOT / "docs").glob("*.md"))]
    return "\n".join(page.read_text(encoding="utf-8") for page in pages)


SHIPPED_CLAIMS = ROOT / "claims"
FIXTURES = Path(__file__).resolve().parent / "fixtures"


def _shared() -> Path:
    """The shared reference data: $CLAIMTRACK_SHARED, else ``<project>/../shared``, else
    /work/shared (a worktree has no sibling ``shared/``)."""

    explicit = os.environ.get("CLAIMTRACK_SHARED")
    if explicit:
        return Path(explicit)
    beside = ROOT.parent / "shared"
    return beside if beside.is_dir() else Path("/work/shared")


SHARED = _shared()


@pytest.fixture(autouse=True)
def _cache_dir(tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Every test keeps its claims index in a temporary folder, never the user's cache."""
    folder = tmp_path_factory.mktemp("cache")
    monkeypatch.setenv("CLAIMTRACK_CACHE_DIR", str(folder))
    # and its review states (``claimtrack review``) there too, never in the user's state folder
    monkeypatch.setenv("CLAIMTRACK_STATE_DIR", str(folder / "state"))
    monkeypatch.delenv("CLAIMTRACK_NO_CACHE", raising=False)
    return folder


@dataclass
class Run:
    exit_code: int
    stdout: str
    stderr: str


@pytest.fixture
def run(monkeypatch: pytest.MonkeyPatch) -> Callable[..., Run]:
    """Invoke the real CLI in-process with separate stdout and stderr; no colour by default."""
    monkeypatch.delenv("CLAIMTRACK_DIR", raising=False)
    monkeypatch.delenv("GITHUB_STEP_SUMMARY", raising=False)
    monkeypatch.delenv("GITHUB_ACTIONS", raising=False)
    monkeypatch.setenv("NO_COLOR", "1")
    monkeypatch.setenv("COLUMNS", "200")

    def invoke(args: list[str], input: str | None = None, env: dict[str, str] | None = None) -> Run:
        result = CliRunner().invoke(app, args, input=input, env=env, catch_exceptions=False)
        return Run(result.exit_code, result.stdout, result.stderr)

    return invoke


@pytest.fixture
def claims_dir(tmp_path: Path) -> Path:
    """A copy of the shipped claims folder, free to break."""
    target = tmp_path / "claims"
    shutil.copytree(SHIPPED_CLAIMS, target)
    return target


SOURCES_YAML = """\
sources:
  - id: article
    title: An article
    publisher: A Paper
    url: https://example.org/article
    date: 2026-01-05
    kind: article
    reliability: F
  - id: wire
    title: A wire report
    publisher: A Wire
    url: https://example.org/wire
    date: 2026-01-04
    kind: report
    reliability: B
  - id: rebuttal
    title: A rebuttal
    publisher: A Ministry
    kind: statement
    reliability: C
"""


@pytest.fixture
def make_claims(tmp_path: Path) -> Callable[..., Path]:
    """Write a claims folder from ``{stem: yaml_text}`` (dedented); sources default to three."""

    def make(files: dict[str, str], sources: str | None = SOURCES_YAML) -> Path:
        folder = tmp_path / "claims"
        folder.mkdir(exist_ok=True)
        if sources is not None:
            (folder / "sources.yaml").write_text(sources, encoding="utf-8")
        for name, text in files.items():
            path = folder / (name if name.endswith((".yaml", ".yml")) else f"{name}.yaml")
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(textwrap.dedent(text), encoding="utf-8")
        return folder

    return make


def claim_yaml(claim_id: str, **overrides: str) -> str:
    """A minimal valid claim file; ``overrides`` replace or add top-level YAML lines."""
    fields = {
        "id": claim_id,
        "statement": "Something happened.",
        "quote": "something happened",
        "appears_in": "article",
        "attribution": "\n  name: A Minister\n  kind: official",
        "confidence": "likely",
        "evidence": "\n  - source: wire\n    stance: supports",
    }
    fields.update(overrides)
    return "".join(f"{k}: {v}\n" for k, v in fields.items() if v is not None)
