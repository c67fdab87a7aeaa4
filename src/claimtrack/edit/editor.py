"""Editing a claim in the user's editor, with a recovery copy of what did not validate."""

from __future__ import annotations

import os
from pathlib import Path

from claimtrack.core.errors import EnvironmentProblem, UsageError
from claimtrack.io.files import (
    display_path,
)


def editor_command() -> list[str]:
    """``$VISUAL``, else ``$EDITOR``, split like a shell would."""
    import shlex

    for name in ("VISUAL", "EDITOR"):
        value = os.environ.get(name, "").strip()
        if value:
            try:
                return shlex.split(value)
            except ValueError:
                raise UsageError(f"${name} cannot be read as a command: {value!r}") from None
    raise UsageError("set $VISUAL or $EDITOR to your editor (for example EDITOR=nano)")


def recovery_path(path: Path) -> Path:
    """Where ``edit`` keeps the text being edited: beside the claim, hidden from the loader."""
    return path.with_name(f".{path.stem}.edit{path.suffix}")


def run_editor(command: list[str], path: Path) -> None:
    import subprocess

    try:
        result = subprocess.run([*command, str(path)], check=False)
    except OSError as exc:
        raise EnvironmentProblem(
            f"cannot run the editor {command[0]!r}: {exc.strerror or exc}; your text is in "
            f"{display_path(path)}"
        ) from None
    if result.returncode != 0:
        raise EnvironmentProblem(
            f"the editor exited with status {result.returncode}; nothing saved, your text is "
            f"in {display_path(path)}"
        )
