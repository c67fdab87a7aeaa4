"""The claims folder's write lock: one writer at a time, waiters told who holds it.

An OS lock (flock on Unix, a byte-range lock on Windows, through filelock) on a hidden file in
the claims folder: a killed holder never leaves it held. The holder writes who it is into the
file (pid, host, command, since when) so that a waiter can say whom it waits for. The file is
removed while still held, so it never outlives the change; a waiter that locked the removed
file notices (its link count is 0, or the name now names another file) and tries again.
"""

from __future__ import annotations

import contextlib
import errno
import json
import os
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from claimtrack.core.errors import EnvironmentProblem, UsageError

if TYPE_CHECKING:
    from claimtrack.edit.journal import Rename

#: The lock file of a claims folder; hidden, so the loader never lists it.
LOCK_NAME = ".claimtrack.lock"

#: Seconds to wait for another claimtrack's lock; ``CLAIMTRACK_LOCK_TIMEOUT`` overrides it.
#: Sized for contention: one write holds the lock 0.1-0.5 s in a small folder, and a ``mv``
#: or ``rm`` in a 10,000-claim folder (which read the whole folder for mentions) several
#: seconds; a queue of a dozen such writers on one folder must still get through.
DEFAULT_LOCK_TIMEOUT = 120.0

#: A wait shorter than this is not worth a line on stderr.
NOTICE_AFTER = 1.0

#: Seconds between attempts while the lock is held.
POLL = 0.05

#: A lock file's contents are read up to this many bytes (a planted huge file costs nothing).
HOLDER_MAX = 4096


def lock_timeout() -> float:
    raw = os.environ.get("CLAIMTRACK_LOCK_TIMEOUT", "").strip()
    if not raw:
        return DEFAULT_LOCK_TIMEOUT
    try:
        value = float(raw)
    except ValueError:
        raise UsageError(f"CLAIMTRACK_LOCK_TIMEOUT={raw!r} is not a number of seconds") from None
    if value != value or value < 0 or value == float("inf"):
        raise UsageError(f"CLAIMTRACK_LOCK_TIMEOUT={raw!r} must be a finite number of seconds")
    return value


@dataclass(frozen=True)
class Holder:
    """Who holds the lock, as it wrote itself into the lock file."""

    pid: int | None
    host: str
    command: str
    since: float | None

    def describe(self, now: float) -> str:
        from claimtrack.core.escape import one_line

        who = f"pid {self.pid}" if self.pid is not None else "another process"
        if self.host:
            who += f" on {self.host}"
        if self.command:
            who += f" ({self.command[:120]})"
        if self.since is not None and now - self.since >= 1:
            who += f" for {now - self.since:.0f} s"
        return one_line(who)

    def dump(self) -> bytes:
        data = {"pid": self.pid, "host": self.host, "command": self.command, "since": self.since}
        return json.dumps(data, ensure_ascii=True).encode("ascii") + b"\n"

    @classmethod
    def me(cls) -> Holder:
        import shlex
        import socket
        import sys

        command = shlex.join(["claimtrack", *sys.argv[1:]]) if sys.argv else ""
        return cls(os.getpid(), socket.gethostname(), command[:1000], time.time())

    @classmethod
    def read(cls, fd: int) -> Holder | None:
        try:
            os.lseek(fd, 0, os.SEEK_SET)
            data = json.loads(os.read(fd, HOLDER_MAX))
            pid, since = data.get("pid"), data.get("since")
            return cls(
                pid if isinstance(pid, int) else None,
                str(data.get("host") or "")[:255],
                str(data.get("command") or ""),
                float(since) if isinstance(since, int | float) else None,
            )
        except (OSError, ValueError, AttributeError, TypeError):
            return None  # not written yet, or not ours: the wait is still reported


def _open(path: Path) -> int:
    """The lock file, created if need be; never through a symbolic link (a planted link must
    not make the holder write somewhere else)."""
    extra = getattr(os, "O_CLOEXEC", 0) | getattr(os, "O_NOFOLLOW", 0)
    try:
        try:
            return os.open(path, os.O_RDWR | os.O_CREAT | extra, 0o666)
        except PermissionError:
            # Left by another user's killed writer: locking needs no write permission (the
            # holder then cannot say who it is, which is only a courtesy).
            return os.open(path, os.O_RDONLY | extra)
    except OSError as exc:
        from claimtrack.io.files import display_path

        raise EnvironmentProblem(
            f"cannot lock {display_path(path)}: {exc.strerror or exc}"
        ) from None


def _same_file(fd: int, path: Path) -> bool:
    """The locked descriptor is still the file the name points at (not one removed since)."""
    mine = os.fstat(fd)
    if mine.st_nlink == 0:
        return False
    try:
        now = os.stat(path, follow_symlinks=False)
    except FileNotFoundError:
        return False
    return (now.st_dev, now.st_ino) == (mine.st_dev, mine.st_ino)


def _acquire(path: Path, timeout: float, notify: Callable[[str], None] | None) -> int | None:
    """The descriptor of the locked lock file (None: the file system has no OS locks), or
    EnvironmentProblem once ``timeout`` passes."""
    from filelock import lock_descriptor

    from claimtrack.io.files import display_path

    start = time.monotonic()
    # The first wait over a second is told; a new holder then at most every 10 s.
    noticed, told, last = False, None, 0.0  # told: the holder named last (pid, since)
    holder: Holder | None = None
    while True:
        fd = _open(path)
        try:
            got = lock_descriptor(fd, blocking=False)
        except OSError as exc:
            os.close(fd)
            if exc.errno == errno.ENOSYS:
                return None  # a file system without OS locks
            raise EnvironmentProblem(
                f"cannot lock {display_path(path)}: {exc.strerror or exc}"
            ) from None
        if got and _same_file(fd, path):
            return fd
        if not got:
            holder = Holder.read(fd) or holder
        os.close(fd)  # unlocking is closing; a lock on a removed file is given up the same way
        waited = time.monotonic() - start
        who = f"held by {holder.describe(time.time())}" if holder else "held by another process"
        if waited >= timeout:
            raise EnvironmentProblem(
                f"another claimtrack process is changing {display_path(path.parent)} (lock "
                f"{display_path(path)}, {who}); gave up after {timeout:g} s: try again, or set "
                "CLAIMTRACK_LOCK_TIMEOUT to wait longer"
            )
        key = (holder.pid, holder.since) if holder else None
        if notify is not None and waited >= NOTICE_AFTER and not noticed:
            notify(
                f"waiting for the lock of {display_path(path.parent)}: {who} (giving up "
                f"after {timeout:g} s)"
            )
            noticed, told, last = True, key, waited
        elif notify is not None and noticed and key not in (None, told) and waited - last >= 10:
            notify(f"still waiting for the lock of {display_path(path.parent)}: now {who}")
            told, last = key, waited
        time.sleep(POLL)


@contextlib.contextmanager
def _soft_locked(path: Path, timeout: float) -> Iterator[None]:
    """filelock's marker-file lock, where the file system has no OS locks (no holder shown)."""
    from filelock import SoftFileLock, Timeout

    from claimtrack.io.files import display_path

    lock = SoftFileLock(path, timeout=timeout)
    try:
        lock.acquire()
    except Timeout:
        raise EnvironmentProblem(
            f"another claimtrack process is changing {display_path(path.parent)} (lock "
            f"{display_path(path)}); gave up after {timeout:g} s: try again, or set "
            "CLAIMTRACK_LOCK_TIMEOUT to wait longer"
        ) from None
    try:
        yield
    finally:
        lock.release()


@contextlib.contextmanager
def locked(root: Path, notify: Callable[[str], None] | None = None) -> Iterator[Rename | None]:
    """Hold the claims folder's write lock; other claimtrack writers wait, then give up clearly.

    ``notify`` is told whom a wait of more than a second is for (a new holder again, at most
    every 10 s). A rename cut
    short (see ``journal.py``) is finished first, before anything else changes; the context
    gives it (None when there was none).
    """
    from claimtrack.edit.journal import finish

    path = root / LOCK_NAME
    timeout = lock_timeout()
    fd = _acquire(path, timeout, notify)
    if fd is None:
        with _soft_locked(path.with_name(LOCK_NAME + ".soft"), timeout):
            yield finish(root)
        return
    try:
        with contextlib.suppress(OSError):  # who holds it: only ever a courtesy to waiters
            os.ftruncate(fd, 0)
            os.lseek(fd, 0, os.SEEK_SET)
            os.write(fd, Holder.me().dump())
        yield finish(root)
    finally:
        with contextlib.suppress(OSError):
            os.unlink(path)
        os.close(fd)
