"""The fast paths of `report` change nothing: quick escaping equals the full escaping, and a
report of many claims read from the index equals the one read from the files."""

from __future__ import annotations

import datetime
import hashlib
import json
import re
from collections.abc import Callable
from pathlib import Path

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st
from tests.conftest import Run, claim_yaml
from tests.test_fastload import generate

from claimtrack.core import escape
from claimtrack.core.query import Entry
from claimtrack.core.report import fingerprint

# What claim text may hold that some medium would obey: ANSI escapes, bidi overrides and
# zero-width characters, HTML, table pipes, code spans, mentions, workflow commands, formulas,
# list and heading markers at the start.
FRAGMENTS = [
    "\x1b[31m",
    "\x1b]8;;http://evil\x07",
    "\x00",
    "\x7f",
    "\x85",
    "\u202e",
    "\u2066",
    "\u200b",
    "\u200c",
    "\u200d",
    "\u2063",
    "\ufeff",
    "\u2028",
    "\r\n",
    "\r",
    "\n",
    "\t",
    "<script>alert(1)</script>",
    "&amp;",
    "|",
    "`code`",
    "```",
    "@octocat",
    "::error file=x::",
    "%0A",
    '=HYPERLINK("http://evil")',
    "+1",
    "-1",
    "1. ",
    "1.",
    "12)",
    "# ",
    "    ",
    "[x](http://evil)",
    "**bold**",
    "~~",
    "\\",
    "{}",
    "(a)",
    "!",
]
text = st.lists(st.sampled_from(FRAGMENTS) | st.text(max_size=6), max_size=8).map("".join)


# The escaping as it was before its fast paths, kept verbatim as the oracle: output must not
# change by a byte (reports are compared and kept in CI artefacts). Since then the joiners
# (U+200C, U+200D) are text, and the word joiner and invisible operators are shown.
_CONTROLS = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f]")
_INVISIBLE = re.compile(
    "[\u061c\u200b\u200e\u200f\u202a-\u202e\u2028\u2029\u2060-\u2064\u2066-\u2069\ufeff]"
)
_MD_SPECIAL = re.compile(r"([\\`*_\[\]|~#!{}()])")
_MD_ORDERED = re.compile(r"^(\d{1,9})\.(?=\s|$)")


def visible_before(text: str) -> str:
    shown = _CONTROLS.sub(lambda m: f"\\x{ord(m.group()):02x}", text)
    return _INVISIBLE.sub(lambda m: f"<U+{ord(m.group()):04X}>", shown)


def one_line_before(text: str) -> str:
    return (
        visible_before(text.replace("\r\n", "\n").replace("\r", "\n"))
        .replace("\n", " ⏎ ")
        .replace("\t", " ")
    )


def markdown_before(text: str) -> str:
    escaped = one_line_before(text).replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    escaped = _MD_SPECIAL.sub(r"\\\1", escaped)
    escaped = _MD_ORDERED.sub(r"\1\\.", escaped.lstrip(" "))
    if escaped.startswith(("-", "+")):
        escaped = "\\" + escaped
    return _GITHUB_REF.sub(lambda m: m.group() + "&#8203;", escaped)


_GITHUB_REF = re.compile(r"[@#](?=\\?[\w-])|(?<![\w-])(?i:gh)(?=-\d)")


@settings(max_examples=100, deadline=None)
@given(text | st.text())
@example("")
@example("plain words")
@example(" leading space")
@example("7. seven")
@example("- dash")
@example("+1")
@example("\u202eevil")
@example("a\r\nb\rc\td")
def test_the_escaping_is_what_it_was(value: str) -> None:
    assert escape.visible(value) == visible_before(value)
    assert escape.one_line(value) == one_line_before(value)
    assert escape.markdown(value) == markdown_before(value)


def test_every_character_is_escaped_as_it_was() -> None:
    # Each character of the Basic Multilingual Plane alone, after a word and at the start:
    # the fast paths must not miss one that the escaping changes.
    for code in range(0x10000):
        for value in (chr(code), "a" + chr(code), chr(code) + "a"):
            assert escape.visible(value) == visible_before(value), hex(code)
            assert escape.one_line(value) == one_line_before(value), hex(code)
            assert escape.markdown(value) == markdown_before(value), hex(code)


@settings(max_examples=100, deadline=None)
@given(text)
@example("")
@example("plain words")
@example(" leading space")
@example("7. seven")
@example("- dash")
def test_quick_markdown_equals_the_full_escaping(value: str) -> None:
    assert escape.markdown(value) == escape._markdown_escaped(value)


@settings(max_examples=100, deadline=None)
@given(st.text())
def test_quick_markdown_equals_the_full_escaping_on_any_text(value: str) -> None:
    assert escape.markdown(value) == escape._markdown_escaped(value)


@pytest.mark.parametrize("value", ["Nicolás Maduro", "A Minister said so.", "article-00001"])
def test_plain_text_is_returned_as_it_is(value: str) -> None:
    assert escape.markdown(value) is value
    assert escape.one_line(value) is value
    assert escape.visible(value) is value


def test_fingerprints_keep_their_documented_value() -> None:
    # Users keep fingerprints in baselines: the recipe may never change.
    raw = b"claimtrack/v1\0no-quote\0some-claim\0quote"
    assert fingerprint("no-quote", "some-claim", "quote") == hashlib.sha256(raw).hexdigest()[:32]


@pytest.fixture(scope="module")
def big_folder(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """400 generated claims over three articles, some with mistakes, every status present."""
    root = tmp_path_factory.mktemp("big") / "claims"
    return generate.generate(root, 400, "nested", seed=13, broken=0.05)  # type: ignore[no-any-return]


FORMATS = ["md", "json", "html", "sarif", "junit", "text", "github"]


@pytest.mark.parametrize("fmt", FORMATS)
def test_a_report_from_the_index_equals_one_from_the_files(
    run: Callable[..., Run], big_folder: Path, tmp_path: Path, fmt: str
) -> None:
    baseline = tmp_path / "baseline.json"
    first = run(["--no-cache", "--dir", str(big_folder), "report", "-f", "json"]).stdout
    data = json.loads(first)
    data["claims"] = data["claims"][::2]  # half the findings are known, the others are new
    baseline.write_text(json.dumps(data), encoding="utf-8")
    policy = ["--fail-on", "contested,no-quote,single-source", "--baseline", str(baseline)]
    args = ["report", "-f", fmt, *policy, "--link-base", "https://example.org/claims/"]
    env = {"SOURCE_DATE_EPOCH": "1764000000", "COLUMNS": "100"}
    plain = run(["--no-cache", "--dir", str(big_folder), *args], env=env)
    cold = run(["--dir", str(big_folder), *args], env=env)  # builds the index
    warm = run(["--dir", str(big_folder), *args], env=env)  # reads it
    assert plain.exit_code == 1  # new findings of a --fail-on rule
    assert plain.stdout  # a report, not an error
    assert (cold.exit_code, cold.stdout) == (warm.exit_code, warm.stdout) == (1, plain.stdout)


SOURCES_WITH_GAPS = """\
sources:
  - id: article
    title: An article
    kind: article
  - id: wire
    title: A wire report
    publisher: A Wire
    date: 2026-01-04
    reliability: B
  - id: copy
    title: A copy of the wire
    reliability: C
    derived_from: [wire]
  - id: loop-a
    title: One half of a loop
    date: 2025
    derived_from: [loop-b]
  - id: loop-b
    title: The other half
    date: 2025
    reliability: D
    derived_from: [loop-a]
"""


def test_rules_find_the_same_with_the_context_shared_by_every_claim(
    make_claims: Callable[..., Path],
) -> None:
    from claimtrack.cache import load_dataset
    from claimtrack.core.query import evaluate
    from claimtrack.rules.policy import POLICY_RULES, Context

    def evidence(*pairs: tuple[str, str]) -> str:
        return "".join(f"\n  - source: {sid}\n    stance: {stance}" for sid, stance in pairs)

    files = {
        "copied": claim_yaml(
            "copied", evidence=evidence(("wire", "supports"), ("copy", "supports"))
        ),
        "looped": claim_yaml(
            "looped", evidence=evidence(("loop-a", "supports"), ("loop-b", "refutes"))
        ),
        "mixed": claim_yaml(
            "mixed", evidence=evidence(("copy", "supports"), ("loop-b", "supports"))
        ),
        "unknown": claim_yaml("unknown", evidence=evidence(("nowhere", "supports"))),
        "dated": claim_yaml("dated", quantity="\n  value: 3\n  unit: tonnes\n  as_of: 2020-02"),
    }
    folder = make_claims(files, sources=SOURCES_WITH_GAPS)
    dataset = load_dataset(folder, cache=False)
    sources = {sid: rec.source for sid, rec in dataset.sources.items()}
    today = datetime.date(2026, 3, 1)
    shared = Context(sources=sources, today=today)

    def findings(entry: Entry, ctx: Context) -> list[tuple[str, str, str]]:
        return [(n, s, m) for n, r in POLICY_RULES.items() for s, m in r.check(entry, ctx)]

    status_rules = {"contested", "refuted", "unsourced"}
    found = set()
    for entry in evaluate(dataset):
        alone = findings(entry, Context(sources=sources, today=today))
        assert findings(entry, shared) == alone
        found |= {(entry.claim.id, rule, subject) for rule, subject, _ in alone}
    undated = [(cid, "source-no-date", "source:article") for cid in files]
    ungraded = [(cid, "source-no-reliability", "source:article") for cid in files]
    assert {f for f in found if f[1] not in status_rules} == {
        *undated,
        *ungraded,
        ("copied", "source-no-date", "source:copy"),
        ("mixed", "source-no-date", "source:copy"),
        ("looped", "source-no-reliability", "source:loop-a"),
        ("copied", "single-source", "evidence"),  # the copy repeats the wire
        ("dated", "single-source", "evidence"),
        ("unknown", "single-source", "evidence"),  # an unregistered source is its own root
        ("dated", "stale-as-of", "quantity.as_of"),
        # "looped" cites two sources that derive from each other: a cycle, cut where it closes
        # (loop-a's root is loop-b and loop-b's is loop-a), so two roots and no finding.
    }
