"""The safe YAML reader: YAML 1.2 scalars, strictness, positions; round trips and fuzzing."""

from __future__ import annotations

import math

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from claimtrack.io import emit, yamlio
from claimtrack.io.files import load_claim_file


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("a: no", {"a": "no"}),
        ("a: on", {"a": "on"}),
        ("a: yes", {"a": "yes"}),
        ("a: 010", {"a": 10}),
        ("a: 0o10", {"a": 8}),
        ("a: 0x1F", {"a": 31}),
        ("a: 1:20", {"a": "1:20"}),
        ("a: 2024-01-05", {"a": "2024-01-05"}),
        ("a: true", {"a": True}),
        ("a: ~", {"a": None}),
        ("a:", {"a": None}),
        ("a: 1e3", {"a": 1000.0}),
        ("a: -.inf", {"a": -math.inf}),
        ("a: 1_000", {"a": "1_000"}),
        ("<<: x", {"<<": "x"}),
    ],
)
def test_yaml_12_core_schema(text, expected):
    assert yamlio.load_text(text) == expected


@pytest.mark.parametrize(
    ("text", "rule", "line", "col"),
    [
        ("a: 1\na: 2\n", "yaml-duplicate-key", 2, 1),
        ("a: !!python/object:os.system x\n", "yaml-tag", 1, 4),
        ("a: !!binary aGk=\n", "yaml-tag", 1, 4),
        ("a: !custom x\n", "yaml-tag", 1, 4),
        ("? [a]\n: x\n", "yaml-key", 1, 3),
        ("1: x\n", "yaml-key", 1, 1),
        ("a: 1\n---\nb: 2\n", "yaml-multi-document", 2, 1),
        ("a:\n\tb: 1\n", "yaml-syntax", 2, 1),
        ("a: [1, 2\n", "yaml-syntax", 2, 1),
        ("a: b: c\n", "yaml-syntax", 1, 5),
        ("a: " + "[" * 1100 + "]" * 1100, "yaml-depth", 1, 1003),
    ],
)
def test_yaml_problems_are_located(text, rule, line, col):
    with pytest.raises(yamlio.YamlProblem) as info:
        yamlio.load_text(text)
    assert (info.value.rule, info.value.line, info.value.col) == (rule, line, col)


def test_alias_bomb_is_refused_without_expanding():
    lines = ['a: &a ["x","x","x","x","x","x","x","x","x"]']
    for prev, name in zip("abcdefgh", "bcdefghi", strict=True):
        lines.append(f"{name}: &{name} [{', '.join(['*' + prev] * 9)}]")
    with pytest.raises(yamlio.YamlProblem) as info:
        yamlio.load_text("\n".join(lines))
    assert info.value.rule == "yaml-alias"


def test_small_aliases_are_fine():
    assert yamlio.load_text("a: &x [1, 2]\nb: *x\n") == {"a": [1, 2], "b": [1, 2]}


@pytest.mark.parametrize(
    ("raw", "text"),
    [
        (b"\xef\xbb\xbfa: 1\n", "a: 1\n"),
        ("a: é\n".encode("utf-16"), "a: é\n"),
        (b"a: 1\r\nb: 2\r\n", "a: 1\r\nb: 2\r\n"),
    ],
)
def test_decoding(raw, text):
    assert yamlio.decode(raw) == text


@pytest.mark.parametrize(
    ("raw", "line", "col"),
    [(b"a: 1\nb: caf\xe9\n", 2, 7), (b"a: \x00\n", 1, 4), (b"a: \x1b[31m\n", 1, 4)],
)
def test_bad_bytes_are_located(raw, line, col):
    with pytest.raises(yamlio.YamlProblem) as info:
        yamlio.decode(raw)
    assert (info.value.rule, info.value.line, info.value.col) == ("file-encoding", line, col)


scalars = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(min_value=-(2**63), max_value=2**63),
    st.floats(allow_nan=False),
    st.text(st.characters(blacklist_categories=("Cs", "Cc"))),
)
documents = st.dictionaries(
    st.text(st.characters(blacklist_categories=("Cs", "Cc")), min_size=1),
    st.recursive(
        scalars,
        lambda inner: (
            st.lists(inner, max_size=4)
            | st.dictionaries(st.text(min_size=1, alphabet="abcxyz-_"), inner, max_size=4)
        ),
        max_leaves=12,
    ),
    max_size=6,
)


@settings(max_examples=200, suppress_health_check=[HealthCheck.too_slow])
@given(documents)
def test_emit_then_load_round_trips(document):
    """Whatever emit writes, the reader reads back the same data (YAML 1.2 quoting holds)."""
    assert yamlio.load_text(emit.dump(document)) == document


@settings(max_examples=300, suppress_health_check=[HealthCheck.too_slow])
@given(st.binary(max_size=400) | st.text(max_size=300).map(lambda t: t.encode("utf-8", "replace")))
def test_any_bytes_give_problems_or_a_claim_never_an_exception(tmp_path_factory, raw):
    folder = tmp_path_factory.mktemp("fuzz")
    path = folder / "fuzz.yaml"
    path.write_bytes(raw)
    record, problems = load_claim_file(path, folder)
    assert record is not None or problems
    for problem in problems:
        assert problem.line >= 1 and problem.col >= 1 and problem.message


def test_lone_surrogate_escapes_are_refused():
    with pytest.raises(yamlio.YamlProblem) as info:
        yamlio.load_text('a: "lone \\ud800"\n')
    assert (info.value.rule, info.value.line) == ("yaml-syntax", 1)


def test_escaped_controls_load_as_text_for_the_renderers_to_escape():
    assert yamlio.load_text('a: "\\e[31m\\x07"\n') == {"a": "\x1b[31m\x07"}


def _outcome(text: str) -> tuple[object, ...]:
    try:
        return ("value", repr(yamlio.load_text(text)))  # repr: True is not 1, nan is nan
    except yamlio.YamlProblem as exc:
        return ("problem", exc.message, exc.line, exc.col, exc.rule)


_PIECES = st.sampled_from(
    [
        "a",
        "b",
        "é",
        ":",
        "\n",
        "-",
        "!!str",
        "!!int",
        "!!map",
        "!!seq",
        "!!float",
        "!!null",
        "!!bool",
        "!!binary",
        "!x",
        "{",
        "}",
        "[",
        "]",
        ",",
        "?",
        "1",
        "0x1F",
        "010",
        "true",
        "~",
        "null",
        "1.5",
        ".inf",
        ".NaN",
        '"x"',
        "'y'",
        "&a",
        "<<:",
        "#c",
        "  ",
        ": ",
        "- ",
        ", ",
        "!!int ",
        "!!float ",
        "!!null ",
        "!!bool ",
        "!!str ",
        "!x ",
    ]
)


@settings(max_examples=400, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(_PIECES, max_size=30).map("".join) | documents.map(emit.dump))
def test_the_quick_constructor_agrees_with_pyyaml(text):
    """Documents without aliases are built by plain recursion: the same values, and the same
    problems at the same places, as PyYAML's constructors give."""
    from unittest import mock

    quick = _outcome(text)
    with mock.patch.object(yamlio, "_construct_tree", side_effect=yamlio._Unusual):
        assert quick == _outcome(text)


@pytest.mark.parametrize(
    ("text", "message", "col"),
    [
        ("a: !!float abc\n", "tag !!float does not fit 'abc'", 4),
        ("a: !!float\n", "tag !!float does not fit ''", 4),
        ("a: !!int 1.5\n", "tag !!int does not fit '1.5'", 4),
        ("a: !!bool maybe\n", "tag !!bool does not fit 'maybe'", 4),
        ("a: !!null nothing\n", "tag !!null does not fit 'nothing'", 4),
        ("a: !!int [1]\n", "tag !!int does not fit a sequence", 4),
        ("a: !!null {b: 1}\n", "tag !!null does not fit a mapping", 4),
        ("a: !!bool |\n  true\n", "tag !!bool does not fit 'true\\n'", 4),
        ('a: !!float ".inf\\n"\n', "tag !!float does not fit '.inf\\n'", 4),
        ('a: !!int "1\\n"\n', "tag !!int does not fit '1\\n'", 4),
    ],
)
def test_an_explicit_tag_must_fit_its_value(text, message, col):
    with pytest.raises(yamlio.YamlProblem) as info:
        yamlio.load_text(text)
    assert (info.value.message, info.value.line, info.value.col) == (message, 1, col)
    assert info.value.rule == "yaml-tag"


def test_explicit_tags_that_fit_give_their_type():
    text = "a: !!float 0x1F\nb: !!float 2\nc: !!int 010\nd: !!bool FALSE\ne: !!null ~\nf: !!str 1\n"
    assert yamlio.load_text(text) == {"a": 31.0, "b": 2.0, "c": 10, "d": False, "e": None, "f": "1"}


def test_a_mapping_s_keys_are_checked_before_its_nested_values():
    """As PyYAML orders them: the duplicate key is the problem, not the nested value."""
    with pytest.raises(yamlio.YamlProblem) as info:
        yamlio.load_text("a:\n  x: !!int abc\na: 1\n")
    assert (info.value.rule, info.value.line) == ("yaml-duplicate-key", 3)


def test_deep_nesting_within_libyaml_s_limit_loads():
    depth = 900  # past what plain recursion can build: PyYAML's constructors take it
    node = yamlio.load_text("a: " + "[" * depth + "]" * depth + "\n")["a"]
    levels = 0
    while isinstance(node, list):
        levels += 1
        node = node[0] if node else None
    assert levels == depth


@pytest.mark.parametrize(
    ("raw", "line", "col"),
    [
        (b"\xfe\xff" + b"\x00" * 11, 1, 6),  # an odd byte left over after five characters
        (b"\xff\xfea\x00\n\x00b\x00\x00\xd8", 2, 2),  # a lone surrogate after "a\nb"
    ],
)
def test_bad_utf16_is_located(raw, line, col):
    with pytest.raises(yamlio.YamlProblem) as info:
        yamlio.decode(raw)
    assert (info.value.rule, info.value.line, info.value.col) == ("file-encoding", line, col)
