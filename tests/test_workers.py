"""A pool's workers end with the command that started them, however it ends (`kill -9`, a CI
job's timeout): none is left waiting on its queue for ever."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

#: Starts the real pool of `parse_claims` (or of `fmt`) with tasks that never end, prints its
#: pid, and waits in the pool. The tasks are looked up by name in the forked workers, so the
#: stand-ins (named as they are) replace them there too.
PARSE = """
import os, sys, time
from pathlib import Path
from claimtrack.io import parse
parse.jobs = lambda: 2
def _parse_chunk(rels):
    time.sleep(600)
_parse_chunk.__module__ = parse.__name__  # pickled by name: the workers look it up there
parse._parse_chunk = _parse_chunk
print(os.getpid(), flush=True)
chunks = parse.parse_claims(Path(sys.argv[1]), [f"c{n}.yaml" for n in range(400)], {},
                            keep=False, record=False, parallel_min=1)
next(chunks)
"""
FORMAT = """
import os, sys, time
from claimtrack.io import parse
from claimtrack.edit import format as fmt
parse.jobs = lambda: 2
def _judge(item):
    time.sleep(600)
_judge.__module__ = fmt.__name__
fmt._judge = _judge
print(os.getpid(), flush=True)
list(fmt._judged([("x.yaml", "claim", "", "")] * 1200))
"""


def _children(pid: int) -> set[int]:
    try:
        text = Path(f"/proc/{pid}/task/{pid}/children").read_text()
    except OSError:
        return set()
    return {int(word) for word in text.split()}


def _alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except (OSError, IndexError):
        return False
    return state not in {"Z", "X"}  # a zombie has ended; only its parent has not reaped it


@pytest.mark.parametrize("script", [PARSE, FORMAT], ids=["parse", "fmt"])
def test_workers_end_when_their_parent_is_killed(script: str, tmp_path: Path) -> None:
    proc = subprocess.Popen(
        [sys.executable, "-c", script, str(tmp_path)], stdout=subprocess.PIPE, text=True
    )
    try:
        assert proc.stdout is not None
        pid = int(proc.stdout.readline())
        deadline = time.monotonic() + 30
        workers: set[int] = set()
        while len(workers) < 2 and time.monotonic() < deadline:
            time.sleep(0.05)
            workers = _children(pid)
        assert len(workers) == 2, "the pool did not start its two workers"
    finally:
        os.kill(proc.pid, signal.SIGKILL)
        proc.wait()
        if proc.stdout is not None:
            proc.stdout.close()
    deadline = time.monotonic() + 20
    while any(_alive(w) for w in workers) and time.monotonic() < deadline:
        time.sleep(0.1)
    left = [w for w in workers if _alive(w)]
    for worker in left:
        os.kill(worker, signal.SIGKILL)
    assert not left, f"workers outlived their parent: {left}"
