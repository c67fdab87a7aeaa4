"""The headline quantity of a sentence: value, unit, bound, approximation and the date it is for.

Every number of the sentence is read with what surrounds it: a currency sign or word and a
scale word before or after it (``$48 million``, ``€1.2bn``, ``3 billion euros``), the unit after
it (``percent``, ``percentage points``, a unit of ``core.units``, a duration, or the noun it
counts, up to a participle: ``1,100 jobs``, ``14 batches made at``), a rate (``a day``, ``per
year``) or an amount per thing (``per farm``), and the words before it for a bound
(``as much as``/``up to``/``at most``/``cap ... at``/``limited to``: upper; ``more than``/``at
least``/``exceed``/``over``/``a floor of``: lower) or an approximation (``about``, ``around``,
``~``). Years, days of a month, vote tallies (``7-2``), times of day (``7:10``) and compound
adjectives (``30-year``) are not quantities. Side numbers give way to the headline: a number
inside a relative clause (``, which employs 600 people,``), a duration that only frames the
claim (``over four years``, ``in the first nine months``; the headline only when the sentence
has no other number and it is not in a clause of its own: ``the leak had run for six weeks``,
not ``a warehouse that burned for two days``) and the earlier value of a change (``up from 23
days``). The first number left is the headline.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from claimtrack.core.units import BASE_UNITS, parse_unit
from claimtrack.io.extract.cues import MONTHS, SPEECH_VERBS, words_to_digits

_NUM = r"\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?"
_NUMBER = re.compile(rf"(?<![\w.,-])(?:{_NUM})(?![\d])")
_SCALES = {
    "thousand": 1e3,
    "million": 1e6,
    "billion": 1e9,
    "trillion": 1e12,
    "k": 1e3,
    "m": 1e6,
    "mn": 1e6,
    "bn": 1e9,
    "tn": 1e12,
}
_SCALE_AFTER = re.compile(
    r"^(?:\s?(?P<glued>bn|mn|tn|m|k)\b|\s(?P<word>thousand|million|billion|trillion)\b)"
)
_CURRENCY_SIGN = re.compile(r"(?P<sign>US\$|C\$|A\$|[$€£¥])\s?$")
_CURRENCY_SIGNS = {
    "US$": "USD",
    "$": "USD",
    "C$": "CAD",
    "A$": "AUD",
    "€": "EUR",
    "£": "GBP",
    "¥": "JPY",
}
_CURRENCY_WORDS = {
    "dollars": "USD",
    "us dollars": "USD",
    "euros": "EUR",
    "euro": "EUR",
    "pounds": "GBP",
    "pounds sterling": "GBP",
    "yen": "JPY",
    "usd": "USD",
    "eur": "EUR",
    "gbp": "GBP",
}
_CURRENCY_AFTER = re.compile(
    r"^\s(?P<word>us dollars|dollars|euros?|pounds sterling|pounds|yen|usd|eur|gbp)\b", re.I
)
_PERCENT = re.compile(
    r"^\s?(?:(?P<points>percentage[- ]points?|points?\b)|(?P<percent>%|percent\b|per cent\b))",
    re.I,
)
_DURATIONS = ("minutes", "hours", "days", "weeks", "months", "years", "decades")
_RATE = re.compile(r"^\s(?:a|an|per|each|every)\s(?P<per>day|week|month|year|hour|minute)\b", re.I)
#: "€5,000 per farm", "12 beds per ward": an amount for each of something other than a time.
_PER_THING = re.compile(r"^\s(?:per|for each)\s(?P<per>(?!cent\b)[a-z][a-z-]+)\b")
#: "£2.50 a journey", "$4 a gallon": after money, "a" and one thing is each of it too.
_PRICE_EACH = re.compile(r"^\s(?:a|an)\s(?P<per>[a-z][a-z-]+)\b(?!\s+of\b|[’'])")
#: Base units of several words ("barrels per day"), longest first so the longest spelling wins.
_KNOWN_UNITS = sorted(
    (u for u in BASE_UNITS if re.fullmatch(r"[a-z][a-z .'/-]*", u) and len(u) > 2),
    key=len,
    reverse=True,
)
_KNOWN_AFTER = re.compile(
    r"^\s(?P<unit>" + "|".join(re.escape(u) for u in _KNOWN_UNITS) + r")\b", re.I
)
_WORD = re.compile(r"^\s(?P<word>[A-Za-z][a-z]*(?:-[a-z]+)*)\b")
_NOT_NOUNS = frozenset(
    "a an the of in on at to for by from with and or than as is are was were be been has have "
    "had will would could may might can per percent cent times time last this that these those "
    "its their his her our year-on-year more less fewer between among about around into over "
    "under after before during since until up down out off who which whose what when where "
    "new more other further additional extra".split()
)
#: Irregular past participles: after what is counted they start a reduced relative ("14 batches
#: made at a plant", "300 cars built in Mexico"), never a part of the noun.
_PARTICIPLES = frozenset(
    "made built sold held found taken given seen known paid run done kept left lost won shown "
    "put set cut hit brought bought caught taught thought sent spent lent meant told written "
    "driven grown drawn flown chosen stolen broken spoken hidden born borne worn torn sworn "
    "thrown blown fallen risen ridden eaten beaten forgotten gotten begun sung sunk swum "
    "struck stuck hung laid led fed read heard met sat shot slept bound ground wound "
    "dug spun split spread shut quit cast cost burnt learnt dealt felt".split()
)
#: Adjectives that say "more of them" and not what they are.
_EXTRA = frozenset(["additional", "extra", "more", "new", "further", "other"])
_UPPER = re.compile(
    r"\b(?:as (?:much|many|high|large|long) as|up to|at most|no more than|not more than|less than|"
    r"fewer than|under|below|a maximum of|at the most|within|(?:cap|ceiling|limit) of|"
    # "cap overhead payments at €45,000", "limited rises to 3 percent": a cap is an upper bound
    r"(?:cap|caps|capped|capping|limit|limits|limited|limiting)\b[^,.;:]{0,50}?\b(?:at|to))"
    r"(?:\s+(?:another|a further|an additional|an extra))?\s*$",
    re.I,
)
_LOWER = re.compile(
    r"\b(?:more than|at least|over|exceed|exceeds|exceeded|exceeding|in excess of|upwards of|"
    r"no (?:fewer|less) than|not less than|above|a minimum of|top|topped|tops|surpass\w*|"
    r"floor of|(?:floor|floors|floored)\b[^,.;:]{0,50}?\bat)"
    r"(?:\s+(?:another|a further|an additional|an extra))?\s*$",
    re.I,
)
_APPROX = re.compile(
    r"\b(?:about|around|approximately|roughly|nearly|almost|some|an estimated|estimated|close to|"
    r"circa|around the|about the)\s*~?\s*$|~\s*$",
    re.I,
)
_MONTH = "|".join(MONTHS)
_DAY_OF_MONTH = re.compile(rf"\b(?:{_MONTH})\.?\s*$", re.I)
_MONTH_AFTER = re.compile(rf"^\s(?:{_MONTH})\b", re.I)
_FRAMING = re.compile(
    r"\b(?:over|in|during|for|across|throughout)\s+(?:the\s+)?(?:(?:first|past|last|next|"
    r"coming|previous|following)\s+)?$",
    re.I,
)
_EARLIER = re.compile(
    r"\b(?:up|down|rising|falling|rose|fell) from\s*$|\b(?:compared (?:with|to)|versus|vs\.?|"
    r"from)\s+(?:about |around )?$",
    re.I,
)
_RELATIVE = re.compile(r",\s(?:who|which|whose)\b(?:[^,]|,(?=\d))*(?:,|$)")
#: A clause of its own before a number ("a warehouse that burned for two days", ", when the city
#: trucked water for three months"); "said that" opens what is said, not a side clause.
_SUBORDINATE = re.compile(r"\b(?:which|who|whose|where|when|while|that)\b(?=[^,;]*$)", re.I)
_REPORTED = re.compile(rf"\b(?:{SPEECH_VERBS})\s+$", re.I)
_AS_OF = re.compile(
    rf"\b(?:in|as of|at the end of|by the end of)\s+(?:(?P<month>{_MONTH})\.?\s+)?"
    r"(?P<year>(?:19|20)\d\d)\b",
    re.I,
)
_MONTH_NUMBER = {name: index % 12 + 1 for index, name in enumerate(MONTHS[:12])}
_MONTH_NUMBER.update({"jan": 1, "feb": 2, "mar": 3, "apr": 4, "jun": 6, "jul": 7, "aug": 8})
_MONTH_NUMBER.update({"sep": 9, "sept": 9, "oct": 10, "nov": 11, "dec": 12})


_REACHED = re.compile(
    r"\b(?:reached|rose to|fell to|climbed to|dropped to|totall?ed|hit|stood at|numbered)\s+"
    r"(?:about |around |nearly |almost |more than |some )?$",
    re.I,
)
#: A sentence's subject when it is what is counted: "Hospital admissions linked to ...".
_SUBJECT = re.compile(r"^(?:the\s+)?(?P<noun>(?:[A-Z]?[a-z]+\s+)?[A-Za-z]+s)\b(?P<noun2>)")
#: How many characters before a number are read for its currency, bound and framing.
_LOOKBEHIND = 60
_COUNTED = re.compile(
    r"^(?:the\s+)?(?:(?:total\s+)?number\s+of\s+(?P<noun>[a-z]+)|(?P<noun2>[A-Za-z]+?)s?\s+"
    r"(?:numbers|counts?|totals?|figures))\b",
    re.I,
)


@dataclass(frozen=True)
class Mention:
    """One number of a sentence as read: where it is, what it measures, and whether it is a
    side number."""

    start: int
    value: float
    unit: str
    bound: str | None
    approx: bool
    side: bool
    #: A side number only because it is a duration framing the claim ("over four years"): the
    #: headline when the sentence has no other ("the leak had run for six weeks").
    frames: bool = False


def _read_unit(after: str) -> tuple[str, int] | None:
    """The unit that follows a number and how many characters it takes; None when bare."""
    percent = _PERCENT.match(after)
    if percent:
        unit = "percentage points" if percent.group("points") else "%"
        return unit, percent.end()
    known = _KNOWN_AFTER.match(after)
    if known:
        spelled = known.group("unit").lower()
        # "45 events" stays events: "count" would lose what is counted (they compare the same)
        canonical = _same_unit(spelled) and parse_unit(spelled).dimension != "count"
        return parse_unit(spelled).canonical if canonical else spelled, known.end()
    words: list[str] = []
    end = 0
    rest = after
    while len([w for w in words if w.lower() not in _EXTRA]) < 2:
        word = _WORD.match(rest)
        if word is None:
            break
        text = word.group("word")
        if text.lower() in _NOT_NOUNS - _EXTRA or (text[0].isupper() and words):
            break
        if text[0].isupper() and not re.fullmatch(r"[A-Z][a-z]+(?:an|ian|ese|ish|i)", text):
            break  # a proper name, not what is counted (demonyms such as "Cuban" are kept)
        words.append(text)
        end += word.end()
        rest = rest[word.end() :]
        if text.lower() in _DURATIONS or text.lower().rstrip("s") + "s" in _DURATIONS:
            break
        if len(words) == 2 and (re.search(r"(?:ed|ing)$", text) or text in _PARTICIPLES):
            words.pop()  # "candidates tied": the verb after what is counted
            break
    words = [w for w in words if w.lower() not in _EXTRA]
    if not words:
        return None
    unit = " ".join(w.lower() for w in words)
    if parse_unit(words[-1]).canonical == "people":
        unit = "people"
    return unit, end


def _same_unit(spelling: str) -> bool:
    parsed = parse_unit(spelling)
    return not parsed.dimension.startswith("unit ") and parsed.factor == 1


def mentions(sentence: str, spelled: bool = False) -> list[Mention]:
    """Every number of the sentence that has a unit, in order; with ``spelled``, numbers written
    as words ("four years") too."""
    text = words_to_digits(sentence) if spelled else sentence
    relative = [(m.start(), m.end()) for m in _RELATIVE.finditer(text)]
    found: list[Mention] = []
    for match in _NUMBER.finditer(text):
        # only the words just before a number bear on it (and a long text stays linear)
        offset = max(0, match.start() - _LOOKBEHIND)
        before, after = text[offset : match.start()], text[match.end() : match.end() + 80]
        if after.startswith("-") or re.search(r"\d-$", before):
            continue  # a tally (7-2), a range end or a compound adjective (30-year)
        if after.startswith(":") or re.search(r"\d:$", before):
            continue  # a time of day (the 7:10 crossing) or a ratio (3:1)
        if re.match(r"^[a-zA-Z]", after) and not re.match(r"^(?:bn|mn|tn|m|k)\b", after):
            continue  # 2nd, 5G
        value = float(match.group().replace(",", ""))
        sign = _CURRENCY_SIGN.search(before)
        start = offset + sign.start() if sign else match.start()
        scale = _SCALE_AFTER.match(after)
        glued = scale is not None and scale.group("glued") is not None
        if scale and (sign or not glued or scale.group("glued") == "bn"):
            value *= _SCALES[(scale.group("glued") or scale.group("word")).lower()]
            after = after[scale.end() :]
        elif glued:
            scale = None
        unit: str | None = None
        if sign:
            unit = _CURRENCY_SIGNS[sign.group("sign")]
        else:
            word = _CURRENCY_AFTER.match(after)
            if word:
                unit = _CURRENCY_WORDS[word.group("word").lower()]
                after = after[word.end() :]
        if unit is None:
            if scale is None and re.fullmatch(r"(?:19|20)\d\d", match.group()):
                continue  # a year
            if _DAY_OF_MONTH.search(before) or _MONTH_AFTER.match(after):
                continue  # a day of a month
            read = _read_unit(after)
            counted = _COUNTED.match(text) if scale is not None else None
            if counted is None and _REACHED.search(before):
                counted = _SUBJECT.match(text)  # "Hospital admissions ... reached 19"
            if read is not None:
                unit, used = read
            elif counted is not None:  # "Passenger numbers fell to 14.2 million"
                noun = counted.group("noun") or counted.group("noun2")
                unit, used = (_plural(noun) if " " not in noun else noun.lower()), 0
            else:
                continue
            after = after[used:]
        rate = _RATE.match(after)
        per_thing = _PER_THING.match(after) if rate is None else None
        if rate is None and per_thing is None and parse_unit(unit).dimension.startswith("currency"):
            per_thing = _PRICE_EACH.match(after)
        if rate and "/" not in unit:
            unit = f"{unit} per {rate.group('per').lower()}"
            per_unit = parse_unit(unit)
            if _same_unit(unit):
                unit = per_unit.canonical
        elif per_thing and "/" not in unit and per_thing.group("per") not in _NOT_NOUNS:
            unit = f"{unit} per {per_thing.group('per')}"
            then = _RATE.match(after[per_thing.end() :])  # "€4 per person a day"
            if then:
                unit = f"{unit} per {then.group('per').lower()}"
        lead = text[max(0, start - _LOOKBEHIND) : start]
        aside = any(a <= match.start() < b for a, b in relative) or bool(_EARLIER.search(lead))
        frames = not aside and bool(_FRAMING.search(lead)) and _is_duration(unit)
        found.append(
            Mention(
                start=start,
                value=value,
                unit=unit,
                bound="upper" if _UPPER.search(lead) else "lower" if _LOWER.search(lead) else None,
                approx=bool(_APPROX.search(lead)),
                side=aside or frames,
                frames=frames,
            )
        )
    return found


def _in_side_clause(before: str) -> bool:
    """Whether the words before a number put it in a clause of its own."""
    for match in _SUBORDINATE.finditer(before):
        if match.group().lower() != "that" or not _REPORTED.search(before[: match.start()]):
            return True
    return False


def _plural(noun: str) -> str:
    noun = noun.lower()
    return noun if noun.endswith("s") else noun + "s"


def _is_duration(unit: str) -> bool:
    return parse_unit(unit).dimension == "duration"


def as_of(sentence: str) -> str | None:
    """The date a quantity is for, from "in March 2026", "in 2025", "as of 2024"."""
    match = _AS_OF.search(sentence)
    if match is None:
        return None
    month = match.group("month")
    if month:
        return f"{match.group('year')}-{_MONTH_NUMBER[month.lower()]:02d}"
    return match.group("year")


def headline(sentence: str) -> dict[str, object] | None:
    """The sentence's headline quantity as claim data; None when it has none (or only side
    numbers)."""
    digits = mentions(sentence)
    found = [m for m in digits if not m.side]
    spelled: list[Mention] = []
    if not found:  # a number in words is a headline only when no number in digits is, and
        # only of a unit that is known ("two days", not "the two sides")
        spelled = [
            m
            for m in mentions(sentence, spelled=True)
            if not parse_unit(m.unit).dimension.startswith("unit ")
            or m.unit in _DURATIONS
            or m.bound is not None  # "at least two shots": a bound makes it a figure
        ]
        found = [m for m in spelled if not m.side]
    if not found:  # only a framing duration is left: in the main clause it is the claim
        found = [
            m for m in (*digits, *spelled) if m.frames and not _in_side_clause(sentence[: m.start])
        ]
    if not found:
        return None
    first = found[0]
    value = first.value
    data: dict[str, object] = {
        "value": int(value) if value.is_integer() and abs(value) < 2**53 else value,
        "unit": first.unit,
    }
    if first.approx and first.bound is None:
        data["approx"] = True
    if first.bound is not None:
        data["bound"] = first.bound
    when = as_of(sentence)
    if when is not None:
        data["as_of"] = when
    return data
