"""How claimtrack words things: counted nouns, lists of names, did-you-mean hints, and the
comma lists its options take."""

from __future__ import annotations

import difflib
from collections.abc import Iterable, Sequence

#: Nouns whose plural is not the singular plus "s".
_PLURALS = {"entry": "entries", "match": "matches", "quantity": "quantities", "this": "these"}


def split(values: Iterable[str] | None) -> list[str]:
    """Repeated values that may also be comma lists: ``["a,b", " c"]`` is a, b and c."""
    return [part.strip() for value in values or () for part in value.split(",") if part.strip()]


def plural(count: int, noun: str) -> str:
    """``1 error``, ``2 errors``, ``0 claims``: the count and the noun in agreement."""
    if count == 1:
        return f"{count} {noun}"
    return f"{count} {_PLURALS.get(noun, noun + 's')}"


def either(names: Sequence[str], quote: bool = True) -> str:
    """``'a'``, ``'a' or 'b'``, ``'a', 'b' or 'c'``: names offered as alternatives."""
    shown = [repr(name) if quote else name for name in names]
    if len(shown) <= 1:
        return "".join(shown)
    return f"{', '.join(shown[:-1])} or {shown[-1]}"


def close_matches(wanted: str, known: Iterable[str], n: int = 3) -> list[str]:
    """The known values a misspelt one most likely meant, best first: the same word in another
    case or spacing, then near spellings, then the known values that contain it."""
    choices = list(dict.fromkeys(known))
    key = _folded(wanted)
    by_key: dict[str, str] = {}
    for choice in choices:
        by_key.setdefault(_folded(choice), choice)
    if key in by_key:
        return [by_key[key]]
    near = difflib.get_close_matches(key, list(by_key), n=n, cutoff=0.6)
    found = [by_key[k] for k in near]
    if key:
        found += [c for k, c in by_key.items() if key in k and c not in found]
    return found[:n]


def did_you_mean(wanted: str, known: Iterable[str], n: int = 3) -> str:
    """``"; did you mean 'official'?"`` for a misspelt value, or "" when nothing is close."""
    close = close_matches(wanted, known, n)
    return f"; did you mean {either(close)}?" if close else ""


def _folded(text: str) -> str:
    return " ".join(text.casefold().replace("_", " ").replace("-", " ").split())
