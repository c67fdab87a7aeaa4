"""The installed command, run as a user runs it: a real process, real pipes, real limits."""

from __future__ import annotations

import json
import os
import resource
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
CLAIMS = ROOT / "claims"


def _command() -> list[str]:
    script = Path(sys.executable).with_name("claimtrack")
    found = str(script) if script.exists() else shutil.which("claimtrack")
    assert found, "the claimtrack console script is not installed next to this Python"
    return [found]


def _run(args, env_extra=None, **kwargs):
    env = {k: v for k, v in os.environ.items() if not k.startswith(("CLAIMTRACK", "GITHUB"))}
    env.update(env_extra or {})
    # Every command on any one hostile input must finish within 10 s (the bound).
    return subprocess.run(args, capture_output=True, env=env, timeout=10, check=False, **kwargs)


def test_installed_command_lists_and_validates():
    listed = _run([*_command(), "--dir", str(CLAIMS), "list", "--status", "contested"])
    assert listed.returncode == 0, listed.stderr
    assert b"contested" in listed.stdout
    checked = _run([*_command(), "--dir", str(CLAIMS), "validate"])
    assert checked.returncode == 0 and checked.stderr.startswith(b"ok:")


def test_python_dash_m():
    result = _run([sys.executable, "-m", "claimtrack", "--version"])
    assert result.returncode == 0 and result.stdout.startswith(b"claimtrack ")


def test_closed_stdout_ends_quietly():
    proc = subprocess.Popen(
        [*_command(), "--dir", str(CLAIMS), "list", "-f", "jsonl"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    assert proc.stdout is not None and proc.stderr is not None
    proc.stdout.readline()
    proc.stdout.close()  # like `| head -1`
    stderr = proc.stderr.read()
    proc.stderr.close()
    assert proc.wait(timeout=30) == 0
    assert b"Traceback" not in stderr and b"BrokenPipe" not in stderr


@pytest.mark.parametrize("env", [{"PYTHONIOENCODING": "ascii"}, {"LANG": "C", "LC_ALL": "C"}])
def test_non_utf8_console_degrades(env):
    for args in (["list"], ["show", "chavez-took-office-1999-02-02"], ["list", "-f", "csv"]):
        result = _run([*_command(), "--dir", str(CLAIMS), *args], env_extra=env)
        assert result.returncode == 0, result.stderr
        assert b"Traceback" not in result.stderr


def _limited() -> None:
    limit = 500 * 1024 * 1024
    resource.setrlimit(resource.RLIMIT_AS, (limit, limit))


def test_hostile_folder_within_time_and_memory(tmp_path):
    folder = tmp_path / "claims"
    folder.mkdir()
    bomb = ['a: &a ["x","x","x","x","x","x","x","x","x"]']
    for prev, name in zip("abcdefgh", "bcdefghi", strict=True):
        bomb.append(f"{name}: &{name} [{', '.join(['*' + prev] * 9)}]")
    (folder / "bomb.yaml").write_text("\n".join(bomb))
    (folder / "deep.yaml").write_text("a: " + "[" * 50_000 + "]" * 50_000)
    (folder / "wide.yaml").write_text("id: wide\nstatement: " + "x" * 2_000_000 + "\n")
    (folder / "long.yaml").write_text("k" * 1_000_000 + ": x\n")
    (folder / "self.yaml").write_text("x: &a [*a]\n")
    (folder / "tags.yaml").write_text("id: tags\ntags: &t [a, *t]\n")
    (folder / "holds.yaml").write_text("id: holds\nm: &m\n  k: {j: [*m]}\n")
    (folder / "digits.yaml").write_text("id: digits\nconfidence: " + "9" * 4301 + "\n")
    (folder / "exponent.yaml").write_text("id: exponent\nconfidence: 1e99999999\n")
    for i in range(2000):
        (folder / f"c{i}.yaml").write_text(f"id: c{i}\n")
    for args in (
        ["validate"],
        ["list"],
        ["stats"],
        ["show", "c1"],
        ["report", "-f", "md"],
        ["report", "-f", "sarif"],
        ["verify"],
        ["graph"],
        ["quantities"],
        ["export", "-f", "jsonl"],
        ["fmt", "--check"],
    ):
        result = _run([*_command(), "--dir", str(folder), *args], preexec_fn=_limited)
        assert result.returncode == 1, (args, result.stderr[-500:])
        assert b"Traceback" not in result.stderr


def test_the_command_ends_with_its_exit_code_and_all_its_output(tmp_path):
    """The command ends without tearing the interpreter down (os._exit): its exit code and every
    byte it wrote must still come out, to a pipe and to a file."""
    listed = _run([*_command(), "--no-cache", "--dir", str(CLAIMS), "list", "-f", "json"])
    assert listed.returncode == 0
    assert len(json.loads(listed.stdout)) == len(list(CLAIMS.glob("*.yaml"))) - 1  # not sources
    with open(tmp_path / "out.json", "wb") as handle:
        to_file = subprocess.run(
            [*_command(), "--no-cache", "--dir", str(CLAIMS), "list", "-f", "json"],
            stdout=handle,
            stderr=subprocess.PIPE,
            timeout=30,
            check=False,
        )
    assert to_file.returncode == 0 and (tmp_path / "out.json").read_bytes() == listed.stdout
    broken = tmp_path / "claims"
    shutil.copytree(CLAIMS, broken)
    (broken / "bad.yaml").write_text("id: [unclosed\n", encoding="utf-8")
    failed = _run([*_command(), "--no-cache", "--dir", str(broken), "validate"])
    assert failed.returncode == 1 and b"bad.yaml:2:1: [error]" in failed.stdout
    usage = _run([*_command(), "list", "--no-such-option"])
    assert usage.returncode == 2 and b"No such option" in usage.stderr


def test_output_that_cannot_be_written_is_an_error_not_a_success():
    # /dev/full (Linux, where CI runs) fails every write with ENOSPC, as a full disk does.
    with open("/dev/full", "wb") as full:
        result = subprocess.run(
            [*_command(), "--no-cache", "--dir", str(CLAIMS), "list", "-f", "json"],
            stdout=full,
            stderr=subprocess.PIPE,
            timeout=30,
            check=False,
        )
    assert result.returncode != 0
    assert b"Traceback" not in result.stderr and b"error:" in result.stderr


def test_a_profiled_run_still_writes_its_profile(tmp_path):
    """Under a profiler (or coverage, or a debugger) the process exits as usual, so what they
    collected is written."""
    out = tmp_path / "run.prof"
    args = [sys.executable, "-m", "cProfile", "-o", str(out), "-m", "claimtrack"]
    result = _run([*args, "--dir", str(CLAIMS), "stats"])
    assert result.returncode == 0, result.stderr
    import pstats

    assert pstats.Stats(str(out)).total_calls > 0
