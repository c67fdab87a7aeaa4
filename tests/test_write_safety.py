"""Nothing lost: a killed writer leaves the old file whole; parallel writers both land; a held
lock gives up with a clear message."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest

from claimtrack.cache import load_dataset
from claimtrack.edit.lock import LOCK_NAME
from conftest import claim_yaml

SLOW_WRITER = textwrap.dedent("""\
    import os, pathlib, sys, time
    marker = pathlib.Path(sys.argv[1])
    real_fdopen = os.fdopen

    class Slow:
        # Writes half the text, says so, then stalls until it is killed.
        def __init__(self, handle):
            self.handle = handle
        def __enter__(self):
            return self
        def __exit__(self, *exc):
            return self.handle.__exit__(*exc)
        def write(self, text):
            self.handle.write(text[: len(text) // 2])
            self.handle.flush()
            marker.write_text("half written")
            time.sleep(120)
            self.handle.write(text[len(text) // 2 :])
        def __getattr__(self, name):
            return getattr(self.handle, name)

    os.fdopen = lambda *a, **k: Slow(real_fdopen(*a, **k))
    from claimtrack.cli import main
    sys.argv = ["claimtrack", *sys.argv[2:]]
    main()
""")


def _wait_for(path: Path, proc: subprocess.Popen[bytes]) -> None:
    for _ in range(600):
        if path.exists() or proc.poll() is not None:
            return
        time.sleep(0.05)


def test_a_writer_killed_mid_write_leaves_the_old_file_whole(make_claims, tmp_path):
    folder = make_claims({"c-one": claim_yaml("c-one")})
    path = folder / "c-one.yaml"
    before = path.read_bytes()
    marker = tmp_path / "marker"
    script = tmp_path / "slow.py"
    script.write_text(SLOW_WRITER)
    with subprocess.Popen(
        [
            sys.executable,
            str(script),
            str(marker),
            "--dir",
            str(folder),
            "set",
            "c-one",
            "notes",
            "x" * 100_000,
        ],
        stderr=subprocess.PIPE,
    ) as proc:
        _wait_for(marker, proc)
        if not marker.exists():
            pytest.fail(proc.communicate()[1].decode())
        os.kill(proc.pid, signal.SIGKILL)
        proc.communicate()
    assert proc.returncode == -signal.SIGKILL
    assert path.read_bytes() == before
    leftovers = [p.name for p in folder.iterdir() if p.name.endswith(".tmp")]
    assert len(leftovers) == 1 and leftovers[0].startswith(".c-one.yaml.")  # the half write
    dataset = load_dataset(folder)
    assert dataset.problems == [] and [r.claim.id for r in dataset.claims] == ["c-one"]


PARALLEL_WRITER = textwrap.dedent("""\
    import sys
    from pathlib import Path
    from claimtrack.edit.workspace import Workspace
    from claimtrack.edit.fields import append_item
    from claimtrack.edit.claims import update_claim
    root, tag, count = Path(sys.argv[1]), sys.argv[2], int(sys.argv[3])
    for i in range(count):
        item = {"source": "wire", "stance": "context", "note": f"{tag}-{i}"}
        update_claim(Workspace(root), "c-one", append_item("evidence", item))
""")


def _run_side_by_side(script: Path, folder: Path, count: int) -> None:
    """Two writer processes ("left" and "right"), started together, each making ``count``
    changes."""
    procs = [
        subprocess.Popen(
            [sys.executable, str(script), str(folder), tag, str(count)], stderr=subprocess.PIPE
        )
        for tag in ("left", "right")
    ]
    for proc in procs:
        with proc:
            _, err = proc.communicate(timeout=120)
        assert proc.returncode == 0, err.decode()


def test_two_processes_editing_one_claim_both_land(make_claims, tmp_path):
    folder = make_claims({"c-one": claim_yaml("c-one")})
    script = tmp_path / "parallel.py"
    script.write_text(PARALLEL_WRITER)
    count = 15
    _run_side_by_side(script, folder, count)
    claim = load_dataset(folder).claim("c-one").claim
    notes = {item.note for item in claim.evidence}
    expected = {f"{tag}-{i}" for tag in ("left", "right") for i in range(count)}
    assert expected <= notes
    assert len(claim.evidence) == 2 * count + 1
    assert not (folder / LOCK_NAME).exists()


HOLDER = textwrap.dedent("""\
    import sys, time
    from filelock import FileLock
    lock = FileLock(sys.argv[1])
    lock.acquire()
    print("held", flush=True)
    time.sleep(120)
""")


@pytest.fixture
def held_lock(make_claims, tmp_path):
    folder = make_claims({"c-one": claim_yaml("c-one")})
    script = tmp_path / "holder.py"
    script.write_text(HOLDER)
    with subprocess.Popen(
        [sys.executable, str(script), str(folder / LOCK_NAME)], stdout=subprocess.PIPE
    ) as proc:
        assert proc.stdout is not None and proc.stdout.readline() == b"held\n"
        yield folder
        proc.kill()
        proc.communicate()


def test_a_held_lock_times_out_with_a_clear_message(run, held_lock):
    before = (held_lock / "c-one.yaml").read_bytes()
    result = run(
        ["--dir", str(held_lock), "set", "c-one", "status", "sourced"],
        env={"CLAIMTRACK_LOCK_TIMEOUT": "0.2"},
    )
    assert result.exit_code == 2
    assert "another claimtrack process is changing" in result.stderr
    assert "CLAIMTRACK_LOCK_TIMEOUT" in result.stderr
    assert (held_lock / "c-one.yaml").read_bytes() == before


def test_a_bad_lock_timeout_is_a_usage_error(run, make_claims):
    folder = make_claims({"c-one": claim_yaml("c-one")})
    result = run(
        ["--dir", str(folder), "set", "c-one", "status", "sourced"],
        env={"CLAIMTRACK_LOCK_TIMEOUT": "soon"},
    )
    assert result.exit_code == 2 and "CLAIMTRACK_LOCK_TIMEOUT" in result.stderr


def test_an_unusable_lock_is_an_error_not_a_traceback(run, make_claims):
    folder = make_claims({"c-one": claim_yaml("c-one")})
    (folder / LOCK_NAME).mkdir()  # something in the way of the lock file
    result = run(
        ["--dir", str(folder), "set", "c-one", "status", "sourced"],
        env={"CLAIMTRACK_LOCK_TIMEOUT": "0.2"},
    )
    assert result.exit_code == 2 and result.stderr.startswith("error: ")
    assert "Traceback" not in result.stderr


REGISTRY_WRITER = textwrap.dedent("""\
    import sys
    from pathlib import Path
    from claimtrack.edit.workspace import Workspace
    from claimtrack.edit.sources import add_source
    from claimtrack.core.model import Source
    root, tag, count = Path(sys.argv[1]), sys.argv[2], int(sys.argv[3])
    for i in range(count):
        add_source(Workspace(root), Source(id=f"{tag}-{i}", title=f"{tag} {i}"))
""")


def test_two_processes_adding_sources_both_land(make_claims, tmp_path):
    folder = make_claims({"c-one": claim_yaml("c-one")})
    registry = folder / "sources.yaml"
    registry.write_text("# the registry\n" + registry.read_text())
    script = tmp_path / "registry.py"
    script.write_text(REGISTRY_WRITER)
    count = 10
    _run_side_by_side(script, folder, count)
    dataset = load_dataset(folder)
    expected = {f"{tag}-{i}" for tag in ("left", "right") for i in range(count)}
    assert expected <= set(dataset.sources)
    assert dataset.problems == []
    assert registry.read_text().startswith("# the registry\n")


OUR_HOLDER = textwrap.dedent("""\
    import sys, time
    from pathlib import Path
    from claimtrack.edit.lock import locked
    root = Path(sys.argv[1])
    sys.argv = ["claimtrack", "set", "c-one", "notes", "from the holder"]
    with locked(root):
        print("held", flush=True)
        time.sleep(120)
""")


@pytest.fixture
def our_lock(make_claims, tmp_path):
    """The folder's lock held by another claimtrack process; yields (folder, its pid)."""
    folder = make_claims({"c-one": claim_yaml("c-one")})
    script = tmp_path / "our_holder.py"
    script.write_text(OUR_HOLDER)
    with subprocess.Popen([sys.executable, str(script), str(folder)], stdout=subprocess.PIPE) as p:
        assert p.stdout is not None and p.stdout.readline() == b"held\n"
        yield folder, p.pid
        p.kill()
        p.communicate()


def test_the_lock_file_says_who_holds_it(our_lock):
    import json
    import socket

    folder, pid = our_lock
    holder = json.loads((folder / LOCK_NAME).read_text())
    assert holder["pid"] == pid and holder["host"] == socket.gethostname()
    assert holder["command"] == "claimtrack set c-one notes 'from the holder'"
    assert isinstance(holder["since"], float)


def test_a_waiting_writer_says_who_holds_the_lock(run, our_lock):
    import socket

    folder, pid = our_lock
    before = (folder / "c-one.yaml").read_bytes()
    result = run(
        ["--dir", str(folder), "set", "c-one", "status", "sourced"],
        env={"CLAIMTRACK_LOCK_TIMEOUT": "1.5"},
    )
    assert result.exit_code == 2
    waiting, error = result.stderr.splitlines()
    who = f"held by pid {pid} on {socket.gethostname()} (claimtrack set c-one notes 'from the"
    assert waiting.startswith(f"waiting for the lock of {folder}: {who}")
    assert waiting.endswith("(giving up after 1.5 s)")
    assert error.startswith("error: another claimtrack process is changing")
    assert f"pid {pid}" in error and "CLAIMTRACK_LOCK_TIMEOUT" in error
    assert (folder / "c-one.yaml").read_bytes() == before


def test_a_writer_waits_for_the_holder_then_lands(run, our_lock):
    import threading

    folder, pid = our_lock
    timer = threading.Timer(1.5, os.kill, (pid, signal.SIGKILL))  # the holder dies mid-change
    timer.start()
    try:
        result = run(["--dir", str(folder), "set", "c-one", "status", "sourced"])
    finally:
        timer.cancel()
    assert result.exit_code == 0, result.stderr
    assert result.stderr.startswith(f"waiting for the lock of {folder}: held by pid {pid}")
    assert load_dataset(folder).claim("c-one").claim.status.value == "sourced"


def test_the_default_lock_timeout_is_documented():
    from claimtrack.edit.lock import DEFAULT_LOCK_TIMEOUT
    from conftest import manual

    assert f"default {DEFAULT_LOCK_TIMEOUT:g}" in manual()


def test_a_planted_link_as_the_lock_is_refused_and_its_target_untouched(run, make_claims, tmp_path):
    folder = make_claims({"c-one": claim_yaml("c-one")})
    victim = tmp_path / "victim.txt"
    victim.write_text("precious")
    (folder / LOCK_NAME).symlink_to(victim)
    result = run(["--dir", str(folder), "set", "c-one", "status", "sourced"])
    assert result.exit_code == 2 and result.stderr.startswith("error: cannot lock ")
    assert victim.read_text() == "precious"
    assert "status" not in (folder / "c-one.yaml").read_text()
