"""Claim edits: create, update, remove and rename claims, and the mentions of a claim."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from claimtrack.core.dataset import ClaimRecord, Dataset
from claimtrack.core.errors import DataError, EnvironmentProblem, UsageError
from claimtrack.core.model import (
    Claim,
)
from claimtrack.core.problem import Problem, has_errors
from claimtrack.edit.fields import _scalar_like, set_field
from claimtrack.edit.format import canonical_text
from claimtrack.edit.workspace import InvalidWrite, Workspace, locked
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
    with locked(ws.root):
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

    with locked(ws.root):
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


#: Free-text fields in which a claim may name another claim by its id ("see other-claim-id").
MENTION_FIELDS = ("notes", "evidence[].note", "disputed_by[].note")


def mention_pattern(claim_id: str) -> re.Pattern[str]:
    """The id as a whole token: not inside a longer slug, not followed by a file suffix."""
    return re.compile(rf"(?<![a-z0-9-]){re.escape(claim_id)}(?![a-z0-9-]|\.ya?ml)")


def _texts_of(claim: Claim) -> list[str]:
    texts = [claim.notes or ""]
    texts += [item.note or "" for item in claim.evidence]
    texts += [party.note or "" for party in claim.disputed_by]
    return texts


def mentions_of(dataset: Dataset, claim_id: str) -> list[ClaimRecord]:
    """The other claims that name ``claim_id`` in a note (only hyphenated ids: a one-word id
    would match ordinary words)."""
    if "-" not in claim_id:
        return []
    pattern = mention_pattern(claim_id)
    return [
        record
        for record in dataset.claims
        if record.claim.id != claim_id and any(pattern.search(t) for t in _texts_of(record.claim))
    ]


def rename_mentions(old: str, new: str) -> Callable[[Any], None]:
    """A change that renames mentions of claim ``old`` in a claim's notes."""
    pattern = mention_pattern(old)

    def fix(mapping: Any, key: str) -> None:
        value = mapping.get(key)
        if isinstance(value, str) and pattern.search(value):
            mapping[key] = _scalar_like(value, pattern.sub(new, value))

    def mutate(doc: Any) -> None:
        fix(doc, "notes")
        for name in ("evidence", "disputed_by"):
            for item in doc.get(name) or []:
                if isinstance(item, dict):
                    fix(item, "note")

    return mutate


def remove_claim(ws: Workspace, claim_id: str, force: bool) -> tuple[Path, list[ClaimRecord]]:
    """Delete a claim's file; refused while other claims mention it, unless ``force``."""
    from claimtrack.cache import load_dataset

    with locked(ws.root):
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
    with locked(ws.root):
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
        for where, written, problems in plan:
            ws.commit(where, written, problems)
        path.unlink()
        return target, [where for where, _, _ in plan[1:]]
