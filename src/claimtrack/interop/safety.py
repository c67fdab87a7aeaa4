"""Untrusted input made safe: size limits, inert text, slugs, http(s) URLs, readable dates."""

from __future__ import annotations

import datetime as _dt
import hashlib
import re
from html.parser import HTMLParser
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from claimtrack.core.errors import UsageError
from claimtrack.core.escape import DECEPTIVE_CHARS

#: An import file larger than this is refused before it is read (JSON, CSV, JSON Lines).
MAX_IMPORT_BYTES = 20 * 1024 * 1024
#: More records than this in one file are refused (each becomes up to two files).
MAX_RECORDS = 50_000
#: Longer text fields are cut (with an ellipsis) and the record says so.
MAX_TEXT_CHARS = 10_000
#: Deeper JSON nesting than this is refused (ClaimReview needs about five levels).
MAX_DEPTH = 32
#: The longest slug claimtrack makes (the model allows 120).
SLUG_CHARS = 80


def read_limited(path: Path) -> str:
    """The UTF-8 text of an import file, refused when too large or not text."""
    try:
        size = path.stat().st_size
        if not path.is_file():
            raise UsageError(f"{path} is not a regular file")
        if size > MAX_IMPORT_BYTES:
            raise UsageError(
                f"{path} is {size} bytes, over the {MAX_IMPORT_BYTES}-byte import limit"
            )
        with open(path, "rb") as handle:
            raw = handle.read(MAX_IMPORT_BYTES + 1)
    except FileNotFoundError:
        raise UsageError(f"no such file: {path}") from None
    except OSError as exc:
        raise UsageError(f"cannot read {path}: {exc.strerror or exc}") from None
    if len(raw) > MAX_IMPORT_BYTES:
        raise UsageError(f"{path} is over the {MAX_IMPORT_BYTES}-byte import limit")
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise UsageError(f"{path} is not UTF-8 text (byte {exc.start})") from None


def depth(value: Any, limit: int = MAX_DEPTH) -> int:
    """How deeply ``value`` nests lists and mappings (stops counting past ``limit``)."""
    deepest, stack = 0, [(value, 1)]
    while stack:
        item, level = stack.pop()
        if isinstance(item, dict | list) and level <= limit + 1:
            deepest = max(deepest, level)
            children = item.values() if isinstance(item, dict) else item
            stack.extend((child, level + 1) for child in children)
    return deepest


class _TextOnly(HTMLParser):
    """Collects the text of an HTML fragment; tags vanish, script and style content too."""

    _SKIP = frozenset({"script", "style", "template"})
    _BREAKS = frozenset({"br", "p", "div", "li", "tr", "h1", "h2", "h3", "h4", "h5", "h6"})

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self._skipping = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in self._SKIP:
            self._skipping += 1
        elif tag in self._BREAKS:
            self.parts.append(" ")

    def handle_endtag(self, tag: str) -> None:
        if tag in self._SKIP and self._skipping:
            self._skipping -= 1
        elif tag in self._BREAKS:
            self.parts.append(" ")

    def handle_data(self, data: str) -> None:
        if not self._skipping:
            self.parts.append(data)


_MARKUP = re.compile(r"<[A-Za-z/!?]|&(?:#\d+|#x[0-9A-Fa-f]+|[A-Za-z]+);")
_SPACES = re.compile(r"\s+")
# C0/C1 controls and the invisible and bidi characters that can disguise text; the joiners
# (U+200C ZWNJ, U+200D ZWJ) are not among them: Persian and Indic scripts need them.
_HIDDEN = re.compile(f"[\x00-\x1f\x7f-\x9f{DECEPTIVE_CHARS}]")


def plain_text(value: Any) -> str:
    """Inert one-line text: HTML tags and entities resolved to text, controls and bidi removed,
    whitespace collapsed, at most ``MAX_TEXT_CHARS`` characters."""
    if value is None:
        return ""
    text = str(value)
    if _MARKUP.search(text):
        parser = _TextOnly()
        parser.feed(text)
        parser.close()
        text = "".join(parser.parts)
    text = _SPACES.sub(" ", _HIDDEN.sub(" ", text)).strip()
    return shorten(text, MAX_TEXT_CHARS)


def shorten(text: str, limit: int) -> str:
    """``text`` cut to at most ``limit`` characters at a word boundary, with an ellipsis."""
    if len(text) <= limit:
        return text
    cut = text[: limit - 1]
    space = cut.rfind(" ")
    if space >= limit // 2:
        cut = cut[:space]
    return cut.rstrip(" ,;:.-–—") + "…"


def readable(text: str) -> bool:
    """Whether ``text`` has a letter or digit once transliterated to ascii."""
    return re.search("[a-z0-9]", ascii_words(text)) is not None


def ascii_words(text: str) -> str:
    """``text`` transliterated to lowercase ascii (Persian, Devanagari, Tamil, Arabic... by
    ``anyascii``; emoji become their short names)."""
    from anyascii import anyascii

    return anyascii(text).lower()


def slugify(text: str, limit: int = SLUG_CHARS) -> str:
    """A safe slug (never a path): the text transliterated to ascii letters and digits joined by
    single hyphens.

    Text with nothing readable left becomes ``x-`` and a short hash, so distinct texts still
    get distinct, stable slugs.
    """
    words = re.findall(r"[a-z0-9]+", ascii_words(text))
    slug = ""
    for word in words:
        candidate = f"{slug}-{word}" if slug else word[:limit]
        if len(candidate) > limit:
            break
        slug = candidate
    if not slug:
        digest = hashlib.sha1(text.encode("utf-8")).hexdigest()[:10]
        slug = f"x-{digest}"
    if slug in {"con", "prn", "aux", "nul"} or re.fullmatch(r"(com|lpt)\d", slug):
        slug = f"{slug}-x"
    return slug


def distinct_slug(text: str, limit: int = SLUG_CHARS) -> str:
    """A slug of ``text`` that stays distinct when nothing readable is left of it (a bare
    number, symbols): then any digits it has, and a short hash of the whole text."""
    slug = slugify(text, limit)
    if slug.startswith("x-") or not re.search("[a-z]", slug):
        digest = hashlib.sha1(text.encode("utf-8")).hexdigest()[:8]
        slug = f"x-{digest}" if slug.startswith("x-") else f"{slug}-{digest}"[-limit:].lstrip("-")
    return slug


def safe_url(value: Any) -> str | None:
    """An http(s) URL with a host, trimmed; anything else (``javascript:``, ``file:``) is None."""
    if not isinstance(value, str):
        return None
    text = value.strip().strip('"').strip()
    if not text or any(ord(c) < 0x21 or c == "\x7f" for c in text):
        return None
    try:
        parts = urlsplit(text)
    except ValueError:
        return None
    if parts.scheme.lower() not in ("http", "https") or not parts.hostname:
        return None
    return text


_ISO = re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})(?:[T ].*)?$")
_MONTH_FORMATS = ("%B %d, %Y", "%b %d, %Y", "%d %B %Y", "%d %b %Y", "%B %Y", "%b %Y")


def read_date(value: Any) -> str | None:
    """A date as ``YYYY-MM-DD`` (or ``YYYY``), from ISO, unpadded (``2021-7-3``), ISO with a time,
    or English month names; None when it cannot be read without guessing."""
    if value is None:
        return None
    text = plain_text(value).strip('"').strip()
    if not text:
        return None
    match = _ISO.match(text)
    if match:
        year, month, day = (int(g) for g in match.groups())
        try:
            return _dt.date(year, month, day).isoformat()
        except ValueError:
            return None
    if re.fullmatch(r"\d{4}", text) and 1000 <= int(text) <= 9999:
        return text
    year_month = re.fullmatch(r"(\d{4})-(\d{1,2})", text)
    if year_month and 1 <= int(year_month.group(2)) <= 12:
        return f"{year_month.group(1)}-{int(year_month.group(2)):02d}"
    for fmt in _MONTH_FORMATS:
        try:
            parsed = _dt.datetime.strptime(text, fmt).date()
        except ValueError:
            continue
        return parsed.isoformat() if "%d" in fmt else parsed.isoformat()[:7]
    return None


def read_number(value: Any) -> float | None:
    """A finite number from a number or numeric text (``"3"``, ``"2.5"``), else None."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int | float):
        number = float(value)
    elif isinstance(value, str):
        try:
            number = float(value.strip().strip('"'))
        except ValueError:
            return None
    else:
        return None
    return number if number == number and abs(number) != float("inf") else None
