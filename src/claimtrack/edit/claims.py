"""Claim edits: create, update, remove and rename claims, and the mentions of a claim."""

from __future__ import annotations

import os
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from claimtrack.core.dataset import ClaimRecord
from claimtrack.core.errors import DataError, EnvironmentProblem, UsageError
from claimtrack.core.model import (
    Claim,
)
from claimtrack.core.problem import Problem, has_errors
from claimtrack.edit.fields import set_field
from claimtrack.edit.format import canonical_text
from claimtrack.edit.lock import locked
from claimtrack.edit.mentions import mentions_of, rename_mentions
from claimtrack.edit.workspace import InvalidWrite, Workspace
from claimtrack.io import roundtrip, yamlio
from claimtrack.io.files import (
    display_path,
)


@dataclass(frozen=True)
class Change:
    """What one write did: the claim before and after, where, and the warnings left."""

    path: Path
    before: Claim | None
    after: Claim | None
    warnings: list[Problem] = field(default_factory=list)


def _claim_of(text: str) -> Claim | None:
    try:
        return Claim.model_validate(yamlio.load_text(text))
    except (ValidationError, yamlio.YamlProblem):
        return None


def update_claim(
    ws: Workspace, claim_id: str, mutate: Callable[[Any], None], keep_status: bool = False
) -> Change:
    """Read-modify-write one claim under the lock; only what ``mutate`` touches changes.

    With ``keep_status`` (new evidence, a dispute) a written ``status`` that matched the
    evidence before moves to the newly derived one in the same write, so the file never
    disagrees with itself and the command stays one write."""
    with locked(ws.root, ws.notify):
        path = ws.claim_path(claim_id)
        text = ws.read(path)
        shown = display_path(path)
        if not isinstance(roundtrip.load(text, shown), dict):
            raise DataError(f"{shown}: not a mapping; fix it with `claimtrack edit`")
        new_text = roundtrip.edit_text(text, mutate, shown)
        before = _claim_of(text)
        if keep_status:
            status = _status_in_step(ws, before, _claim_of(new_text))
            if status is not None:
                new_text = roundtrip.edit_text(new_text, set_field("status", status), shown)
        warnings = ws.commit(path, new_text, ws.check_claim(path, new_text))
        return Change(path, before, _claim_of(new_text), warnings)


def create_claim(ws: Workspace, claim: Claim) -> Change:
    """Write a new claim file (the schema modeline first); refused when its id is taken."""
    from claimtrack.io.emit import claim_text

    with locked(ws.root, ws.notify):
        path = ws.root / f"{claim.id}.yaml"
        if ws.files_named(claim.id) or path.exists():
            raise UsageError(f"a claim with id {claim.id!r} already exists")
        # emit gives the model's field order; fmt's layout keeps `add` and `fmt --check` agreed.
        text = canonical_text(claim_text(claim), "claim")
        warnings = ws.commit(path, text, ws.check_claim(path, text))
        return Change(path, None, claim, warnings)


def _status_in_step(ws: Workspace, before: Claim | None, after: Claim | None) -> str | None:
    """The status to write after a change: the newly derived one when the written ``status``
    matched the evidence before the change and the change moves it; else None."""
    from claimtrack.core.status import derive

    if before is None or after is None or before.status is None:
        return None
    sources = {sid: rec.source for sid, rec in ws.sources().items()}
    old, new = derive(before, sources).status, derive(after, sources).status
    if before.status is not old or after.status is not old or new is old:
        return None
    return new.value


def remove_claim(ws: Workspace, claim_id: str, force: bool) -> tuple[Path, list[ClaimRecord]]:
    """Delete a claim's file; refused while other claims mention it, unless ``force``."""
    from claimtrack.cache import load_dataset

    with locked(ws.root, ws.notify):
        path = ws.claim_path(claim_id)
        mentions = mentions_of(load_dataset(ws.root), claim_id)
        if mentions and not force:
            names = ", ".join(r.claim.id for r in mentions)
            raise UsageError(
                f"{claim_id!r} is mentioned by {len(mentions)} other claim(s): {names}; "
                "pass --force to remove it anyway"
            )
        try:
            path.unlink()
        except OSError as exc:
            shown = display_path(path)
            raise EnvironmentProblem(f"cannot remove {shown}: {exc.strerror}") from None
        return path, mentions


def rename_claim(ws: Workspace, old: str, new: str) -> tuple[Path, list[Path]]:
    """Rename a claim: its id, its file and every mention of it. All or nothing is checked
    before anything is written; returns the new path and the other files changed."""
    from claimtrack.cache import load_dataset
    from claimtrack.core.model import _check_slug

    try:
        _check_slug(new)
    except ValueError as exc:
        raise UsageError(f"{new!r}: {exc}") from None
    with locked(ws.root, ws.notify) as finished:
        if finished is not None and (finished.old, finished.new) == (old, new):
            # The same rename, cut short before: the lock has just finished it.
            return ws.root / finished.target, [ws.root / rel for rel in finished.mentions]
        path = ws.claim_path(old)
        if new in ws.claim_files():
            raise UsageError(f"a claim with id {new!r} already exists")
        target = path.with_name(f"{new}.yaml")
        text = ws.read(path)
        new_text = roundtrip.edit_text(text, set_field("id", new), display_path(path))
        new_text = roundtrip.edit_text(new_text, rename_mentions(old, new), display_path(path))
        others = {stem for stem in ws.claim_files() if stem != old}
        plan = [(target, new_text, ws.check_claim(target, new_text, others))]
        for record in mentions_of(load_dataset(ws.root), old):
            other = Path(record.path)
            other_text = roundtrip.edit_text(ws.read(other), rename_mentions(old, new), record.path)
            rest = (others - {other.stem}) | {new}
            plan.append((other, other_text, ws.check_claim(other, other_text, rest)))
        for where, _, problems in plan:
            if has_errors(problems):
                raise InvalidWrite(where, problems)
        from claimtrack.edit.journal import Rename, run_rename

        def rel(where: Path) -> str:
            return Path(
                os.path.relpath(os.path.abspath(where), os.path.abspath(ws.root))
            ).as_posix()

        mentions = tuple(rel(where) for where, _, _ in plan[1:])
        run_rename(ws.root, Rename(old, new, rel(path), rel(target), mentions))
        return target, [where for where, _, _ in plan[1:]]
