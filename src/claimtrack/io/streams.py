"""Standard streams that a CI log can show without obeying anything claim text holds."""

from __future__ import annotations

import os
import stat
from typing import Any, TextIO

from claimtrack.core.escape import workflow_inert

#: The environment variable GitHub Actions sets in every step.
GITHUB_ACTIONS = "GITHUB_ACTIONS"


class WorkflowSafeStream:
    """A text stream whose every line is made inert for a CI runner (``workflow_inert``).

    A line is held until it ends (a workflow command is only recognised at a line's start, and
    one write may stop between its two colons) or until the stream is flushed. ``commands``
    writes the workflow commands claimtrack itself means (``report --format github``) as they
    are: their message is already percent-encoded onto one line.
    """

    def __init__(self, stream: TextIO) -> None:
        self._stream = stream
        self._held = ""

    def write(self, text: str) -> int:
        if not text:
            return 0
        held = self._held + text
        end = held.rfind("\n") + 1
        self._held = held[end:]
        if end:
            self._stream.write(workflow_inert(held[:end]))
        return len(text)

    def flush(self) -> None:
        if self._held:
            self._stream.write(workflow_inert(self._held))
            self._held = ""
        self._stream.flush()

    def commands(self, text: str) -> None:
        self.flush()
        self._stream.write(text)
        self._stream.flush()

    def writelines(self, lines: Any) -> None:
        for line in lines:
            self.write(line)

    def __getattr__(self, name: str) -> Any:
        # isatty, fileno, encoding, errors, reconfigure...: the stream's own. Not ``buffer``:
        # bytes written there would pass by the escaping, so writers fall back to text.
        if name == "buffer":
            raise AttributeError(name)
        return getattr(self._stream, name)


def reaches_ci_log(stream: TextIO) -> bool:
    """Whether the stream may end up in a GitHub Actions log: in a workflow step, anything
    but a regular file (a redirect to a file is data, and stays exact)."""
    if os.environ.get(GITHUB_ACTIONS, "").lower() != "true":
        return False
    try:
        return not stat.S_ISREG(os.fstat(stream.fileno()).st_mode)
    except (AttributeError, OSError, ValueError):  # no descriptor: it is shown somewhere
        return True


def write_commands(stream: Any, text: str) -> None:
    """Workflow commands claimtrack means, past the escaping of a :class:`WorkflowSafeStream`."""
    writer = getattr(stream, "commands", None)
    if writer is not None:
        writer(text)
    else:
        stream.write(text)
        stream.flush()
