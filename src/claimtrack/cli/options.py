"""The filter options every claim-selecting command shares (`list`, `search`, `export`,
`graph`): declared once and added by :func:`filter_options`, so the commands cannot drift apart.
The Query they describe is built (and checked) by :func:`claimtrack.core.query.build_query`."""

from __future__ import annotations

import functools
import inspect
from collections.abc import Callable
from typing import TYPE_CHECKING, Any, TypeVar

import typer

from claimtrack.cli import complete
from claimtrack.core.wording import split

__all__ = [
    "CLAIM_ID",
    "LIMIT",
    "SEARCH",
    "SOURCE_ID",
    "filter_options",
    "sort_option",
    "split",
    "tell",
]

if TYPE_CHECKING:
    from claimtrack.api import Listing
    from claimtrack.cli.state import State
    from claimtrack.core.query import Selection

F = TypeVar("F", bound=Callable[..., Any])
_KEYWORD = inspect.Parameter.POSITIONAL_OR_KEYWORD  # typer passes every parameter by name

#: The shared filters: (parameter, its type, the typer option). Repeatable ones are lists.
_FILTERS: tuple[tuple[str, Any, Any], ...] = (
    (
        "status",
        list[str] | None,
        typer.Option(
            None,
            "--status",
            "-s",
            metavar="STATUS[,STATUS]",
            help="Only claims of these effective statuses: contested, refuted, unsourced, "
            "sourced (repeat or comma-separate).",
            autocompletion=complete.statuses,
        ),
    ),
    (
        "tag",
        list[str] | None,
        typer.Option(
            None,
            "--tag",
            "-t",
            metavar="TAG[,TAG]",
            help="Only claims with any of these tags.",
            autocompletion=complete.tags,
        ),
    ),
    (
        "attributed_to",
        str | None,
        typer.Option(
            None,
            "--attributed-to",
            "-a",
            metavar="NAME",
            help="Only claims whose speaker or via chain names this (ignores case and accents).",
        ),
    ),
    (
        "kind",
        list[str] | None,
        typer.Option(
            None,
            "--kind",
            "-k",
            metavar="KIND[,KIND]",
            help="Only claims whose speaker is of these kinds: official, government, "
            "organization, media, expert, anonymous, document, author.",
            autocompletion=complete.kinds,
        ),
    ),
    (
        "source",
        list[str] | None,
        typer.Option(
            None,
            "--source",
            metavar="ID[,ID]",
            help="Only claims that appear in or cite any of these source ids.",
            autocompletion=complete.sources,
        ),
    ),
    (
        "min_confidence",
        str | None,
        typer.Option(
            None,
            "--min-confidence",
            metavar="0..1|WORD",
            help="Only claims at least this likely: a number 0..1 or an ICD 203 word "
            "('likely' is 0.55 and above).",
            autocompletion=complete.likelihood_words,
        ),
    ),
    (
        "max_confidence",
        str | None,
        typer.Option(
            None,
            "--max-confidence",
            metavar="0..1|WORD",
            help="Only claims at most this likely: a number 0..1 or an ICD 203 word "
            "('unlikely' is 0.45 and below).",
            autocompletion=complete.likelihood_words,
        ),
    ),
)

SEARCH: str | None = typer.Option(
    None,
    "--search",
    "-q",
    metavar="TEXT",
    help="Only claims whose statement, quote, attribution or notes contain this text (ignores "
    "case and accents).",
)
#: The claim-id argument of every command about one claim (completed from the index).
CLAIM_ID: str = typer.Argument(
    ..., metavar="ID", help="The claim's id.", autocompletion=complete.claim_ids
)
SOURCE_ID: str = typer.Argument(
    ..., metavar="ID", help="The source's id.", autocompletion=complete.sources
)
LIMIT: int | None = typer.Option(
    None, "--limit", "-n", metavar="N", help="At most this many (stderr says of how many)."
)


def sort_option(default: str) -> Any:
    return typer.Option(
        default,
        "--sort",
        metavar="KEY[,KEY]",
        help="Sort keys, '-' before one for descending: status, id, confidence, attribution, "
        f"date, path [default: {default}].",
        show_default=False,
    )


def filter_options(search: bool = True) -> Callable[[F], F]:
    """Give a command the shared filters in place of its ``filters`` parameter: it is called
    with them gathered into one :class:`~claimtrack.core.query.Filters`. ``search=False`` leaves
    out ``--search`` (for ``search``, whose argument is the text)."""

    def decorate(func: F) -> F:
        shared = list(_FILTERS) + ([("search", str | None, SEARCH)] if search else [])
        names = [name for name, _, _ in shared]
        signature = inspect.signature(func)
        params: list[inspect.Parameter] = []
        for param in signature.parameters.values():
            if param.name != "filters":
                params.append(param)
                continue
            params += [
                inspect.Parameter(name, _KEYWORD, default=opt, annotation=t)
                for name, t, opt in shared
            ]

        @functools.wraps(func)
        def command(*args: Any, **kwargs: Any) -> Any:
            from claimtrack.core.query import Filters

            values = {name: kwargs.pop(name, None) for name in names}
            kwargs["filters"] = Filters(
                statuses=values["status"] or (),
                tags=values["tag"] or (),
                attributed_to=values["attributed_to"],
                kinds=values["kind"] or (),
                sources=values["source"] or (),
                min_confidence=values["min_confidence"],
                max_confidence=values["max_confidence"],
                search=values.get("search"),
            )
            return func(*args, **kwargs)

        annotations = {k: v for k, v in func.__annotations__.items() if k != "filters"}
        command.__annotations__ = annotations | {name: t for name, t, _ in shared}
        command.__signature__ = signature.replace(parameters=params)  # type: ignore[attr-defined]
        return command  # type: ignore[return-value]

    return decorate


def tell(state: State, selection: Selection | Listing) -> None:
    """What a person should know about a selection, on stderr: each filter value that names
    nothing known (with a did-you-mean), an empty result, a result cut by ``--limit``."""
    for message in selection.unknown:
        state.say(f"note: {message}", style="yellow")
    summary = selection.summary()
    if summary is not None:
        state.say(summary)
