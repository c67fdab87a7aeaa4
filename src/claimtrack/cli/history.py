"""History commands: ``log ID`` (a claim's timeline) and ``diff [REV1 [REV2]]`` (semantic diff)."""

from __future__ import annotations

import sys

import typer

from claimtrack.cli import options
from claimtrack.cli.state import state_of
from claimtrack.render import DiffFormat, LogFormat


def log(
    ctx: typer.Context,
    claim_id: str = options.CLAIM_ID,
    fmt: LogFormat = typer.Option(LogFormat.TEXT, "--format", "-f", help="Output format."),
) -> None:
    """A claim's history from git: when its status, confidence or evidence changed, by whom.

    Follows renames; uncommitted changes come last. Exit 2 outside git or with no commits.
    """
    from claimtrack.edit.workspace import Workspace
    from claimtrack.io.history import open_repo, timeline
    from claimtrack.render import renderer

    state = state_of(ctx)
    ws = Workspace(state.claims_dir())
    path = ws.claim_path(claim_id)
    repo = open_repo(ws.root)
    events = [e.to_dict() for e in timeline(repo, path)]
    sys.stdout.write(renderer("log", fmt)(claim_id, events))


def diff(
    ctx: typer.Context,
    rev1: str | None = typer.Argument(
        None, metavar="[REV1]", help="From this revision [default: the merge base with main]."
    ),
    rev2: str | None = typer.Argument(
        None, metavar="[REV2]", help="To this revision [default: the work tree]."
    ),
    fmt: DiffFormat = typer.Option(
        DiffFormat.TEXT, "--format", "-f", help="text, md (for a pull-request comment) or json."
    ),
) -> None:
    """What changed in the claims between two states: claims added or removed, status
    transitions, confidence moves, evidence and disputes added or removed."""
    from claimtrack.io.history import diff as semantic_diff
    from claimtrack.io.history import open_repo
    from claimtrack.render import renderer

    state = state_of(ctx)
    root = state.claims_dir()
    from claimtrack.cache import load_dataset

    result = semantic_diff(open_repo(root), lambda: load_dataset(root), rev1, rev2)
    sys.stdout.write(renderer("diff", fmt)(result))
