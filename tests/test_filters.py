"""The shared filters of list, search, export and graph: comma lists, confidence words, and what
stderr says when a filter names nothing or matches nothing."""

from __future__ import annotations

import json

import pytest
from hypothesis import given
from hypothesis import strategies as st

from claimtrack.core.wording import close_matches, plural, split
from conftest import ROOT, claim_yaml

SHIPPED = ["--dir", str(ROOT / "claims")]
#: Every command that takes the filters, with the arguments that make it print data to stdout.
COMMANDS = [["list", "-f", "json"], ["export", "-f", "jsonl"], ["graph", "-f", "json"]]


@pytest.fixture
def folder(make_claims):
    return make_claims(
        {
            "a": claim_yaml("a", tags="[oil]", confidence="0.9"),
            "b": claim_yaml("b", tags="[oil, cuba]", confidence="0.3"),
            "c": claim_yaml("c", attribution="\n  name: Nicolás Maduro\n  kind: official"),
        }
    )


def _ids(run, folder, *args):
    result = run(["--dir", str(folder), "list", "-f", "json", *args])
    assert result.exit_code == 0, result.stderr
    return [c["id"] for c in json.loads(result.stdout)], result.stderr


def test_status_takes_comma_lists_and_repeats_alike(run):
    args = [*SHIPPED, "list", "-f", "json"]
    commas = run([*args, "--status", "contested,sourced"])
    repeats = run([*args, "--status", "contested", "--status", "sourced"])
    assert commas.exit_code == 0, commas.stderr
    assert json.loads(commas.stdout) == json.loads(repeats.stdout)
    assert {c["status"] for c in json.loads(commas.stdout)} == {"contested", "sourced"}


def test_kind_takes_comma_lists(run, folder):
    assert _ids(run, folder, "--kind", "anonymous,official")[0] == ["a", "b", "c"]


@pytest.mark.parametrize(
    ("option", "word", "expected"),
    [
        ("--min-confidence", "likely", ["a", "c"]),  # 0.55 and above: 0.9, 0.675
        ("--min-confidence", "very likely", ["a"]),
        ("--max-confidence", "unlikely", ["b"]),  # 0.45 and below
        ("--max-confidence", "Roughly-Even-Chance", ["b"]),  # spelling forgiven as in files
        ("--min-confidence", "probable", ["a", "c"]),  # the alias
    ],
)
def test_confidence_bounds_take_icd_203_words(run, folder, option, word, expected):
    assert _ids(run, folder, option, word)[0] == expected


_REFUSED = [
    (["--status", "contsted"], "error: unknown status 'contsted'; did you mean 'contested'?"),
    (["--status", "Sourced,refuted"], "did you mean 'sourced'?"),
    (["--kind", "offical"], "error: unknown kind 'offical'; did you mean 'official'?"),
    (["--min-confidence", "likly"], "not 'likly'; did you mean 'likely'"),
    (["--max-confidence", "1.5"], "--max-confidence takes a number from 0 to 1, not 1.5"),
]
_SORT = (["--sort", "-confidense"], "unknown sort key '-confidense'; did you mean 'confidence'?")


@pytest.mark.parametrize(
    ("command", "args", "message"),
    [(command, *case) for command in COMMANDS for case in _REFUSED]
    + [(command, *_SORT) for command in COMMANDS if command[0] != "graph"],  # graph: no --sort
)
def test_a_value_outside_the_vocabulary_is_a_usage_error_with_a_hint(
    run, folder, command, args, message
):
    result = run(["--dir", str(folder), *command, *args])
    assert result.exit_code == 2
    assert message in result.stderr
    assert result.stdout == ""
    assert "Invalid value" not in result.stderr


@pytest.mark.parametrize(
    ("args", "note"),
    [
        (["--tag", "OIL"], "note: no claim has the tag 'OIL'; did you mean 'oil'?"),
        (["--tag", "cubba"], "note: no claim has the tag 'cubba'; did you mean 'cuba'?"),
        (["--source", "wyre"], "note: no claim cites the source 'wyre'; did you mean 'wire'?"),
        (["--attributed-to", "madurro"], "did you mean 'Nicolás Maduro'?"),
        (["--attributed-to", "A Minster"], "did you mean 'A Minister'?"),
    ],
)
@pytest.mark.parametrize("command", COMMANDS)
def test_a_value_naming_nothing_known_gets_a_hint_and_the_count(run, folder, command, args, note):
    result = run(["--dir", str(folder), *command, *args])
    assert result.exit_code == 0, result.stderr
    assert note in result.stderr
    assert "0 of 3 claims match" in result.stderr


def test_a_known_tag_gets_no_hint(run, folder):
    ids, stderr = _ids(run, folder, "--tag", "cuba")
    assert ids == ["b"] and "note:" not in stderr and "match" not in stderr


def test_an_empty_result_of_known_values_says_so(run, folder):
    ids, stderr = _ids(run, folder, "--tag", "cuba", "--min-confidence", "0.5")
    assert ids == []
    assert stderr.strip() == "0 of 3 claims match"


def test_an_empty_search_says_so(run, folder):
    ids, stderr = _ids(run, folder, "--search", "nothing like this")
    assert ids == [] and "0 of 3 claims match" in stderr


def test_limit_says_how_many_were_left_out(run, folder):
    ids, stderr = _ids(run, folder, "--limit", "2")
    assert ids == ["a", "b"]
    assert stderr.strip() == "showing 2 of 3 claims"
    ids, stderr = _ids(run, folder, "--tag", "oil", "--limit", "1")
    assert stderr.strip() == "showing 1 of 2 matching claims"
    ids, stderr = _ids(run, folder, "--limit", "3")
    assert stderr == ""  # everything shown: nothing to say


def test_the_table_says_nothing_matches_on_stderr_not_stdout(run):
    result = run([*SHIPPED, "list", "--tag", "OIL"])
    assert result.exit_code == 0
    assert "match" not in result.stdout
    assert "0 of 40 claims match" in result.stderr
    assert "did you mean 'oil'?" in result.stderr


def test_one_claim_is_counted_in_the_singular(run, make_claims):
    folder = make_claims({"a": claim_yaml("a")})
    assert _ids(run, folder, "--tag", "x")[1].endswith("0 of 1 claim match\n")


_PART = st.text(st.characters(blacklist_characters=",", blacklist_categories=["Cs"]), max_size=8)


@given(st.lists(st.lists(_PART, max_size=4), max_size=4))
def test_comma_lists_and_repeats_give_the_same_values(groups):
    """Each option value may be a comma list: the values are the parts, trimmed, empty ones
    dropped, in order, however they are spread over repeats."""
    repeats = [",".join(group) for group in groups]
    flat = [part.strip() for group in groups for part in group if part.strip()]
    assert split(repeats) == flat
    assert split([",".join(repeats)]) == flat
    assert split([part for group in groups for part in group]) == flat


@given(st.sampled_from(["contested", "sourced", "official", "likely", "supports"]))
def test_a_value_in_another_case_is_matched_first(word):
    known = ["contested", "refuted", "unsourced", "sourced", "official", "likely", "supports"]
    assert close_matches(word.upper(), known) == [word]
    assert close_matches(word.title(), known) == [word]


def test_plurals():
    assert [plural(n, "error") for n in (0, 1, 2)] == ["0 errors", "1 error", "2 errors"]
    assert plural(1, "entry") == "1 entry" and plural(3, "entry") == "3 entries"
