"""Interoperability commands: export (ClaimReview, CSV, JSON Lines, STIX) and import."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import TYPE_CHECKING

import typer

from claimtrack.cli import options
from claimtrack.cli.state import state_of
from claimtrack.core.wording import plural
from claimtrack.interop import ExportFormat, ImportFormat

if TYPE_CHECKING:
    from claimtrack.core.query import Filters


@options.filter_options()
def export_claims(
    ctx: typer.Context,
    fmt: ExportFormat = typer.Option(..., "--format", "-f", help="Output format."),
    output: Path | None = typer.Option(
        None,
        "--output",
        "-o",
        metavar="FILE",
        help="Write to this file (replaced atomically; a FIFO or device: in place) instead of "
        "stdout.",
    ),
    filters: Filters = ...,  # type: ignore[assignment]
    sort: str = options.sort_option("id"),
    limit: int | None = options.LIMIT,
) -> None:
    """Export claims as ClaimReview JSON-LD, CSV, JSON Lines or a STIX 2.1 bundle.

    ClaimReview refuses claims without a verdict (or its url) and unsourced ones, one line each
    on stderr. Exit 1 when a claim was refused or the folder has invalid files.
    """
    from claimtrack.core.query import build_query, select_claims
    from claimtrack.interop import exporter
    from claimtrack.io.archive import archived_texts

    state = state_of(ctx)
    query = build_query(filters, sort=sort, limit=limit)
    dataset = state.load()
    selection = select_claims(dataset, query)
    entries = selection.entries
    sources = {sid: rec.source for sid, rec in dataset.sources.items()}
    archives = archived_texts(dataset.root) if fmt is ExportFormat.JSONL else None
    result = exporter(fmt)(entries, sources, archives)
    if output is not None:
        from claimtrack.io.atomic import write_output

        write_output(output, result.text)
    else:
        sys.stdout.write(result.text)
        sys.stdout.flush()
    for refusal in result.refused:
        state.say(refusal.format(), style="yellow")
    where = f" to {output}" if output is not None else ""
    refused = f"; {len(result.refused)} refused" if result.refused else ""
    options.tell(state, selection)
    state.say(f"exported {plural(result.exported, 'claim')} as {fmt.value}{where}{refused}")
    if state.report_load_errors(dataset) or result.refused:
        raise typer.Exit(1)


def import_claims(
    ctx: typer.Context,
    file: Path = typer.Argument(..., metavar="FILE", help="The file to import."),
    fmt: ImportFormat | None = typer.Option(
        None,
        "--format",
        "-f",
        help="Input format [default: from the suffix: .jsonld/.json claimreview, .csv, .jsonl].",
    ),
    write: bool = typer.Option(
        False, "--write", help="Create the files (without it: a dry run that lists them)."
    ),
    show: bool = typer.Option(False, "--show", help="Also print the text of every new file."),
) -> None:
    """Import claims and sources from ClaimReview JSON-LD, CSV or JSON Lines.

    A dry run unless --write. Records already in the folder (same review URL, or a statement at
    least 90% alike) are merged, not duplicated; records that cannot become a valid claim are
    skipped, one line each on stderr. Exit 1 when a record was skipped.
    """
    from claimtrack.core.errors import UsageError
    from claimtrack.interop import SUFFIXES, importer
    from claimtrack.interop.plan import plan_import, write_plan
    from claimtrack.interop.safety import read_limited
    from claimtrack.io.files import display_path

    state = state_of(ctx)
    if fmt is None:
        fmt = SUFFIXES.get(file.suffix.lower())
        if fmt is None:
            raise UsageError(f"cannot tell the format of {file.name}; pass --format")
    text = read_limited(file)
    parsed = importer(fmt)(text, file.name)
    dataset = state.load()
    plan = plan_import(parsed, dataset)
    verb = "create" if write else "would create"
    if write:
        write_plan(plan)
    from claimtrack.core.escape import one_line, visible

    out = []
    for planned in plan.files:
        shown = f"{verb} {display_path(planned.path)}  ({planned.kind} from {planned.origin})"
        out.append(one_line(shown))
        if show:  # the file as it will be, with any control or bidi character made visible
            out.append(visible(planned.text))
    out += [one_line(merge.format()) for merge in plan.merges]
    out += [one_line(apart.format_apart()) for apart in plan.apart]
    if out:
        sys.stdout.write("\n".join(out) + "\n")
        sys.stdout.flush()
    for skipped in plan.skipped:
        state.say(skipped.format(), style="yellow")
    state.say(plan.summary() + ("" if write else " (dry run: pass --write to create them)"))
    if plan.skipped:
        raise typer.Exit(1)
