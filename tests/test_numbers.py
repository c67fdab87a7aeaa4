"""Numbers for people: separators and scale words, never an exponent; durations as given."""

from __future__ import annotations

import math
import re

from hypothesis import example, given
from hypothesis import strategies as st

from claimtrack.core.numbers import amount, readable
from conftest import claim_yaml

SHAPE = re.compile(r"^-?\d{1,3}(,\d{3})*(\.\d+)?( (million|billion|trillion))?$")
SCALE = {"million": 1e6, "billion": 1e9, "trillion": 1e12}


def read_back(text: str) -> float:
    number, _, word = text.partition(" ")
    return float(number.replace(",", "")) * SCALE.get(word, 1.0)


@given(st.floats(allow_nan=False, allow_infinity=False, min_value=-1e30, max_value=1e30))
@example(7e8)
@example(703_412_118.0)
@example(1095.75)
@example(0.1 + 0.2)
@example(5e-324)
@example(999_999.5)
def test_a_number_reads_back_to_itself_without_an_exponent(value):
    shown = readable(value)
    assert SHAPE.match(shown), shown
    assert "e" not in shown.replace("million", "").replace("trillion", "").replace("billion", "")
    assert math.isclose(read_back(shown), value, rel_tol=5e-6, abs_tol=1e-300)


@given(st.integers(min_value=-(10**15) + 1, max_value=10**15 - 1))
def test_a_whole_number_keeps_every_digit_or_is_a_round_scale(value):
    shown = readable(float(value))
    if " " in shown:  # a scale word only for a value it names exactly
        assert read_back(shown) == value
    else:
        assert shown == f"{value:,}"


@given(st.integers(min_value=1, max_value=999), st.sampled_from(sorted(SCALE.items())))
def test_round_values_get_a_scale_word(mantissa, scale):
    word, factor = scale
    assert readable(mantissa * factor) == f"{mantissa} {word}"


def test_amounts_read_as_sentences():
    assert amount(7e8, "USD", bound="lower") == "more than 700 million USD"
    assert amount(703_412_118, "USD") == "703,412,118 USD"
    assert amount(53_000, "barrels per day", approx=True) == "~53,000 barrels per day"
    assert amount(3, "years") == "3 years"
    assert amount(1.5e9, "EUR", bound="upper") == "less than 1.5 billion EUR"


def test_show_and_the_chart_keep_the_files_unit(run, make_claims):
    duration = "\n  value: 3\n  unit: years\n  measure: term"
    money = "\n  value: 700000000\n  unit: USD\n  bound: lower\n  measure: debt"
    folder = make_claims(
        {
            "term": claim_yaml("term", quantity=duration),
            "debt": claim_yaml("debt", quantity=money),
        }
    )
    shown = run(["--dir", str(folder), "show", "term"]).stdout
    assert "3 years" in shown and "days" not in shown
    shown = run(["--dir", str(folder), "show", "debt"]).stdout
    assert "more than 700 million USD" in shown and "e+" not in shown
    chart = run(["--dir", str(folder), "quantities"]).stdout
    assert "3 years" in chart and "1,095" not in chart
    assert "> 700 million USD" in chart
