"""`claimtrack --help` and `--version` stay fast: heavy modules are imported only by commands.

A structural test, not a timing test: it reads Python's own import log (``-X importtime``).
"""

from __future__ import annotations

import subprocess
import sys

import pytest

HEAVY = (
    "pydantic",
    "yaml",
    "rich.table",
    "rich.progress",
    "sqlite3",
    "_sqlite3",
    "platformdirs",
    "claimtrack.core.model",
    "claimtrack.io.files",
    "claimtrack.cache.index",
    "claimtrack.io.pipeline",
)


def _imported(*args: str) -> set[str]:
    result = subprocess.run(
        [sys.executable, "-X", "importtime", "-m", "claimtrack", *args],
        capture_output=True,
        text=True,
        check=True,
    )
    modules = set()
    for line in result.stderr.splitlines():
        if line.startswith("import time:") and "|" in line:
            modules.add(line.rsplit("|", 1)[1].strip())
    assert "claimtrack.cli" in modules  # the log was read
    return modules


@pytest.mark.parametrize("args", [("--help",), ("--version",), ("-V",)])
def test_help_and_version_import_nothing_heavy(args: tuple[str, ...]) -> None:
    modules = _imported(*args)
    heavy = sorted(m for m in modules if any(m == h or m.startswith(h + ".") for h in HEAVY))
    assert heavy == []
