"""Text for a terminal written line by line: cell widths, wrapping, styles, streaming tables.

rich lays out a whole table before it prints a line (10k claims took 13 s and 220 MB); these
tables take their column widths from what is known up front (every id and status is short and
cheap to measure; free text from a bounded sample) and then write each row as it comes. Ids,
statuses and paths are never wrapped or cut: free text wraps instead, and when the screen is
too narrow columns drop in the order given by :attr:`Column.drop`, then rows stack.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass

from rich.cells import cell_len, get_character_cell_size

from claimtrack.render.screen import SGR as SGR
from claimtrack.render.screen import UNBOUNDED as UNBOUNDED
from claimtrack.render.screen import UNICODE as UNICODE
from claimtrack.render.screen import Terminal as Terminal
from claimtrack.render.screen import screen_width as screen_width

#: Spaces between two columns.
GAP = 2
SEP = " " * GAP
#: The narrowest a wrapping column gets before a column is dropped.
MIN_FREE = 20
#: Rows measured to size a free-text column (its widest value, capped by the column).
SAMPLE = 200


def cells(text: str) -> int:
    """Cells ``text`` takes on a terminal (wide characters take two, combining ones none)."""
    return len(text) if text.isascii() else cell_len(text)


def _cut(word: str, width: int) -> tuple[str, str]:
    """The head of ``word`` that fits ``width`` cells (at least one character), and the rest."""
    if word.isascii():
        return word[:width], word[width:]
    used = 0
    for i, char in enumerate(word):
        size = get_character_cell_size(char)
        if used + size > width and i:
            return word[:i], word[i:]
        used += size
    return word, ""


def wrap(text: str, width: int) -> list[str]:
    """``text`` (one line) in lines of at most ``width`` cells, broken between words; a word
    longer than a line is cut."""
    width = max(width, 1)
    measure = len if text.isascii() else cell_len
    if measure(text) <= width:
        return [text]
    lines: list[str] = []
    line, used = "", 0
    for word in text.split(" "):
        size = measure(word)
        if line and used + 1 + size <= width:
            line, used = f"{line} {word}", used + 1 + size
            continue
        if line:
            lines.append(line)
        while size > width:
            head, word = _cut(word, width)
            lines.append(head)
            size = measure(word)
        line, used = word, size
    if line or not lines:
        lines.append(line)
    return lines


def paragraphs(text: str, width: int) -> list[str]:
    """Like :func:`wrap`, for text that may hold newlines (each starts a new line)."""
    return [line for part in text.split("\n") for line in wrap(part, width)]


def labelled(
    terminal: Terminal,
    label: str,
    value: str,
    style: str = "",
    indent: int = 0,
    pad: int = 14,
    whole: bool = False,
) -> Iterator[str]:
    """``label`` in bold, then ``value`` wrapped to the screen, every line of it starting under
    the first (a hanging indent); ``value`` must already be inert. A ``whole`` value (a path)
    is never broken: too long for its place, it goes on the next line, indented less."""
    head = " " * indent + f"{label:<{pad}}"
    room = max(terminal.width - len(head), MIN_FREE)
    if whole:
        text = terminal.fit(value)
        if cells(text) <= room:
            yield terminal.paint(head, "bold") + terminal.paint(text, style) + "\n"
        else:
            yield terminal.paint(head.rstrip(), "bold") + "\n"
            yield " " * (indent + 2) + terminal.paint(text, style) + "\n"
        return
    lines = paragraphs(terminal.fit(value), room)
    yield terminal.paint(head, "bold") + terminal.paint(lines[0], style) + "\n"
    blank = " " * len(head)
    for line in lines[1:]:
        yield blank + terminal.paint(line, style) + "\n"


@dataclass(frozen=True)
class Column:
    """A column of a streaming table.

    ``width``: for a ``fixed`` column (ids, statuses, paths: never wrapped nor cut) its widest
    value; for a free-text column the widest it is worth making. ``drop``: columns with a
    higher number go first when the screen is narrow; 0 never goes. When even the columns
    that never go do not fit, rows stack: the fixed columns on one line, each free one (and
    each fixed one marked ``below``, such as a long path) on its own indented lines.
    """

    header: str
    width: int
    fixed: bool = False
    drop: int = 0
    right: bool = False
    below: bool = False
    #: The narrowest a free-text column gets before another column drops.
    minimum: int = MIN_FREE


@dataclass(frozen=True)
class Layout:
    """The columns kept and their widths, or (``stacked``) one line of the fixed columns with
    each free-text one below it, indented."""

    kept: tuple[int, ...]
    widths: tuple[int, ...]
    stacked: bool = False
    #: Stacked: the columns of the first line, and their widths when they fit (else 0: as is).
    head: tuple[int, ...] = ()
    head_widths: tuple[int, ...] = ()


def sample_width(values: Iterable[str], limit: int) -> int:
    """The widest of (at most :data:`SAMPLE`) values, capped at ``limit``."""
    widest = 0
    for i, value in enumerate(values):
        if i >= SAMPLE:
            break
        widest = max(widest, cells(value))
    return min(widest, limit)


def layout(columns: Sequence[Column], width: int) -> Layout:
    """Fit the columns to ``width``: fixed ones at their width, free ones share the rest; drop
    columns (highest ``drop`` first) while a free one would get under its minimum."""
    kept = list(range(len(columns)))
    while True:
        widths = {i: max(columns[i].width, cells(columns[i].header)) for i in kept}
        free = [i for i in kept if not columns[i].fixed]
        room = width - sum(widths[i] for i in kept if columns[i].fixed) - GAP * (len(kept) - 1)
        if not free or room >= sum(columns[i].minimum for i in free):
            break
        droppable = [i for i in kept if columns[i].drop]
        if not droppable:
            head = [i for i in kept if _heads(columns[i])]
            shown = tuple(head + [i for i in kept if i not in head])
            head_widths = [widths[i] for i in head]
            fits = sum(head_widths) + GAP * (len(head) - 1) <= width
            return Layout(
                shown,
                tuple(widths[i] for i in shown),
                stacked=True,
                head=tuple(head),
                head_widths=tuple(head_widths) if fits else (0,) * len(head),
            )
        kept.remove(max(droppable, key=lambda i: columns[i].drop))
    # Each free column gets its minimum, then the rest of the room in proportion to how much
    # more it wishes for; the last column, when free, takes what is left over (one in the
    # middle would be padded with it).
    wished = {i: max(widths[i] - columns[i].minimum, 0) for i in free}
    spare = room - sum(columns[i].minimum for i in free)
    total = sum(wished.values()) or 1
    for i in free:
        widths[i] = columns[i].minimum + min(wished[i], spare * wished[i] // total)
    if free and free[-1] == kept[-1]:
        widths[free[-1]] += room - sum(widths[i] for i in free)
    return Layout(tuple(kept), tuple(widths[i] for i in kept))


def _heads(column: Column) -> bool:
    """Whether the column stays on the first line of a stacked row."""
    return column.fixed and not column.below


def header(terminal: Terminal, columns: Sequence[Column], shape: Layout) -> str:
    """The header line of a table laid out as ``shape``."""
    names = [(c.header, "bold") for c in columns]
    if shape.stacked:
        return _head_line(terminal, shape, names)
    return row(terminal, columns, shape, names)


def row(
    terminal: Terminal,
    columns: Sequence[Column],
    shape: Layout,
    values: Sequence[tuple[str, str]],
) -> str:
    """One row (its lines) of a table laid out as ``shape``: ``values`` are (inert text,
    style), one per column of the table, kept or not."""
    values = [(terminal.fit(text), style) for text, style in values]
    if shape.stacked:
        return _stacked(terminal, columns, shape, values)
    unbounded = terminal.width >= UNBOUNDED  # one row, one line (a longer value pushes)
    if unbounded or all(
        columns[i].fixed or cells(values[i][0]) <= width
        for i, width in zip(shape.kept, shape.widths, strict=True)
    ):
        return _one_line(terminal, columns, shape, values)
    paint = terminal.paint
    blocks: list[list[str]] = []
    for i, width in zip(shape.kept, shape.widths, strict=True):
        text = values[i][0]
        blocks.append([text] if columns[i].fixed else wrap(text, width))
    height = max(len(b) for b in blocks)
    last = len(blocks) - 1
    out = []
    for n in range(height):
        parts = []
        for k, i in enumerate(shape.kept):
            block = blocks[k]
            text = block[n] if n < len(block) else ""
            if k == last and not columns[i].right:  # no padding: no trailing spaces
                parts.append(paint(text, values[i][1]))
                continue
            pad = " " * max(shape.widths[k] - cells(text), 0)
            if columns[i].right:
                parts.append(pad + paint(text, values[i][1]))
            else:
                parts.append(paint(text, values[i][1]) + pad)
        out.append(SEP.join(parts).rstrip(" ") + "\n")
    return "".join(out)


def _one_line(
    terminal: Terminal, columns: Sequence[Column], shape: Layout, values: Sequence[tuple[str, str]]
) -> str:
    """A row whose every value fits its column (most rows): :func:`row` without wrapping, which
    is most of the time of a long list."""
    color = terminal.color
    parts = []
    last = len(shape.kept) - 1
    for k, i in enumerate(shape.kept):
        text, style = values[i]
        painted = terminal.paint(text, style) if color else text
        right = columns[i].right
        if k == last and not right:  # no padding: no trailing spaces
            parts.append(painted)
            break
        pad = " " * (shape.widths[k] - (len(text) if text.isascii() else cell_len(text)))
        parts.append(pad + painted if right else painted + pad)
    return SEP.join(parts).rstrip(" ") + "\n"


def _head_line(terminal: Terminal, shape: Layout, values: Sequence[tuple[str, str]]) -> str:
    """The first line of a stacked row: the fixed columns, aligned when they fit the screen."""
    parts = []
    last = len(shape.head) - 1
    for k, (i, width) in enumerate(zip(shape.head, shape.head_widths, strict=True)):
        text, style = values[i]
        pad = " " * (width - cells(text)) if k < last else ""
        parts.append(terminal.paint(text, style) + pad)
    return (" " * GAP).join(parts) + "\n"


def _stacked(
    terminal: Terminal, columns: Sequence[Column], shape: Layout, values: Sequence[tuple[str, str]]
) -> str:
    out = [_head_line(terminal, shape, values)]
    room = max(terminal.width - 4, MIN_FREE)
    for i in shape.kept[len(shape.head) :]:
        text, style = values[i]
        if text:
            lines = [text] if columns[i].fixed else wrap(text, room)
            out += [f"    {terminal.paint(line, style)}\n" for line in lines]
    return "".join(out)
