"""Units of quantities, normalised for comparison: ``barrels per day`` = ``bbl/d`` = ``b/d``,
``kilometres`` = ``km``, ``miles`` = 1.609344 ``km``.

A unit is read as an optional scale word (thousand, million, billion; k, m, bn) and a base unit
from ``BASE_UNITS``, in either order (``million barrels per day``, ``USD million``). A value
converts to the base unit's canonical spelling by the product of the factors. Units not listed
compare only with the same spelling (case and spacing ignored).
"""

from __future__ import annotations

import re
from dataclasses import dataclass


@dataclass(frozen=True)
class Unit:
    """A unit read from a claim: its dimension, canonical spelling and factor to that unit."""

    dimension: str
    canonical: str
    factor: float = 1.0


def _spellings(canonical: str, dimension: str, *names: str) -> dict[str, Unit]:
    return {name: Unit(dimension, canonical) for name in (canonical, *names)}


#: Spelling (lower case, single spaces) -> base unit.
BASE_UNITS: dict[str, Unit] = {
    **_spellings(
        "bbl/d",
        "oil flow",
        "barrels per day",
        "barrels a day",
        "barrels/day",
        "barrel per day",
        "b/d",
        "bpd",
        "bopd",
        "bbl per day",
        "bbls/d",
        "bbl/day",
    ),
    **_spellings(
        "people",
        "count of people",
        "person",
        "persons",
        "individuals",
        "nationals",
        "deaths",
        "dead",
        "people killed",
        "casualties",
        "citizens",
        "workers",
        "doctors",
        "personnel",
        "soldiers",
        "residents",
    ),
    **_spellings("count", "count", "items", "units", "times", "cases", "events"),
    **_spellings("%", "percent", "percent", "per cent", "percentage", "pct"),
    **_spellings("percentage points", "percentage points", "pp", "points"),
    **_spellings("days", "duration", "day", "d"),
    **{k: Unit("duration", "days", 7) for k in ("week", "weeks")},
    **{k: Unit("duration", "days", 365.25) for k in ("year", "years", "yr", "yrs")},
    **{k: Unit("duration", "days", 365.25 / 12) for k in ("month", "months")},
    **_spellings(
        "USD", "currency USD", "usd", "us$", "$", "dollars", "us dollars", "u.s. dollars", "dollar"
    ),
    **_spellings("EUR", "currency EUR", "eur", "€", "euros", "euro"),
    **_spellings("GBP", "currency GBP", "gbp", "£", "pounds", "pounds sterling"),
    **_spellings("CAD", "currency CAD", "cad", "c$", "canadian dollars"),
    **_spellings("CUP", "currency CUP", "cup", "cuban pesos"),
    **_spellings("VES", "currency VES", "ves", "bolivars", "bolívares"),
    **_spellings("t", "mass", "tonnes", "tons", "tonne", "metric tons"),
    **_spellings(
        "m3/d",
        "water flow",
        "cubic metres a day",
        "cubic metres per day",
        "cubic meters a day",
        "cubic meters per day",
        "m³/d",
    ),
    **_spellings("bbl", "oil volume", "barrels", "barrel", "bbls"),
    # lengths and areas ("300 kilometres of mains", "12 square miles"); "m" alone stays the
    # scale word (million), so metres are spelled out
    **_spellings("km", "length", "kms", "kilometres", "kilometers", "kilometre", "kilometer"),
    **{k: Unit("length", "km", 1e-3) for k in ("metre", "metres", "meter", "meters")},
    **{k: Unit("length", "km", 1.609344) for k in ("mile", "miles")},
    **{k: Unit("length", "km", 3.048e-4) for k in ("foot", "feet", "ft")},
    **_spellings(
        "km2",
        "area",
        "km²",
        "sq km",
        "square kilometres",
        "square kilometers",
        "square kilometre",
        "square kilometer",
    ),
    **{k: Unit("area", "km2", 2.589988110336) for k in ("square miles", "square mile", "sq mi")},
    **{k: Unit("area", "km2", 0.01) for k in ("hectares", "hectare")},
    **{k: Unit("area", "km2", 4.0468564224e-3) for k in ("acres", "acre")},
}

SCALES: dict[str, float] = {
    "thousand": 1e3,
    "k": 1e3,
    "thousands": 1e3,
    "million": 1e6,
    "m": 1e6,
    "mn": 1e6,
    "millions": 1e6,
    "mm": 1e6,
    "billion": 1e9,
    "bn": 1e9,
    "b": 1e9,
    "billions": 1e9,
}

_SPACES = re.compile(r"\s+")


def _clean(text: str) -> str:
    return _SPACES.sub(" ", text.strip().lower().replace("’", "'"))


def parse_unit(text: str) -> Unit:
    """The unit a spelling names; an unknown spelling is its own dimension and canonical form."""
    spelled = _clean(text)
    if spelled in BASE_UNITS:
        return BASE_UNITS[spelled]
    words = spelled.split(" ")
    for scale_first in (True, False):
        scale, rest = (words[0], words[1:]) if scale_first else (words[-1], words[:-1])
        base = BASE_UNITS.get(" ".join(rest))
        if scale in SCALES and base is not None:
            return Unit(base.dimension, base.canonical, base.factor * SCALES[scale])
    # "kb/d", "mb/d": a glued scale letter on an oil flow
    if spelled in ("kb/d", "kbd", "kbpd", "mb/d", "mbd", "mbpd"):
        return Unit("oil flow", "bbl/d", 1e3 if spelled.startswith("k") else 1e6)
    return Unit(f"unit {spelled}", spelled)


def to_canonical(value: float, unit: str) -> tuple[float, Unit]:
    """The value in its unit's canonical spelling, with that unit."""
    parsed = parse_unit(unit)
    return value * parsed.factor, parsed


def comparable(first: str, second: str) -> bool:
    """Whether two spellings measure the same dimension in convertible units."""
    return parse_unit(first).dimension == parse_unit(second).dimension
