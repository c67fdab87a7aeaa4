"""Mentions: the notes in which a claim names another claim by its id, and renaming them."""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

from claimtrack.core.dataset import ClaimRecord, Dataset
from claimtrack.core.model import Claim
from claimtrack.io.roundtrip import scalar_like

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
            mapping[key] = scalar_like(value, pattern.sub(new, value))

    def mutate(doc: Any) -> None:
        fix(doc, "notes")
        for name in ("evidence", "disputed_by"):
            for item in doc.get(name) or []:
                if isinstance(item, dict):
                    fix(item, "note")

    return mutate
