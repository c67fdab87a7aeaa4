"""The command line: options in, core calls, a renderer, an exit code out.

Only typer and the light vocabulary modules are imported at start-up; each command imports the
core (pydantic models, YAML, renderers) when it runs, so ``claimtrack --help`` stays fast.
"""

from __future__ import annotations

import contextlib
import os
import sys
from collections.abc import Iterator, MutableMapping
from typing import Any

import typer
from typer.core import TyperGroup

from claimtrack.cli.help import PlainCommand, examples, plain_metavars
from claimtrack.cli.state import Color, State, quiet_stdout
from claimtrack.core.version import __version__


class ClaimtrackGroup(TyperGroup):
    """Turns every failure inside a command into one line on stderr and an exit code."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        plain_metavars(self.params)
        self.commands = LazyCommands(self.commands)

    def list_commands(self, ctx: Any) -> list[str]:
        return list(self.commands)  # the names: no command is made to list them

    def make_context(self, *args: Any, **kwargs: Any) -> Any:
        try:
            return super().make_context(*args, **kwargs)
        except Exception as exc:  # the global options' values (--color)
            if _is_cli_control(exc):
                from claimtrack.cli.state import reword_cli_error

                raise reword_cli_error(exc) from None
            raise

    def invoke(self, ctx: Any) -> Any:
        try:
            return super().invoke(ctx)
        except Exception as exc:  # the single place where errors become exit codes
            if _is_cli_control(exc):
                from claimtrack.cli.state import reword_cli_error

                raise reword_cli_error(exc) from None
            state = ctx.obj if isinstance(ctx.obj, State) else None
            if state is not None and state.debug:
                raise
            from claimtrack.cli.state import report_exception

            code = report_exception(exc)
            raise typer.Exit(code) from None


def _is_cli_control(exc: BaseException) -> bool:
    """Click's own exceptions (usage errors, Exit, Abort) keep their meaning."""
    module = type(exc).__module__
    return module.startswith(("click", "typer"))


app = typer.Typer(
    cls=ClaimtrackGroup,
    name="claimtrack",
    help="Track claims and their evidence; list, validate and report contested versus sourced "
    "claims.",
    no_args_is_help=True,
    add_completion=True,
    rich_markup_mode=None,
    pretty_exceptions_enable=False,
    context_settings={"help_option_names": ["-h", "--help"]},
)


def _version(value: bool) -> None:
    if value:
        typer.echo(f"claimtrack {__version__}")
        raise typer.Exit()


@app.callback()
def root(
    ctx: typer.Context,
    directory: str | None = typer.Option(
        None,
        "--dir",
        "-d",
        metavar="DIR",
        envvar="CLAIMTRACK_DIR",
        help="The claims folder [default: ./claims, else the nearest claims/ upward].",
        show_envvar=True,
    ),
    color: Color = typer.Option(
        Color.AUTO, "--color", help="Colour: auto (on a terminal, unless NO_COLOR is set)."
    ),
    debug: bool = typer.Option(False, "--debug", help="Show the traceback of an error."),
    no_cache: bool = typer.Option(
        False,
        "--no-cache",
        envvar="CLAIMTRACK_NO_CACHE",
        show_envvar=True,
        help="Read every file, without the index kept in the cache folder.",
    ),
    no_pager: bool = typer.Option(
        False,
        "--no-pager",
        help="Do not page terminal output [default: $CLAIMTRACK_PAGER, $PAGER or less -FRX].",
    ),
    version: bool = typer.Option(
        False, "--version", "-V", callback=_version, is_eager=True, help="Print the version."
    ),
) -> None:
    """claimtrack: claims and evidence for fact-checkers."""
    ctx.obj = State(
        directory=directory, color=color, debug=debug, cache=not no_cache, pager=not no_pager
    )


#: Every command: its name, and the module of ``claimtrack.cli`` and the function it runs, in
#: the order ``--help`` lists them. A command is made (its module imported, its options turned
#: into click parameters) only when it runs or is listed: a warm command does not pay for the
#: other thirty.
COMMANDS: dict[str, tuple[str, str]] = {
    "list": ("read", "list_claims"),
    "search": ("read", "search"),
    "show": ("read", "show"),
    "validate": ("read", "validate"),
    "stats": ("read", "stats"),
    "schema": ("read", "schema"),
    "report": ("report", "report"),
    "rules": ("report", "rules"),
    "export": ("io", "export_claims"),
    "import": ("io", "import_claims"),
    "init": ("write", "init"),
    "add": ("write", "add"),
    "edit": ("write", "edit"),
    "set": ("write", "set_value"),
    "dispute": ("write", "dispute"),
    "rm": ("write", "rm"),
    "mv": ("write", "mv"),
    "fmt": ("write", "fmt"),
    "log": ("history", "log"),
    "diff": ("history", "diff"),
    "verify": ("evidence", "verify"),
    "quantities": ("evidence", "quantities"),
    "graph": ("evidence", "graph"),
    "extract": ("evidence", "extract"),
    "review": ("review", "review"),
}
#: The command groups (listed after the commands): each sub-command's module and function.
GROUPS: dict[str, dict[str, tuple[str, str]]] = {
    "evidence": {"add": ("write", "evidence_add")},
    "source": {
        "add": ("write", "source_add"),
        "rm": ("write", "source_rm"),
        "show": ("sources", "source_show"),
        "set": ("sources", "source_set"),
        "archive": ("sources", "source_archive"),
    },
}


def _callback(module: str, name: str) -> Any:
    # The import statement's own machinery (importlib.import_module bypasses it, and with it
    # the log of ``python -X importtime``).
    __import__(f"claimtrack.cli.{module}")
    return getattr(sys.modules[f"claimtrack.cli.{module}"], name)


def _make(name: str) -> Any:
    """The click command (or group) called ``name``, made as ``app.command`` would make it."""
    import typer.main
    from typer.models import CommandInfo, TyperInfo

    made = {"pretty_exceptions_short": app.pretty_exceptions_short}
    if name in COMMANDS:
        info = CommandInfo(
            name=name, cls=PlainCommand, epilog=examples(name), callback=_callback(*COMMANDS[name])
        )
        return typer.main.get_command_from_info(info, rich_markup_mode=app.rich_markup_mode, **made)
    from claimtrack.cli import write

    group = {"evidence": write.evidence_app, "source": write.source_app}[name]
    if not group.registered_commands:
        for sub, where in GROUPS[name].items():
            group.command(sub, cls=PlainCommand, epilog=examples(f"{name} {sub}"))(
                _callback(*where)
            )
    return typer.main.get_group_from_info(
        TyperInfo(group, name=name),
        rich_markup_mode=app.rich_markup_mode,
        suggest_commands=app.suggest_commands,
        **made,
    )


class LazyCommands(MutableMapping[str, Any]):
    """The group's commands by name, each made when first looked up (see :data:`COMMANDS`)."""

    def __init__(self, made: MutableMapping[str, Any]) -> None:
        self._made = dict(made)
        self._names = [
            *COMMANDS,
            *GROUPS,
            *(n for n in made if n not in COMMANDS and n not in GROUPS),
        ]

    def __getitem__(self, name: str) -> Any:
        command = self._made.get(name)
        if command is None:
            if name not in COMMANDS and name not in GROUPS:
                raise KeyError(name)
            command = self._made[name] = _make(name)
        return command

    def __setitem__(self, name: str, command: Any) -> None:
        if name not in self._made and name not in self._names:
            self._names.append(name)
        self._made[name] = command

    def __delitem__(self, name: str) -> None:
        self._names.remove(name)
        self._made.pop(name, None)

    def __iter__(self) -> Iterator[str]:
        return iter(list(self._names))

    def __len__(self) -> int:
        return len(self._names)

    def __contains__(self, name: object) -> bool:
        return name in self._names


def main() -> None:
    """The console script: a broken pipe (``| head``) ends quietly; ^C exits 130. It ends the
    process (see :func:`_exit_now`): programs that embed claimtrack call ``app`` instead."""
    import gc

    # A command is one short bulk job: it builds thousands of claims that live until it exits,
    # and the cyclic collector rescanning them costs up to a third of the run (memory is freed
    # by reference counting; the models hold no cycles).
    gc.disable()
    _guard_streams()
    try:
        app(prog_name="claimtrack")
    except BrokenPipeError:
        quiet_stdout()
        _end_pager()
        sys.exit(0)
    except KeyboardInterrupt:
        _end_pager()
        sys.stderr.write("interrupted\n")
        sys.exit(130)
    except SystemExit as done:  # how typer ends every command
        _exit_now(done.code)


def _guard_streams() -> None:
    """A console that cannot encode a character gets ``\\uXXXX`` (valid in JSON, where
    ``\\xe9`` is not); in a GitHub Actions step, no line of output can start a workflow
    command."""
    import codecs

    from claimtrack.core.escape import unencodable_as_json
    from claimtrack.io.streams import WorkflowSafeStream, reaches_ci_log

    codecs.register_error("claimtrack-json", unencodable_as_json)
    for stream in (sys.stdout, sys.stderr):
        reconfigure = getattr(stream, "reconfigure", None)
        if reconfigure is not None:  # a non-UTF-8 console degrades instead of crashing
            reconfigure(errors="claimtrack-json")
    if reaches_ci_log(sys.stdout):
        sys.stdout = WorkflowSafeStream(sys.stdout)
    if reaches_ci_log(sys.stderr):
        sys.stderr = WorkflowSafeStream(sys.stderr)


def _exit_now(code: object) -> None:
    """End the process once its output is flushed, without tearing the interpreter down: a
    command's claims, models and modules would be freed one by one, which costs up to a tenth
    of a warm command (0.03 s at 10k claims). Nothing is left to do at exit: pools, progress
    bars and index connections are closed by then, and every write is atomic or flushed.
    Under a profiler, coverage or a debugger the process exits as usual."""
    if code is None:
        status = 0
    elif isinstance(code, int):
        status = code
    else:  # sys.exit("message"), as Python itself would print it
        sys.stderr.write(f"{code}\n")
        status = 1
    try:
        sys.stdout.flush()
    except BrokenPipeError:
        quiet_stdout()
    except (OSError, ValueError) as exc:
        sys.stderr.write(f"error: cannot write the output: {getattr(exc, 'strerror', exc)}\n")
        status = status or 1
    _end_pager()
    with contextlib.suppress(OSError, ValueError):
        sys.stderr.flush()
    if _observed():
        sys.exit(status)  # a profiler, coverage or a debugger still has its results to write
    os._exit(status)


def _end_pager() -> None:
    """Wait for the pager, if one runs: the shell prompt comes back when the person quits it."""
    if "claimtrack.cli.pager" in sys.modules:
        from claimtrack.cli import pager

        pager.finish()


def _observed() -> bool:
    """Whether a profiler, a tracer or (Python 3.12+) a monitoring tool is attached."""
    if sys.getprofile() is not None or sys.gettrace() is not None:
        return True
    monitoring = getattr(sys, "monitoring", None)
    return monitoring is not None and any(monitoring.get_tool(i) is not None for i in range(6))
