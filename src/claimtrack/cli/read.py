"""Read-side commands: list, show, validate, stats, schema. Nothing here writes into claims/."""

from __future__ import annotations

import enum
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any

import typer

from claimtrack.cli.state import State
from claimtrack.render import ListFormat
from claimtrack.vocab import AttributionKind, Status

if TYPE_CHECKING:
    from claimtrack.load import Dataset


class ShowFormat(str, enum.Enum):
    TEXT = "text"
    JSON = "json"


class ValidateFormat(str, enum.Enum):
    TEXT = "text"
    JSON = "json"


class StatsFormat(str, enum.Enum):
    TABLE = "table"
    JSON = "json"


def _state(ctx: typer.Context) -> State:
    state = ctx.find_root().obj
    assert isinstance(state, State)
    return state


def _emit(state: State, output: Any) -> None:
    """Data to stdout: strings as they are, rich renderables through the stdout console."""
    if isinstance(output, str):
        sys.stdout.write(output)
        sys.stdout.flush()
    else:
        state.console().print(output)


def _split(values: list[str] | None) -> list[str]:
    """Repeatable options that also take comma-separated lists."""
    return [part.strip() for value in values or [] for part in value.split(",") if part.strip()]


def list_claims(
    ctx: typer.Context,
    status: list[Status] | None = typer.Option(
        None, "--status", "-s", help="Only claims with this effective status (repeatable)."
    ),
    tag: list[str] | None = typer.Option(
        None, "--tag", "-t", help="Only claims with this tag (repeatable: any of them)."
    ),
    attributed_to: str | None = typer.Option(
        None, "--attributed-to", "-a", help="Only claims whose speaker or via chain names this."
    ),
    kind: list[AttributionKind] | None = typer.Option(
        None, "--kind", "-k", help="Only claims whose speaker is of this kind (repeatable)."
    ),
    source: list[str] | None = typer.Option(
        None, "--source", help="Only claims that appear in or cite this source id (repeatable)."
    ),
    min_confidence: float | None = typer.Option(
        None, "--min-confidence", min=0.0, max=1.0, help="Only claims at least this likely."
    ),
    max_confidence: float | None = typer.Option(
        None, "--max-confidence", min=0.0, max=1.0, help="Only claims at most this likely."
    ),
    search: str | None = typer.Option(
        None,
        "--search",
        "-q",
        help="Text to find in statement, quote, attribution or notes (ignores case and accents).",
    ),
    sort: str = typer.Option(
        "status,id",
        "--sort",
        help="Sort keys, comma-separated, '-' for descending: status, id, confidence, "
        "attribution, date, path.",
    ),
    limit: int | None = typer.Option(None, "--limit", "-n", min=0, help="At most this many."),
    fmt: ListFormat = typer.Option(ListFormat.TABLE, "--format", "-f", help="Output format."),
) -> None:
    """List claims with their effective status, filtered and sorted."""
    from claimtrack.errors import UsageError
    from claimtrack.query import SORT_KEYS, Query, evaluate, select
    from claimtrack.render import list_renderer

    state = _state(ctx)
    keys = _split([sort])
    for key in keys:
        if key.lstrip("-") not in SORT_KEYS:
            raise UsageError(f"unknown sort key {key!r}; use one of: {', '.join(SORT_KEYS)}")
    query = Query(
        statuses=frozenset(status or ()),
        tags=frozenset(_split(tag)),
        attributed_to=attributed_to,
        kinds=frozenset(kind or ()),
        sources=frozenset(_split(source)),
        min_confidence=min_confidence,
        max_confidence=max_confidence,
        search=search,
        sort=tuple(keys) or ("status", "id"),
        limit=limit,
    )
    dataset = state.load()
    entries = select(evaluate(dataset), query)
    _emit(state, list_renderer(fmt)(entries))
    if state.report_load_errors(dataset):
        raise typer.Exit(1)


def _close_matches(dataset: Dataset, wanted: str) -> list[str]:
    import difflib

    ids = [r.id for r in dataset.claims]
    close = difflib.get_close_matches(wanted, ids, n=3, cutoff=0.5)
    close += [i for i in ids if wanted in i and i not in close]
    return close[:5]


def show(
    ctx: typer.Context,
    claim_id: str = typer.Argument(..., metavar="ID", help="The claim's id."),
    fmt: ShowFormat = typer.Option(ShowFormat.TEXT, "--format", "-f", help="Output format."),
) -> None:
    """Everything about one claim: quote, attribution chain, evidence, and why its status."""
    from claimtrack.errors import UsageError
    from claimtrack.escape import one_line
    from claimtrack.query import entry_of

    state = _state(ctx)
    dataset = state.load()
    entry = entry_of(dataset, claim_id)
    if entry is None:
        close = _close_matches(dataset, claim_id)
        hint = f"; did you mean: {', '.join(close)}?" if close else ""
        raise UsageError(f"no claim with id {one_line(claim_id)!r}{hint}")
    if fmt is ShowFormat.JSON:
        from claimtrack.render.show import show_record
        from claimtrack.render.json import dumps

        _emit(state, dumps(show_record(entry, dataset)) + "\n")
    else:
        from claimtrack.render.show import show_text

        _emit(state, show_text(entry, dataset))
    if state.report_load_errors(dataset):
        raise typer.Exit(1)


def validate(
    ctx: typer.Context,
    paths: list[Path] | None = typer.Argument(
        None, help="Files or folders to check [default: the claims folder]."
    ),
    fmt: ValidateFormat = typer.Option(ValidateFormat.TEXT, "--format", "-f", help="Output format."),
    strict: bool = typer.Option(False, "--strict", help="Treat warnings as errors (exit 1)."),
    quiet: bool = typer.Option(False, "--quiet", help="No summary line on stderr."),
) -> None:
    """Check claim and source files: PATH:LINE:COL: [level] FIELD: message (rule).

    Exit 0 when there are no errors, 1 when there are (or warnings, with --strict).
    """
    from claimtrack.problems import Level
    from claimtrack.validate import validate_paths

    state = _state(ctx)
    root = None if paths else state.claims_dir()
    if paths and state.directory:
        root = state.claims_dir()
    result = validate_paths(paths or [], root, cache=state.cache, progress=state.progress())
    if fmt is ValidateFormat.JSON:
        from claimtrack.render.json import dumps

        _emit(state, dumps(result.to_dict()) + "\n")
    else:
        from claimtrack.escape import one_line

        out = state.console()
        for problem in result.problems:
            style = "red" if problem.level is Level.ERROR else "yellow"
            from rich.text import Text

            out.print(Text(one_line(problem.format()), style=style), soft_wrap=True)
    if not quiet:
        state.say(result.summary(), style="bold")
    failed = result.errors or (strict and result.warnings)
    raise typer.Exit(1 if failed else 0)


def stats(
    ctx: typer.Context,
    fmt: StatsFormat = typer.Option(StatsFormat.TABLE, "--format", "-f", help="Output format."),
) -> None:
    """Counts by status, attribution kind, source and tag; the confidence distribution."""
    from claimtrack.query import evaluate
    from claimtrack.stats import compute

    state = _state(ctx)
    dataset = state.load()
    figures = compute(evaluate(dataset), dataset)
    if fmt is StatsFormat.JSON:
        from claimtrack.render.json import dumps

        _emit(state, dumps(figures) + "\n")
    else:
        from claimtrack.render.stats import stats_tables

        _emit(state, stats_tables(figures))
    if state.report_load_errors(dataset):
        raise typer.Exit(1)


class SchemaKind(str, enum.Enum):
    CLAIM = "claim"
    SOURCES = "sources"


def schema(
    kind: SchemaKind = typer.Argument(SchemaKind.CLAIM, help="Which file's schema."),
    write: Path | None = typer.Option(
        None, "--write", help="Write claim.schema.json and sources.schema.json into this folder."
    ),
) -> None:
    """Print the JSON Schema of claim files or source registries (for editors and CI)."""
    from claimtrack.render.json import dumps
    from claimtrack.schema import SCHEMA_FILES, build_schema

    if write is not None:
        from claimtrack.fsutil import atomic_write

        write.mkdir(parents=True, exist_ok=True)
        for name, which in SCHEMA_FILES.items():
            atomic_write(write / name, dumps(build_schema(which)) + "\n")
        return
    sys.stdout.write(dumps(build_schema(kind.value)) + "\n")
