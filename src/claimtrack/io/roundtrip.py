"""Round-trip YAML edits (ruamel.yaml): an edit changes the lines of the fields it names, no more.

ruamel.yaml keeps comments, key order and quoting, but re-emits a few things its own way (`null`
becomes empty, spacing after a colon, a folded plain scalar). So the edited document is not
written as ruamel prints it: the change ruamel makes for the edit (its dump of the untouched data
against its dump of the edited data) is applied to the original lines, a three-way merge in which
every line outside the edited fields is the user's own byte for byte.
"""

from __future__ import annotations

import difflib
import io
import re
from collections.abc import Callable
from typing import Any

from ruamel.yaml import YAML
from ruamel.yaml.error import MarkedYAMLError, YAMLError

from claimtrack.core.errors import DataError
from claimtrack.io import yamlio

#: Wider than any line we keep: ruamel never re-wraps a long line.
#: Lines are never folded: a long statement stays on one line (and one diff line).
WIDTH = 1 << 16
_WIDTH = WIDTH


def yaml_rt(indent: int = 2, offset: int = 0, explicit_start: bool = False) -> YAML:
    """A round-trip YAML 1.2 (ruamel's default, like our reader) with the given layout."""
    rt = YAML(typ="rt")
    rt.preserve_quotes = True
    rt.width = _WIDTH
    rt.indent(mapping=indent, sequence=indent + offset if offset else indent, offset=offset)
    rt.explicit_start = explicit_start
    # ruamel writes None as an empty value; `null` says it on purpose (and reads the same).
    rt.representer.add_representer(type(None), _represent_null)
    return rt


def _represent_null(representer: Any, _data: None) -> Any:
    return representer.represent_scalar("tag:yaml.org,2002:null", "null")


def _layout(text: str) -> tuple[int, int, bool]:
    """The mapping indent, the block-sequence dash offset and whether ``---`` opens the file.

    Both are read from the first nested block after a bare ``key:`` line.
    """
    indent: int | None = None
    offset: int | None = None
    parent: int | None = None  # the depth of the last bare `key:` line
    content = [ln for ln in text.splitlines() if ln.strip() and not ln.lstrip().startswith("#")]
    for line in content:
        line = line.rstrip()
        stripped = line.lstrip(" ")
        depth = len(line) - len(stripped)
        if parent is not None:
            if stripped.startswith("- ") or stripped == "-":
                offset = depth - parent if offset is None else offset
            elif depth > parent and indent is None:
                indent = depth - parent
        parent = depth if stripped.endswith(":") and not stripped.startswith("- ") else None
        if parent is None and stripped.startswith("- ") and stripped.endswith(":"):
            parent = depth + 2
    indent = indent if indent in (2, 4) else 2
    offset = offset if offset is not None and 0 <= offset <= indent else 0
    explicit = bool(content) and content[0].startswith("---")
    return indent, offset, explicit


def load(text: str, path: str = "") -> Any:
    """The round-trip document of ``text``; a syntax problem is a DataError with LINE:COL."""
    try:
        return yaml_rt().load(text)
    except MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        where = f"{path}:{mark.line + 1}:{mark.column + 1}: " if mark is not None else f"{path}: "
        raise DataError(f"{where}{exc.problem or exc.context or 'invalid YAML'}") from None
    except YAMLError as exc:
        raise DataError(f"{path}: {str(exc).splitlines()[0]}") from None


def dump(data: Any, rt: YAML | None = None) -> str:
    stream = io.StringIO()
    (rt or yaml_rt()).dump(data, stream)
    return stream.getvalue()


def edit_text(text: str, mutate: Callable[[Any], None], path: str = "") -> str:
    """``text`` with ``mutate`` applied to its document, every other line kept as it was."""
    newline = "\r\n" if "\r\n" in text else "\n"
    plain = text.replace("\r\n", "\n")
    rt = yaml_rt(*_layout(plain))
    base = dump(load(plain, path), rt)
    data = load(plain, path)
    mutate(data)
    theirs = dump(data, rt)
    merged = merge(plain, base, theirs)
    # The merge is a line-level device; if it ever disagrees with ruamel on the data, trust ruamel.
    try:
        if yamlio.load_text(merged) != yamlio.load_text(theirs):
            merged = theirs
    except yamlio.YamlProblem:
        merged = theirs
    return merged.replace("\n", newline) if newline != "\n" else merged


_NULL_VALUE = re.compile(r":(?: (?:~|null|Null|NULL))?$")


def _shape(line: str) -> str:
    """A line as far as alignment cares: spacing and the spelling of null do not count."""
    return _NULL_VALUE.sub(":", " ".join(line.split()))


def _line_map(a: list[str], b: list[str]) -> list[int | None]:
    """For each line of ``a``, its index in ``b`` when it survives (spacing aside), else None."""
    mapping: list[int | None] = [None] * len(a)
    matcher = difflib.SequenceMatcher(
        None, [_shape(x) for x in a], [_shape(x) for x in b], autojunk=False
    )
    for i, j, size in matcher.get_matching_blocks():
        for k in range(size):
            mapping[i + k] = j + k
    return mapping


def _mapped(mapping: list[int | None], index: int) -> int:
    found = mapping[index]
    assert found is not None, "regions are widened until their edges are mapped"
    return found


def _trivia(lines: list[str]) -> bool:
    """Whether lines hold only blanks, comments and document markers (no data)."""
    return all(not x.strip() or x.lstrip().startswith(("#", "---", "%")) for x in lines)


def merge(ours: str, base: str, theirs: str) -> str:
    """Apply the change ``base`` → ``theirs`` to ``ours`` (a version of ``base`` laid out by hand).

    Each changed region of ``base`` is widened until the lines around it are unchanged in both
    ``ours`` and ``theirs``; that region of ``ours`` is then replaced by the region of ``theirs``.
    """
    if ours == base:
        return theirs
    o, b, t = (s.splitlines(keepends=True) for s in (ours, base, theirs))
    to_ours, to_theirs = _line_map(b, o), _line_map(b, t)
    matcher = difflib.SequenceMatcher(None, b, t, autojunk=False)
    regions: list[list[int]] = []
    for tag, i1, i2, _j1, _j2 in matcher.get_opcodes():
        if tag == "equal":
            continue
        while i1 > 0 and (to_ours[i1 - 1] is None or to_theirs[i1 - 1] is None):
            i1 -= 1
        while i2 < len(b) and (to_ours[i2] is None or to_theirs[i2] is None):
            i2 += 1
        if regions and i1 <= regions[-1][1]:
            regions[-1][1] = max(regions[-1][1], i2)
        else:
            regions.append([i1, i2])
    # Blank and comment lines before the first and after the last line of data in ``ours`` are
    # the user's; a region at either edge of the document must not swallow them.
    mapped_ours = sorted(x for x in to_ours if x is not None)
    head = mapped_ours[0] if mapped_ours and _trivia(o[: mapped_ours[0]]) else 0
    tail = mapped_ours[-1] + 1 if mapped_ours and _trivia(o[mapped_ours[-1] + 1 :]) else len(o)
    out: list[str] = []
    cursor = 0
    for i1, i2 in regions:
        o1 = _mapped(to_ours, i1 - 1) + 1 if i1 > 0 else head
        o2 = _mapped(to_ours, i2) if i2 < len(b) else tail
        t1 = _mapped(to_theirs, i1 - 1) + 1 if i1 > 0 else 0
        t2 = _mapped(to_theirs, i2) if i2 < len(b) else len(t)
        out.extend(o[cursor:o1])
        out.extend(t[t1:t2])
        cursor = o2
    out.extend(o[cursor:])
    return "".join(out)


def scalar_like(old: Any, value: Any) -> Any:
    """``value`` written in the style of ``old`` (quoted stays quoted); multi-line as a block."""
    from ruamel.yaml.scalarstring import LiteralScalarString, ScalarString

    if not isinstance(value, str):
        return value
    if "\n" in value:
        return LiteralScalarString(value)
    if isinstance(old, ScalarString) and not isinstance(old, LiteralScalarString):
        return type(old)(value)
    return value
