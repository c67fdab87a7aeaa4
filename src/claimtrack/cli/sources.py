"""The registry's commands beyond add and rm: show a source, set one of its fields, archive
its text."""

from __future__ import annotations

import sys
from pathlib import Path

import typer

from claimtrack.cli.state import state_of
from claimtrack.cli.write import _refusals, _workspace
from claimtrack.render import ShowFormat


def source_show(
    ctx: typer.Context,
    source_id: str = typer.Argument(..., metavar="ID", help="The source's id."),
    fmt: ShowFormat = typer.Option(ShowFormat.TEXT, "--format", "-f", help="Output format."),
) -> None:
    """One source: its fields, its archived text's state, and the claims that cite it."""
    from claimtrack.core.errors import UsageError
    from claimtrack.edit.sources import archive_state, citing
    from claimtrack.io.files import display_path
    from claimtrack.render import renderer

    state = state_of(ctx)
    dataset = state.load()
    record = dataset.sources.get(source_id)
    if record is None:
        raise UsageError(f"no source with id {source_id!r}")
    render = renderer("source show", fmt)
    archive = archive_state(dataset.root, record.source)
    shown = display_path(Path(record.path))
    sys.stdout.write(render(record.source, citing(dataset, source_id), archive, shown))


def source_set(
    ctx: typer.Context,
    source_id: str = typer.Argument(..., metavar="ID", help="The source's id."),
    field: str = typer.Argument(..., metavar="FIELD", help="The field to set."),
    value: str = typer.Argument(..., metavar="VALUE", help="Its new value ('' removes it)."),
) -> None:
    """Change one field of a source (title, publisher, url, date, retrieved, kind, reliability,
    author, derived_from, text_sha256, language, notes); the rest of its file stays as it is."""
    from claimtrack.edit.sources import set_source_field
    from claimtrack.io.files import display_path

    state = state_of(ctx)
    with _refusals(state):
        path = set_source_field(_workspace(state), source_id, field, value)
    state.say(f"updated source {source_id} in {display_path(path)}")


def source_archive(
    ctx: typer.Context,
    source_id: str = typer.Argument(..., metavar="ID", help="The source's id."),
    where: str = typer.Argument(
        ..., metavar="FILE|URL", help="A file, or an http(s) URL to fetch."
    ),
    force: bool = typer.Option(
        False, "--force", help="Replace an archive that holds a different text."
    ),
) -> None:
    """Archive a source's text as claims/sources/ID.txt and register its text_sha256 and
    retrieved date. HTML (a page or a file) is reduced to the article's text; a URL is fetched
    with a 20 s timeout, an 8 MiB limit and at most 5 redirects, http(s) only."""
    from claimtrack.core.clock import today
    from claimtrack.edit.sources import archive_text, page_text, read_local
    from claimtrack.io.fetch import fetch
    from claimtrack.io.files import display_path

    state = state_of(ctx)
    if "://" in where:
        page = fetch(where)
        text = page_text(page.data, page.charset, page.is_html)
    else:
        text = page_text(read_local(Path(where)), None, Path(where).suffix in (".html", ".htm"))
    with _refusals(state):
        path, digest = archive_text(_workspace(state), source_id, text, today().isoformat(), force)
    state.say(f"archived {source_id}: {display_path(path)} (sha256 {digest[:12]}…)")
