"""Numbers for people to read: thousands separators and scale words, never ``7e+08``."""

from __future__ import annotations

import math

#: Scale words from the largest, for round values of a million and more.
SCALE_WORDS: tuple[tuple[float, str], ...] = (
    (1e12, "trillion"),
    (1e9, "billion"),
    (1e6, "million"),
)
#: From here whole numbers are shown in trillions (their last digits are float noise).
HUGE = 1e15
#: Significant digits a value keeps when it is not a whole number.
DIGITS = 6


def _positional(value: float, digits: int = DIGITS) -> str:
    """``value`` with separators and up to ``digits`` significant digits, without exponent."""
    if value == 0:
        return "0"
    magnitude = math.floor(math.log10(abs(value)))
    decimals = max(digits - 1 - magnitude, 0)
    text = f"{value:,.{decimals}f}"
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return "0" if text in ("-0", "") else text


def readable(value: float) -> str:
    """``value`` as a person writes it: ``700 million``, ``1.5 billion``, ``703,412,118``,
    ``0.25``, ``12,500.5``; whole numbers under a million keep every digit."""
    if math.isnan(value):
        return "NaN"
    if math.isinf(value):
        return "infinity" if value > 0 else "minus infinity"
    size = abs(value)
    for scale, word in SCALE_WORDS:
        # A round value (at most three significant digits) reads better in words; a precise
        # one keeps its digits (703,412,118 is not "703.412 million").
        if size >= scale and _is_round(value / scale):
            return f"{_positional(value / scale)} {word}"
    if value == int(value) and size < HUGE:
        return f"{int(value):,}"
    if size >= HUGE:
        mantissa = value / SCALE_WORDS[0][0]
        return f"{_positional(mantissa, max(DIGITS, _whole_digits(mantissa)))} trillion"
    return _positional(value)


def _whole_digits(value: float) -> int:
    return len(str(int(abs(value))))


def _is_round(mantissa: float) -> bool:
    """Whether ``mantissa`` has at most three significant digits (700, 1.5, 12.5, 999)."""
    shown = f"{abs(mantissa):.3g}"
    return "e" not in shown and math.isclose(float(shown), abs(mantissa), rel_tol=1e-12)


def amount(value: float, unit: str, approx: bool = False, bound: str | None = None) -> str:
    """A quantity as a sentence fragment: ``more than ~700 million USD``."""
    mark = {"lower": "more than ", "upper": "less than "}.get(bound or "", "")
    return f"{mark}{'~' if approx else ''}{readable(value)} {unit}"
