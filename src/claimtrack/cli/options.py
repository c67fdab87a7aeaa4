"""The filter options every claim-selecting command shares (`list`, `export`, `graph`), and the
Query they build: one definition, so the commands cannot drift apart."""

from __future__ import annotations

from typing import TYPE_CHECKING

import typer

from claimtrack.core.vocab import AttributionKind, Status

if TYPE_CHECKING:
    from claimtrack.core.query import Query

STATUS: list[Status] | None = typer.Option(
    None, "--status", "-s", help="Only claims with this effective status (repeatable)."
)
TAG: list[str] | None = typer.Option(
    None, "--tag", "-t", help="Only claims with this tag (repeatable: any of them)."
)
ATTRIBUTED_TO: str | None = typer.Option(
    None, "--attributed-to", "-a", help="Only claims whose speaker or via chain names this."
)
KIND: list[AttributionKind] | None = typer.Option(
    None, "--kind", "-k", help="Only claims whose speaker is of this kind (repeatable)."
)
SOURCE: list[str] | None = typer.Option(
    None, "--source", help="Only claims that appear in or cite this source id (repeatable)."
)
MIN_CONFIDENCE: float | None = typer.Option(
    None, "--min-confidence", min=0.0, max=1.0, help="Only claims at least this likely."
)
MAX_CONFIDENCE: float | None = typer.Option(
    None, "--max-confidence", min=0.0, max=1.0, help="Only claims at most this likely."
)
SEARCH: str | None = typer.Option(
    None,
    "--search",
    "-q",
    help="Text to find in statement, quote, attribution or notes (ignores case and accents).",
)
LIMIT: int | None = typer.Option(None, "--limit", "-n", min=0, help="At most this many.")


def split(values: list[str] | None) -> list[str]:
    """Repeatable options that also take comma-separated lists."""
    return [part.strip() for value in values or [] for part in value.split(",") if part.strip()]


def build_query(
    *,
    status: list[Status] | None,
    tag: list[str] | None,
    attributed_to: str | None,
    kind: list[AttributionKind] | None,
    source: list[str] | None,
    min_confidence: float | None = None,
    max_confidence: float | None = None,
    search: str | None = None,
    sort: str = "status,id",
    limit: int | None = None,
) -> Query:
    """The Query the shared options describe; an unknown sort key is a usage error."""
    from claimtrack.core.errors import UsageError
    from claimtrack.core.query import SORT_KEYS, Query

    keys = split([sort])
    for key in keys:
        if key.lstrip("-") not in SORT_KEYS:
            raise UsageError(f"unknown sort key {key!r}; use one of: {', '.join(SORT_KEYS)}")
    return Query(
        statuses=frozenset(status or ()),
        tags=frozenset(split(tag)),
        attributed_to=attributed_to,
        kinds=frozenset(kind or ()),
        sources=frozenset(split(source)),
        min_confidence=min_confidence,
        max_confidence=max_confidence,
        search=search,
        sort=tuple(keys) or ("status", "id"),
        limit=limit,
    )
