"""Fuzzing the shipped claims: whatever a mutation does to some files, every command still ends
with an exit code of the documented table, valid JSON, every untouched claim, and no traceback."""

from __future__ import annotations

import json
import os
import resource
import shutil
import subprocess
import sys
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from conftest import SHIPPED_CLAIMS

CLAIM_FILES = sorted(p.name for p in SHIPPED_CLAIMS.glob("*.yaml") if p.name != "sources.yaml")
#: Exit codes of the documented table: 0 fine, 1 bad data (2 is usage or environment: none here).
EXITS = {0, 1}
_TOKENS = [
    b"&a ",
    b"*a",
    b"[*a]",
    b"!!int ",
    b"!!python/object ",
    b"9" * 4301,
    b"1e99999",
    b".nan",
    b"0x" + b"f" * 400,
    b"\t",
    b"\xff",
    b"\x00",
    b"---\n",
    b"? ",
    b": ",
    b"- ",
    b"{",
    b"[",
    b"'",
    b'"',
    b"\xef\xbb\xbf",
    b"\n  ",
    b"::set-env name=A::b\n",
    b"@octocat #1",
]


def _mutate(raw: bytes, draw: st.DrawFn) -> bytes:
    kind = draw(
        st.sampled_from(["flip", "truncate", "duplicate", "delete", "indent", "token", "alias"])
    )
    lines = raw.split(b"\n")
    if kind == "flip":
        at = draw(st.integers(0, len(raw) - 1))
        return raw[:at] + bytes([raw[at] ^ draw(st.integers(1, 255))]) + raw[at + 1 :]
    if kind == "truncate":
        return raw[: draw(st.integers(0, len(raw) - 1))]
    at = draw(st.integers(0, len(lines) - 1))
    if kind == "duplicate":
        return b"\n".join(lines[: at + 1] + lines[at:])
    if kind == "delete":
        return b"\n".join(lines[:at] + lines[at + 1 :])
    if kind == "indent":
        shift = draw(st.sampled_from([b" ", b"  ", b"\t", b"-"]))
        if draw(st.booleans()):
            lines[at] = shift + lines[at]
        else:
            lines[at] = lines[at].lstrip()
        return b"\n".join(lines)
    if kind == "alias":  # an anchor on a line and an alias of it below, possibly inside it
        lines[at] = lines[at].replace(b": ", b": &a ", 1)
        below = draw(st.integers(at, len(lines) - 1))
        lines[below] = lines[below] + b" *a"
        return b"\n".join(lines)
    offset = draw(st.integers(0, len(raw)))
    return raw[:offset] + draw(st.sampled_from(_TOKENS)) + raw[offset:]


@st.composite
def mutations(draw: st.DrawFn) -> dict[str, bytes]:
    """A few shipped claim files, each mutated once or several times."""
    names = draw(st.lists(st.sampled_from(CLAIM_FILES), min_size=1, max_size=3, unique=True))
    changed = {}
    for name in names:
        raw = (SHIPPED_CLAIMS / name).read_bytes()
        for _ in range(draw(st.integers(1, 3))):
            raw = _mutate(raw, draw) or b"\n"
        changed[name] = raw
    return changed


def _folder(base: Path, changed: dict[str, bytes]) -> Path:
    folder = base / "claims"
    shutil.copytree(SHIPPED_CLAIMS, folder)
    for name, raw in changed.items():
        (folder / name).write_bytes(raw)
    return folder


def _untouched(changed: dict[str, bytes]) -> set[str]:
    return {name.removesuffix(".yaml") for name in CLAIM_FILES if name not in changed}


def _check(exit_code: int, stdout: str, stderr: str, untouched: set[str]) -> None:
    assert exit_code in EXITS, stderr
    assert "Traceback" not in stderr and "internal error" not in stderr, stderr
    listed = {claim["id"] for claim in json.loads(stdout)}
    assert untouched <= listed, untouched - listed


@settings(
    max_examples=100,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(mutations())
def test_mutated_claims_never_hide_the_others(run, tmp_path_factory, changed):
    folder = _folder(tmp_path_factory.mktemp("fuzz"), changed)
    untouched = _untouched(changed)
    listed = run(["--dir", str(folder), "list", "--format", "json"])
    _check(listed.exit_code, listed.stdout, listed.stderr, untouched)
    checked = run(["--dir", str(folder), "validate", "--format", "json"])
    assert checked.exit_code in EXITS and "internal error" not in checked.stderr
    problems = json.loads(checked.stdout)["problems"]
    assert all(p["line"] >= 1 and p["col"] >= 1 for p in problems)
    if listed.exit_code == 1:  # a file that is not listed is named, with its position
        assert problems
    report = run(["--dir", str(folder), "report", "--format", "json"])
    assert report.exit_code in EXITS and "internal error" not in report.stderr
    json.loads(report.stdout)


#: The limits every command keeps on any input (docs/security.md): memory, and time with room
#: for a loaded machine.
MEMORY = 500 * 1024 * 1024
TIMEOUT = 30


def _limited() -> None:
    resource.setrlimit(resource.RLIMIT_AS, (MEMORY, MEMORY))


@settings(
    max_examples=6,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(mutations())
def test_mutated_claims_within_memory_and_time(tmp_path_factory, changed):
    """A sample in a real process under a 500 MB address-space limit and a timeout."""
    folder = _folder(tmp_path_factory.mktemp("fuzzproc"), changed)
    script = Path(sys.executable).with_name("claimtrack")
    env = {k: v for k, v in os.environ.items() if not k.startswith(("CLAIMTRACK", "GITHUB"))}
    result = subprocess.run(
        [str(script), "--no-cache", "--dir", str(folder), "list", "--format", "json"],
        capture_output=True,
        env=env,
        timeout=TIMEOUT,
        preexec_fn=_limited,
        check=False,
    )
    _check(
        result.returncode,
        result.stdout.decode("utf-8"),
        result.stderr.decode("utf-8", "replace"),
        _untouched(changed),
    )
