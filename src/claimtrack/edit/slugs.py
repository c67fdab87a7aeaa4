"""Claim ids from statements: short, readable, unique slugs."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Container

from claimtrack.core.model import (
    _RESERVED,
)

_STOPWORDS = frozenset(
    {
        "a",
        "an",
        "the",
        "of",
        "in",
        "on",
        "at",
        "to",
        "for",
        "and",
        "or",
        "is",
        "are",
        "was",
        "were",
        "be",
        "been",
        "has",
        "have",
        "had",
        "by",
        "with",
        "that",
        "this",
        "it",
        "its",
        "as",
        "from",
    }
)


MAX_SLUG_WORDS_LENGTH = 60


def slugify(text: str, max_length: int = MAX_SLUG_WORDS_LENGTH) -> str:
    """A readable id from a statement: ascii words, no stopwords, at most ``max_length`` long.

    Only ``a-z``, ``0-9`` and inner hyphens: never a path, never a Windows device name.
    """
    folded = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")
    words = re.findall(r"[a-z0-9]+", folded.lower())
    kept = [w for w in words if w not in _STOPWORDS] or words
    slug = ""
    for word in kept:
        candidate = f"{slug}-{word}" if slug else word
        if len(candidate) > max_length:
            break
        slug = candidate
    if not slug:
        slug = kept[0][:max_length] if kept else "claim"
    if slug in _RESERVED:
        slug += "-claim"
    return slug


def unique_slug(base: str, taken: Container[str]) -> str:
    """``base``, or ``base-2``, ``base-3``… whichever is free."""
    if base not in taken:
        return base
    n = 2
    while f"{base}-{n}" in taken:
        n += 1
    return f"{base}-{n}"
