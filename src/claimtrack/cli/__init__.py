"""The command line: options in, core calls, a renderer, an exit code out.

Only typer and the light vocabulary modules are imported at start-up; each command imports the
core (pydantic models, YAML, renderers) when it runs, so ``claimtrack --help`` stays fast.
"""

from __future__ import annotations

import contextlib
import os
import sys
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


def _register() -> None:
    from claimtrack.cli import io, read, report

    app.command("list", cls=PlainCommand, epilog=examples("list"))(read.list_claims)
    app.command("search", cls=PlainCommand, epilog=examples("search"))(read.search)
    app.command("show", cls=PlainCommand, epilog=examples("show"))(read.show)
    app.command("validate", cls=PlainCommand, epilog=examples("validate"))(read.validate)
    app.command("stats", cls=PlainCommand, epilog=examples("stats"))(read.stats)
    app.command("schema", cls=PlainCommand, epilog=examples("schema"))(read.schema)
    app.command("report", cls=PlainCommand, epilog=examples("report"))(report.report)
    app.command("rules", cls=PlainCommand, epilog=examples("rules"))(report.rules)
    app.command("export", cls=PlainCommand, epilog=examples("export"))(io.export_claims)
    app.command("import", cls=PlainCommand, epilog=examples("import"))(io.import_claims)
    _register_write()


def _register_write() -> None:
    from claimtrack.cli import history, write

    app.command("init", cls=PlainCommand, epilog=examples("init"))(write.init)
    app.command("add", cls=PlainCommand, epilog=examples("add"))(write.add)
    app.command("edit", cls=PlainCommand, epilog=examples("edit"))(write.edit)
    app.command("set", cls=PlainCommand, epilog=examples("set"))(write.set_value)
    write.evidence_app.command("add", cls=PlainCommand, epilog=examples("evidence add"))(
        write.evidence_add
    )
    app.add_typer(write.evidence_app, name="evidence")
    app.command("dispute", cls=PlainCommand, epilog=examples("dispute"))(write.dispute)
    write.source_app.command("add", cls=PlainCommand, epilog=examples("source add"))(
        write.source_add
    )
    write.source_app.command("rm", cls=PlainCommand, epilog=examples("source rm"))(write.source_rm)
    from claimtrack.cli import sources

    for name, command in (
        ("show", sources.source_show),
        ("set", sources.source_set),
        ("archive", sources.source_archive),
    ):
        write.source_app.command(name, cls=PlainCommand, epilog=examples(f"source {name}"))(command)
    app.add_typer(write.source_app, name="source")
    app.command("rm", cls=PlainCommand, epilog=examples("rm"))(write.rm)
    app.command("mv", cls=PlainCommand, epilog=examples("mv"))(write.mv)
    app.command("fmt", cls=PlainCommand, epilog=examples("fmt"))(write.fmt)
    app.command("log", cls=PlainCommand, epilog=examples("log"))(history.log)
    app.command("diff", cls=PlainCommand, epilog=examples("diff"))(history.diff)

    from claimtrack.cli import evidence

    app.command("verify", cls=PlainCommand, epilog=examples("verify"))(evidence.verify)
    app.command("quantities", cls=PlainCommand, epilog=examples("quantities"))(evidence.quantities)
    app.command("graph", cls=PlainCommand, epilog=examples("graph"))(evidence.graph)
    app.command("extract", cls=PlainCommand, epilog=examples("extract"))(evidence.extract)

    from claimtrack.cli import review

    app.command("review", cls=PlainCommand, epilog=examples("review"))(review.review)


_register()


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
