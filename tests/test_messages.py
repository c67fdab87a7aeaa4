"""Every value error in claimtrack's own words: no validator or parser wording, a did-you-mean
for a misspelt vocabulary word, nouns that agree with their counts."""

from __future__ import annotations

import json

import pytest
from hypothesis import given
from hypothesis import strategies as st

from claimtrack.core.wording import json_message, value_message
from conftest import claim_yaml

#: Wording of the libraries beneath claimtrack, which must never reach a person.
LIBRARY_WORDS = (
    "Value error,",
    "Input should be",
    "unable to parse",
    "JSONDecodeError",
    "Expecting value",
    "Aborted!",
    "Traceback",
)


def _own_words(text: str) -> None:
    for words in LIBRARY_WORDS:
        assert words not in text, text


@pytest.fixture
def folder(make_claims):
    return make_claims({"a": claim_yaml("a")})


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (
            ["evidence", "add", "a", "--source", "wire", "--stance", "Supports"],
            "'--stance': unknown value 'Supports'; did you mean 'supports'?",
        ),
        (
            ["evidence", "add", "a", "--source", "wire", "--stance", "maybe"],
            "unknown value 'maybe'; use 'supports', 'refutes' or 'context'",
        ),
        (
            [
                "evidence",
                "add",
                "a",
                "--source",
                "wire",
                "--stance",
                "supports",
                "--credibility",
                "B",
            ],
            "'--credibility': 'B' is not a whole number",
        ),
        (
            [
                "evidence",
                "add",
                "a",
                "--source",
                "wire",
                "--stance",
                "supports",
                "--credibility",
                "9",
            ],
            "'--credibility': 9 is more than 6, the most allowed",
        ),
        (["dispute", "a", "--by", "X", "--kind", "offical"], "did you mean 'official'?"),
        (["add", "--kind", "Media"], "did you mean 'media'?"),
        (["list", "--limit", "x"], "'x' is not a whole number"),
        (["--color", "purple", "list"], "unknown value 'purple'; use 'auto', 'always' or 'never'"),
    ],
)
def test_a_bad_option_value_is_said_in_claimtracks_words(run, folder, args, message):
    result = run(["--dir", str(folder), *args])
    assert result.exit_code == 2
    assert message in result.stderr
    _own_words(result.stderr)


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("attribution.kind", "offical", "unknown value 'offical'; did you mean 'official'?"),
        ("status", "contsted", "unknown value 'contsted'; did you mean 'contested'?"),
        ("analytic_confidence", "High", "did you mean 'high'?"),
    ],
)
def test_a_misspelt_vocabulary_word_in_set_gets_a_did_you_mean(run, folder, field, value, message):
    before = (folder / "a.yaml").read_bytes()
    result = run(["--dir", str(folder), "set", "a", field, value])
    assert result.exit_code == 1
    assert message in result.stderr
    assert "1 error in" in result.stderr  # never "1 errors"
    _own_words(result.stderr)
    assert (folder / "a.yaml").read_bytes() == before


def test_a_baseline_that_is_not_json_is_said_plainly(run, folder, tmp_path):
    bad = tmp_path / "bad.json"
    bad.write_text("", encoding="utf-8")
    result = run(["--dir", str(folder), "report", "--baseline", str(bad)])
    assert result.exit_code == 2
    assert "not JSON: a value was expected (line 1, column 1)" in result.stderr
    _own_words(result.stderr)
    bad.write_text(json.dumps({"version": 1}), encoding="utf-8")
    result = run(["--dir", str(folder), "report", "--baseline", str(bad)])
    assert "it has no 'claims' key" in result.stderr
    _own_words(result.stderr)


def test_a_jsonl_import_line_that_is_not_json_is_said_plainly(run, folder, tmp_path):
    bad = tmp_path / "in.jsonl"
    bad.write_text("{not json\n", encoding="utf-8")
    result = run(["--dir", str(folder), "import", str(bad)])
    assert (
        "in.jsonl line 1: skipped: not JSON: a key in double quotes was expected (line 1, column 2)"
        in result.stderr
    )
    _own_words(result.stderr)


def test_end_of_input_at_a_prompt_is_one_line_not_aborted(run, folder):
    result = run(["--dir", str(folder), "add", "--prompt"], input="")
    assert result.exit_code == 1
    assert "error: no answer (end of input); nothing was written" in result.stderr
    _own_words(result.stderr)
    assert sorted(p.name for p in folder.iterdir()) == ["a.yaml", "sources.yaml"]


def test_counts_agree_with_their_nouns(run, make_claims, tmp_path):
    folder = make_claims({"a": claim_yaml("a", evidence=None)}, sources=None)
    result = run(["--dir", str(folder), "validate"])
    assert "1 error, 0 warnings in 1 of 1 file (1 valid claim)" in result.stderr
    article = tmp_path / "article.txt"
    article.write_text('The minister said: "Prices rose by 5% last year."\n', encoding="utf-8")
    result = run(["extract", str(article)])
    assert "1 draft;" in result.stderr and "0 blocks of page furniture" in result.stderr


@given(st.text(max_size=20), st.sampled_from(["int_parsing", "float_parsing", "bool_parsing"]))
def test_parse_errors_name_the_value_given(given_value, kind):
    message = value_message(kind, given_value, "Input should be a valid thing")
    assert repr(given_value)[:20] in message and "Input should" not in message


@given(st.sampled_from(["Expecting value", "Extra data", "Expecting ',' delimiter"]))
def test_json_messages_are_reworded(message):
    assert message not in json_message(message, 1, 2)
