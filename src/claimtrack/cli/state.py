"""What every command shares: global options, the two consoles, loading, error reporting."""

from __future__ import annotations

import codecs
import enum
import os
import sys
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from claimtrack.render import StyledLines

if TYPE_CHECKING:
    from pathlib import Path

    import typer
    from rich.console import Console

    from claimtrack.cli.progress import ProgressBar
    from claimtrack.core.dataset import Dataset
    from claimtrack.render.screen import Terminal

#: How many individual problems a read command prints before summarising the rest.
SHOWN_PROBLEMS = 10


class Color(str, enum.Enum):
    AUTO = "auto"
    ALWAYS = "always"
    NEVER = "never"


@dataclass
class State:
    """The global options, and consoles made on first use."""

    directory: str | None = None
    color: Color = Color.AUTO
    debug: bool = False
    #: Use the index of the claims folder (``--no-cache`` turns it off).
    cache: bool = True
    #: Page terminal output (``--no-pager`` turns it off).
    pager: bool = True
    _consoles: dict[bool, Any] = field(default_factory=dict)
    _said_project: bool = False
    _terminal: Terminal | None = None
    _paged: bool = False  # stdout goes through the pager

    def terminal(self) -> Terminal:
        """stdout's width and whether it takes colour, as found before any pager starts
        (the pager's pipe is no terminal, but the text still ends up on this one)."""
        if self._terminal is None:
            from claimtrack.render.screen import Terminal, screen_width

            try:
                fd: int | None = sys.stdout.fileno()
                tty = os.isatty(fd)  # type: ignore[arg-type]
            except (AttributeError, ValueError, OSError):
                fd, tty = None, False
            forced = bool({"FORCE_COLOR", "TTY_COMPATIBLE"} & os.environ.keys())
            if self.color is Color.ALWAYS:
                color = True
            elif self.color is Color.NEVER or os.environ.get("NO_COLOR"):
                color = False
            else:
                color = tty or forced
            encoding = codecs.lookup(getattr(sys.stdout, "encoding", None) or "utf-8").name
            self._terminal = Terminal(
                width=screen_width(fd if tty else None), color=color, encoding=encoding
            )
        return self._terminal

    def page(self) -> None:
        """Send what follows on stdout through the pager, when stdout is a terminal (and
        neither ``--no-pager`` nor an empty pager setting says otherwise)."""
        self.terminal()  # measured on the terminal itself
        if self.pager:
            from claimtrack.cli import pager

            if pager.start():
                # rich, when used after this, writes for the terminal behind the pager (made
                # when first used: a table written line by line never starts rich)
                self._consoles.pop(False, None)
                self._paged = True

    def console(self, stderr: bool = False) -> Console:
        """stdout carries data, stderr messages; both honour --color and NO_COLOR."""
        if not stderr and self._paged and False not in self._consoles:
            from rich.console import Console

            term = self.terminal()
            self._consoles[False] = Console(
                file=sys.stdout,
                highlight=False,
                soft_wrap=False,
                width=term.width,
                force_terminal=term.color,
                no_color=not term.color,
                color_system="auto" if term.color else None,
            )
        if stderr not in self._consoles:
            from rich.console import Console

            stream = sys.stderr if stderr else sys.stdout
            kwargs: dict[str, Any] = {"file": stream, "highlight": False, "soft_wrap": False}
            if self.color is Color.ALWAYS:
                kwargs["force_terminal"] = True
            elif self.color is Color.NEVER or os.environ.get("NO_COLOR"):
                kwargs["no_color"] = True
                kwargs["color_system"] = None
            self._consoles[stderr] = Console(**kwargs)
        return self._consoles[stderr]  # type: ignore[no-any-return]

    def claims_dir(self) -> Path:
        from pathlib import Path

        from claimtrack.io.files import find_claims_dir

        found = find_claims_dir(self.directory)
        if self.directory and found != Path(self.directory) and not self._said_project:
            self._said_project = True  # once per command, however often the folder is asked
            self.say(f"note: {self.directory} is a project folder: using {found}")
        return found

    def load(self, keep_claims: bool = True) -> Dataset:
        """The dataset of the claims folder. ``keep_claims=False`` when only a few claims will
        be read (they are then built from their files)."""
        from claimtrack.cache import load_dataset

        return load_dataset(
            self.claims_dir(), cache=self.cache, progress=self.progress(), keep_claims=keep_claims
        )

    def progress(self) -> ProgressBar | None:
        """A progress bar for long loads when stderr is a terminal; otherwise nothing."""
        if not sys.stderr.isatty():
            return None
        from claimtrack.cli.progress import ProgressBar

        return ProgressBar(lambda: self.console(stderr=True))

    def plain(self, stderr: bool = False) -> bool:
        """Whether the stream gets no styling at all (not a terminal, colour not forced): then
        lines are written as they are, without starting rich."""
        if self.color is Color.ALWAYS or {"FORCE_COLOR", "TTY_COMPATIBLE"} & os.environ.keys():
            return False
        try:
            return not (sys.stderr if stderr else sys.stdout).isatty()
        except (AttributeError, ValueError):  # no stream, or a closed one
            return True

    def lines(self, lines: list[tuple[str, str]], stderr: bool = False) -> None:
        """Lines of plain text (already made visible), each with its style on a terminal."""
        if self.plain(stderr):
            stream = sys.stderr if stderr else sys.stdout
            stream.write("".join(text + "\n" for text, _ in lines))
            stream.flush()
            return
        from rich.text import Text

        console = self.console(stderr)
        for text, style in lines:
            console.print(Text(text, style=style), soft_wrap=True)

    def say(self, message: str, style: str = "") -> None:
        """A message for the person, on stderr (never markup: it may quote claim text)."""
        from claimtrack.core.escape import visible

        self.lines([(visible(message), style)], stderr=True)

    def report_load_errors(self, dataset: Dataset, only: str | None = None) -> bool:
        """Print the errors of the folder (with ``only``, of that one file, and a count of the
        others); True when there were errors (in that file)."""
        from claimtrack.core.escape import visible
        from claimtrack.core.problem import Level

        errors = [p for p in dataset.problems if p.level is Level.ERROR]
        shown = errors if only is None else [p for p in errors if p.path == only]
        lines = [(visible(p.format()), "red") for p in shown[:SHOWN_PROBLEMS]]
        if len(shown) > SHOWN_PROBLEMS:
            more = len(shown) - SHOWN_PROBLEMS
            noun = "error" if more == 1 else "errors"
            lines.append((f"... and {more} more {noun}: run `claimtrack validate`", ""))
        others = len({p.path for p in errors} - {only}) if only is not None else 0
        if others:
            files = "file has" if others == 1 else "files have"
            lines.append((f"note: {others} other {files} errors: run `claimtrack validate`", ""))
        self.lines(lines, stderr=True)
        return bool(shown)


def report_exception(exc: BaseException) -> int:
    """One line ``error: ...`` on stderr for any failure; the exit code to use."""
    from claimtrack.core.errors import ClaimtrackError
    from claimtrack.core.escape import one_line

    if isinstance(exc, BrokenPipeError):
        quiet_stdout()
        return 0
    if isinstance(exc, ClaimtrackError):
        message, code = str(exc), exc.exit_code
    elif isinstance(exc, OSError):
        where = f": {exc.filename}" if exc.filename else ""
        message, code = f"{exc.strerror or exc}{where}", 2
    elif isinstance(exc, MemoryError | RecursionError):
        message, code = "input too large or too deeply nested to process", 1
    else:
        message = f"internal error ({type(exc).__name__}: {exc}); rerun with --debug and report it"
        code = 2
    try:
        sys.stderr.write(f"error: {one_line(message)}\n")
        sys.stderr.flush()
    except (OSError, ValueError):
        pass
    return code


def reword_cli_error(exc: BaseException) -> BaseException:
    """Click's and typer's own errors in claimtrack's words: a bad option value says what was
    wrong and the nearest right spelling (never ``Value error, ...``); an answer that never came
    (end of input) or ^C at a prompt ends with one line, not a bare ``Aborted!``."""

    import typer

    if isinstance(exc, typer.Abort):
        interrupted = isinstance(exc.__context__, KeyboardInterrupt)
        said = "interrupted" if interrupted else "error: no answer (end of input)"
        sys.stderr.write(f"{said}; nothing was written\n")
        return typer.Exit(130 if interrupted else 1)
    if not isinstance(exc, typer.BadParameter):
        return exc
    reworded = _reworded(exc.message, getattr(exc.param, "type", None))
    if reworded is not None:
        exc.message = reworded
    return exc


def _reworded(message: str, kind: Any) -> str | None:
    """Click's message for a value its type refused, in claimtrack's words; None when it is
    not one of those (then click's own stands)."""
    import re

    from claimtrack.core.wording import value_message

    found = re.match(r"'((?:[^'\\]|\\.)*)' is not|(\S+) is not in the range", message)
    if found is None:
        return None
    given = found.group(1) if found.group(1) is not None else found.group(2)
    choices = getattr(kind, "choices", None)
    if choices:
        names = [str(getattr(c, "value", c)) for c in choices]
        return value_message("enum", given, message, choices=names)
    if "valid int" in message:
        return value_message("int_parsing", given, message)
    if "valid float" in message:
        return value_message("float_parsing", given, message)
    low, high = getattr(kind, "min", None), getattr(kind, "max", None)
    if "range" in message and (low is not None or high is not None):
        try:
            number = float(given)
        except ValueError:
            return None
        shown = int(number) if number.is_integer() else number
        if low is not None and number < low:
            return value_message("greater_than_equal", shown, message, {"ge": low})
        return value_message("less_than_equal", shown, message, {"le": high})
    return None


def state_of(ctx: typer.Context) -> State:
    state = ctx.find_root().obj
    assert isinstance(state, State)
    return state


def emit(state: State, output: Any) -> None:
    """Data to stdout: strings (or an iterator of strings) as they are, UTF-8 bytes to the
    stream's buffer, styled lines as :meth:`State.lines` writes them, rich renderables through
    the stdout console."""
    if isinstance(output, bytes):
        buffer = getattr(sys.stdout, "buffer", None)
        if buffer is not None and codecs.lookup(sys.stdout.encoding or "ascii").name == "utf-8":
            sys.stdout.flush()
            buffer.write(output)
            buffer.flush()
            return
        output = output.decode("utf-8")  # to the stream's own encoding, as any text
    if isinstance(output, str):
        sys.stdout.write(output)
        sys.stdout.flush()
    elif isinstance(output, StyledLines):
        state.lines(output)
    elif isinstance(output, Iterator):
        for piece in output:
            sys.stdout.write(piece)
        sys.stdout.flush()
    else:
        state.console().print(output)


def quiet_stdout() -> None:
    """Point stdout at /dev/null once it has failed (a closed pipe, a full device)."""
    # Python flushes stdout at exit; point it at /dev/null so that flush cannot fail again.
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
    except (OSError, ValueError):
        pass
