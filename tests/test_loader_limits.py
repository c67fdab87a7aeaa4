"""Loader limits: alias cycles and numbers no claim can hold are per-file problems, found fast."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from claimtrack.io import yamlio
from conftest import SOURCES_YAML, claim_yaml

HOLE = "\0"  # where the alias goes, replaced once the document is built

_scalars = st.sampled_from(["x", "1", "'q'", '"d"', "~", "true", "2.5", "[]", "{}"])
_keys = st.sampled_from(["k", "key", "b", "c-d"])
_breaks = st.sampled_from([", ", ",\n    ", " ,  "])


def _flow_seq(items: list[str], sep: str) -> str:
    return "[" + sep.join(items) + "]"


def _flow_map(pairs: list[tuple[str, str]], sep: str) -> str:
    return "{" + sep.join(f"{k}: {v}" for k, v in pairs) + "}"


@st.composite
def _around(draw: st.DrawFn, inner: str) -> str:
    """A flow collection with ``inner`` as one of its items (or a key, or a value), among
    siblings before and after it."""
    before = draw(st.lists(_scalars, max_size=3))
    after = draw(st.lists(_scalars, max_size=3))
    sep = draw(_breaks)
    kind = draw(st.sampled_from(["seq", "map", "key"] if inner.startswith("*") else ["seq", "map"]))
    if kind == "seq":
        return _flow_seq([*before, inner, *after], sep)
    keys = [f"{k}{i}" for i, k in enumerate(draw(st.lists(_keys, min_size=7, max_size=7)))]
    pairs = [(keys[i], v) for i, v in enumerate(before)]
    if kind == "key":
        pairs.append((inner + " ", "1"))  # `*a : 1`: a space, or the colon joins the alias name
    else:
        pairs.append((keys[5], inner))
    pairs.extend((f"z{i}", v) for i, v in enumerate(after))
    return _flow_map(pairs, sep)


@st.composite
def _nested(draw: st.DrawFn, inner: str, min_depth: int) -> str:
    text = inner
    for _ in range(draw(st.integers(min_value=min_depth, max_value=6))):
        text = draw(_around(text))
    return text


@st.composite
def cyclic_documents(draw: st.DrawFn) -> tuple[str, int, int]:
    """A claim-like document with an alias somewhere inside the collection its anchor names,
    and the 1-based line and column of that alias."""
    name = draw(st.sampled_from(["a", "t", "self", "x1"]))
    anchored = f"&{name} " + draw(_nested(HOLE, 1))  # the anchor is on a collection holding it
    value = draw(_nested(anchored, 0))
    head = draw(st.lists(st.sampled_from(["id: c", "statement: s", "tags: [a, b]"]), max_size=3))
    text = "\n".join([*dict.fromkeys(head), f"field: {value}", "notes: after", ""])
    offset = text.index(HOLE)
    text = text.replace(HOLE, f"*{name}")
    line, col = yamlio.position_of(text, offset)
    return text, line, col


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(cyclic_documents())
def test_every_alias_cycle_is_a_located_problem(case):
    text, line, col = case
    with pytest.raises(yamlio.YamlProblem) as info:
        yamlio.load_text(text)
    assert (info.value.rule, info.value.line, info.value.col) == ("yaml-alias", line, col), text


@st.composite
def shared_documents(draw: st.DrawFn) -> tuple[str, str]:
    """An anchor and its alias after the anchored collection ends: shared, not cyclic."""
    body = draw(_nested("leaf", 1))
    where = draw(_nested(HOLE, 0))
    return f"first: &a {body}\nsecond: {where.replace(HOLE, '*a')}\n", body


@settings(max_examples=150, deadline=None)
@given(shared_documents())
def test_an_alias_after_its_anchor_closes_loads(case):
    text, body = case
    data = yamlio.load_text(text)
    assert yamlio.load_text(f"v: {body}\n")["v"] == data["first"]


@pytest.mark.parametrize(
    ("text", "line", "col"),
    [
        ("x: &a [*a]\n", 1, 8),
        ("tags: &t [a, *t]\n", 1, 14),
        ("m: &m\n  k: *m\n", 2, 6),
        ("&r\na:\n  - b:\n      - *r\n", 4, 9),
        ("a: &a [1]\nb: &b [*a, *b]\n", 2, 12),
    ],
)
def test_the_reported_examples_are_located(text, line, col):
    with pytest.raises(yamlio.YamlProblem) as info:
        yamlio.load_text(text)
    assert (info.value.rule, info.value.line, info.value.col) == ("yaml-alias", line, col)


def test_an_anchor_defined_twice_is_named():
    with pytest.raises(yamlio.YamlProblem) as info:
        yamlio.load_text("a: &a [1]\nb: &a 2\n")
    problem = info.value
    assert (problem.rule, problem.line, problem.col) == ("yaml-alias", 2, 4)
    assert problem.message == "anchor &a is defined twice (first at line 1)"


_LARGE = (
    st.integers(min_value=310, max_value=6000).map(lambda n: "9" * n)
    | st.integers(min_value=258, max_value=3000).map(lambda n: "0x" + "f" * n)
    | st.integers(min_value=343, max_value=3000).map(lambda n: "0o" + "7" * n)
    | st.integers(min_value=309, max_value=10**30).map(lambda e: f"1e{e}")
    | st.integers(min_value=309, max_value=10**30).map(lambda e: f"-2.5E+{e}")
    | st.integers(min_value=310, max_value=5000).map(lambda n: "!!float " + "8" * n)
)


@settings(max_examples=200, deadline=None)
@given(_LARGE, st.sampled_from(["", "-", "+"]), st.integers(min_value=0, max_value=3))
def test_a_number_past_a_float_s_range_is_a_located_problem(number, sign, indent):
    if number.startswith(("0x", "0o", "!!", "-")):
        sign = ""  # YAML 1.2 has no sign before 0x or 0o, nor before a tag or a sign
    text = "id: c\nouter:\n" + " " * (indent + 1) + f"inner: {sign}{number}\n"
    with pytest.raises(yamlio.YamlProblem) as info:
        yamlio.load_text(text)
    assert (info.value.rule, info.value.line, info.value.col) == ("yaml-number", 3, indent + 9)
    assert "too large for a number" in info.value.message


@settings(max_examples=200, deadline=None)
@given(
    st.integers(min_value=-int(1.7e308), max_value=int(1.7e308))
    | st.floats(allow_nan=False, allow_infinity=False)
)
def test_every_number_in_a_float_s_range_loads_as_itself(number):
    assert yamlio.load_text(f"n: {number!r}\n") == {"n": number}


def test_leading_zeros_do_not_count():
    assert yamlio.load_text("n: " + "0" * 5000 + "12\n") == {"n": 12}


# A claim's fields where a number goes, or where text goes and a number is wrong.
_FIELDS = {
    "confidence": lambda v: {"confidence": v},
    "confidence.value": lambda v: {"confidence": f"{{value: {v}}}"},
    "credibility": lambda v: {
        "evidence": f"\n  - source: wire\n    stance: supports\n    credibility: {v}"
    },
    "quantity": lambda v: {"quantity": f"\n  value: {v}\n  unit: barrels"},
    "verdict": lambda v: {
        "verdict": f"\n  rating: x\n  rating_value: {v}\n  best_rating: 5\n  worst_rating: 1"
    },
    "date": lambda v: {"date": v},
    "statement": lambda v: {"statement": v},
    "tags": lambda v: {"tags": f"[a, {v}]"},
}
_HOSTILE = _LARGE | st.sampled_from([".nan", ".NaN", ".inf", "-.inf", "!!float .nan", "1e-99999"])


@settings(
    max_examples=40,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(st.sampled_from(sorted(_FIELDS)), _HOSTILE, st.booleans())
def test_a_hostile_number_is_one_file_s_problem(run, tmp_path_factory, field, number, in_registry):
    """In any field, of a claim or of the registry: exit 1, the file named, every valid
    sibling still listed, and the JSON out valid."""
    if number == "1e-99999" and field in ("confidence", "confidence.value", "quantity"):
        number = ".nan"  # 1e-99999 is 0.0, a fine value there
    folder: Path = tmp_path_factory.mktemp("numbers") / "claims"
    folder.mkdir()
    sources = SOURCES_YAML
    if in_registry:
        sources += f"  - id: odd\n    title: Odd\n    notes: {number}\n"
    (folder / "sources.yaml").write_text(sources, encoding="utf-8")
    (folder / "ok.yaml").write_text(claim_yaml("ok"), encoding="utf-8")
    (folder / "bad.yaml").write_text(claim_yaml("bad", **_FIELDS[field](number)), encoding="utf-8")
    listed = run(["--dir", str(folder), "list", "--format", "json"])
    assert listed.exit_code == 1, listed.stderr
    assert "internal error" not in listed.stderr and "Traceback" not in listed.stderr
    assert [claim["id"] for claim in json.loads(listed.stdout)] == ["ok"]
    assert "bad.yaml:" in listed.stderr
    if in_registry:
        assert "sources.yaml:" in listed.stderr
    checked = run(["--dir", str(folder), "validate", "--format", "json"])
    assert checked.exit_code == 1
    problems = json.loads(checked.stdout)["problems"]
    assert any(p["path"].endswith("bad.yaml") for p in problems), problems
    assert all(p["line"] >= 1 and p["col"] >= 1 for p in problems)
    report = run(["--dir", str(folder), "report", "--format", "json"])
    assert report.exit_code == 1 and "internal error" not in report.stderr
    json.loads(report.stdout)


def test_an_alias_cycle_hides_no_sibling(run, make_claims):
    folder = make_claims(
        {
            "ok": claim_yaml("ok"),
            "x": "x: &a [*a]\n",
            "t": claim_yaml("t", tags="&t [a, *t]"),
            "m": claim_yaml("m", attribution="&m\n  name: A\n  kind: official\n  via: [*m]"),
        }
    )
    for command in (["list", "--format", "json"], ["report", "--format", "json"], ["stats"]):
        result = run(["--dir", str(folder), *command])
        assert result.exit_code == 1, (command, result.stderr)
        for name in ("x.yaml:1:8", "t.yaml:12:14", "m.yaml:8:9"):
            assert f"{name}: [error] alias *" in result.stderr, (command, result.stderr)
    listed = run(["--dir", str(folder), "list", "--format", "json"])
    assert [claim["id"] for claim in json.loads(listed.stdout)] == ["ok"]


@settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    content=st.binary(max_size=3000),
    piece=st.integers(1, 700),
    stat_size=st.integers(0, 3000),
)
def test_a_file_is_read_whole_however_the_reads_come_and_whatever_its_stat_said(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, content: bytes, piece: int, stat_size: int
) -> None:
    """Short reads are read on to the end; a file that grew after its stat (``stat_size`` under
    the real size) is read on too, never past the limit plus one byte (so the size check sees)."""
    import os

    from claimtrack.io import files

    path = tmp_path / "c.yaml"
    path.write_bytes(content)
    real_read = os.read
    monkeypatch.setattr(os, "read", lambda fd, n: real_read(fd, min(n, piece)))
    limit = 2000
    got = files._read_fd(str(path), min(stat_size, len(content)), limit)
    assert got == content[: limit + 1]


def test_a_file_of_its_stats_size_is_read_in_one_go(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
):
    import os

    from claimtrack.io import files

    path = tmp_path / "c.yaml"
    path.write_bytes(b"id: x\n")
    calls = []
    real_read = os.read
    monkeypatch.setattr(os, "read", lambda fd, n: calls.append(n) or real_read(fd, n))
    assert files.read_raw(str(path), tmp_path, "c.yaml") == b"id: x\n"
    assert calls == [7, 1]  # the file, then its end
