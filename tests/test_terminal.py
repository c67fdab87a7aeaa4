"""The installed command on a real pseudo-terminal: tables at 80, 120 and 200 columns, the
pager, NO_COLOR and an ASCII-only console."""

from __future__ import annotations

import fcntl
import json
import os
import re
import select
import struct
import subprocess
import sys
import termios
import textwrap
from dataclasses import dataclass
from pathlib import Path

import pytest
from tests.test_fastload import generate

from conftest import ROOT

CLAIMTRACK = str(Path(sys.executable).with_name("claimtrack"))
SGR = re.compile(r"\x1b\[[0-9;]*m")
WIDTHS = (80, 120, 200)
#: A stand-in pager: it records that it ran (and with which LESS), reads a few lines, shows
#: them, then quits without reading the rest, as a person pressing q on the first screen.
PAGER_SCRIPT = textwrap.dedent(
    """
    import os, sys
    record = sys.argv[1]
    lines = [sys.stdin.readline() for _ in range(5)]
    with open(record, "w", encoding="utf-8") as out:
        out.write(os.environ.get("LESS", "") + "\\n" + "".join(lines))
    sys.stdout.write("PAGER SHOWS\\n" + "".join(lines))
    sys.stdout.flush()
    """
)


@dataclass
class Screen:
    code: int
    text: str  # what reached the terminal (stdout and stderr), with \r\n made \n

    @property
    def plain(self) -> str:
        return SGR.sub("", self.text)


def on_terminal(
    args: list[str], columns: int, env: dict[str, str] | None = None, rows: int = 24
) -> Screen:
    """Run the installed claimtrack with a pseudo-terminal of ``columns`` as its stdin, stdout
    and stderr; what it (and any pager it starts) wrote there, and its exit code."""
    master, slave = os.openpty()
    fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", rows, columns, 0, 0))
    full = {**os.environ, "COLUMNS": str(columns), "LINES": str(rows)}
    for name in ("NO_COLOR", "PAGER", "CLAIMTRACK_PAGER", "FORCE_COLOR", "TTY_COMPATIBLE"):
        full.pop(name, None)
    full.update(env or {})
    full = {k: v for k, v in full.items() if v is not None}
    proc = subprocess.Popen(
        [CLAIMTRACK, *args], stdin=slave, stdout=slave, stderr=slave, env=full, close_fds=True
    )
    os.close(slave)
    chunks = []
    while True:
        ready, _, _ = select.select([master], [], [], 60)
        if not ready:
            proc.kill()
            raise AssertionError("no output for 60 s")
        try:
            chunk = os.read(master, 65536)
        except OSError:  # EIO: every writer to the terminal has closed it
            break
        if not chunk:
            break
        chunks.append(chunk)
    os.close(master)
    code = proc.wait(timeout=60)
    text = b"".join(chunks).decode("utf-8", "replace").replace("\r\n", "\n")
    return Screen(code, text)


@pytest.fixture(scope="module")
def big(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """400 claims (the shipped ones copied ten times): far more than a pipe's buffer."""
    return generate.replicate(tmp_path_factory.mktemp("big") / "claims", 400)


def shipped_records() -> list[dict[str, object]]:
    out = subprocess.run(
        [CLAIMTRACK, "--dir", str(ROOT / "claims"), "list", "--format", "json"],
        capture_output=True,
        text=True,
        check=True,
    )
    return json.loads(out.stdout)  # type: ignore[no-any-return]


def whole(word: str, line: str) -> bool:
    return re.search(rf"(?<![\w./-]){re.escape(word)}(?![\w-])", line) is not None


@pytest.mark.parametrize("columns", WIDTHS)
def test_list_never_splits_an_id_or_a_status(columns):
    records = shipped_records()
    screen = on_terminal(["--dir", str(ROOT / "claims"), "--no-pager", "list"], columns)
    assert screen.code == 0, screen.text
    lines = screen.plain.splitlines()
    assert all(len(line) <= columns for line in lines), max(lines, key=len)
    for record in records:
        claim_id, status = str(record["id"]), str(record["status"])
        on_its_line = [line for line in lines if whole(claim_id, line)]
        assert on_its_line, claim_id
        assert whole(status, on_its_line[0]), on_its_line[0]
    header = lines[0].split()
    assert header[:2] == ["id", "status"]
    if columns >= 120:
        assert "attribution" in header and "statement" in header
    assert "\x1b[" in screen.text  # a terminal gets colour


@pytest.mark.parametrize("columns", WIDTHS)
def test_text_report_never_splits_an_id_or_a_path(columns):
    records = shipped_records()
    screen = on_terminal(
        ["--dir", str(ROOT / "claims"), "--no-pager", "report", "--format", "text"], columns
    )
    assert screen.code == 0, screen.text
    lines = screen.plain.splitlines()
    assert all(len(line) <= columns for line in lines), max(lines, key=len)
    for record in records:
        assert any(whole(str(record["id"]), line) for line in lines), record["id"]
        where = f"{record['path']}:{record['line']}"
        assert any(whole(where, line) for line in lines), where


@pytest.mark.parametrize("columns", WIDTHS)
def test_show_wraps_values_under_their_label(columns):
    claim = "medical-missions-controls-passport-retention"
    screen = on_terminal(["--dir", str(ROOT / "claims"), "--no-pager", "show", claim], columns)
    assert screen.code == 0, screen.text
    lines = screen.plain.splitlines()
    assert all(len(line) <= columns for line in lines), max(lines, key=len)
    start = next(i for i, line in enumerate(lines) if line.startswith("statement "))
    statement = [lines[start]]
    for line in lines[start + 1 :]:
        if not line.startswith(" " * 14):
            break
        statement.append(line)
    assert all(line[14] != " " for line in statement)  # each line starts under the first
    text = " ".join(line[14:] for line in statement)
    assert text.startswith("Cuban medical mission personnel are subject to strict controls")


def test_the_pager_shows_the_first_screen_and_quitting_early_ends_quietly(big, tmp_path):
    script = tmp_path / "pager.py"
    script.write_text(PAGER_SCRIPT, encoding="utf-8")
    record = tmp_path / "pager-ran"
    pager = f"{sys.executable} {script} {record}"
    screen = on_terminal(["--dir", str(big), "list"], 120, env={"PAGER": pager})
    assert screen.code == 0, screen.text
    assert record.exists()
    less, *first = record.read_text(encoding="utf-8").splitlines()
    assert less == "FRX"  # as git: a less named in $PAGER quits on one screen, keeps colour
    assert SGR.sub("", first[0]).split()[:2] == ["id", "status"]
    assert "PAGER SHOWS" in screen.text
    assert "error" not in screen.plain and "Traceback" not in screen.plain
    # The pager quit after five lines: the rest of the 400 claims was never shown.
    assert screen.plain.count("\n") < 40


def test_claimtrack_pager_comes_before_pager(big, tmp_path):
    script = tmp_path / "pager.py"
    script.write_text(PAGER_SCRIPT, encoding="utf-8")
    ours, theirs = tmp_path / "ours", tmp_path / "theirs"
    screen = on_terminal(
        ["--dir", str(big), "report", "--format", "text"],
        80,
        env={
            "CLAIMTRACK_PAGER": f"{sys.executable} {script} {ours}",
            "PAGER": f"{sys.executable} {script} {theirs}",
        },
    )
    assert screen.code == 0, screen.text
    assert ours.exists() and not theirs.exists()
    assert "claims by status" in ours.read_text(encoding="utf-8")


@pytest.mark.parametrize("how", ["--no-pager", "empty", "cat", "pipe"])
def test_no_pager(big, tmp_path, how):
    script = tmp_path / "pager.py"
    script.write_text(PAGER_SCRIPT, encoding="utf-8")
    record = tmp_path / "pager-ran"
    pager = f"{sys.executable} {script} {record}"
    args = ["--dir", str(big), "list"]
    if how == "pipe":  # stdout is no terminal: never a pager
        out = subprocess.run(
            [CLAIMTRACK, *args], capture_output=True, text=True, env={**os.environ, "PAGER": pager}
        )
        assert out.returncode == 0 and out.stdout.count("\n") == 401
    else:
        env = {"PAGER": {"--no-pager": pager, "empty": "", "cat": "cat"}[how]}
        screen = on_terminal(["--no-pager", *args] if how == "--no-pager" else args, 200, env)
        assert screen.code == 0 and screen.plain.count("\n") >= 401
    assert not record.exists()


def test_no_color_on_a_terminal():
    screen = on_terminal(
        ["--dir", str(ROOT / "claims"), "--no-pager", "list"], 120, env={"NO_COLOR": "1"}
    )
    assert screen.code == 0 and "\x1b" not in screen.text
    assert "rubio-venezuela-intelligence-basically-cubans" in screen.text


@pytest.mark.parametrize("command", [["list"], ["report", "--format", "text"]])
def test_an_ascii_console_gets_aligned_backslash_codes(command):
    records = shipped_records()
    screen = on_terminal(
        ["--dir", str(ROOT / "claims"), "--no-pager", *command],
        120,
        env={"PYTHONIOENCODING": "ascii", "NO_COLOR": "1"},
    )
    assert screen.code == 0, screen.text
    assert screen.text.isascii()
    assert "Ch\\xe1vez" in screen.text  # Chávez, as the console can show it
    lines = screen.text.splitlines()
    assert all(len(line) <= 120 for line in lines), max(lines, key=len)
    for record in records:
        assert any(whole(str(record["id"]), line) for line in lines), record["id"]
