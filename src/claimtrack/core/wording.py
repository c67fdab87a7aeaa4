"""How claimtrack words things: counted nouns, lists of names, did-you-mean hints, and the
comma lists its options take."""

from __future__ import annotations

import difflib
from collections.abc import Iterable, Sequence
from typing import Any

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


def _shown(value: object) -> str:
    text = repr(value)
    return text if len(text) <= 60 else text[:57] + "..."


def choices_in(expected: str) -> list[str]:
    """The quoted choices of a validator's "expected" text: ``"'a', 'b' or 'c'"`` is a, b, c."""
    import re

    return re.findall(r"'((?:[^'\\]|\\.)*)'", expected)


def value_message(
    kind: str,
    given: object,
    message: str,
    context: dict[str, object] | None = None,
    choices: Sequence[str] = (),
) -> str:
    """A value error in claimtrack's words, from a validator's error type (pydantic's ``type``),
    the value given, the validator's own message and its context: what was wrong, what was
    given, and for a closed vocabulary the nearest right spelling.

    The validator's wording (``Value error, ...``, ``Input should be a valid integer, unable to
    parse string as an integer``) never reaches the person."""
    context = context or {}
    text = str(given) if isinstance(given, str | int | float) else None
    if not choices and kind in ("enum", "literal_error"):
        choices = choices_in(str(context.get("expected", "")))
    if choices and text is not None and text not in choices:
        hint = did_you_mean(text, choices)
        return f"unknown value {_shown(given)}" + (hint or f"; use {either(choices)}")
    limit = context.get("ge", context.get("gt", context.get("le", context.get("lt"))))
    fixed = {
        "int_parsing": f"{_shown(given)} is not a whole number",
        "int_from_float": f"{_shown(given)} is not a whole number",
        "int_type": f"{_shown(given)} is not a whole number",
        "float_parsing": f"{_shown(given)} is not a number",
        "float_type": f"{_shown(given)} is not a number",
        "finite_number": f"{_shown(given)} is not a finite number",
        "bool_parsing": f"{_shown(given)} is not true or false",
        "bool_type": f"{_shown(given)} is not true or false",
        "string_type": f"{_shown(given)} is not text",
        "list_type": f"{_shown(given)} is not a list",
        "dict_type": f"{_shown(given)} is not a mapping",
        "model_type": f"{_shown(given)} is not a mapping",
        "model_attributes_type": f"{_shown(given)} is not a mapping",
        "date_parsing": f"{_shown(given)} is not a date (YYYY-MM-DD)",
        "date_from_datetime_parsing": f"{_shown(given)} is not a date (YYYY-MM-DD)",
        "date_type": f"{_shown(given)} is not a date (YYYY-MM-DD)",
        "url_parsing": f"{_shown(given)} is not a URL",
        "url_scheme": f"{_shown(given)} is not an http(s) URL",
        "greater_than_equal": f"{_shown(given)} is less than {limit}, the least allowed",
        "greater_than": f"{_shown(given)} must be more than {limit}",
        "less_than_equal": f"{_shown(given)} is more than {limit}, the most allowed",
        "less_than": f"{_shown(given)} must be less than {limit}",
        "string_too_short": "must not be empty"
        if context.get("min_length") == 1
        else f"must be at least {context.get('min_length')} characters long",
        "string_too_long": f"is longer than {context.get('max_length')} characters",
        "too_short": f"needs at least {plural(_int(context.get('min_length')), 'item')}",
        "too_long": f"has more than {plural(_int(context.get('max_length')), 'item')}",
        "string_pattern_mismatch": f"{_shown(given)} does not have the form it should",
    }
    if kind in fixed:
        return fixed[kind]
    for prefix in ("Value error, ", "Assertion failed, "):
        message = message.removeprefix(prefix)
    if text is not None and _shown(given) not in message and repr(given) not in message:
        message = f"{message} (got {_shown(given)})"
    return message


def _int(value: object) -> int:
    return value if isinstance(value, int) else 0


def first_error(errors: Sequence[Any]) -> str:
    """``field: message`` for the first of a validator's errors (pydantic's ``errors()``), in
    claimtrack's words; ``field`` is dotted (``attribution.kind``)."""
    first = errors[0]
    where = ".".join(str(p) for p in first.get("loc", ()))
    if first.get("type") == "missing":
        return f"required field {where!r} is missing"
    if first.get("type") == "extra_forbidden":
        return f"unknown field {where!r}"
    message = value_message(
        str(first.get("type", "")), first.get("input"), str(first.get("msg", "")), first.get("ctx")
    )
    return f"{where}: {message}" if where else message


#: The JSON parser's messages, in words a person reads (the rest are shown as they are).
_JSON_MESSAGES = {
    "Expecting value": "a value was expected",
    "Expecting property name enclosed in double quotes": "a key in double quotes was expected",
    "Expecting ',' delimiter": "a comma was expected",
    "Expecting ':' delimiter": "a colon was expected",
    "Extra data": "more text after the end of the JSON",
    "Unterminated string starting at": "a string is not closed",
    "Invalid control character at": "a control character inside a string",
    "Invalid \\escape": "a bad backslash escape",
    "Illegal trailing comma before end of object": "a comma before the closing }",
    "Illegal trailing comma before end of array": "a comma before the closing ]",
}


def json_message(message: str, line: int | None = None, column: int | None = None) -> str:
    """``not JSON: a value was expected (line 1, column 1)`` for the JSON parser's
    ``Expecting value``."""
    said = _JSON_MESSAGES.get(message, message[:1].lower() + message[1:])
    where = f" (line {line}, column {column})" if line is not None and column is not None else ""
    return f"not JSON: {said}{where}"
