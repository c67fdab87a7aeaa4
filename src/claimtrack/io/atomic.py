"""Writing files: atomic replacement that keeps a file's mode, outputs onto devices and FIFOs,
and write errors that say what is wrong."""

from __future__ import annotations

import contextlib
import errno
import os
import secrets
import stat
from pathlib import Path

from claimtrack.core.errors import EnvironmentProblem, UsageError

#: ``open`` flags for the temporary file: never follow a planted link, never reuse a name.
_CREATE = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_NOFOLLOW", 0)
_CLOEXEC = getattr(os, "O_CLOEXEC", 0)


class WriteFailed(EnvironmentProblem):
    """A file could not be written; the message says why in the user's terms (exit 2)."""

    def __init__(self, path: Path, reason: str):
        super().__init__(f"cannot write {_shown(path)}: {reason}")
        self.path = path
        self.reason = reason


def _shown(path: Path) -> str:
    from claimtrack.io.files import display_path

    return display_path(path)


def atomic_write(path: Path, text: str | bytes) -> None:
    """Write ``text`` (bytes as they are, text as UTF-8) to ``path`` so that readers see the
    old file or the new one, never half.

    A temporary file in the same folder is flushed and fsynced, then renamed over the target.
    A file that exists keeps its mode (and its owner and group where the OS allows it); a new
    one gets ``0666 & ~umask``, as any program's new file does. A symbolic link stays a link:
    the file it points at is replaced. Raises ``WriteFailed`` (never a bare ``OSError``).
    """
    data = text.encode("utf-8") if isinstance(text, str) else text
    target = Path(os.path.realpath(path)) if os.path.islink(path) else path
    try:
        before: os.stat_result | None = os.stat(target)
    except FileNotFoundError:
        before = None
    except OSError as exc:
        raise WriteFailed(path, explain(target, exc)) from None
    if before is not None and not stat.S_ISREG(before.st_mode):
        raise WriteFailed(path, f"it is {kind_of(before.st_mode)}, not a regular file")
    folder = target.parent if str(target.parent) else Path(".")
    if folder.is_dir() and not _can(folder, os.W_OK | os.X_OK):
        raise WriteFailed(path, _permission(target, folder))
    if before is not None and not _can(target, os.W_OK):
        # Replacing it would succeed in a writable folder, but the file says: not this user.
        raise WriteFailed(path, _not_writable(before.st_mode))
    try:
        _replace(target, data, before)
    except OSError as exc:
        raise WriteFailed(path, explain(target, exc)) from None


def _replace(target: Path, data: bytes, before: os.stat_result | None) -> None:
    folder = target.parent
    fd, tmp = _temporary(target)
    try:
        if before is not None:
            _keep_owner_and_mode(fd, before)
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(tmp, target)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise
    with contextlib.suppress(OSError):  # make the rename itself durable where the OS allows it
        dir_fd = os.open(folder, os.O_RDONLY)
        try:
            os.fsync(dir_fd)
        finally:
            os.close(dir_fd)


def _temporary(target: Path) -> tuple[int, Path]:
    """A new hidden file beside ``target``, created with mode 0666 so that the umask (and a
    default ACL) apply exactly as to any new file; ``mkstemp`` would force 0600."""
    for _ in range(100):
        tmp = target.with_name(f".{target.name}.{secrets.token_hex(4)}.tmp")
        try:
            return os.open(tmp, _CREATE | _CLOEXEC, 0o666), tmp
        except FileExistsError:
            continue
    raise FileExistsError(errno.EEXIST, "no free temporary name", str(target.parent))


def _keep_owner_and_mode(fd: int, before: os.stat_result) -> None:
    """The replacement carries the old file's owner, group and permission bits."""
    now = os.fstat(fd)
    if (now.st_uid, now.st_gid) != (before.st_uid, before.st_gid):
        # Only root may give a file away; anyone may keep a group they belong to.
        try:
            os.fchown(fd, before.st_uid, before.st_gid)
        except OSError:
            with contextlib.suppress(OSError):
                os.fchown(fd, -1, before.st_gid)
    os.fchmod(fd, stat.S_IMODE(before.st_mode))  # after chown, which may clear set-id bits


def write_output(path: Path, text: str | bytes) -> None:
    """Write a command's output (``--output``): a regular file (or a new one) is replaced
    atomically; a FIFO or a character device (``/dev/null``, a terminal) is written in place,
    never replaced by a regular file; anything else is refused. Raises ``WriteFailed`` or
    ``UsageError``, with a message that says what is wrong."""
    data = text.encode("utf-8") if isinstance(text, str) else text
    try:
        mode = os.stat(path).st_mode
    except FileNotFoundError:
        mode = None
    except OSError as exc:
        raise WriteFailed(path, explain(path, exc)) from None
    if mode is None or stat.S_ISREG(mode):
        atomic_write(path, data)
    elif stat.S_ISFIFO(mode) or stat.S_ISCHR(mode):
        write_in_place(path, data)
    elif stat.S_ISDIR(mode):
        raise UsageError(f"{_shown(path)} is a folder; give a file name")
    else:
        raise UsageError(
            f"{_shown(path)} is {kind_of(mode)}: write to a regular file, a FIFO or a "
            "character device"
        )


def write_in_place(path: Path, data: bytes) -> None:
    """Write to a FIFO or device as a shell redirection would (a FIFO waits for its reader)."""
    try:
        fd = os.open(path, os.O_WRONLY | getattr(os, "O_NOCTTY", 0) | _CLOEXEC)
    except OSError as exc:
        raise WriteFailed(path, explain(path, exc)) from None
    try:
        view = memoryview(data)
        while view:
            view = view[os.write(fd, view) :]
    except OSError as exc:
        raise WriteFailed(path, explain(path, exc)) from None
    finally:
        os.close(fd)


def kind_of(mode: int) -> str:
    """What a non-regular file is, in words."""
    for test, name in (
        (stat.S_ISDIR, "a folder"),
        (stat.S_ISFIFO, "a FIFO"),
        (stat.S_ISCHR, "a character device"),
        (stat.S_ISBLK, "a block device"),
        (stat.S_ISSOCK, "a socket"),
    ):
        if test(mode):
            return name
    return "not a regular file"


def explain(path: Path, exc: OSError) -> str:
    """Why writing ``path`` failed, naming the file or folder at fault rather than the errno."""
    folder = path.parent if str(path.parent) else Path(".")
    code = exc.errno
    if code in (errno.EACCES, errno.EPERM):
        return _permission(path, folder)
    if code == errno.EROFS:
        return f"the file system holding {folder} is read-only"
    if code == errno.ENOSPC:
        return "no space left on the device"
    if code == getattr(errno, "EDQUOT", -1):
        return "the disk quota is exhausted"
    if code == errno.ENOENT:
        if folder.is_dir():  # /proc and its kind: a folder, but not one for files of ours
            return f"the folder {folder} does not take new files"
        return f"the folder {folder} does not exist"
    if code == errno.ENOTDIR:
        return f"a part of {folder} is not a folder"
    if code == errno.EISDIR:
        return "it is a folder; give a file name"
    if code == errno.EPIPE:
        return "the reader closed it before the output was complete"
    if code == errno.ENAMETOOLONG:
        return "the name is too long for the file system"
    if code == errno.ELOOP:
        return "too many symbolic links"
    return exc.strerror or str(exc)


def _not_writable(mode: int) -> str:
    bits = stat.S_IMODE(mode)
    if not bits & 0o222:
        return f"the file is read-only (mode {bits:04o})"
    return f"the file is not writable by this user (mode {bits:04o})"


def _can(path: Path, mode: int) -> bool:
    """``os.access`` as the process's effective user (a set-uid program's, a dropped root's)."""
    return os.access(path, mode, effective_ids=os.access in os.supports_effective_ids)


def _permission(path: Path, folder: Path) -> str:
    for part in reversed([folder, *folder.parents]):
        if part.exists() and not _can(part, os.X_OK):
            return f"the folder {part} cannot be entered (no search permission)"
    try:
        mode: int | None = os.stat(path).st_mode
    except OSError:
        mode = None
    if mode is not None and not stat.S_ISREG(mode) and not _can(path, os.W_OK):
        return f"{kind_of(mode)} {path} is not writable by this user"
    if not _can(folder, os.W_OK):
        with contextlib.suppress(OSError, AttributeError):
            if os.statvfs(folder).f_flag & os.ST_RDONLY:
                return f"the file system holding {folder} is read-only"
        return f"the folder {folder} is not writable"
    if mode is not None and stat.S_ISREG(mode) and not _can(path, os.W_OK):
        return _not_writable(mode)
    if mode is not None and os.stat(folder).st_mode & stat.S_ISVTX:
        return f"the file belongs to another user in the sticky folder {folder}"
    return "permission denied by the operating system (an ACL or a security module)"
