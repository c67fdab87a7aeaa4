"""Read-side commands: list, show, validate, stats, schema. Nothing here writes into claims/."""

from __future__ import annotations

import enum
import sys
from pathlib import Path
from typing import TYPE_CHECKING

import typer

from claimtrack.cli import options
from claimtrack.cli.state import emit, state_of
from claimtrack.render import ListFormat, SearchFormat, ShowFormat, StatsFormat, ValidateFormat

if TYPE_CHECKING:
    from claimtrack.core.dataset import Dataset
    from claimtrack.core.query import Filters


@options.filter_options()
def list_claims(
    ctx: typer.Context,
    filters: Filters,
    sort: str = options.sort_option("status,id"),
    limit: int | None = options.LIMIT,
    fmt: ListFormat = typer.Option(ListFormat.TABLE, "--format", "-f", help="Output format."),
    explain: bool = typer.Option(
        False, "--explain", "-x", help="Add a column with the reasons for each status (table)."
    ),
) -> None:
    """List claims with their effective status, filtered and sorted.

    Stderr says when nothing matches (`0 of 40 claims match`), when --limit cut the list, and
    when a tag, source or speaker names nothing in the folder (with a did-you-mean).
    """
    from claimtrack.api import listing
    from claimtrack.core.query import build_query

    state = state_of(ctx)
    query = build_query(filters, sort=sort, limit=limit)
    dataset = state.load()
    listed = listing(dataset, query, fmt, explain=explain, terminal=state.terminal())
    # Before the output: a message on stderr would land in the middle of the pager's screen.
    errors = state.report_load_errors(dataset)
    options.tell(state, listed)
    state.page()
    emit(state, listed.output)
    if errors:
        raise typer.Exit(1)


@options.filter_options(search=False)
def search(
    ctx: typer.Context,
    text: str = typer.Argument(
        ...,
        metavar="TEXT",
        help="The words to find (all of them); 'mourn*' finds any word it begins.",
    ),
    filters: Filters = ...,  # type: ignore[assignment]
    sort: str | None = typer.Option(
        None,
        "--sort",
        metavar="KEY[,KEY]",
        help="Sort as `list` does [default: best match first].",
        show_default=False,
    ),
    limit: int | None = options.LIMIT,
    fmt: SearchFormat = typer.Option(
        SearchFormat.TEXT,
        "--format",
        "-f",
        help="Output format: text (the matches in context, highlighted on a terminal) or any "
        "format of `list`.",
    ),
) -> None:
    """Find claims by their words: statement, quote, notes, attribution and the titles of the
    sources they cite. Case and accents are ignored; the best matches (BM25) come first.

    Takes the filters of `list`. The index keeps the words (SQLite FTS5); --no-cache gives the
    same answer by reading every claim.
    """
    from claimtrack.api import search_claims, search_output
    from claimtrack.core.query import build_query
    from claimtrack.core.search import parse_terms

    state = state_of(ctx)
    terms = parse_terms(text)
    query = build_query(filters, sort=sort or "status,id", limit=limit)
    dataset = state.load()
    found, selection = search_claims(
        dataset, text, query, use_index=state.cache, by_rank=sort is None
    )
    errors = state.report_load_errors(dataset)  # before the output, as `list` does
    options.tell(state, selection)
    state.page()
    emit(
        state,
        search_output(
            found, fmt, terms, dataset, color=not state.plain(), terminal=state.terminal()
        ),
    )
    if errors:
        raise typer.Exit(1)


def _close_matches(dataset: Dataset, wanted: str) -> list[str]:
    import difflib

    ids = [r.id for r in dataset.claims]
    close = difflib.get_close_matches(wanted, ids, n=3, cutoff=0.5)
    close += [i for i in ids if wanted in i and i not in close]
    return close[:5]


def show(
    ctx: typer.Context,
    claim_id: str = options.CLAIM_ID,
    fmt: ShowFormat = typer.Option(ShowFormat.TEXT, "--format", "-f", help="Output format."),
) -> None:
    """Everything about one claim: quote, attribution chain, evidence, and why its status."""
    from claimtrack.core.errors import UsageError
    from claimtrack.core.escape import one_line
    from claimtrack.core.query import entry_of

    state = state_of(ctx)
    dataset = state.load(keep_claims=False)  # the one claim shown is read from its file
    entry = entry_of(dataset, claim_id)
    if entry is None:
        broken = [p for p in dataset.problems if Path(p.path).stem == claim_id]
        if broken:
            from claimtrack.core.errors import DataError

            state.report_load_errors(dataset)
            raise DataError(
                f"claim {one_line(claim_id)!r} cannot be shown: {broken[0].path} has errors"
            )
        close = _close_matches(dataset, claim_id)
        hint = f"; did you mean: {', '.join(close)}?" if close else ""
        raise UsageError(f"no claim with id {one_line(claim_id)!r}{hint}")
    errors = state.report_load_errors(dataset, only=entry.record.path)
    state.page()
    from claimtrack.render import renderer

    emit(state, renderer("show", fmt)(entry, dataset, state.terminal()))
    if errors:
        raise typer.Exit(1)


def validate(
    ctx: typer.Context,
    paths: list[Path] | None = typer.Argument(
        None, help="Files or folders to check [default: the claims folder]."
    ),
    fmt: ValidateFormat = typer.Option(
        ValidateFormat.TEXT, "--format", "-f", help="Output format."
    ),
    strict: bool = typer.Option(False, "--strict", help="Treat warnings as errors (exit 1)."),
    quiet: bool = typer.Option(False, "--quiet", help="No summary line on stderr."),
) -> None:
    """Check claim and source files: PATH:LINE:COL: [level] FIELD: message (rule).

    Exit 0 when there are no errors, 1 when there are (or warnings, with --strict).
    """
    from claimtrack.api import validate_paths
    from claimtrack.render import renderer

    state = state_of(ctx)
    root = None if paths else state.claims_dir()
    if paths and state.directory:
        root = state.claims_dir()
    result = validate_paths(paths or [], root, cache=state.cache, progress=state.progress())
    emit(state, renderer("validate", fmt)(result))
    if not quiet:
        state.say(result.summary(), style="bold")
    failed = result.errors or (strict and result.warnings)
    raise typer.Exit(1 if failed else 0)


def stats(
    ctx: typer.Context,
    fmt: StatsFormat = typer.Option(StatsFormat.TABLE, "--format", "-f", help="Output format."),
    top: int = typer.Option(
        25, "--top", min=0, help="Rows of the sources and tags tables (0: all; JSON has all)."
    ),
) -> None:
    """Counts by status, attribution kind, source and tag; the confidence distribution."""
    from claimtrack.api import figures
    from claimtrack.render import renderer

    state = state_of(ctx)
    counted, dataset = figures(state.load, use_index=state.cache)
    errors = state.report_load_errors(dataset)
    state.page()
    emit(state, renderer("stats", fmt)(counted, top))
    if errors:
        raise typer.Exit(1)


class SchemaKind(str, enum.Enum):
    CLAIM = "claim"
    SOURCES = "sources"
    REPORT = "report"


def schema(
    kind: SchemaKind = typer.Argument(SchemaKind.CLAIM, help="Which file's schema."),
    write: Path | None = typer.Option(
        None, "--write", help="Write claim, sources and report .schema.json files into this folder."
    ),
) -> None:
    """Print the JSON Schema of claim files, source registries or the JSON report."""
    from claimtrack.render.json import dumps
    from claimtrack.render.schema import SCHEMA_FILES, build_schema

    if write is not None:
        from claimtrack.io.atomic import atomic_write

        write.mkdir(parents=True, exist_ok=True)
        for name, which in SCHEMA_FILES.items():
            atomic_write(write / name, dumps(build_schema(which)) + "\n")
        return
    sys.stdout.write(dumps(build_schema(kind.value)) + "\n")
