"""Where writes land and how: every command keeps an edited file's mode (and owner), gives a new
file ``0666 & ~umask``; ``--output`` writes a FIFO or device in place, never replaces it, and a
write that fails is a one-line error that says what is wrong, with a nonzero exit."""

from __future__ import annotations

import contextlib
import os
import pwd
import shutil
import stat
import sys
import tempfile
import textwrap
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest

from claimtrack.io.atomic import WriteFailed, atomic_write, write_output
from conftest import SHARED, SHIPPED_CLAIMS, claim_yaml

ARTICLE = "venezuela-cuba-oil-for-security.txt"
UMASK = 0o027
EDITED = 0o664  # neither what a new file gets here (0640) nor mkstemp's 0600
NEW = 0o666 & ~UMASK

EDITOR = textwrap.dedent("""\
    import pathlib, sys
    path = pathlib.Path(sys.argv[-1])
    path.write_text(path.read_text().replace("statement: Something", "statement: Then something"))
""")


@pytest.fixture
def umask() -> Iterator[int]:
    old = os.umask(UMASK)
    try:
        yield UMASK
    finally:
        os.umask(old)


@pytest.fixture
def folder(make_claims, tmp_path):
    folder = make_claims(
        {
            "c-one": claim_yaml("c-one").replace("confidence: likely\n", "confidence:  likely\n"),
            "c-two": claim_yaml("c-two", notes="'Compare c-one.'"),
        }
    )
    for path in folder.rglob("*"):
        path.chmod(EDITED)
    return folder


def _mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def _editor(tmp_path: Path) -> dict[str, str]:
    script = tmp_path / "editor.py"
    script.write_text(EDITOR)
    return {"EDITOR": f"{sys.executable} {script}"}


#: Every command that rewrites files in place, and a file it changes.
EDITS = {
    "set": (["set", "c-one", "notes", "changed"], "c-one.yaml"),
    "evidence add": (
        ["evidence", "add", "c-one", "--source", "rebuttal", "--stance", "refutes"],
        "c-one.yaml",
    ),
    "dispute": (["dispute", "c-one", "--by", "A Ministry"], "c-one.yaml"),
    "edit": (["edit", "c-one"], "c-one.yaml"),
    "source add": (["source", "add", "--title", "Another", "--kind", "report"], "sources.yaml"),
    "source rm": (["source", "rm", "rebuttal"], "sources.yaml"),
    "fmt": (["fmt"], "c-one.yaml"),
    "mv": (["mv", "c-one", "c-renamed"], "c-renamed.yaml"),  # the renamed file is the claim's
}


@pytest.mark.parametrize("name", EDITS)
def test_every_edit_keeps_the_files_mode(run, folder, tmp_path, umask, name):
    args, changed = EDITS[name]
    before = {p.name: p.read_bytes() for p in folder.iterdir()}
    result = run(["--dir", str(folder), *args], env=_editor(tmp_path))
    assert result.exit_code == 0, result.stderr
    after = {p.name: p.read_bytes() for p in folder.iterdir()}
    assert after.get(changed) not in (None, before.get(changed))  # it was written
    assert {p.name: _mode(p) for p in folder.iterdir()} == dict.fromkeys(after, EDITED)


@pytest.mark.skipif(os.geteuid() != 0, reason="only root can give a file to another user")
def test_an_edit_by_root_keeps_the_files_owner(run, folder):
    nobody = pwd.getpwnam("nobody")
    os.chown(folder / "c-one.yaml", nobody.pw_uid, nobody.pw_gid)
    assert run(["--dir", str(folder), "set", "c-one", "notes", "x"]).exit_code == 0
    info = (folder / "c-one.yaml").stat()
    assert (info.st_uid, info.st_gid) == (nobody.pw_uid, nobody.pw_gid)
    assert _mode(folder / "c-one.yaml") == EDITED


def _new_files(tmp_path: Path, folder: Path) -> dict[str, tuple[list[str], list[Path]]]:
    """Every command that creates files, and the files it creates."""
    out = tmp_path / "out"
    out.mkdir()
    importing = SHARED / "data" / "claimreview" / "claimreview-claimskg.jsonld"
    return {
        "add": (
            [
                *["add", "--statement", "New words.", "--source", "article"],
                *["--attributed-to", "Someone", "--kind", "official", "--confidence", "likely"],
                *["--id", "c-new"],
            ],
            [folder / "c-new.yaml"],
        ),
        "init": (["init", str(tmp_path / "proj")], [tmp_path / "proj" / "claims" / "README.md"]),
        "import": (["import", str(importing), "--write"], []),  # new files in the folder
        "report": (["report", "-o", str(out / "report.md")], [out / "report.md"]),
        "export": (["export", "-f", "csv", "-o", str(out / "x.csv")], [out / "x.csv"]),
        "schema": (["schema", "--write", str(out / "schema")], [out / "schema"]),
        "extract": (
            ["extract", str(SHIPPED_CLAIMS / "sources" / ARTICLE), "--into", str(out / "drafts")],
            [out / "drafts"],
        ),
    }


@pytest.mark.parametrize("name", ["add", "init", "import", "report", "export", "schema", "extract"])
def test_every_new_file_gets_the_umask_mode(run, folder, tmp_path, umask, name):
    args, made = _new_files(tmp_path, folder)[name]
    existed = set(folder.rglob("*"))
    result = run(["--dir", str(folder), *args])
    assert result.exit_code in (0, 1), result.stderr  # import skips some records: exit 1
    created = [p for p in folder.rglob("*") if p not in existed and p.is_file()]
    for place in made:
        if place.is_dir():
            created += [p for p in place.rglob("*") if p.is_file()]
        elif place.exists():
            created.append(place)
    assert created
    assert {str(p): _mode(p) for p in created} == dict.fromkeys(map(str, created), NEW)


def test_a_symlinked_file_stays_a_link(tmp_path):
    real = tmp_path / "real.md"
    real.write_text("old")
    real.chmod(EDITED)
    link = tmp_path / "link.md"
    link.symlink_to(real)
    write_output(link, "new")
    assert link.is_symlink() and real.read_text() == "new" and _mode(real) == EDITED


# -- output targets --------------------------------------------------------------------------


@pytest.fixture
def shipped(claims_dir):
    return claims_dir


OUTPUTS = {
    "report": ["report", "-f", "md", "-o"],
    "export": ["export", "-f", "jsonl", "-o"],
}


@pytest.mark.parametrize("command", OUTPUTS)
def test_dev_null_is_written_not_replaced(run, shipped, command):
    result = run(["--dir", str(shipped), *OUTPUTS[command], os.devnull])
    assert result.exit_code == 0, result.stderr
    assert stat.S_ISCHR(os.stat(os.devnull).st_mode)


@pytest.mark.skipif(not Path("/dev/full").exists(), reason="no /dev/full here")
@pytest.mark.parametrize("command", OUTPUTS)
def test_a_full_device_is_a_one_line_error_and_a_nonzero_exit(run, shipped, command):
    result = run(["--dir", str(shipped), *OUTPUTS[command], "/dev/full"])
    assert result.exit_code == 2
    assert result.stderr.splitlines()[-1] == (
        "error: cannot write /dev/full: no space left on the device"
    )
    assert "Traceback" not in result.stderr
    assert stat.S_ISCHR(os.stat("/dev/full").st_mode)


@pytest.mark.parametrize("command", OUTPUTS)
def test_a_fifo_is_written_in_place(run, shipped, tmp_path, command):
    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    got: list[bytes] = []
    reader = threading.Thread(target=lambda: got.append(fifo.read_bytes()), daemon=True)
    reader.start()
    result = run(["--dir", str(shipped), *OUTPUTS[command], str(fifo)])
    reader.join(timeout=60)
    assert result.exit_code == 0, result.stderr
    assert stat.S_ISFIFO(fifo.stat().st_mode)
    plain = tmp_path / "plain.out"
    assert run(["--dir", str(shipped), *OUTPUTS[command], str(plain)]).exit_code == 0
    assert got == [plain.read_bytes()] and got[0]


def test_a_regular_output_is_replaced_atomically_keeping_its_mode(run, shipped, tmp_path):
    target = tmp_path / "report.md"
    target.write_text("old report")
    target.chmod(0o640)
    inode = target.stat().st_ino
    assert run(["--dir", str(shipped), "report", "-o", str(target)]).exit_code == 0
    assert target.stat().st_ino != inode  # a new file renamed over the old one
    assert _mode(target) == 0o640 and target.read_text().startswith("#")
    assert [p.name for p in tmp_path.iterdir() if p.name.endswith(".tmp")] == []


def test_an_output_that_is_a_socket_or_folder_is_refused(tmp_path):
    import socket

    with pytest.raises(Exception, match="is a folder"):
        write_output(tmp_path, "x")
    short = Path(tempfile.mkdtemp(dir="/tmp"))
    try:
        with socket.socket(socket.AF_UNIX) as sock:
            sock.bind(str(short / "s"))
            with pytest.raises(Exception, match="is a socket: write to a regular file"):
                write_output(short / "s", "x")
            assert stat.S_ISSOCK((short / "s").stat().st_mode)
    finally:
        shutil.rmtree(short)


@contextlib.contextmanager
def _as_another_user() -> Iterator[None]:
    """Run as ``nobody`` (when root: effective ids only, restored after), else as we are."""
    if os.geteuid() != 0:
        yield
        return
    nobody = pwd.getpwnam("nobody")
    os.setegid(nobody.pw_gid)
    os.seteuid(nobody.pw_uid)
    try:
        yield
    finally:
        os.seteuid(0)
        os.setegid(0)


@pytest.fixture
def shared_place(monkeypatch) -> Iterator[Path]:
    """A world-readable folder holding a claims folder and a read-only folder ``ro``; outside
    pytest's private temporary folder, which another user cannot enter."""
    place = Path(tempfile.mkdtemp(dir="/tmp"))
    place.chmod(0o755)
    shutil.copytree(Path(__file__).resolve().parent.parent / "claims", place / "claims")
    for path in (place / "claims").rglob("*"):
        path.chmod(0o755 if path.is_dir() else 0o644)
    (place / "ro").mkdir(mode=0o555)
    (place / "ro").chmod(0o555)
    monkeypatch.setenv("CLAIMTRACK_NO_CACHE", "1")
    try:
        yield place
    finally:
        shutil.rmtree(place)


@pytest.mark.parametrize("command", OUTPUTS)
def test_an_unwritable_folder_is_named_not_permission_denied(run, shared_place, command):
    target = shared_place / "ro" / "report.md"
    with _as_another_user():
        result = run(["--dir", str(shared_place / "claims"), *OUTPUTS[command], str(target)])
    assert result.exit_code == 2
    assert result.stderr.splitlines()[-1] == (
        f"error: cannot write {target}: the folder {target.parent} is not writable"
    )
    assert not target.exists()


def test_a_claim_in_a_folder_of_another_user_is_named(run, shared_place):
    claims = shared_place / "claims"
    claim = next(claims.glob("*.yaml"))
    with _as_another_user(), pytest.raises(WriteFailed) as caught:
        atomic_write(claim, claim.read_text())
    assert str(caught.value) == f"cannot write {claim}: the folder {claims} is not writable"


def test_a_file_of_another_user_is_refused_not_replaced(shared_place):
    path = shared_place / "ro" / "theirs.md"
    (shared_place / "ro").chmod(0o777)
    path.write_text("keep")
    path.chmod(0o644 if os.geteuid() == 0 else 0o444)
    expected = (
        "the file is not writable by this user (mode 0644)"
        if os.geteuid() == 0
        else "the file is read-only (mode 0444)"
    )
    with _as_another_user(), pytest.raises(WriteFailed) as caught:
        atomic_write(path, "new")
    assert str(caught.value) == f"cannot write {path}: {expected}"
    assert path.read_text() == "keep"


@pytest.mark.parametrize(
    ("where", "reason"),
    [
        ("{tmp}/missing/report.md", "the folder {tmp}/missing does not exist"),
        ("{tmp}/file.txt/report.md", "a part of {tmp}/file.txt is not a folder"),
        ("/proc/report.md", "the folder /proc does not take new files"),
    ],
    ids=["missing folder", "file as folder", "proc"],
)
def test_a_write_that_cannot_happen_says_why(tmp_path, where, reason):
    (tmp_path / "file.txt").write_text("x")
    target = where.replace("{tmp}", str(tmp_path))
    with pytest.raises(WriteFailed) as caught:
        write_output(Path(target), "report")
    assert str(caught.value) == f"cannot write {target}: {reason.replace('{tmp}', str(tmp_path))}"
