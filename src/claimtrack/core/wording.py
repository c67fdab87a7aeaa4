"""Counted words for summaries: "1 error", "2 errors", "1 valid claim"."""

from __future__ import annotations


def plural(count: int, word: str, many: str | None = None) -> str:
    """``count`` and ``word``, the word in its plural (``many``, else ``word + "s"``) unless the
    count is exactly one."""
    return f"{count} {word if count == 1 else (many or word + 's')}"
