"""Safe, fast YAML reading: libyaml's parser, YAML 1.2 core-schema scalars, no duplicate keys.

PyYAML's C parser is the fastest safe reader measured for our files; its defaults are YAML 1.1
(``no`` is false, ``010`` is 8, ``1:20`` is 80, bare dates become datetimes), so the resolver and
the constructors are replaced by the YAML 1.2 core schema, unknown tags are errors (nothing is
ever constructed from a tag), duplicate and non-string keys are errors, an alias inside the
collection its anchor names (a document that holds itself) and aliases that would expand past a
limit are refused before anything is built from them, and so are numbers no claim can hold
(integers past a float's range, literals that overflow to infinity).
"""

from __future__ import annotations

import codecs
import contextlib
import math
import re
from dataclasses import dataclass
from typing import Any

import yaml

try:  # libyaml is in every PyYAML wheel; the pure-Python parser is a slow but correct fallback.
    from yaml import CSafeLoader as _BaseLoader
except ImportError:  # pragma: no cover - depends on the PyYAML build
    from yaml import SafeLoader as _BaseLoader  # type: ignore[assignment]

#: Files larger than this are refused unread (claims and registries are a few KiB).
MAX_FILE_BYTES = 2 * 1024 * 1024
#: The number of nodes a document may expand to once aliases are followed.
MAX_EXPANDED_NODES = 100_000
#: The most bits an integer may need before it is converted: a float's range ends at 2**1024
#: (about 1.8e308), so nothing a claim holds needs more, and the text of any such integer stays
#: far under the 640 digits Python's int-conversion limit can be lowered to
#: (``PYTHONINTMAXSTRDIGITS``): no number that loads can fail to print.
_MAX_INT_BITS = 1024


class YamlProblem(Exception):
    """A file that cannot be read as claim data, with a 1-based position."""

    def __init__(self, message: str, line: int = 0, col: int = 0, rule: str = "yaml-syntax"):
        super().__init__(message)
        self.message = message
        self.line = line
        self.col = col
        self.rule = rule


class _Loader(_BaseLoader):
    """libyaml parser + YAML 1.2 core schema + strict mappings."""

    def construct_mapping(self, node: yaml.Node, deep: bool = False) -> dict[Any, Any]:
        if not isinstance(node, yaml.MappingNode):
            raise yaml.constructor.ConstructorError(
                None, None, "expected a mapping", node.start_mark
            )
        mapping: dict[Any, Any] = {}
        first_seen: dict[str, yaml.Mark] = {}
        for key_node, value_node in node.value:
            if not isinstance(key_node, yaml.ScalarNode) or key_node.tag != "tag:yaml.org,2002:str":
                shown = key_node.value if isinstance(key_node, yaml.ScalarNode) else key_node.id
                raise yaml.constructor.ConstructorError(
                    None, None, f"keys must be text, found {shown!r}", key_node.start_mark
                )
            key = key_node.value
            if key in first_seen:
                raise yaml.constructor.ConstructorError(
                    None,
                    None,
                    f"duplicate key {key!r} (first at line {first_seen[key].line + 1})",
                    key_node.start_mark,
                )
            first_seen[key] = key_node.start_mark
            mapping[key] = self.construct_object(value_node, deep=deep)
        return mapping


#: The core schema's forms of each scalar type (an explicit tag must fit them too).
_NULL = re.compile(r"^(?:~|null|Null|NULL|)$")
_BOOL = re.compile(r"^(?:true|True|TRUE|false|False|FALSE)$")
_INT = re.compile(r"^(?:[-+]?[0-9]+|0o[0-7]+|0x[0-9a-fA-F]+)$")
_FLOAT = re.compile(
    r"^(?:[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)(?:[eE][-+]?[0-9]+)?"
    r"|[-+]?\.(?:inf|Inf|INF)|\.(?:nan|NaN|NAN))$"
)


def _fits(node: yaml.Node, form: re.Pattern[str], tag: str) -> str:
    """The scalar's text, if it has a form of its type (``!!int abc`` is a problem)."""
    if not isinstance(node, yaml.ScalarNode) or not form.fullmatch(node.value):
        shown = (
            repr(node.value)
            if isinstance(node, yaml.ScalarNode)
            else "a sequence"
            if isinstance(node, yaml.SequenceNode)
            else "a mapping"
        )
        raise yaml.constructor.ConstructorError(
            None, None, f"tag !!{tag} does not fit {shown}", node.start_mark
        )
    return str(node.value)


def _construct_null(loader: _Loader, node: yaml.Node) -> None:
    _fits(node, _NULL, "null")


class NumberError(yaml.constructor.ConstructorError):
    """A number no claim can hold: past a float's range, or a literal that overflows."""


def _too_large(node: yaml.Node, what: str) -> NumberError:
    return NumberError(
        None,
        None,
        f"{what} is too large for a number (a number ends near 1.8e308); "
        "put it in quotes if it is text",
        node.start_mark,
    )


#: How many bits each digit of a base carries (an upper bound, to refuse before converting).
_BITS_PER_DIGIT = {16: 4.0, 10: math.log2(10), 8: 3.0}


def _int(text: str, node: yaml.Node) -> int:
    sign = -1 if text.startswith("-") else 1
    digits = text.lstrip("+-")
    base = 10  # YAML 1.2: 010 is ten, not eight
    if digits.startswith(("0o", "0x")):
        base = 16 if digits[1] == "x" else 8
        digits = digits[2:]
    digits = digits.lstrip("0") or "0"
    # Refused before the conversion: Python's limit would raise on 4,301 digits, and the
    # conversion of a long text takes quadratic time.
    if (len(digits) - 1) * _BITS_PER_DIGIT[base] > _MAX_INT_BITS:
        raise _too_large(node, f"an integer of {len(digits)} digits")
    value = sign * int(digits, base)
    try:
        float(value)
    except OverflowError:
        raise _too_large(node, f"an integer of {len(digits)} digits") from None
    return value


def _construct_int(loader: _Loader, node: yaml.Node) -> int:
    return _int(_fits(node, _INT, "int"), node)


def _construct_float(loader: _Loader, node: yaml.Node) -> float:
    if not isinstance(node, yaml.ScalarNode) or not _FLOAT.fullmatch(node.value):
        return float(_int(_fits(node, _INT, "float"), node))  # an integer is a float too
    text = node.value.lower()
    if text.endswith(".inf"):
        return float("-inf") if text.startswith("-") else float("inf")
    if text == ".nan":
        return float("nan")
    value = float(text)
    if math.isinf(value):  # 1e999: a finite literal that no float holds (.inf says it plainly)
        shown = text if len(text) <= 24 else text[:21] + "..."
        raise _too_large(node, shown)
    return value


def _construct_bool(loader: _Loader, node: yaml.Node) -> bool:
    return _fits(node, _BOOL, "bool").lower() == "true"


def _construct_undefined(loader: _Loader, node: yaml.Node) -> Any:
    raise yaml.constructor.ConstructorError(
        None, None, f"tag {node.tag!r} is not allowed in claim files", node.start_mark
    )


SC = yaml.constructor.SafeConstructor
_Loader.yaml_constructors = {
    "tag:yaml.org,2002:null": _construct_null,
    "tag:yaml.org,2002:bool": _construct_bool,
    "tag:yaml.org,2002:int": _construct_int,
    "tag:yaml.org,2002:float": _construct_float,
    "tag:yaml.org,2002:str": SC.construct_yaml_str,
    "tag:yaml.org,2002:seq": SC.construct_yaml_seq,
    "tag:yaml.org,2002:map": SC.construct_yaml_map,
    None: _construct_undefined,
}
_Loader.yaml_multi_constructors = {}

# The YAML 1.2 core schema (https://yaml.org/spec/1.2.2/#1032-tag-resolution).
_Loader.yaml_implicit_resolvers = {}
_Loader.add_implicit_resolver("tag:yaml.org,2002:null", _NULL, ["~", "n", "N", ""])
_Loader.add_implicit_resolver("tag:yaml.org,2002:bool", _BOOL, list("tTfF"))
_Loader.add_implicit_resolver("tag:yaml.org,2002:int", _INT, list("-+0123456789"))
_Loader.add_implicit_resolver("tag:yaml.org,2002:float", _FLOAT, list("-+.0123456789"))


_STR, _SEQ, _MAP = "tag:yaml.org,2002:str", "tag:yaml.org,2002:seq", "tag:yaml.org,2002:map"
#: The core schema's resolvers by the first character they can match ("" for the empty scalar).
_BY_FIRST: dict[str, list[tuple[str, re.Pattern[str]]]] = dict(_Loader.yaml_implicit_resolvers)


def _resolve(loader: _Loader, kind: type[yaml.Node], value: str, implicit: Any) -> str:
    """PyYAML's ``Resolver.resolve`` for our schema, without its generality: libyaml calls it
    for every node, and most scalars (prose) start with a letter no resolver wants."""
    if kind is yaml.ScalarNode:
        if implicit[0]:
            for tag, regexp in _BY_FIRST.get(value[:1], ()):
                if regexp.match(value):
                    return tag
        return _STR
    return _SEQ if kind is yaml.SequenceNode else _MAP


def _no_paths(loader: _Loader, *node_and_index: Any) -> None:
    """``descend_resolver``/``ascend_resolver``: there are no path resolvers to follow."""


_Loader.resolve = _resolve  # type: ignore[method-assign, assignment]
_Loader.descend_resolver = _no_paths  # type: ignore[method-assign, assignment]
_Loader.ascend_resolver = _no_paths  # type: ignore[method-assign, assignment]


def decode(raw: bytes) -> str:
    """Bytes to text: UTF-8 (a BOM is dropped) or UTF-16 with a BOM; anything else is a problem."""
    if raw.startswith(codecs.BOM_UTF8):
        raw = raw[len(codecs.BOM_UTF8) :]
    elif raw.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        try:
            text = raw.decode("utf-16")
        except UnicodeDecodeError as exc:
            before = raw[: exc.start].decode("utf-16", "replace")
            line, col = position_of(before, len(before))
            raise YamlProblem(
                f"invalid UTF-16: {exc.reason}", line, col, rule="file-encoding"
            ) from None
        return _check_text(text)
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        line, col = position_of(raw[: exc.start].decode("utf-8", "replace"), exc.start)
        raise YamlProblem(
            f"not valid UTF-8 (byte 0x{raw[exc.start]:02x}); save the file as UTF-8",
            line,
            col,
            rule="file-encoding",
        ) from None
    return _check_text(text)


_FORBIDDEN = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ud800-\udfff\ufffe\uffff]")


def _check_text(text: str) -> str:
    bad = _FORBIDDEN.search(text)
    if bad:
        line, col = position_of(text, bad.start())
        raise YamlProblem(
            f"control character U+{ord(bad.group()):04X} is not allowed in YAML",
            line,
            col,
            rule="file-encoding",
        )
    return text


def position_of(text: str, offset: int) -> tuple[int, int]:
    """1-based line and column of a character offset."""
    line = text.count("\n", 0, offset) + 1
    col = offset - (text.rfind("\n", 0, offset) + 1) + 1
    return line, col


def _expanded_size(root: yaml.Node) -> int:
    """How many nodes the document becomes once every alias is followed (memoised, no copies)."""
    memo: dict[int, int] = {}
    stack: list[tuple[yaml.Node, bool]] = [(root, False)]
    while stack:
        node, children_done = stack.pop()
        if id(node) in memo:
            continue
        if isinstance(node, yaml.ScalarNode):
            memo[id(node)] = 1
            continue
        children = (
            [n for pair in node.value for n in pair]
            if isinstance(node, yaml.MappingNode)
            else list(node.value)
        )
        if children_done:
            memo[id(node)] = 1 + sum(memo.get(id(c), 0) for c in children)
            if memo[id(node)] > MAX_EXPANDED_NODES:
                return memo[id(node)]
        else:
            stack.append((node, True))
            stack.extend((c, False) for c in children if id(c) not in memo)
    return memo[id(root)]


_ANCHOR = re.compile(r"&([^\s,\[\]{}]+)")
_OPENS = (yaml.SequenceStartEvent, yaml.MappingStartEvent)
_CLOSES = (yaml.SequenceEndEvent, yaml.MappingEndEvent)


def _alias_cycle(text: str) -> YamlProblem | None:
    """The first alias inside the collection its anchor names (``x: &a [*a]``, a mapping that
    holds itself, at any depth), found from the parser's events before any node is composed:
    such a document contains itself, and nothing that follows it ever ends."""
    loader = _Loader(text)
    try:
        opened: list[str | None] = []  # the anchors of the collections being read, outermost first
        open_now: dict[str, bool] = {}  # anchor -> whether its latest definition is still open
        while True:
            event = loader.get_event()
            if isinstance(event, yaml.AliasEvent):
                if event.anchor is not None and open_now.get(event.anchor):
                    mark = event.start_mark
                    return YamlProblem(
                        f"alias *{event.anchor} is inside the collection anchored &{event.anchor}:"
                        " the document would contain itself",
                        mark.line + 1 if mark else 1,
                        mark.column + 1 if mark else 1,
                        rule="yaml-alias",
                    )
            elif isinstance(event, yaml.ScalarEvent):
                if event.anchor is not None:  # redefined: later aliases mean this scalar
                    open_now[event.anchor] = False
            elif isinstance(event, _OPENS):
                opened.append(event.anchor)
                if event.anchor is not None:
                    open_now[event.anchor] = True
            elif isinstance(event, _CLOSES):
                anchor = opened.pop()
                if anchor is not None:
                    open_now[anchor] = False
            elif isinstance(event, yaml.DocumentEndEvent | yaml.StreamEndEvent):
                return None  # a second document is the composer's problem
    finally:
        loader.dispose()


class _Unusual(Exception):
    """A document :func:`_construct_tree` leaves to PyYAML's constructors."""


def _construct_tree(loader: _Loader, node: yaml.Node) -> Any:
    """``construct_document`` for the usual document (no aliases, no tags but the core
    schema's, text keys, no duplicates, every value fitting its tag) by plain recursion, without
    PyYAML's machinery for shared and recursive nodes, which is most of the time a claim file
    takes to load. Anything else raises :class:`_Unusual`, and PyYAML's constructors make the
    value or the error (in their order: a mapping's keys before its nested values)."""
    kind = type(node)
    if kind is yaml.ScalarNode:
        tag = node.tag
        if tag == _STR:
            return node.value
        make = _SCALARS.get(tag)
        if make is None:
            raise _Unusual
        try:
            return make(loader, node)
        except yaml.constructor.ConstructorError:
            raise _Unusual from None  # PyYAML's path says which problem comes first
    if kind is yaml.SequenceNode and node.tag == _SEQ:
        return [_construct_tree(loader, item) for item in node.value]
    if kind is not yaml.MappingNode or node.tag != _MAP:
        raise _Unusual
    mapping: dict[str, Any] = {}
    for key_node, value_node in node.value:
        if type(key_node) is not yaml.ScalarNode or key_node.tag != _STR:
            raise _Unusual
        key = key_node.value
        if key in mapping:
            raise _Unusual
        mapping[key] = _construct_tree(loader, value_node)
    return mapping


_SCALARS = {
    tag: make
    for tag, make in _Loader.yaml_constructors.items()
    if tag in ("tag:yaml.org,2002:null", "tag:yaml.org,2002:bool")
    or tag in ("tag:yaml.org,2002:int", "tag:yaml.org,2002:float")
}


def load_text(text: str) -> Any:
    """Parse one YAML document safely; raise YamlProblem with a position on any problem."""
    loader = _Loader(text)
    try:
        node = loader.get_single_node()
        if node is None:
            return None
        if "*" not in text:  # no alias: the node graph is a tree
            # Nesting too deep for plain recursion goes to PyYAML, which does not recurse.
            with contextlib.suppress(_Unusual, RecursionError):
                return _construct_tree(loader, node)
        elif (cycle := _alias_cycle(text)) is not None:
            raise cycle
        elif _expanded_size(node) > MAX_EXPANDED_NODES:
            raise YamlProblem(
                f"aliases expand this document past {MAX_EXPANDED_NODES} nodes; refused",
                node.start_mark.line + 1,
                node.start_mark.column + 1,
                rule="yaml-alias",
            )
        return loader.construct_document(node)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        message = exc.problem or exc.context or "invalid YAML"
        rule = "yaml-syntax"
        if isinstance(exc, NumberError):
            rule = "yaml-number"
        elif isinstance(exc, yaml.constructor.ConstructorError):
            rule = (
                "yaml-duplicate-key"
                if "duplicate key" in message
                else "yaml-tag"
                if "tag" in message
                else "yaml-key"
                if "keys must be" in message
                else "yaml-syntax"
            )
        context = exc.context or ""
        if isinstance(exc, yaml.composer.ComposerError) and "single document" in context:
            message = "a claim file holds one YAML document; found a second one"
            rule = "yaml-multi-document"
        elif context.startswith("found duplicate anchor"):
            first = f" (first at line {exc.context_mark.line + 1})" if exc.context_mark else ""
            name = _ANCHOR.match(text, mark.index) if mark is not None else None
            message = f"anchor &{name.group(1) if name else ''} is defined twice{first}"
            rule = "yaml-alias"
        elif "maximum nesting depth" in message:
            message = "nesting is too deep (libyaml's limit is 1000 levels)"
            rule = "yaml-depth"
        elif "mapping values are not allowed" in message:
            if mark is not None and mark.column > 1024:
                message = "a key longer than 1024 characters; YAML does not allow it"
            else:
                message += " (a value that contains ': ' needs quotes)"
        if mark is None:
            raise YamlProblem(message, rule=rule) from None
        raise YamlProblem(message, mark.line + 1, mark.column + 1, rule=rule) from None
    except yaml.YAMLError as exc:
        raise YamlProblem(str(exc).splitlines()[0] if str(exc) else "invalid YAML", 1, 1) from None
    except RecursionError:
        raise YamlProblem("nesting is too deep", 1, 1, rule="yaml-depth") from None
    finally:
        loader.dispose()


def compose_text(text: str) -> yaml.Node | None:
    """The node tree of a document already known to load, for locating fields."""
    loader = _Loader(text)
    try:
        return loader.get_single_node()
    finally:
        loader.dispose()


@dataclass(frozen=True)
class Located:
    line: int
    col: int


def locate(root: yaml.Node | None, loc: tuple[str | int, ...], key: bool = False) -> Located:
    """The position of the value at ``loc`` (or of its key with ``key=True``).

    Walks as deep as the path exists, so a missing field points at the mapping that lacks it.
    """
    if root is None:
        return Located(1, 1)
    node: yaml.Node = root
    key_node: yaml.Node | None = None
    for part in loc:
        if isinstance(node, yaml.MappingNode):
            for k, v in node.value:
                if isinstance(k, yaml.ScalarNode) and k.value == part:
                    key_node, node = k, v
                    break
            else:
                break
        elif isinstance(node, yaml.SequenceNode) and isinstance(part, int):
            if 0 <= part < len(node.value):
                key_node, node = None, node.value[part]
            else:
                break
        else:
            break
    else:
        if key and key_node is not None:
            return Located(key_node.start_mark.line + 1, key_node.start_mark.column + 1)
    return Located(node.start_mark.line + 1, node.start_mark.column + 1)


def load_text_scalar_type(value: str) -> type:
    """The Python type a plain (unquoted) scalar would load as under our YAML 1.2 resolver."""
    for tag, regexp in _PLAIN_TYPES:
        if regexp.match(value):
            return tag
    return str


_PLAIN_TYPES: list[tuple[type, re.Pattern[str]]] = [
    (type(None), re.compile(r"^(?:~|null|Null|NULL)$")),
    (bool, re.compile(r"^(?:true|True|TRUE|false|False|FALSE)$")),
    (int, re.compile(r"^(?:[-+]?[0-9]+|0o[0-7]+|0x[0-9a-fA-F]+)$")),
    (
        float,
        re.compile(
            r"^(?:[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)(?:[eE][-+]?[0-9]+)?"
            r"|[-+]?\.(?:inf|Inf|INF)|\.(?:nan|NaN|NAN))$"
        ),
    ),
]
