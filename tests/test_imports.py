"""`claimtrack --help` and `--version` stay fast: heavy modules are imported only by commands.

A structural test, not a timing test: it reads Python's own import log (``-X importtime``).
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

OLD_NS = 1_600_000_000 * 10**9

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
        check=False,
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


@pytest.mark.parametrize(
    "args",
    [
        ("validate",),
        ("validate", "-f", "json"),
        ("list", "--status", "contested", "-f", "json"),
        ("report", "-f", "md"),
    ],
)
def test_a_command_the_index_answers_builds_no_model(
    args: tuple[str, ...], claims_dir: Path, monkeypatch: pytest.MonkeyPatch, _cache_dir: Path
) -> None:
    """Once the index holds an unchanged folder (and what the command wrote before), reading
    it imports neither pydantic nor the models: a warm command costs start-up and one query."""
    import os

    for path in claims_dir.rglob("*"):  # settled long ago: the snapshot is believed
        os.utime(path, ns=(OLD_NS, OLD_NS))
    env = {**os.environ, "CLAIMTRACK_CACHE_DIR": str(_cache_dir)}
    for _ in range(2):  # the index, then what the command keeps with it
        subprocess.run(
            [sys.executable, "-m", "claimtrack", "--dir", str(claims_dir), *args],
            capture_output=True,
            env=env,
        )
    monkeypatch.setenv("CLAIMTRACK_CACHE_DIR", str(_cache_dir))
    modules = _imported("--dir", str(claims_dir), *args)
    assert not {"pydantic", "claimtrack.core.model"} & modules
    if args[0] == "validate":  # nor the quote matcher, the rules or the report's classes
        assert (
            not {"claimtrack.core.anchor", "claimtrack.core.report", "claimtrack.rules"} & modules
        )


def test_a_command_makes_only_itself(claims_dir: Path) -> None:
    """Running one command imports its own module of ``claimtrack.cli`` and none of the
    others': the thirty other commands are neither imported nor turned into click commands."""
    modules = _imported("--dir", str(claims_dir), "validate", "-f", "json")
    cli = {m for m in modules if m.startswith("claimtrack.cli.")}
    assert "claimtrack.cli.read" in cli
    assert not {"claimtrack.cli.write", "claimtrack.cli.review", "claimtrack.cli.history"} & cli


def test_the_commands_are_made_as_registered() -> None:
    """The lazily made commands are those of the table, in its order, with their groups'
    sub-commands; a name outside it is no command (and gets typer's did-you-mean)."""
    import typer.main

    from claimtrack.cli import COMMANDS, GROUPS, app

    group = typer.main.get_command(app)
    names = list(group.commands)  # type: ignore[attr-defined]
    assert names == [*COMMANDS, *GROUPS]
    for name, subs in GROUPS.items():
        assert list(group.commands[name].commands) == list(subs)  # type: ignore[attr-defined]
    assert group.commands.get("lst") is None  # type: ignore[attr-defined]
