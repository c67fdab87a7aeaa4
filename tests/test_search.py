"""`claimtrack search TEXT`: full-text search, ranked, highlighted, with the list filters; the
index (SQLite FTS5) and --no-cache give the same answer."""

from __future__ import annotations

import csv
import io
import json
import os
import tempfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from claimtrack.cache.fulltext import FullText, fingerprint
from claimtrack.core.errors import UsageError
from claimtrack.core.search import parse_terms, rank, search_in_memory, spans, tokens
from conftest import ROOT, claim_yaml

SHIPPED = ["--dir", str(ROOT / "claims")]


def _ids(result):
    assert result.exit_code == 0, result.stderr
    return [c["id"] for c in json.loads(result.stdout)]


@pytest.mark.parametrize(
    "text", ["mourning", "cuba doctors", "CHÁVEZ", "mourn*", "intelligence cubans", "oil"]
)
def test_the_index_and_no_cache_agree_on_the_shipped_claims(run, text):
    warm = run([*SHIPPED, "search", text, "-f", "json"])
    cold = run([*SHIPPED, "--no-cache", "search", text, "-f", "json"])
    assert _ids(warm) == _ids(cold)
    assert warm.stdout == cold.stdout


def test_search_finds_words_in_every_field_best_first(run, make_claims):
    sources = "sources:\n  - id: wire\n    title: The Mourning Wire\n    kind: report\n" + (
        "    reliability: B\n  - id: article\n    title: An article\n    kind: article\n"
        "    reliability: F\n"
    )
    folder = make_claims(
        {
            "in-statement": claim_yaml("in-statement", statement="Days of mourning, mourning."),
            "in-quote": claim_yaml("in-quote", quote="they were in mourning"),
            "in-notes": claim_yaml("in-notes", notes="Mourning was declared.", evidence=None),
            "in-role": claim_yaml(
                "in-role", attribution="\n  name: X\n  role: minister of mourning\n  kind: official"
            ),
            "in-title": claim_yaml("in-title"),  # cites the wire, whose title has the word
            "nowhere": claim_yaml("nowhere", evidence=None),
        },
        sources=sources,
    )
    result = run(["--dir", str(folder), "search", "mourning", "-f", "json"])
    found = _ids(result)
    assert set(found) == {"in-statement", "in-quote", "in-notes", "in-role", "in-title"}
    assert found[0] == "in-statement"  # the word twice in a short text ranks first
    assert _ids(run(["--dir", str(folder), "--no-cache", "search", "mourning", "-f", "json"])) == (
        found
    )


def test_every_word_must_match_and_a_star_is_a_prefix(run, make_claims):
    folder = make_claims(
        {
            "a": claim_yaml("a", statement="Oil exports fell."),
            "b": claim_yaml("b", statement="Oil prices rose."),
        }
    )
    base = ["--dir", str(folder), "search"]
    assert _ids(run([*base, "oil exports", "-f", "json"])) == ["a"]
    assert _ids(run([*base, "export", "-f", "json"])) == []
    assert _ids(run([*base, "export*", "-f", "json"])) == ["a"]


def test_search_takes_the_list_filters_and_formats(run):
    args = [*SHIPPED, "search", "cuba mourning"]
    every = _ids(run([*args, "-f", "json"]))
    sourced = _ids(run([*args, "-f", "json", "--status", "sourced"]))
    assert sourced and set(sourced) < set(every)
    assert [c for c in every if c in sourced] == sourced  # the ranking order kept
    by_id = _ids(run([*args, "-f", "json", "--sort", "id"]))
    assert by_id == sorted(every)
    rows = list(csv.DictReader(io.StringIO(run([*args, "-f", "csv"]).stdout)))
    assert [r["id"] for r in rows] == every
    limited = run([*args, "-f", "json", "--limit", "2"])
    assert _ids(limited) == every[:2]
    assert f"showing 2 of {len(every)} matching claims" in limited.stderr


def test_search_that_finds_nothing_says_so(run):
    result = run([*SHIPPED, "search", "zzyzx"])
    assert result.exit_code == 0 and result.stdout == ""
    assert "0 of 40 claims match" in result.stderr
    result = run([*SHIPPED, "search", "cuba", "--tag", "OIL"])
    assert "did you mean 'oil'?" in result.stderr


def test_search_of_no_words_is_a_usage_error(run):
    result = run([*SHIPPED, "search", "--", "-- !"])
    assert result.exit_code == 2 and "nothing to search for" in result.stderr


def test_the_index_follows_edits(run, make_claims):
    folder = make_claims({"a": claim_yaml("a", statement="Oil fell.")})
    base = ["--dir", str(folder), "search"]
    assert _ids(run([*base, "oil", "-f", "json"])) == ["a"]
    assert run(["--dir", str(folder), "set", "a", "statement", "Gas fell."]).exit_code == 0
    assert _ids(run([*base, "oil", "-f", "json"])) == []
    assert _ids(run([*base, "gas", "-f", "json"])) == ["a"]
    (folder / "a.yaml").unlink()
    assert _ids(run([*base, "gas", "-f", "json"])) == []


def test_matches_are_highlighted_on_a_terminal_and_claim_text_stays_text(run, make_claims):
    folder = make_claims(
        {"a": claim_yaml("a", statement='"[bold]Mourning[/bold] \\e[31m declared"')}
    )
    plain = run(["--dir", str(folder), "search", "mourning"])
    assert "statement: [bold]Mourning[/bold] \\x1b[31m declared" in plain.stdout
    assert "\x1b" not in plain.stdout
    colour = {"NO_COLOR": None}  # type: ignore[dict-item]
    shown = run(["--dir", str(folder), "--color", "always", "search", "mourning"], env=colour)
    shown = shown.stdout
    assert "[bold]" in shown  # markup in the claim is shown, not obeyed
    assert "\x1b[1;31mMourning\x1b[0m" in shown  # the matched word, highlighted
    assert "\x1b[31m declared" not in shown  # the claim's own escape is made visible


# The index and the in-memory search: one tokenisation, one ranking.

_TEXT = st.text(st.characters(blacklist_categories=["Cs"]), max_size=40)


def _by_index(documents: dict[str, str], text: str):
    terms = parse_terms(text)
    with tempfile.TemporaryDirectory() as folder:
        os.environ["CLAIMTRACK_CACHE_DIR"] = folder  # the test's own index, thrown away
        fulltext = FullText.open_for(Path(folder))
        assert fulltext is not None
        try:
            docs = [
                (key, fingerprint(body), lambda body=body: tokens(body))
                for key, body in documents.items()
            ]
            kept = fulltext.kept(docs)
            assert kept is not None
            result = kept.find(terms)
            assert result is not None
            return rank(terms, *result)
        finally:
            fulltext.close()


@settings(
    max_examples=150,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)
@given(
    documents=st.dictionaries(st.text("abcdef", min_size=1, max_size=3), _TEXT, max_size=6),
    picks=st.lists(st.integers(0, 50), min_size=1, max_size=3),
    extra=_TEXT,
    star=st.booleans(),
)
def test_the_index_and_the_in_memory_search_agree(monkeypatch_env, documents, picks, extra, star):
    words = [w for body in documents.values() for w in body.split()] + extra.split()
    chosen = [words[i % len(words)] for i in picks] if words else [extra]
    text = " ".join(chosen) + ("*" if star else "")
    try:
        terms = parse_terms(text)
    except UsageError:  # no word in it: nothing to compare
        assert not tokens(text)
        return
    assert terms
    assert _by_index(documents, text) == search_in_memory(terms, documents)


@given(st.text(st.characters(blacklist_categories=["Cs"]), max_size=60))
def test_highlighted_spans_are_words_that_match(text):
    terms = parse_terms("x " + " ".join(tokens(text)[:2]))
    for start, end in spans(text, terms):
        piece = tokens(text[start:end])
        assert any(term.matches(t) for t in piece for term in terms)


@pytest.fixture
def monkeypatch_env():
    """Put $CLAIMTRACK_CACHE_DIR back after the property test points it at its own folders."""
    before = os.environ.get("CLAIMTRACK_CACHE_DIR")
    yield
    if before is None:
        os.environ.pop("CLAIMTRACK_CACHE_DIR", None)
    else:
        os.environ["CLAIMTRACK_CACHE_DIR"] = before
