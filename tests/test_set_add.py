"""Editing that fits: `claimtrack set ID FIELD VALUE [FIELD VALUE ...]` (several changes in
one validated write, the rest of the file kept, a written status kept in step) and interactive
`add` (each answer checked at its prompt; nothing written but the draft shown on failure)."""

from __future__ import annotations

import stat

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from claimtrack.cache import load_dataset
from claimtrack.io import roundtrip
from conftest import claim_yaml

TEXT = (
    "# about this claim\n"
    + claim_yaml("oil-exports", statement="'Exports rose.  # not a comment'")
    + "# the status, as the desk last judged it\n"
    + "status: sourced  # checked\n"
    + "tags: [oil, exports]\n"
)


@pytest.fixture
def folder(make_claims):
    folder = make_claims({"oil-exports": TEXT})
    (folder / "oil-exports.yaml").chmod(0o640)
    return folder


def _set(run, folder, *words):
    return run(["--dir", str(folder), "set", "oil-exports", *words])


def test_a_quantity_arrives_whole_in_one_write(run, folder):
    path = folder / "oil-exports.yaml"
    before = path.read_text()
    result = _set(
        run,
        folder,
        "quantity.value",
        "700000000",
        "quantity.unit",
        "USD",
        "quantity.bound",
        "lower",
        "confidence",
        "very likely",
    )
    assert result.exit_code == 0, result.stderr
    after = path.read_text()
    quantity = load_dataset(folder).claim("oil-exports").claim.quantity
    assert quantity is not None
    assert (quantity.value, quantity.unit, quantity.bound) == (700000000, "USD", "lower")
    # the round trip: comments, key order and the rest of the file as they were
    assert after.startswith("# about this claim\nid: oil-exports\n")
    assert "# the status, as the desk last judged it\nstatus: sourced  # checked\n" in after
    assert "tags: [oil, exports]\n" in after
    assert "confidence: very likely\nquantity:\n  value: 700000000\n  unit: USD\n" in after
    assert roundtrip.load(after, "x")["statement"] == "Exports rose.  # not a comment"
    kept = [line for line in before.splitlines() if not line.startswith("confidence:")]
    assert [line for line in after.splitlines() if line in kept] == kept
    assert stat.S_IMODE(path.stat().st_mode) == 0o640


def test_a_value_without_its_unit_is_refused_and_nothing_is_written(run, folder):
    path = folder / "oil-exports.yaml"
    before = path.read_bytes()
    result = _set(run, folder, "quantity.value", "7", "confidence", "unlikely")
    assert result.exit_code == 1
    assert "quantity.unit: required field 'unit' is missing" in result.stderr
    assert path.read_bytes() == before  # the confidence is not written either: all or nothing


def test_the_bound_is_settable_and_checked(run, folder):
    assert _set(run, folder, "quantity.value", "3", "quantity.unit", "years").exit_code == 0
    assert _set(run, folder, "quantity.bound", "upper").exit_code == 0
    assert load_dataset(folder).claim("oil-exports").claim.quantity.bound == "upper"
    result = _set(run, folder, "quantity.bound", "lowr")
    assert result.exit_code == 1 and "did you mean 'lower'?" in result.stderr


def test_several_fields_unset_at_once(run, folder):
    assert _set(run, folder, "quote", "tags", "--unset").exit_code == 0
    claim = load_dataset(folder).claim("oil-exports").claim
    assert claim.quote is None and claim.tags == []
    assert "# about this claim" in (folder / "oil-exports.yaml").read_text()


@pytest.mark.parametrize(
    ("words", "message"),
    [
        (["notes"], "'notes' has no value: give FIELD VALUE pairs"),
        (["notes", "a", "tags"], "'tags' has no value"),
        (["notes", "a", "notes", "b"], "'notes' is given twice"),
        (["colour", "red"], "cannot set 'colour'"),
        (["quantity.bond", "x"], "did you mean 'quantity.bound'"),
    ],
)
def test_bad_pairs_are_refused_before_anything_is_read(run, folder, words, message):
    before = (folder / "oil-exports.yaml").read_bytes()
    result = _set(run, folder, *words)
    assert result.exit_code == 2
    assert message in result.stderr
    assert (folder / "oil-exports.yaml").read_bytes() == before


def test_a_written_status_moves_with_the_evidence_in_the_same_write(run, folder):
    # the evidence's source becomes the claim's own article, and the speaker its unnamed author:
    # an article cannot source its own unattributed words
    result = _set(run, folder, "appears_in", "wire", "attribution.kind", "author")
    assert result.exit_code == 0, result.stderr
    assert "status: sourced → unsourced" in result.stderr
    text = (folder / "oil-exports.yaml").read_text()
    assert "status: unsourced # checked\n" in text  # the comment stays with it
    assert "status-mismatch" not in result.stderr
    again = _set(run, folder, "notes", "re-checked")
    assert again.exit_code == 0
    assert again.stderr.splitlines()[1:] == []  # no mismatch warning left to repeat


def test_a_status_set_by_hand_is_not_moved(run, folder):
    result = _set(
        run, folder, "appears_in", "wire", "attribution.kind", "author", "status", "refuted"
    )
    assert result.exit_code == 0, result.stderr
    assert load_dataset(folder).claim("oil-exports").claim.status.value == "refuted"


_WORDS = st.text(
    st.characters(whitelist_categories=["L", "N"], whitelist_characters=" .,'-"), min_size=1
).filter(lambda s: s.strip() == s and s.strip(" .,'-"))


@settings(
    max_examples=15, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(statement=_WORDS, notes=_WORDS, role=_WORDS)
def test_several_text_fields_round_trip(run, folder, statement, notes, role):
    # after "--" a value may start with "-" (a value like "-5% a year")
    result = _set(
        run, folder, "--", "statement", statement, "notes", notes, "attribution.role", role
    )
    assert result.exit_code == 0, result.stderr
    claim = load_dataset(folder).claim("oil-exports").claim
    assert (claim.statement, claim.notes, claim.attribution.role) == (statement, notes, role)
    text = (folder / "oil-exports.yaml").read_text()
    assert text.startswith("# about this claim\n") and "status: sourced  # checked\n" in text


# Interactive `add`: each answer checked at its prompt.


def _add(run, folder, answers, *flags):
    return run(["--dir", str(folder), "add", "--prompt", *flags], input=answers)


def test_add_asks_again_with_a_did_you_mean_and_keeps_the_other_answers(run, folder):
    answers = (
        "Cuba mourned for two days.\n"
        "artcle\narticle\n"  # a source id not in the registry, then the right one
        "The Cuban government\n"
        "goverment\ngovernment\n"
        "\nlkely\nlikely\n"  # empty, misspelt, right
    )
    result = _add(run, folder, answers)
    assert result.exit_code == 0, result.stderr
    assert "no source 'artcle' in the registry; did you mean 'article'?" in result.stderr
    assert "unknown value 'goverment'; did you mean 'government'?; try again" in result.stderr
    assert "confidence cannot be empty; try again" in result.stderr
    assert "'lkely' is not an ICD 203 word; did you mean 'likely'" in result.stderr
    assert result.stdout == "cuba-mourned-two-days\n"  # the prompts never reach stdout
    claim = load_dataset(folder).claim("cuba-mourned-two-days").claim
    assert (claim.appears_in, claim.attribution.kind.value) == ("article", "government")
    assert claim.confidence.word == "likely"


def test_add_that_runs_out_of_answers_writes_nothing_and_prints_the_draft(run, folder):
    files = sorted(p.name for p in folder.iterdir())
    result = _add(run, folder, "Cuba mourned.\narticle\nThe Cuban government\nalien\n")
    assert result.exit_code == 1
    assert "error: no answer (end of input); nothing was written" in result.stderr
    assert "Aborted" not in result.stderr
    assert sorted(p.name for p in folder.iterdir()) == files
    draft = roundtrip.load(result.stdout, "draft")
    assert draft["statement"] == "Cuba mourned."
    assert draft["appears_in"] == "article"
    assert draft["attribution"] == {"name": "The Cuban government"}  # the bad kind is not kept


def test_add_from_flags_checks_each_value_with_its_flag(run, folder):
    base = ["--dir", str(folder), "add", "--statement", "S.", "--source", "article"]
    base += ["--attributed-to", "X", "--kind", "media"]
    result = run([*base, "--confidence", "lkely"])
    assert result.exit_code == 2
    assert "error: --confidence: 'lkely' is not an ICD 203 word; did you mean" in result.stderr
    result = run([*base, "--confidence", "likely", "--date", "2025-02-30"])
    assert result.exit_code == 2
    assert "date:" in result.stderr and "Value error" not in result.stderr
    assert "statement: S." in result.stdout  # what would have been written
