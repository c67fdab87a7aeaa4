"""A fact-checker's rating as evidence: the vocabulary, numbers on their scale, and the claim's
status when the review is imported."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from claimtrack.core.ratings import RATING_WORDS, fold_rating, judge, normalised
from claimtrack.core.vocab import Stance


@pytest.mark.parametrize(
    ("rating", "stance", "credibility"),
    [
        ("False", "refutes", 2),
        ("FALSE", "refutes", 2),
        ("Pants on Fire", "refutes", 2),
        ("Not True", "refutes", 2),
        ("Altered Image", "refutes", 2),
        ("Miscaptioned", "refutes", 2),
        ("Misattributed", "refutes", 2),
        ("Originated as Satire", "refutes", 2),
        ("Mostly False", "refutes", 3),
        ("Decontextualized", "refutes", 3),
        ("Misleading", "refutes", 3),
        ("Partly-False", "refutes", 3),
        ("Partlyfalse", "refutes", 3),
        ("Mixture", "context", None),
        ("Half True", "context", None),
        ("Mostly True", "supports", 3),
        ("True", "supports", 2),
        ("Correct Attribution", "supports", 2),
        ("Unproven", "context", None),
        ("Other", "context", None),
        ("زائف", "refutes", 2),
        ("भ्रामक", "refutes", 3),
        ("گمراه\u200cکننده", "refutes", 3),
        ("தவறு", "refutes", 2),
        ("ശരി", "supports", 2),
    ],
)
def test_rating_words(rating, stance, credibility):
    judgement = judge(rating)
    assert judgement.stance.value == stance
    assert judgement.credibility == credibility


def test_mixed_and_unknown():
    assert judge("Mixture").mixed and judge("Mixture").understood
    assert not judge("Other").mixed and judge("Other").understood
    assert not judge("Zebra-striped").understood


def test_the_number_decides_on_its_scale():
    assert judge("Altered Image", 1, 5, 1).stance is Stance.REFUTES
    assert judge("Whatever", 5, 5, 1).stance is Stance.SUPPORTS
    assert judge("Misleading", 3, 5, 1).mixed  # AFP's middle of five
    assert judge("Missing context", 2.5, 5, 1).stance is Stance.REFUTES
    assert judge("Something", 1, 1, 6).stance is Stance.SUPPORTS  # a scale may run downward


def test_words_win_when_the_number_contradicts_them():
    judgement = judge("False", 5, 5, 1)
    assert judgement.stance is Stance.REFUTES
    assert judgement.conflict is not None and "'False'" in judgement.conflict


def test_vocabulary_keys_are_folded():
    assert all(fold_rating(word) == word for word in RATING_WORDS)


@given(st.floats(0, 100), st.floats(0, 100), st.floats(0, 1))
def test_normalised_is_on_the_unit_scale(worst, best, at):
    value = worst + (best - worst) * at
    score = normalised(value, best, worst)
    if best == worst:
        assert score is None
    else:
        assert score is not None and -1e-9 <= score <= 1 + 1e-9


def test_every_rating_word_is_documented():
    from tests.conftest import ROOT

    page = (ROOT / "docs" / "evidence.md").read_text(encoding="utf-8")
    import re

    section = page.split("## Fact checks as evidence", 1)[1].split("\n## ", 1)[0]
    rows = [line for line in section.splitlines() if line.startswith("| ")]
    documented = {
        re.sub(r"\s*\(\w+\)$", "", word.strip())  # "خاطئ (Arabic)" names the language
        for row in rows
        for cell in row.split("|")[2:]
        for word in re.split("[,،;]", cell)
    }
    assert [word for word in RATING_WORDS if word not in documented] == []
