"""Evidence commands: verify quotes, quantities over time, the claim graph, drafts from articles."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import TYPE_CHECKING

import typer

from claimtrack.cli import options
from claimtrack.cli.state import State, emit, state_of
from claimtrack.core.vocab import ArticleFormat
from claimtrack.render import GraphFormat, QuantitiesFormat, VerifyFormat

if TYPE_CHECKING:
    from claimtrack.core.dataset import Dataset
    from claimtrack.core.query import Filters


def verify(
    ctx: typer.Context,
    fmt: VerifyFormat = typer.Option(VerifyFormat.TEXT, "--format", "-f", help="Output format."),
    strict: bool = typer.Option(False, "--strict", help="Treat warnings as errors (exit 1)."),
    quiet: bool = typer.Option(False, "--quiet", help="No summary line on stderr."),
) -> None:
    """Find every claim's quote in the archived text of its source (sources/ID.txt).

    Exit 0 when every quote is found once, 1 on a missing quote or a changed archive.
    """
    from claimtrack.core.problem import Level
    from claimtrack.render import renderer
    from claimtrack.rules.quotes import verify as run_verify

    state = state_of(ctx)
    # What it reports is the pipeline's (the quote checks, the load errors): no claim is read,
    # so none is kept (a record of 100k claims' JSON would be most of the memory).
    dataset = state.load(keep_claims=False)
    result = run_verify(dataset)
    emit(state, renderer("verify", fmt)(result))
    errors = sum(p.level is Level.ERROR for p in result.problems)
    warnings = len(result.problems) - errors
    if not quiet:
        from claimtrack.core.wording import plural as _plural

        verdict = (
            f"{_plural(errors, 'error')}, {_plural(warnings, 'warning')}"
            if result.problems
            else "ok"
        )
        state.say(
            f"{verdict}: {_plural(result.quotes, 'quote')} checked against "
            f"{_plural(result.texts, 'archived text')}",
            style="bold",
        )
    failed = errors or (strict and warnings) or state.report_load_errors(dataset)
    raise typer.Exit(1 if failed else 0)


def quantities(
    ctx: typer.Context,
    measure: list[str] | None = typer.Option(
        None, "--measure", "-m", help="Only this measure (repeatable)."
    ),
    fmt: QuantitiesFormat = typer.Option(
        QuantitiesFormat.CHART, "--format", "-f", help="Output format."
    ),
) -> None:
    """Each measure's quantities as a timeline, with a small bar chart (units normalised)."""
    from claimtrack.core.query import evaluate
    from claimtrack.core.timeline import build_timeline
    from claimtrack.render import renderer

    state = state_of(ctx)
    dataset = state.load()
    series = build_timeline(evaluate(dataset))
    if measure:
        series = [s for s in series if s.measure in set(measure)]
    state.page()
    emit(state, renderer("quantities", fmt)(series, state.terminal()))
    if state.report_load_errors(dataset):
        raise typer.Exit(1)


@options.filter_options()
def graph(
    ctx: typer.Context,
    fmt: GraphFormat = typer.Option(GraphFormat.DOT, "--format", "-f", help="Output format."),
    filters: Filters = ...,  # type: ignore[assignment]
) -> None:
    """Claims, sources and parties with supports/refutes/disputes edges, coloured by status."""
    from claimtrack.core.graph import build_graph
    from claimtrack.core.query import build_query, select_claims
    from claimtrack.render import renderer

    state = state_of(ctx)
    query = build_query(filters, sort="id")
    dataset = state.load()
    selection = select_claims(dataset, query)
    emit(state, renderer("graph", fmt)(build_graph(selection.entries, dataset)))
    options.tell(state, selection)
    if state.report_load_errors(dataset):
        raise typer.Exit(1)


def extract(
    ctx: typer.Context,
    article: str = typer.Argument(..., metavar="ARTICLE", help="The article file, or - for stdin."),
    source: str | None = typer.Option(
        None, "--source", help="The source id the drafts appear in [default: from the file name]."
    ),
    input_format: ArticleFormat = typer.Option(
        ArticleFormat.AUTO, "--input-format", "-i", help="How to read the article."
    ),
    into: Path | None = typer.Option(
        None, "--into", help="Write one draft file per claim into this folder (never overwrites)."
    ),
    score: bool = typer.Option(
        False, "--score", help="Compare the drafts with the claims folder's claims of that source."
    ),
) -> None:
    """Draft claims from an article (text, Markdown or HTML): YAML for a person to review."""
    import re

    from claimtrack.core.errors import UsageError
    from claimtrack.core.wording import plural
    from claimtrack.edit.drafts import drafts_stream, write_drafts
    from claimtrack.io.extract import extract as run_extract

    state = state_of(ctx)
    if article == "-":
        text, stem = sys.stdin.read(), "article"
    else:
        path = Path(article)
        if not path.is_file():
            raise UsageError(f"{article}: no such file")
        text, stem = path.read_text(encoding="utf-8-sig", errors="replace"), path.stem
    source_id = source or (re.sub(r"[^a-z0-9]+", "-", stem.lower()).strip("-")[:100] or "article")
    dataset = _optional_dataset(state)
    registry = {sid: rec.source for sid, rec in dataset.sources.items()} if dataset else {}
    taken: set[str] = set()
    if into is not None:
        if into.exists() and not into.is_dir():
            raise UsageError(f"{into} is not a folder")
        taken = {p.stem for p in into.glob("*.y*ml")} if into.is_dir() else set()
    if dataset is not None:
        taken |= {record.claim.id for record in dataset.claims}
    result = run_extract(text, source_id, input_format, registry, taken)
    drafted = [d.claim for d in result.drafts]
    if into is None:
        emit(state, drafts_stream(drafted))
    else:
        done = write_drafts(into, drafted, dataset.root if dataset is not None else None)
        for path in done.skipped:
            state.say(f"skipped {path.stem}: a file of that name exists", style="yellow")
        state.say(f"wrote {plural(len(done.written), 'draft')} into {into}")
    skipped = sum(1 for b in result.blocks if b.furniture)
    state.say(
        f"{plural(len(result.drafts), 'draft')}; {plural(skipped, 'block')} of page furniture "
        "skipped"
    )
    if score:
        from claimtrack.io.extract import score as run_score

        claims = [
            r.claim.quote
            for r in (dataset.claims if dataset else [])
            if r.claim.appears_in == source_id and r.claim.quote
        ]
        if not claims:
            raise UsageError(f"no claims with a quote appear in {source_id!r} to compare with")
        figures = run_score([d.claim.quote or "" for d in result.drafts], claims, text)
        state.say(
            f"precision {figures.precision:.2f} ({figures.matched_drafts}/{figures.drafts} "
            f"drafts match a claim), recall {figures.recall:.2f} ({figures.matched_claims}/"
            f"{figures.claims} claims found)"
        )


def _optional_dataset(state: State) -> Dataset | None:
    """The claims folder's dataset when there is one (drafts are checked against it)."""
    from claimtrack.core.errors import UsageError

    try:
        return state.load()
    except UsageError:
        return None
