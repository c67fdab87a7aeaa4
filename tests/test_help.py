"""Help in plain words with an example for every command, and shell completion (bash, zsh,
fish) of claim ids, tags, source ids and statuses from the claims folder."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys

import pytest
import typer.main

from claimtrack.cli import app
from claimtrack.cli.help import EXAMPLES
from conftest import ROOT

#: typer's type placeholders, which must never reach the help.
PLACEHOLDER = re.compile(r"<[a-z][^>]*>|\{[A-Z_]+\}|\[\[[A-Z_]+\]\]|\[[0-9x]+<=|\[x>=|\[x<=")


def _commands() -> list[str]:
    names = []

    def walk(group, path):
        for name, sub in group.commands.items():
            if hasattr(sub, "commands"):
                walk(sub, [*path, name])
            else:
                names.append(" ".join([*path, name]))

    walk(typer.main.get_command(app), [])
    return names


COMMANDS = _commands()


def test_every_command_has_examples_and_every_example_a_command():
    assert sorted(COMMANDS) == sorted(EXAMPLES)


@pytest.mark.parametrize("command", COMMANDS)
def test_help_is_in_plain_words_with_examples(run, command):
    result = run([*command.split(), "--help"])
    assert result.exit_code == 0
    assert not PLACEHOLDER.findall(result.stdout), result.stdout
    assert "Examples:" in result.stdout
    examples = result.stdout.split("Examples:", 1)[1]
    assert f"claimtrack {command}" in examples


def test_the_root_help_is_in_plain_words(run):
    result = run(["--help"])
    assert "--dir DIR" in result.stdout and "--color auto|always|never" in result.stdout
    assert "--install-completion" in result.stdout and "--show-completion" in result.stdout
    assert not PLACEHOLDER.findall(result.stdout)


def test_the_filters_name_their_values(run):
    text = run(["list", "--help"]).stdout
    for shown in ("--status STATUS[,STATUS]", "--tag TAG[,TAG]", "--source ID[,ID]"):
        assert shown in text
    assert "--min-confidence 0..1|WORD" in text
    assert "Usage: claimtrack set [OPTIONS] ID FIELD VALUE [FIELD VALUE ...]" in (
        run(["set", "--help"]).stdout
    )
    assert "Usage: claimtrack init [OPTIONS] [DIR]\n" in run(["init", "--help"]).stdout


def _complete(shell: str, words: str) -> list[str]:
    """What the installed command offers a shell for the last of ``words``."""
    env = dict(os.environ, _CLAIMTRACK_COMPLETE=f"complete_{shell}")
    if shell == "bash":
        env |= {"COMP_WORDS": words, "COMP_CWORD": str(len(words.split()) - 1)}
    else:
        env |= {"_TYPER_COMPLETE_ARGS": words}
    if shell == "fish":
        env["_TYPER_COMPLETE_FISH_ACTION"] = "get-args"
    claimtrack = shutil.which("claimtrack") or ""
    command = [claimtrack] if claimtrack else [sys.executable, "-m", "claimtrack"]
    out = subprocess.run(command, env=env, capture_output=True, text=True, check=True).stdout
    if shell == "zsh":  # _arguments '*: :(("a" "b"))'
        return re.findall(r'"((?:[^"\\]|\\.)*)"', out.split("((", 1)[1]) if "((" in out else []
    return [line.split("\t")[0] for line in out.splitlines() if line]


DIR = f"claimtrack --dir {ROOT / 'claims'}"


@pytest.mark.parametrize("shell", ["bash", "zsh", "fish"])
def test_completion_from_the_index(shell):
    assert _complete(shell, f"{DIR} show chavez-d") == [
        "chavez-died-2013",
        "chavez-distrust-after-2002-coup",
    ]
    assert _complete(shell, f"{DIR} list --status contested,s") == ["contested,sourced"]
    assert "venezuela" in _complete(shell, f"{DIR} list --tag ve")
    assert _complete(shell, f"{DIR} source rm venezuela-c") == ["venezuela-cuba-oil-for-security"]
    assert _complete(shell, f"{DIR} list --kind off") == ["official"]


def test_completion_of_a_missing_folder_offers_nothing(tmp_path):
    assert _complete("bash", f"claimtrack --dir {tmp_path / 'none'} show a") == []
