"""Where terminal text goes: its width, whether it takes colour, what it can show.

Light on purpose (no rich): a command asks for its terminal before it knows whether anything
must be laid out (a kept listing is written as it was kept)."""

from __future__ import annotations

import os
from dataclasses import dataclass

#: Style words -> SGR parameters (the few styles claimtrack uses).
SGR: dict[str, str] = {
    "bold": "1",
    "dim": "2",
    "italic": "3",
    "red": "31",
    "green": "32",
    "yellow": "33",
    "magenta": "35",
}
#: Encodings that can show any text.
UNICODE = frozenset({"utf-8", "utf_8", "utf8", "utf-16", "utf-32"})


@dataclass(frozen=True)
class Terminal:
    """Where text goes: its width in cells and whether it takes colour (SGR codes)."""

    width: int = 80
    color: bool = False
    #: Text the console cannot show (an ASCII console) is written as backslash codes: it is
    #: converted before it is measured, so that columns stay aligned.
    encoding: str = "utf-8"

    def fit(self, text: str) -> str:
        """``text`` as the console will show it."""
        if text.isascii() or self.encoding in UNICODE:
            return text
        return text.encode(self.encoding, "backslashreplace").decode(self.encoding)

    def paint(self, text: str, style: str = "") -> str:
        """``text`` in ``style`` ("bold red"); as it is without colour. The text must already
        be inert (see :mod:`claimtrack.core.escape`)."""
        if not self.color or not style or not text:
            return text
        codes = ";".join(SGR[word] for word in style.split() if word in SGR)
        return f"\x1b[{codes}m{text}\x1b[0m" if codes else text


#: The width of a stream that is no terminal: no line is wrapped (one claim, one line, for
#: grep and the like), unless ``$COLUMNS`` says otherwise.
UNBOUNDED = 1_000_000


def screen_width(stream_fd: int | None = None) -> int:
    """The width to lay out for: ``$COLUMNS``, else the terminal's (``stream_fd``), else, for
    a stream that is no terminal, :data:`UNBOUNDED`."""
    columns = os.environ.get("COLUMNS", "")
    if columns.isdigit() and int(columns) > 0:
        return int(columns)
    if stream_fd is not None:
        try:
            return os.get_terminal_size(stream_fd).columns or 80
        except OSError:
            return 80
    return UNBOUNDED
