"""A progress bar on stderr for long loads, shown only when stderr is a terminal."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from rich.console import Console


class ProgressBar:
    """The :class:`claimtrack.io.parse.Progress` of the CLI: a transient rich bar.

    It refreshes when told to advance rather than from a thread, so worker processes can be
    forked while it is shown. Its console is made when a bar is first shown: a load the index
    answers starts no rich console at all.
    """

    def __init__(self, console: Callable[[], Console]) -> None:
        self.console = console
        self._bar: Any = None
        self._task: Any = None

    def start(self, description: str, total: int) -> None:
        from rich.progress import (
            BarColumn,
            MofNCompleteColumn,
            Progress,
            TextColumn,
            TimeRemainingColumn,
        )

        self._bar = Progress(
            TextColumn("{task.description}"),
            BarColumn(),
            MofNCompleteColumn(),
            TimeRemainingColumn(),
            console=self.console(),
            transient=True,
            auto_refresh=False,
        )
        self._task = self._bar.add_task(description, total=total)
        self._bar.start()
        self._bar.refresh()

    def advance(self, amount: int) -> None:
        if self._bar is not None:
            self._bar.advance(self._task, amount)
            self._bar.refresh()

    def stop(self) -> None:
        if self._bar is not None:
            self._bar.stop()
            self._bar = None
