"""The pager: output for a terminal goes through ``less -FRX`` (or ``$PAGER``), as git's does.

The pager is started before the output is made and reads it as it is written (stdout becomes
the pager's stdin), so its first screen shows while the rest is still being made. Quitting it
early closes the pipe: the next write fails with a broken pipe, which ends the command
quietly with exit 0 (see :func:`claimtrack.cli.main`).
"""

from __future__ import annotations

import contextlib
import os
import shutil
import subprocess
import sys

#: What runs when neither ``$CLAIMTRACK_PAGER`` nor ``$PAGER`` is set: ``-F`` quits when the
#: text fits one screen, ``-R`` shows colours, ``-X`` leaves the text on the screen.
DEFAULT = "less -FRX"
#: Pager settings that mean "no pager", as in git.
NONE = ("", "cat")

_running: list[subprocess.Popen[bytes]] = []


def command() -> str | None:
    """The pager to run: ``$CLAIMTRACK_PAGER``, else ``$PAGER``, else ``less -FRX`` when less
    is installed; None when the chosen one is empty or ``cat``."""
    for name in ("CLAIMTRACK_PAGER", "PAGER"):
        chosen = os.environ.get(name)
        if chosen is not None:
            chosen = chosen.strip()
            return None if chosen in NONE else chosen
    return DEFAULT if shutil.which("less") else None


def start() -> bool:
    """Run the pager with stdout as its input, when stdout is a terminal; whether it runs."""
    if _running:
        return True
    try:
        if not os.isatty(sys.stdout.fileno()):
            return False
    except (AttributeError, ValueError, OSError):  # no real stream (embedded, tests)
        return False
    chosen = command()
    if chosen is None:
        return False
    env = dict(os.environ)
    env.setdefault("LESS", "FRX")  # as git: a `less` named in $PAGER also quits on one screen
    env.setdefault("LV", "-c")
    sys.stdout.flush()
    try:
        pager = subprocess.Popen(chosen, shell=True, stdin=subprocess.PIPE, env=env)
    except OSError:
        return False
    assert pager.stdin is not None
    os.dup2(pager.stdin.fileno(), sys.stdout.fileno())
    pager.stdin.close()
    pager.stdin = None
    # A terminal's stdout flushes every line; into a pipe, whole buffers are enough.
    reconfigure = getattr(sys.stdout, "reconfigure", None)
    if reconfigure is not None:
        reconfigure(line_buffering=False)
    _running.append(pager)
    return True


def finish() -> None:
    """Hand the pager the end of the output and wait until the person quits it."""
    if not _running:
        return
    pager = _running.pop()
    with contextlib.suppress(OSError, ValueError):
        sys.stdout.flush()
    with contextlib.suppress(OSError, ValueError):
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())  # the pager's only input closes: it sees the end
        os.close(devnull)
    with contextlib.suppress(OSError, ValueError):
        sys.stdout.flush()  # what a quit pager did not take goes nowhere, without an error
    while True:
        try:
            pager.wait()
            return
        except KeyboardInterrupt:  # ^C is the pager's to handle (less stops a search)
            continue
