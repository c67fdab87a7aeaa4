"""log and diff over temporary git repositories."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

import pytest

from conftest import SOURCES_YAML, claim_yaml


@pytest.fixture
def git_env(monkeypatch, tmp_path):
    home = tmp_path / "home"
    home.mkdir()
    for key, value in {
        "HOME": str(home),
        "GIT_CONFIG_GLOBAL": str(home / "gitconfig"),
        "GIT_CONFIG_NOSYSTEM": "1",
        "GIT_CEILING_DIRECTORIES": str(tmp_path.parent),
        "GIT_AUTHOR_NAME": "Ana Checker",
        "GIT_AUTHOR_EMAIL": "ana@example.org",
        "GIT_COMMITTER_NAME": "Ana Checker",
        "GIT_COMMITTER_EMAIL": "ana@example.org",
    }.items():
        monkeypatch.setenv(key, value)


def git(repo: Path, *args: str) -> str:
    return subprocess.run(
        ["git", *args], cwd=repo, check=True, capture_output=True, text=True
    ).stdout


@pytest.fixture
def repo(git_env, tmp_path):
    """A project whose first commit on main holds one sourced claim."""
    project = tmp_path / "project"
    claims = project / "claims"
    claims.mkdir(parents=True)
    (claims / "sources.yaml").write_text(SOURCES_YAML)
    (claims / "oil-fell").with_suffix(".yaml").write_text(claim_yaml("oil-fell"))
    git(project, "init", "-q", "-b", "main")
    git(project, "add", "-A")
    git(project, "commit", "-q", "-m", "First claims")
    return project


def test_log_is_a_timeline_of_meaning(run, repo):
    claims = repo / "claims"
    assert (
        run(
            [
                "--dir",
                str(claims),
                "evidence",
                "add",
                "oil-fell",
                "--source",
                "rebuttal",
                "--stance",
                "refutes",
                "--credibility",
                "2",
            ]
        ).exit_code
        == 0
    )
    git(repo, "commit", "-q", "-am", "Ministry rebuts it")
    assert run(["--dir", str(claims), "set", "oil-fell", "confidence", "unlikely"]).exit_code == 0
    result = run(["--dir", str(claims), "log", "oil-fell"])
    assert result.exit_code == 0, result.stderr
    out = result.stdout
    assert out.startswith("history of oil-fell\n")
    assert "Ana Checker: First claims" in out and "created: sourced, confidence likely" in out
    assert "Ana Checker: Ministry rebuts it" in out
    assert "status: sourced → contested" in out
    assert "+ evidence: rebuttal refutes (credibility 2)" in out
    assert "(work tree)  uncommitted changes" in out
    assert "confidence: likely (0.675) → unlikely (0.325)" in out
    data = json.loads(run(["--dir", str(claims), "log", "oil-fell", "-f", "json"]).stdout)
    assert [e["subject"] for e in data["events"]] == [
        "First claims",
        "Ministry rebuts it",
        "uncommitted changes",
    ]
    assert data["events"][1]["changes"]["status"] == ["sourced", "contested"]


def test_log_follows_a_rename(run, repo):
    claims = repo / "claims"
    assert run(["--dir", str(claims), "mv", "oil-fell", "oil-output-fell"]).exit_code == 0
    git(repo, "add", "-A")
    git(repo, "commit", "-q", "-m", "Rename")
    result = run(["--dir", str(claims), "log", "oil-output-fell"])
    assert result.exit_code == 0, result.stderr
    assert "First claims" in result.stdout
    assert "file now claims/oil-output-fell.yaml" in result.stdout


def test_diff_from_the_merge_base_to_the_work_tree(run, repo):
    claims = repo / "claims"
    git(repo, "checkout", "-q", "-b", "review")
    assert run(["--dir", str(claims), "dispute", "oil-fell", "--by", "A Ministry"]).exit_code == 0
    git(repo, "commit", "-q", "-am", "Disputed")
    assert (
        run(
            [
                "--dir",
                str(claims),
                "add",
                "--statement",
                "Exports rose [sharply](x).",
                "--source",
                "article",
                "--attributed-to",
                "@someone",
                "--kind",
                "media",
                "--confidence",
                "likely",
            ]
        ).exit_code
        == 0
    )
    text = run(["--dir", str(claims), "diff"])
    assert text.exit_code == 0, text.stderr
    assert "(merge base) → work tree" in text.stdout
    assert "+ exports-rose-sharply-x (unsourced, likely (0.675)): Exports rose" in text.stdout
    assert "* oil-fell" in text.stdout and "status: sourced → contested" in text.stdout
    assert "+ disputed by: A Ministry" in text.stdout

    md = run(["--dir", str(claims), "diff", "--format", "md"]).stdout
    assert md.startswith("### Claims:")
    assert "Exports rose \\[sharply\\]\\(x\\)." in md  # no live link in a PR comment

    data = json.loads(run(["--dir", str(claims), "diff", "-f", "json"]).stdout)
    assert [c["id"] for c in data["added"]] == ["exports-rose-sharply-x"]
    assert data["changed"][0]["status"] == ["sourced", "contested"]
    assert data["changed"][0]["disputed_by_added"] == [{"name": "A Ministry"}]


def test_diff_between_two_revisions_and_renames(run, repo):
    claims = repo / "claims"
    assert run(["--dir", str(claims), "mv", "oil-fell", "oil-output-fell"]).exit_code == 0
    git(repo, "add", "-A")
    git(repo, "commit", "-q", "-m", "Rename")
    data = json.loads(run(["--dir", str(claims), "diff", "HEAD~1", "HEAD", "-f", "json"]).stdout)
    assert data["renamed"] == [{"from": "oil-fell", "to": "oil-output-fell"}]
    assert data["added"] == [] and data["removed"] == []
    same = run(["--dir", str(claims), "diff", "HEAD", "HEAD"])
    assert same.exit_code == 0 and "no changes in claims or sources" in same.stdout


def test_unknown_revision(run, repo):
    result = run(["--dir", str(repo / "claims"), "diff", "no-such-branch"])
    assert result.exit_code == 2 and "unknown revision 'no-such-branch'" in result.stderr


def test_outside_git_is_exit_2(run, git_env, make_claims):
    folder = make_claims({"oil-fell": claim_yaml("oil-fell")})
    for args in (["diff"], ["log", "oil-fell"]):
        result = run(["--dir", str(folder), *args])
        assert result.exit_code == 2
        assert "not inside a git repository" in result.stderr


def test_a_repository_without_commits_is_exit_2(run, git_env, make_claims):
    folder = make_claims({"oil-fell": claim_yaml("oil-fell")})
    git(folder.parent, "init", "-q")
    result = run(["--dir", str(folder), "diff"])
    assert result.exit_code == 2 and "no history yet" in result.stderr
