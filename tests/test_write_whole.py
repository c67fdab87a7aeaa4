"""Whole commands: every write command writes each file once, under one lock, and a rename cut
short at any step never leaves the claim in two files; the next write finishes it."""

from __future__ import annotations

import collections
import os
import signal
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

import claimtrack.io.atomic
from claimtrack.cache import load_dataset
from claimtrack.edit import journal
from claimtrack.edit.claims import rename_claim
from claimtrack.edit.journal import JOURNAL_NAME
from claimtrack.edit.workspace import Workspace
from conftest import claim_yaml

EDITOR = textwrap.dedent("""\
    import pathlib, sys
    path = pathlib.Path(sys.argv[-1])
    path.write_text(path.read_text().replace("confidence: likely", "confidence: unlikely"))
""")


@pytest.fixture
def folder(make_claims):
    return make_claims(
        {
            "c-one": claim_yaml("c-one", status="sourced"),
            "c-two": claim_yaml("c-two", notes="'Compare c-one.'"),
            "c-three": claim_yaml("c-three", notes="'Unlike c-one, this one holds.'"),
        }
    )


@pytest.fixture
def writes(monkeypatch):
    """Every file the atomic writer replaces, in order, while the real writes still happen."""
    seen: list[Path] = []
    real = claimtrack.io.atomic.atomic_write

    def counting(path, text):
        seen.append(Path(os.path.abspath(path)))
        real(path, text)

    monkeypatch.setattr(claimtrack.io.atomic, "atomic_write", counting)
    return seen


def _editor(tmp_path: Path) -> dict[str, str]:
    script = tmp_path / "editor.py"
    script.write_text(EDITOR)
    return {"EDITOR": f"{sys.executable} {script}"}


#: Every write command that changes one file, with the file it changes.
ONE_FILE = {
    "set": (["set", "c-one", "notes", "changed"], "c-one.yaml"),
    # Both move the written status (sourced -> contested): still one write.
    "evidence add": (
        ["evidence", "add", "c-one", "--source", "rebuttal", "--stance", "refutes"],
        "c-one.yaml",
    ),
    "dispute": (["dispute", "c-one", "--by", "A Ministry", "--source", "rebuttal"], "c-one.yaml"),
    "add": (
        [
            *["add", "--statement", "New words.", "--source", "article"],
            *["--attributed-to", "Someone", "--kind", "official", "--confidence", "likely"],
            *["--id", "c-new"],
        ],
        "c-new.yaml",
    ),
    "source add": (["source", "add", "--title", "Another", "--kind", "report"], "sources.yaml"),
    "source rm": (["source", "rm", "rebuttal"], "sources.yaml"),
    "edit": (["edit", "c-one"], "c-one.yaml"),
}


@pytest.mark.parametrize("name", ONE_FILE)
def test_every_single_file_command_is_one_write(run, folder, writes, tmp_path, name):
    args, changed = ONE_FILE[name]
    result = run(["--dir", str(folder), *args], env=_editor(tmp_path))
    assert result.exit_code == 0, result.stderr
    assert writes == [(folder / changed).resolve()]
    assert load_dataset(folder).problems == []


def test_a_status_kept_in_step_lands_in_the_same_write(run, folder, writes):
    before = (folder / "c-one.yaml").read_text()
    result = run(["--dir", str(folder), "dispute", "c-one", "--by", "A Ministry"])
    assert result.exit_code == 0, result.stderr
    assert len(writes) == 1
    after = (folder / "c-one.yaml").read_text()
    assert "status: sourced" in before and "status: contested" in after
    assert "disputed_by:" in after


#: Every write command that changes several files, or removes one.
MANY_FILES = {
    "fmt": ["fmt"],
    "mv": ["mv", "c-one", "c-renamed"],
    "rm": ["rm", "c-three", "--yes"],
    "import --write": ["import", "{export}", "--write"],
}


def _exported(run, folder: Path, tmp_path: Path) -> Path:
    """An import file of two new claims (the folder's own, renamed)."""
    out = tmp_path / "new.jsonl"
    assert run(["--dir", str(folder), "export", "-f", "jsonl", "-o", str(out)]).exit_code == 0
    text = out.read_text().replace('"c-one"', '"c-nine"').replace('"c-two"', '"c-ten"')
    out.write_text(text.replace("Something happened.", "Something else happened entirely."))
    return out


@pytest.mark.parametrize("name", [*ONE_FILE, *MANY_FILES])
def test_every_write_command_waits_for_the_lock_and_changes_nothing(run, folder, tmp_path, name):
    from claimtrack.edit.lock import locked

    args = ONE_FILE[name][0] if name in ONE_FILE else MANY_FILES[name]
    exported = _exported(run, folder, tmp_path)
    args = [a.replace("{export}", str(exported)) for a in args]
    before = _texts(folder)
    env = {**_editor(tmp_path), "CLAIMTRACK_LOCK_TIMEOUT": "0.3"}
    with locked(folder):  # held as another process would: an OS lock on another descriptor
        result = run(["--dir", str(folder), *args], env=env)
    assert result.exit_code == 2, result.stderr
    assert "another claimtrack process is changing" in result.stderr
    if name == "edit":  # the edit is not lost: kept, and named
        assert "your edit is kept in" in result.stderr and ".c-one.edit.yaml" in result.stderr
        (folder / ".c-one.edit.yaml").unlink()
    assert _texts(folder) == before and not (folder / "sources").exists()


@pytest.mark.parametrize("name", MANY_FILES)
def test_commands_of_many_files_write_each_once(run, folder, writes, tmp_path, name):
    exported = _exported(run, folder, tmp_path)
    writes.clear()
    args = [a.replace("{export}", str(exported)) for a in MANY_FILES[name]]
    for path in folder.glob("c-*.yaml"):  # a layout fmt will change
        path.write_text(path.read_text().replace("confidence: likely\n", "confidence:   likely\n"))
    result = run(["--dir", str(folder), *args])
    assert result.exit_code == 0, result.stderr
    counts = collections.Counter(writes)
    assert max(counts.values(), default=1) == 1, counts


# -- mv cut short --------------------------------------------------------------------------


class Killed(BaseException):
    """Stands for the process dying: not an Exception, so no handler of ours catches it."""


def _expected(folder: Path) -> dict[str, str]:
    """The folder as a finished ``mv c-one c-renamed`` leaves it (run on a copy)."""
    import shutil

    copy = folder.parent / "expected"
    shutil.copytree(folder, copy)
    rename_claim(Workspace(copy), "c-one", "c-renamed")
    return _texts(copy)


def _texts(folder: Path) -> dict[str, str]:
    return {p.name: p.read_text() for p in sorted(folder.iterdir()) if p.suffix == ".yaml"}


def _claim_files(folder: Path) -> list[str]:
    """The files that hold the claim that is being renamed (its statement is unique)."""
    return [
        p.name
        for p in folder.glob("*.yaml")
        if "c-one" in p.name or "c-renamed" in p.name or "id: c-one" in p.read_text()
    ]


def _steps(monkeypatch, stop_at: int) -> None:
    """Kill the rename at its ``stop_at``-th step: the journal write, the rename of the file,
    then each file's rewrite; a step is cut either before it happens or just after."""
    count = {"n": 0}
    real_write, real_rename = claimtrack.io.atomic.atomic_write, os.rename

    def step(action):
        def wrapped(*args):
            count["n"] += 1
            if count["n"] == stop_at // 2 + 1 and stop_at % 2 == 0:
                raise Killed
            action(*args)
            if count["n"] == stop_at // 2 + 1:
                raise Killed

        return wrapped

    monkeypatch.setattr(claimtrack.io.atomic, "atomic_write", step(real_write))
    monkeypatch.setattr(journal.os, "rename", step(real_rename))


#: The journal, the rename, the moved file and two mentions; each cut before and after.
STEPS = range(2 * 5)


@pytest.mark.parametrize("stop_at", STEPS)
def test_a_rename_cut_short_never_leaves_two_claims(run, folder, monkeypatch, stop_at):
    # Cut before its journal is written, the rename never began; after, it is always finished.
    expected = _texts(folder) if stop_at == 0 else _expected(folder)
    _steps(monkeypatch, stop_at)
    with pytest.raises(Killed):
        rename_claim(Workspace(folder), "c-one", "c-renamed")
    monkeypatch.undo()
    assert len(_claim_files(folder)) == 1  # the claim is in one file at every step
    checked = run(["--dir", str(folder), "validate"])
    if (folder / JOURNAL_NAME).exists():  # validate never says ok over a rename half done
        assert checked.exit_code == 1 and "(rename-unfinished)" in checked.stdout
    # The next write command, whatever it is, finishes the rename first.
    nxt = run(["--dir", str(folder), "set", "c-two", "tags", "next"])
    assert nxt.exit_code == 0, nxt.stderr
    assert not (folder / JOURNAL_NAME).exists()
    texts = _texts(folder)
    texts["c-two.yaml"] = texts["c-two.yaml"].replace("tags:\n  - next\n", "")
    assert texts == expected
    assert run(["--dir", str(folder), "validate"]).exit_code == 0


@pytest.mark.parametrize("stop_at", [1, 3, 5, 7])
def test_the_same_mv_again_finishes_a_rename_cut_short(run, folder, monkeypatch, stop_at):
    expected = _expected(folder)
    _steps(monkeypatch, stop_at)
    with pytest.raises(Killed):
        rename_claim(Workspace(folder), "c-one", "c-renamed")
    monkeypatch.undo()
    again = run(["--dir", str(folder), "mv", "c-one", "c-renamed"])
    assert again.exit_code == 0, again.stderr
    assert "renamed c-one to c-renamed" in again.stderr
    assert _texts(folder) == expected and not (folder / JOURNAL_NAME).exists()


KILLER = textwrap.dedent("""\
    import os, signal, sys
    import claimtrack.io.atomic as atomic
    stop_at = int(sys.argv[1])
    real = atomic.atomic_write
    calls = []
    def dying(path, text):
        calls.append(path)
        if len(calls) == stop_at:
            real(path, text)
            os.kill(os.getpid(), signal.SIGKILL)
        real(path, text)
    atomic.atomic_write = dying
    from claimtrack.cli import main
    sys.argv = ["claimtrack", *sys.argv[2:]]
    main()
""")


@pytest.mark.parametrize("stop_at", [1, 2, 3])
def test_a_rename_killed_by_sigkill_is_finished_by_the_next_command(run, folder, tmp_path, stop_at):
    expected = _expected(folder)
    script = tmp_path / "killer.py"
    script.write_text(KILLER)
    proc = subprocess.run(
        [
            sys.executable,
            str(script),
            str(stop_at),
            "--dir",
            str(folder),
            "mv",
            "c-one",
            "c-renamed",
        ],
        capture_output=True,
        timeout=120,
    )
    assert proc.returncode == -signal.SIGKILL, proc.stderr.decode()
    assert (folder / JOURNAL_NAME).exists()
    assert len(_claim_files(folder)) == 1
    checked = run(["--dir", str(folder), "validate"])
    assert checked.exit_code == 1 and "(rename-unfinished)" in checked.stdout
    assert "renaming c-one to c-renamed was cut short: run the same `claimtrack mv`" in (
        checked.stdout
    )
    nxt = run(["--dir", str(folder), "source", "add", "--title", "Later", "--kind", "report"])
    assert nxt.exit_code == 0, nxt.stderr
    texts = _texts(folder)
    assert {k: v for k, v in texts.items() if k != "sources.yaml"} == {
        k: v for k, v in expected.items() if k != "sources.yaml"
    }
    assert run(["--dir", str(folder), "validate"]).exit_code == 0


def test_a_hand_edit_after_a_cut_is_kept_and_its_mention_renamed(run, folder, monkeypatch):
    _steps(monkeypatch, 5)  # after the moved file is rewritten, before the mentions
    with pytest.raises(Killed):
        rename_claim(Workspace(folder), "c-one", "c-renamed")
    monkeypatch.undo()
    mention = folder / "c-two.yaml"
    mention.write_text(mention.read_text().replace("Compare", "Contrast"))
    result = run(["--dir", str(folder), "set", "c-three", "tags", "x"])
    assert result.exit_code == 0, result.stderr
    assert "Contrast c-renamed." in mention.read_text()
    assert "Unlike c-renamed," in (folder / "c-three.yaml").read_text()
    assert not (folder / JOURNAL_NAME).exists()
    assert load_dataset(folder).problems == []


@pytest.mark.parametrize(
    "journal",
    [
        "not json",
        '{"rename": {"old": "c-one", "new": "../x"}, "from": "c-one.yaml", "to": "../x.yaml",'
        ' "mentions": []}',
        '{"rename": {"old": "c-one", "new": "c-x"}, "from": "c-one.yaml", "to": "c-x.yaml",'
        ' "mentions": ["/etc/passwd.yaml"]}',
        '{"rename": {"old": "c-one", "new": "c-x"}, "from": "c-one.yaml", "to": "sub/c-x.yaml",'
        ' "mentions": []}',
        '{"rename": {"old": "c-two", "new": "c-x"}, "from": "c-one.yaml", "to": "c-x.yaml",'
        ' "mentions": []}',
    ],
    ids=["garbage", "escape", "absolute", "elsewhere", "wrong-id"],
)
def test_a_journal_mv_did_not_write_is_refused_and_changes_nothing(run, folder, journal):
    (folder / JOURNAL_NAME).write_text(journal)
    before = _texts(folder)
    checked = run(["--dir", str(folder), "validate"])
    assert checked.exit_code == 1 and "(rename-unfinished)" in checked.stdout
    result = run(["--dir", str(folder), "set", "c-two", "tags", "x"])
    assert result.exit_code == 2 and "not a rename journal" in result.stderr
    assert "Traceback" not in result.stderr and len(result.stderr.splitlines()) == 1
    assert _texts(folder) == before


def test_validate_reports_a_claim_id_in_two_files(run, folder):
    (folder / "sub").mkdir()
    (folder / "sub" / "c-one.yaml").write_text((folder / "c-one.yaml").read_text())
    result = run(["--dir", str(folder), "validate"])
    assert result.exit_code == 1
    assert "id-duplicate" in result.stdout + result.stderr
