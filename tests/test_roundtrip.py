"""Round-trip edits change only the field they name: a property over generated claim files laid
out in many hands (indents, dash offsets, comments, quoting, flow lists) and generated edits."""

from __future__ import annotations

import difflib
import tempfile
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from claimtrack.core.model import SLUG_PATTERN, Claim
from claimtrack.core.problem import has_errors
from claimtrack.edit.claims import update_claim
from claimtrack.edit.fields import append_item, set_field
from claimtrack.edit.slugs import slugify, unique_slug
from claimtrack.edit.workspace import Workspace
from claimtrack.io import yamlio
from claimtrack.io.roundtrip import edit_text, merge
from conftest import SOURCES_YAML

WORDS = st.sampled_from(["oil", "Cuba", "said", "the", "minister", "barrels", "2013", "fell"])
TEXT = st.lists(WORDS, min_size=1, max_size=6).map(" ".join)


def _scalar(text: str, style: str) -> str:
    if style == "single":
        return "'" + text.replace("'", "''") + "'"
    if style == "double":
        return '"' + text + '"'
    return text if yamlio.load_text_scalar_type(text) is str else '"' + text + '"'


@st.composite
def claim_files(draw: Any) -> tuple[str, dict[str, int]]:
    """A valid claim file in a random hand-made layout, and the first line of each top key."""
    indent = draw(st.sampled_from([2, 4]))
    offset = draw(st.sampled_from([0, 2])) if indent == 2 else draw(st.sampled_from([0, 2, 4]))
    style = st.sampled_from(["plain", "single", "double"])
    comment = st.one_of(st.just(""), st.sampled_from(["  # checked", "   # see notes", " #x"]))
    pad, dash = " " * indent, " " * offset + "- "
    inner = " " * (offset + 2)
    blocks: dict[str, list[str]] = {
        "id": [f"id: c-one{draw(comment)}"],
        "statement": [f"statement: {_scalar(draw(TEXT), draw(style))}{draw(comment)}"],
        "appears_in": [f"appears_in: article{draw(comment)}"],
        "attribution": [
            "attribution:",
            f"{pad}name: {_scalar(draw(TEXT), draw(style))}",
            f"{pad}kind: official{draw(comment)}",
        ],
        "confidence": [f"confidence: {draw(st.sampled_from(['likely', '0.7', 'remote']))}"],
    }
    if draw(st.booleans()):
        blocks["prefix"] = [f"prefix: {draw(st.sampled_from(['null', '~', '']))}".rstrip()]
    if draw(st.booleans()):
        blocks["quote"] = [f"quote: {_scalar(draw(TEXT), draw(style))}"]
    if draw(st.booleans()):
        blocks["evidence"] = [
            "evidence:",
            f"{dash}source: wire{draw(comment)}",
            f"{inner}stance: supports",
        ]
    if draw(st.booleans()):
        tags = draw(st.lists(st.sampled_from(["oil", "cuba", "x-1"]), min_size=1, max_size=3))
        if draw(st.booleans()):
            blocks["tags"] = [f"tags: [{', '.join(tags)}]{draw(comment)}"]
        else:
            blocks["tags"] = ["tags:"] + [f"{dash}{t}" for t in tags]
    if draw(st.booleans()):
        blocks["notes"] = [f"notes: {_scalar(draw(TEXT), draw(style))}"]
    order = draw(st.permutations(list(blocks)))
    lines: list[str] = []
    if draw(st.booleans()):
        lines.append("# yaml-language-server: $schema=../schema/claim.schema.json")
    starts: dict[str, int] = {}
    for key in order:
        if draw(st.booleans()):
            lines.append(draw(st.sampled_from(["# a note for the reader", "", "#"])))
        starts[key] = len(lines)
        lines.extend(blocks[key])
    return "\n".join(lines) + "\n", starts


EDITS = st.one_of(
    st.tuples(st.just("status"), st.sampled_from(["sourced", "contested", "unsourced"])),
    st.tuples(st.just("confidence"), st.sampled_from(["very likely", 0.3, "almost certain"])),
    st.tuples(st.just("statement"), TEXT),
    st.tuples(st.just("notes"), TEXT),
    st.tuples(st.just("tags"), st.lists(st.sampled_from(["oil", "gas", "y-2"]), max_size=3)),
    st.tuples(st.just("analytic_confidence"), st.sampled_from(["low", "high"])),
    st.tuples(st.just("evidence"), st.sampled_from(["supports", "refutes", "context"])),
)


def _span(key: str, starts: dict[str, int], total: int) -> range:
    """The lines a top-level key owns: its own through the line before the next key."""
    begin = starts.get(key, total)
    after = [s for s in starts.values() if s > begin]
    return range(begin, min(after) if after else total)


@settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(claim_files(), EDITS)
def test_an_edit_changes_only_the_field_it_names(generated, edit):
    text, starts = generated
    field_name, value = edit
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        (root / "sources.yaml").write_text(SOURCES_YAML)
        path = root / "c-one.yaml"
        path.write_bytes(text.encode())
        before = yamlio.load_text(text)
        if field_name == "evidence":
            mutate = append_item("evidence", {"source": "rebuttal", "stance": value})
        else:
            mutate = set_field(field_name, value)
        update_claim(Workspace(root), "c-one", mutate)
        new_text = path.read_text()

    # The data: exactly the edit, nothing else.
    after = yamlio.load_text(new_text)
    expected = dict(before)
    if field_name == "evidence":
        expected["evidence"] = [
            *before.get("evidence", []),
            {"source": "rebuttal", "stance": value},
        ]
    else:
        expected[field_name] = value
    assert after == expected
    Claim.model_validate(after)

    # The bytes: every original line outside the edited field is still there, in order.
    old_lines = text.splitlines()
    owned = _span(field_name, starts, len(old_lines))
    matcher = difflib.SequenceMatcher(None, old_lines, new_text.splitlines(), autojunk=False)
    for tag, i1, i2, _, _ in matcher.get_opcodes():
        if tag in ("replace", "delete"):
            assert all(i in owned for i in range(i1, i2)), (
                f"{field_name} edit touched line {i1 + 1}: {old_lines[i1]!r}\n{text}---\n{new_text}"
            )


@settings(max_examples=60, deadline=None)
@given(claim_files())
def test_an_edit_that_changes_nothing_changes_no_byte(generated):
    text, _ = generated
    assert edit_text(text, lambda doc: None) == text


def test_merge_keeps_hand_layout_outside_the_change():
    ours = "a:   1   # one\nb: ~\nc: 3\n"
    base = "a: 1   # one\nb: null\nc: 3\n"
    theirs = "a: 1   # one\nb: null\nc: 4\n"
    assert merge(ours, base, theirs) == "a:   1   # one\nb: ~\nc: 4\n"


def test_crlf_files_stay_crlf():
    text = "id: c-one\r\nstatus: sourced\r\nnotes: x\r\n"
    assert edit_text(text, set_field("status", "contested")) == (
        "id: c-one\r\nstatus: contested\r\nnotes: x\r\n"
    )


@settings(max_examples=100)
@given(st.text(max_size=200), st.sets(st.from_regex(SLUG_PATTERN, fullmatch=True), max_size=5))
def test_ids_from_any_statement_are_safe_slugs(statement, taken):
    slug = unique_slug(slugify(statement), taken)
    from claimtrack.core.model import _check_slug

    assert _check_slug(slug) == slug
    assert slug not in taken
    assert "/" not in slug and "." not in slug and "\\" not in slug


def test_refused_edit_reports_like_validate(make_claims):
    from claimtrack.edit.workspace import InvalidWrite
    from conftest import claim_yaml

    folder = make_claims({"c-one": claim_yaml("c-one")})
    path = folder / "c-one.yaml"
    before = path.read_bytes()
    with pytest.raises(InvalidWrite) as refused:
        update_claim(Workspace(folder), "c-one", set_field("confidence", 7.0))
    assert has_errors(refused.value.problems)
    assert refused.value.problems[0].format() == (
        f"{path}:8:13: [error] confidence: 7.0 is outside [0, 1] (value)"
    )
    assert path.read_bytes() == before
