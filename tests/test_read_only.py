"""Read-only commands write nothing in the claims folder (nor beside it), and in the cache folder
only the index: the promise of docs/security.md, checked for every read-only command."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
from pathlib import Path

import pytest

from conftest import SHIPPED_CLAIMS

ARTICLE = "claims/sources/venezuela-cuba-oil-for-security.txt"

#: Every command that only reads (each one's reading options; writing ones are elsewhere).
READ_ONLY = {
    "list": ["list"],
    "list json": ["list", "--format", "json"],
    "show": ["show", "chavez-died-2013"],
    "validate": ["validate"],
    "stats": ["stats"],
    "schema": ["schema"],
    "report": ["report", "--format", "md"],
    "report junit": ["report", "--format", "junit"],
    "rules": ["rules"],
    "export": ["export", "--format", "jsonl"],
    "import (dry run)": ["import", "{export}"],
    "verify": ["verify"],
    "quantities": ["quantities"],
    "graph": ["graph"],
    "extract": ["extract", ARTICLE, "--score"],
    "log": ["log", "chavez-died-2013"],
    "diff": ["diff"],
    "fmt --check": ["fmt", "--check"],
}

#: The only names a read-only command may leave in the cache folder: one index per claims
#: folder (SQLite, with its write-ahead log and shared-memory files).
INDEX = re.compile(r"index-[0-9a-f]{24}\.sqlite3(-wal|-shm)?")


def _state(folder: Path) -> dict[str, tuple[int, int, bytes | None]]:
    """Every entry under ``folder`` (hidden ones too): mode, mtime and bytes."""
    state = {}
    for path in [folder, *sorted(folder.rglob("*"))]:
        info = path.lstat()
        data = path.read_bytes() if path.is_file() and not path.is_symlink() else None
        state[str(path.relative_to(folder))] = (info.st_mode, info.st_mtime_ns, data)
    return state


@pytest.fixture
def project(tmp_path, monkeypatch) -> Path:
    """A git project holding a copy of the shipped claims, with one commit; the cwd."""
    project = tmp_path / "project"
    shutil.copytree(SHIPPED_CLAIMS, project / "claims")
    env = {
        **os.environ,
        "GIT_AUTHOR_NAME": "t",
        "GIT_AUTHOR_EMAIL": "t@example.org",
        "GIT_COMMITTER_NAME": "t",
        "GIT_COMMITTER_EMAIL": "t@example.org",
    }
    for args in (["init", "-q"], ["add", "claims"], ["commit", "-qm", "claims"]):
        subprocess.run(["git", *args], cwd=project, check=True, env=env)
    monkeypatch.chdir(project)
    return project


@pytest.mark.parametrize("name", READ_ONLY)
def test_a_read_only_command_writes_only_the_index(run, project, _cache_dir, tmp_path, name):
    exported = tmp_path / "claims.jsonl"
    if "{export}" in READ_ONLY[name]:
        assert run(["export", "--format", "jsonl", "-o", str(exported)]).exit_code == 0
    args = [a.replace("{export}", str(exported)) for a in READ_ONLY[name]]
    before = _state(project)
    for path in _cache_dir.iterdir():  # a cold run: the index is built, not just read
        path.unlink()
    result = run(args)
    assert result.exit_code in (0, 1), result.stderr  # 1: extract --score finds differences
    assert "Traceback" not in result.stderr
    assert _state(project) == before  # nothing in the claims folder, nor beside it, nor in git
    left = sorted(p.name for p in _cache_dir.iterdir())
    assert all(INDEX.fullmatch(name) for name in left), left
    if name in ("list", "validate", "report", "stats", "show"):
        assert left  # the index was written there, and there only
    # A warm run (the index read) writes nothing new either.
    again = run(args)
    assert again.exit_code == result.exit_code
    assert _state(project) == before
    assert all(INDEX.fullmatch(p.name) for p in _cache_dir.iterdir())


def test_without_the_index_nothing_is_written_at_all(run, project, _cache_dir):
    before = _state(project)
    for args in (["list"], ["validate"], ["report"], ["stats"]):
        result = run(["--no-cache", *args])
        assert result.exit_code == 0, result.stderr
    assert _state(project) == before
    assert list(_cache_dir.iterdir()) == []
