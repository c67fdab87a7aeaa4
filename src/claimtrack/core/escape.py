"""Untrusted claim text made inert for each medium: terminal, Markdown, CSV, HTML, JSON, XML."""

from __future__ import annotations

import html
import re

# C0 and C1 controls except tab and newline; DEL.
_CONTROL_CHARS = "\x00-\x08\x0b-\x1f\x7f-\x9f"
#: The characters that can deceive a reader, shown as codes: bidi marks (U+061C, U+200E,
#: U+200F), embeddings and overrides (U+202A-U+202E), isolates (U+2066-U+2069), zero-width
#: space and no-break space (U+200B, U+FEFF), word joiner and invisible operators
#: (U+2060-U+2064), line and paragraph separators. The joiners ZWNJ and ZWJ (U+200C, U+200D)
#: are not: Persian and Indic scripts need them, and they are shown as they are.
DECEPTIVE_CHARS = (
    "\u061c\u200b\u200e\u200f\u202a-\u202e\u2028\u2029\u2060-\u2064\u2066-\u2069\ufeff"
)
_INVISIBLE_CHARS = DECEPTIVE_CHARS
_CONTROLS = re.compile(f"[{_CONTROL_CHARS}]")
_INVISIBLE = re.compile(f"[{_INVISIBLE_CHARS}]")
# Every character `visible` changes, and every one `one_line` changes.
_HIDDEN = re.compile(f"[{_CONTROL_CHARS}{_INVISIBLE_CHARS}]")
_HIDDEN_OR_BREAK = re.compile(f"[\t\n{_CONTROL_CHARS}{_INVISIBLE_CHARS}]")


def _show_control(match: re.Match[str]) -> str:
    return f"\\x{ord(match.group()):02x}"


def _show_invisible(match: re.Match[str]) -> str:
    return f"<U+{ord(match.group()):04X}>"


def visible(text: str) -> str:
    """Control, escape and bidi characters shown as visible codes (``\\x1b``, ``<U+202E>``)."""
    # Reports pass every piece of claim text through here, and nearly all of it is plain: one
    # search instead of two substitutions.
    if _HIDDEN.search(text) is None:
        return text
    return _INVISIBLE.sub(_show_invisible, _CONTROLS.sub(_show_control, text))


def one_line(text: str) -> str:
    """Visible and on one line: newlines and tabs become spaces (``⏎`` marks a newline)."""
    if _HIDDEN_OR_BREAK.search(text) is None:
        return text
    return (
        visible(text.replace("\r\n", "\n").replace("\r", "\n"))
        .replace("\n", " ⏎ ")
        .replace("\t", " ")
    )


_MD_SPECIAL_CHARS = r"\\`*_\[\]|~#!{}()"
_MD_SPECIAL = re.compile(f"([{_MD_SPECIAL_CHARS}])")
# "1. " or "1." at the end starts an ordered list ("1)" is escaped with the parentheses).
_MD_ORDERED = re.compile(r"^(\d{1,9})\.(?=\s|$)")
# Every character `markdown` changes.
_MD_CHANGED = re.compile(
    f"[\t\n{_CONTROL_CHARS}{_INVISIBLE_CHARS}&<>@{_MD_SPECIAL_CHARS}]|(?i:gh)-"
)
# What `markdown` changes at the start of the text: spaces, list markers, a thematic break.
_MD_BLOCK_START = (" ", "-", "+", *"0123456789")


def markdown(text: str) -> str:
    """Inline GitHub-flavoured Markdown: no markup, links, HTML, mentions or table breaks."""
    # Most claim text (names, ids, sentences) has nothing to escape: a report of 10k claims
    # escapes 100k pieces of text, and one search is a fifth of the cost of the escaping.
    if _MD_CHANGED.search(text) is None and not text.startswith(_MD_BLOCK_START):
        return text
    return _markdown_escaped(text)


def _backslashed(match: re.Match[str]) -> str:
    return "\\" + match.group()


def _markdown_escaped(text: str) -> str:
    escaped = one_line(text).replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    escaped = _MD_SPECIAL.sub(_backslashed, escaped)
    # At the start of a line, leading spaces (an indented code block), a list marker or a
    # thematic break (`-`, `+`, `1.`) would be block markup: the spaces go (Markdown drops them
    # anyway), the marker is escaped.
    escaped = _MD_ORDERED.sub(r"\1\\.", escaped.lstrip(" "))
    if escaped.startswith(("-", "+")):
        escaped = "\\" + escaped
    return _GITHUB_REF.sub(_unlinked, escaped)


# What GitHub links in rendered text, after Markdown is undone (`&#64;x` and `\#1` are still a
# mention and an issue link): @user, @org/team, #123 (and owner/repo#123), GH-123.
_GITHUB_REF = re.compile(r"[@#](?=\\?[\w-])|(?<![\w-])(?i:gh)(?=-\d)")
#: A zero-width space after the sign splits the word GitHub would link; written as an entity,
#: it is visible in the Markdown source and invisible once rendered.
MARKDOWN_UNLINK = "&#8203;"


def _unlinked(match: re.Match[str]) -> str:
    return match.group() + MARKDOWN_UNLINK


_FORMULA_START = ("=", "+", "-", "@", "\t", "\r", "\n")


def csv_cell(text: str) -> str:
    """A spreadsheet-safe cell: a leading formula character is defused with a quote (OWASP)."""
    shown = visible(text.replace("\r\n", "\n"))
    if shown.startswith(_FORMULA_START) or shown.lstrip().startswith(_FORMULA_START):
        return "'" + shown
    return shown


def html_text(text: str) -> str:
    """Text for HTML element content or a quoted attribute."""
    return html.escape(visible(text), quote=True)


# JSON escapes C0 controls itself; these it would leave raw.
_JSON_RAW = re.compile(f"[\x7f-\x9f{DECEPTIVE_CHARS}]")


def json_inert(dumped: str) -> str:
    """Escape, in already-dumped JSON, the characters a terminal would obey (they occur only
    inside strings, so ``\\uXXXX`` is always valid there)."""
    return _JSON_RAW.sub(lambda m: f"\\u{ord(m.group()):04x}", dumped)


# Characters XML 1.0 forbids outright (besides the C0 controls ``visible`` already shows).
_XML_INVALID = re.compile("[\ud800-\udfff\ufffe\uffff]")


def xml_text(text: str) -> str:
    """Text an XML 1.0 document can carry (JUnit): controls and non-characters shown as codes.

    The XML writer escapes ``& < > "`` itself; this removes what no escaping can express.
    """
    return _XML_INVALID.sub(_show_invisible, visible(text))


def workflow_data(text: str) -> str:
    """The message of a GitHub workflow command (``::error ...::MESSAGE``), on one line."""
    shown = visible(text.replace("\r\n", "\n"))
    return shown.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def workflow_property(text: str) -> str:
    """A property value of a workflow command (``file=``, ``title=``): also ``:`` and ``,``."""
    return workflow_data(text).replace(":", "%3A").replace(",", "%2C")


def sarif_text(text: str) -> str:
    """A SARIF plain-text message: brackets escaped so they never form an embedded link."""
    return re.sub(r"([\\\[\]])", r"\\\1", visible(text))


def markdown_link(url: str, text: str | None = None) -> str:
    """A Markdown link to an http(s) URL (``[text](<url>)``); any other URL is plain text.

    The destination is written in angle brackets with ``<``, ``>``, ``\\`` and spaces
    percent-encoded, so no character of it can end the link or start markup; the text is
    escaped as any Markdown text."""
    shown = markdown(text if text is not None else url)
    if not url.lower().startswith(("http://", "https://")) or _HIDDEN_OR_BREAK.search(url):
        return shown
    destination = "".join(f"%{ord(c):02X}" if c in "<>\\ " else c for c in url)
    return f"[{shown}](<{destination}>)"


# A workflow command starts a line (after spaces: the runner trims them) with `::`; the older
# form `##[command]` and Azure's `##vso[command]` are obeyed anywhere in a line. Lines end at
# any character .NET or Python ends one at (the runner reads with .NET: \r alone ends one).
_BREAKS = "\n\r\v\f\x1c-\x1e\x85\u2028\u2029"
_WORKFLOW_LINE = re.compile(rf"(?:^|(?<=[{_BREAKS}]))([^\S{_BREAKS}]*)(?=::)")
_FIRST_BREAK = re.compile(f"[{_BREAKS}]")
_WORKFLOW_ANYWHERE = re.compile(r"#(?=#(?:vso)?\[)", re.IGNORECASE)
#: Put between the characters of what a CI runner would obey: not whitespace (the runner does
#: not trim it), invisible in the log, and allowed raw in every format (a JSON or XML string,
#: a CSV cell).
WORKFLOW_BREAK = "\u200b"


def workflow_inert(text: str, at_line_start: bool = True) -> str:
    """Text a CI log shows without obeying: no line starts a workflow command (``::set-env``,
    ``::add-mask::``, ``::stop-commands::``), no ``##[...]`` or ``##vso[...]`` anywhere.
    ``at_line_start=False`` when ``text`` continues a line already written."""
    if "::" not in text and "#" not in text:
        return text
    start = 0
    if not at_line_start:
        first = _FIRST_BREAK.search(text)
        start = first.end() if first else len(text)
    text = text[:start] + _WORKFLOW_LINE.sub(rf"\1{WORKFLOW_BREAK}", text[start:])
    return _WORKFLOW_ANYWHERE.sub("#" + WORKFLOW_BREAK, text)


def unencodable_as_json(error: UnicodeError) -> tuple[str, int]:
    """A codec error handler: what an encoding cannot carry becomes ``\\uXXXX`` (a surrogate
    pair past U+FFFF), valid inside a JSON string and legible anywhere else, where
    ``backslashreplace`` would write ``\\xe9``, which no JSON reader accepts."""
    if not isinstance(error, UnicodeEncodeError):
        raise error
    out = []
    for char in error.object[error.start : error.end]:
        code = ord(char)
        if code > 0xFFFF:
            code -= 0x10000
            out.append(f"\\u{0xD800 + (code >> 10):04x}\\u{0xDC00 + (code & 0x3FF):04x}")
        else:
            out.append(f"\\u{code:04x}")
    return "".join(out), error.end
