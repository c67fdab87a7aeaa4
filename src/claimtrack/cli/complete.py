"""Shell completion of option values and arguments: statuses, kinds and likelihood words from
the vocabulary; claim ids, tags and source ids from the claims folder's index.

Typer calls these only while completing (``_CLAIMTRACK_COMPLETE`` is set), so nothing here is
imported beyond the vocabulary until a shell asks; a folder that cannot be read completes
nothing rather than printing an error into the shell.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import typer  # typer reads these functions' annotations at start-up: a real name

from claimtrack.core.vocab import LIKELIHOOD_WORDS, AttributionKind, Status

if TYPE_CHECKING:
    from claimtrack.core.dataset import Dataset


def _matching(values: list[str], incomplete: str) -> list[str]:
    """Values starting with what is typed; after a comma, the list so far is kept."""
    head, _, last = incomplete.rpartition(",")
    prefix = f"{head}," if head else ""
    taken = set(head.split(",")) if head else set()
    return [
        prefix + value
        for value in sorted(dict.fromkeys(values))
        if value.startswith(last) and value not in taken
    ]


def statuses(incomplete: str) -> list[str]:
    return _matching([s.value for s in Status], incomplete)


def kinds(incomplete: str) -> list[str]:
    return _matching([k.value for k in AttributionKind], incomplete)


def likelihood_words(incomplete: str) -> list[str]:
    return [w for w in LIKELIHOOD_WORDS if w.startswith(incomplete)]


def _dataset(ctx: typer.Context) -> Dataset | None:
    """The claims folder ``--dir`` (or the usual search) names, read through its index."""
    import contextlib
    import io
    import os

    root = ctx.find_root()
    directory = root.params.get("directory") or os.environ.get("CLAIMTRACK_DIR")
    no_cache = bool(root.params.get("no_cache"))
    try:
        from claimtrack.cache import load_dataset
        from claimtrack.io.files import find_claims_dir

        with contextlib.redirect_stderr(io.StringIO()):
            return load_dataset(find_claims_dir(directory), cache=not no_cache, progress=None)
    except Exception:  # completion must never break the shell
        return None


def claim_ids(ctx: typer.Context, incomplete: str) -> list[str]:
    dataset = _dataset(ctx)
    return _matching([r.id for r in dataset.claims], incomplete) if dataset else []


def tags(ctx: typer.Context, incomplete: str) -> list[str]:
    dataset = _dataset(ctx)
    if dataset is None:
        return []
    from claimtrack.core.dataset import all_facets

    return _matching([t for f in all_facets(dataset.claims) for t in f.tags], incomplete)


def sources(ctx: typer.Context, incomplete: str) -> list[str]:
    dataset = _dataset(ctx)
    return _matching(list(dataset.sources), incomplete) if dataset else []
