"""Quote anchoring (W3C TextQuoteSelector): find a quote in a text, forgiving only typography.

Both sides are normalised the same way before comparing: Unicode NFC, runs of whitespace to one
space, curly quotes to straight ones, the dash family to ``-``, ``…`` to ``...``, and letters to
lower case where that keeps one character one character (so offsets map back exactly). Nothing
else is forgiven: a quote with one changed word does not match, it gets a suggestion instead.
"""

from __future__ import annotations

import difflib
import re
import unicodedata
from array import array
from collections.abc import Sequence
from dataclasses import dataclass

_TYPOGRAPHY: dict[str, str] = {
    "\u2018": "'",
    "\u2019": "'",
    "\u201a": "'",
    "\u201b": "'",
    "\u2032": "'",
    "\u02bc": "'",
    "\u201c": '"',
    "\u201d": '"',
    "\u201e": '"',
    "\u201f": '"',
    "\u2033": '"',
    "\u00ab": '"',
    "\u00bb": '"',
    "\u2010": "-",
    "\u2011": "-",
    "\u2012": "-",
    "\u2013": "-",
    "\u2014": "-",
    "\u2015": "-",
    "\u2212": "-",
    "\ufe58": "-",
    "\ufe63": "-",
    "\uff0d": "-",
    "\u2026": "...",
    "\u00ad": "",  # a soft hyphen is invisible: drop it
}
_TYPOGRAPHY_TABLE = str.maketrans(_TYPOGRAPHY)


class Normalized:
    """A text in comparable form. The offset in ``original`` of every normalised character
    (``starts``) is worked out only when a span is mapped back: an archive of 19 MB of text
    would otherwise hold 19 million integers in every process that looks a quote up in it."""

    __slots__ = ("_starts", "original", "text")

    def __init__(self, original: str, text: str, starts: Sequence[int] | None = None) -> None:
        self.original = original
        self.text = text
        self._starts = starts

    @property
    def starts(self) -> Sequence[int]:
        starts = self._starts
        if starts is None:
            starts = self._starts = _normalized(self.original, with_starts=True)[1] or ()
        return starts

    def span(self, start: int, end: int) -> tuple[int, int]:
        """The original span of the normalised span ``[start, end)``."""
        starts = self.starts
        return starts[start], starts[end - 1] + 1

    def __eq__(self, other: object) -> bool:
        if isinstance(other, Normalized):
            return (self.original, self.text) == (other.original, other.text)
        return NotImplemented

    def __hash__(self) -> int:
        return hash((self.original, self.text))

    def __repr__(self) -> str:
        return f"Normalized(original={self.original!r}, text={self.text!r})"


def normalize(text: str) -> Normalized:
    """``text`` in comparable form (see the module docstring), without outer spaces."""
    original = unicodedata.normalize("NFC", text)
    return Normalized(original, _normalized(original, with_starts=False)[0])


def _normalized(original: str, with_starts: bool) -> tuple[str, array[int] | None]:
    """The comparable form of an NFC text, and (``with_starts``) where each of its characters
    comes from."""
    mapped = original.translate(_TYPOGRAPHY_TABLE)
    if not with_starts:
        # As below, with string methods, wherever they give the same: ASCII, or any text whose
        # lower case keeps one character one character (then none was kept as it is below) and
        # has no capital sigma (the one letter str.lower() maps by its context).
        lower = mapped.lower()
        if mapped.isascii() or (len(lower) == len(mapped) and "\u03a3" not in mapped):
            return " ".join(lower.split()), None
    out: list[str] = []
    starts = array("Q")
    for index, char in enumerate(original):
        if char.isspace():
            if out and out[-1] != " ":
                out.append(" ")
                starts.append(index)
            continue
        mapped_char = _TYPOGRAPHY.get(char, char)
        lower = mapped_char.lower()
        if len(lower) == len(mapped_char):  # "İ".lower() is two characters: not safe, keep it
            mapped_char = lower
        for piece in mapped_char:
            out.append(piece)
            starts.append(index)
    if out and out[-1] == " ":
        out.pop()
        starts.pop()
    return "".join(out), (starts if with_starts else None)


def comparable(text: str) -> str:
    """Only the normalised string of ``text`` (``normalize(text).text``): a quote is made
    comparable once per claim, so the usual case (ASCII once typography is mapped) is done with
    string methods instead of character by character."""
    mapped = unicodedata.normalize("NFC", text).translate(_TYPOGRAPHY_TABLE)
    if mapped.isascii():  # no case mapping that changes length or depends on context
        return " ".join(mapped.lower().split())
    return normalize(text).text


@dataclass(frozen=True)
class Match:
    """One place a quote occurs, as offsets into the original text."""

    start: int
    end: int


def find_all(quote: str, haystack: Normalized) -> list[tuple[int, int]]:
    """Every occurrence (overlapping ones too) of ``quote`` as normalised spans."""
    needle = comparable(quote)
    if not needle:
        return []
    text = haystack.text
    found: list[tuple[int, int]] = []
    at = text.find(needle)
    while at != -1:
        end = at + len(needle)
        # A quote that starts or ends with a letter or digit must start or end a word there:
        # "the" is not found inside "other".
        cut_before = needle[0].isalnum() and at > 0 and text[at - 1].isalnum()
        cut_after = needle[-1].isalnum() and end < len(text) and text[end].isalnum()
        if not (cut_before or cut_after):
            found.append((at, end))
        at = text.find(needle, at + 1)
    return found


def find(
    quote: str, haystack: Normalized, prefix: str | None = None, suffix: str | None = None
) -> tuple[list[Match], int]:
    """The occurrences of ``quote`` that also fit ``prefix`` and ``suffix``, and how many there
    were before those two were applied."""
    fitting, total = _fitting(quote, haystack, prefix, suffix)
    return [Match(*haystack.span(s, e)) for s, e in fitting], total


def count(
    quote: str, haystack: Normalized, prefix: str | None = None, suffix: str | None = None
) -> tuple[int, int]:
    """How many occurrences :func:`find` gives, and how many there were before ``prefix`` and
    ``suffix`` were applied, without mapping them back to the original text: checking a quote
    never makes the text's offsets (8 bytes a character, for the rest of the run)."""
    fitting, total = _fitting(quote, haystack, prefix, suffix)
    return len(fitting), total


def _fitting(
    quote: str, haystack: Normalized, prefix: str | None, suffix: str | None
) -> tuple[list[tuple[int, int]], int]:
    spans = find_all(quote, haystack)
    before = comparable(prefix) if prefix else ""
    after = comparable(suffix) if suffix else ""
    text = haystack.text
    fitting = [
        (s, e)
        for s, e in spans
        if text[:s].rstrip().endswith(before) and text[e:].lstrip().startswith(after)
    ]
    return fitting, len(spans)


_WORD = re.compile(r"\S+")


@dataclass(frozen=True)
class Suggestion:
    """The passage most like a quote that did not match, and how alike (0-1)."""

    ratio: float
    passage: str


def closest(quote: str, haystack: Normalized) -> Suggestion | None:
    """The run of words in the text most like ``quote`` (difflib ratio), or None for no text."""
    needle = comparable(quote)
    words = [(m.start(), m.end()) for m in _WORD.finditer(haystack.text)]
    size = max(1, len(needle.split()))
    if not words or not needle:
        return None

    def score(first: int) -> tuple[float, int, int]:
        last = min(len(words), first + size) - 1
        start, end = words[first][0], words[last][1]
        matcher = difflib.SequenceMatcher(None, needle, haystack.text[start:end], autojunk=False)
        return matcher.ratio(), start, end

    # A coarse pass in steps of a third of the quote, then every word near the best window.
    step = max(1, size // 3)
    starts = range(0, max(1, len(words) - size + 1), step)
    best = max((score(i) for i in starts), key=lambda t: t[0])
    first_word = next(i for i, w in enumerate(words) if w[0] == best[1])
    near = range(max(0, first_word - step), min(len(words), first_word + step + 1))
    best = max([best, *(score(i) for i in near)], key=lambda t: t[0])
    start, end = haystack.span(best[1], best[2])
    return Suggestion(round(best[0], 2), haystack.original[start:end])


_BOUNDARY = re.compile(r"[.!?]+[\"'”’)\]]*(?=\s)|\n")
_ABBREVIATIONS = frozenset(
    [
        "mr",
        "mrs",
        "ms",
        "dr",
        "prof",
        "st",
        "sr",
        "jr",
        "gen",
        "col",
        "lt",
        "sgt",
        "capt",
        "gov",
        "sen",
        "rep",
        "pres",
        "vs",
        "etc",
        "inc",
        "ltd",
        "co",
        "corp",
        "no",
        "jan",
        "feb",
        "mar",
        "apr",
        "jun",
        "jul",
        "aug",
        "sep",
        "sept",
        "oct",
        "nov",
        "dec",
        "approx",
        "est",
        "dept",
        "univ",
    ]
)
_INITIALS = re.compile(r"(?:[A-Za-z]\.){2,}|[A-Z]\.")


def _ends_sentence(text: str, match: re.Match[str]) -> bool:
    if match.group() == "\n":
        return True
    rest = text[match.end() :].lstrip()
    if not rest or rest[0].islower() or rest[0].isdigit():
        return not rest
    if not match.group().startswith("."):
        return True
    word = text[: match.start() + 1].rsplit(None, 1)[-1].lstrip("\"'“‘(")
    return not (word[:-1].lower() in _ABBREVIATIONS or _INITIALS.fullmatch(word))


def sentence_spans(text: str) -> list[tuple[int, int]]:
    """The sentences of a text as (start, end) offsets, spaces trimmed; lines never run on.

    A full stop after an abbreviation or initials (``Feb. 2``, ``U.S. forces``) or before a
    lower-case word or a digit does not end a sentence.
    """
    spans: list[tuple[int, int]] = []
    start = 0
    for match in _BOUNDARY.finditer(text):
        if not _ends_sentence(text, match):
            continue
        end = match.start() if match.group() == "\n" else match.end()
        spans.append((start, end))
        start = match.end()
    spans.append((start, len(text)))
    trimmed = []
    for begin, end in spans:
        piece = text[begin:end]
        lead = len(piece) - len(piece.lstrip())
        if piece.strip():
            trimmed.append((begin + lead, begin + len(piece.rstrip())))
    return trimmed


def sentence_around(text: str, start: int, end: int) -> tuple[str, str, str]:
    """The sentence (or sentences) holding ``text[start:end]``, as (before, quote, after)."""
    spans = sentence_spans(text)
    left = max((s for s, e in spans if s <= start), default=0)
    right = min((e for s, e in spans if e >= end), default=len(text))
    left = min(left, start)
    right = max(right, end)
    return text[left:start], text[start:end], text[end:right]
