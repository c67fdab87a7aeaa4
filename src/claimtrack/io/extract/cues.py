"""The cues that make a sentence check-worthy, and what they say about its type and certainty.

A sentence is drafted when it has a *cue*: a number, a date, a quantity (a number with a unit),
a quotation (two or more words in quotation marks), an attribution cue ("X said", "according
to", "citing", "claimed"...), a hedge ("some reports suggest", "reportedly", "often described
as", "allegedly"...), a prediction ("will", "could", "may") or a causal link ("because", "led
to", "helped").
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from claimtrack.core.units import BASE_UNITS, SCALES

MONTHS = [
    "january",
    "february",
    "march",
    "april",
    "may",
    "june",
    "july",
    "august",
    "september",
    "october",
    "november",
    "december",
    "jan",
    "feb",
    "mar",
    "apr",
    "jun",
    "jul",
    "aug",
    "sep",
    "sept",
    "oct",
    "nov",
    "dec",
]
_NUMBER = re.compile(r"(?<![\w.])(?:[$€£]\s?)?\d[\d,]*(?:\.\d+)?%?")
LIST_MARK = re.compile(r"^\(?\d{1,2}[).]\s")
_YEAR = re.compile(r"\b(?:1[89]\d\d|20\d\d)s?\b")
_DATE = re.compile(
    r"\b(?:"
    + "|".join(m for m in MONTHS if m != "may")
    + r")\.?\s+\d{1,2}\b|\b\d{1,2}\s+(?:"
    + "|".join(MONTHS)
    + r")\b|\b(?:monday|tuesday|wednesday|thursday|friday|saturday|sunday|"
    r"yesterday|last (?:week|month|year))\b",
    re.I,
)
_UNIT_WORDS = sorted(
    (u for u in BASE_UNITS if len(u) > 1 and re.fullmatch(r"[a-z .$/]+", u)),
    key=len,
    reverse=True,
)
_QUANTITY = re.compile(
    r"(?P<approx>\b(?:around|about|approximately|roughly|nearly|almost|some|over|more than|"
    r"less than|up to)\s+|~)?(?P<number>(?:[$€£]\s?)?\d[\d,]*(?:\.\d+)?)\s*(?P<scale>"
    + "|".join(s for s in SCALES if len(s) > 2)
    + r")?\s*(?P<unit>%|"
    + "|".join(re.escape(u) for u in _UNIT_WORDS)
    + r"|[a-z]+ nationals|[a-z]+ (?:people|deaths|workers|doctors|soldiers))\b",
    re.I,
)
_QUOTATION = re.compile(r"[“\"]([^”\"]+)[”\"]")
#: The verbs that report speech or a document's finding (third person, present and past).
SPEECH_VERBS = (
    "said|says|told|tells|claimed|claims|stated|states|announced|announces|argued|argue|argues|"
    "noted|notes|remarked|declared|declares|denied|denies|insisted|insists|warned|warns|"
    "added|adds|wrote|writes|reported|reports|confirmed|confirms|acknowledged|acknowledges|"
    "alleged|alleges|estimated|estimates|estimate|emphasize|emphasizes|emphasised|emphasises|"
    "highlighted|described|condemned|accused|testified|testifies|predicted|predicts|"
    "recommended|recommends|recommend|rejected|rejects|disputed|disputes|contended|contends|"
    "maintained|maintains|promised|promises|pledged|pledges|conceded|concedes|admitted|admits|"
    "explained|explains|stressed|stresses|forecast|forecasts|projected|projects|believes|"
    "claim|say|warn|argue|deny|insist|allege|predict|suggested|suggests|expects|expect|"
    "called for|urged|urges|demanded|appealed|advised|advises|advise"
)
#: What a report, study, poll or set of figures does when it asserts something.
DOCUMENT_VERBS = "shows|show|showed|shown|found|finds|find|indicates|indicate|indicated|suggests"
_ATTRIBUTION = re.compile(
    # "were told" is not an attribution: the subject heard it
    rf"\baccording to\b|\bciting\b|(?<!\bwas )(?<!\bwere )(?<!\bbeen )\b(?:{SPEECH_VERBS})\b|"
    r"\b(?:place|places|trace|traces)\b "
    r"the|\bcite\b|\b(?:data|figures|records|survey|study|report|poll|statistics|audit)\s+"
    r"(?:show|shows|showed|found|finds|indicate|indicates)\b",
    re.I,
)
_STRONG_HEDGES = re.compile(
    r"\b(?:reportedly|allegedly|purportedly|supposedly|rumou?red|some reports suggest|"
    r"is said to|are said to|unconfirmed|claimed without evidence|may have|might have|"
    r"some accounts|some reports)\b",
    re.I,
)
_SOFT_HEDGES = re.compile(
    r"\b(?:often|widely|frequently|commonly|usually|generally|sometimes) (?:described|cited|"
    r"linked|traced|summari[sz]ed|highlighted|portrayed|seen|called|framed|regarded)|"
    r"\b(?:many|multiple|several) (?:accounts|narratives|reports|observers)\b|"
    r"\bsuggest(?:s|ing)?\b|"
    r"\bappears? to\b|\bseems? to\b|\bperceived\b|\bportrayals?\b|\bdescribed as\b",
    re.I,
)
_PREDICTION = re.compile(
    r"\b(?:will|could|may|might|would|likely to|expected to|set to|forecast|poised to|"
    r"is going to|are going to)\b",
    re.I,
)
_CAUSAL = re.compile(
    r"\b(?:because|led to|leads to|lead to|helped|helps|caused|causes|cause|as a result|due to|"
    r"resulted in|results in|drove|drives|so that|therefore|thanks to|shaped|signals|"
    r"create|creates|intensifying|destabili[sz]es|harden)\b|^As\b",
    re.I,
)
_OPINION = re.compile(
    r"\b(?:described as|argue|argues|argued|portrayals?|resembles|framed)\b", re.I
)


#: The cues, in the order a draft's note lists them.
CUE_NAMES = (
    "number",
    "date",
    "quantity",
    "quotation",
    "attribution",
    "hedge",
    "prediction",
    "causal",
)


@dataclass(frozen=True)
class Cues:
    found: tuple[str, ...]
    strong_hedge: bool
    soft_hedge: bool


def cues_of(sentence: str) -> Cues:
    """The cues in one sentence, in a fixed order."""
    body = LIST_MARK.sub("", sentence)
    found: list[str] = []
    numbers = [m for m in _NUMBER.finditer(body) if not _YEAR.fullmatch(m.group())]
    if numbers:
        found.append("number")
    if _YEAR.search(body) or _DATE.search(body):
        found.append("date")
    if _QUANTITY.search(words_to_digits(body)):
        found.append("quantity")
    if any(len(m.group(1).split()) >= 2 for m in _QUOTATION.finditer(body)):
        found.append("quotation")
    if _ATTRIBUTION.search(body):
        found.append("attribution")
    strong = bool(_STRONG_HEDGES.search(body))
    soft = bool(_SOFT_HEDGES.search(body))
    if strong or soft:
        found.append("hedge")
    if _PREDICTION.search(body):
        found.append("prediction")
    if _CAUSAL.search(body):
        found.append("causal")
    return Cues(tuple(found), strong, soft)


NUMBER_WORDS = {
    "one": "1",
    "two": "2",
    "three": "3",
    "four": "4",
    "five": "5",
    "six": "6",
    "seven": "7",
    "eight": "8",
    "nine": "9",
    "ten": "10",
}


def words_to_digits(text: str) -> str:
    return re.sub(
        r"\b(" + "|".join(NUMBER_WORDS) + r")\b",
        lambda m: NUMBER_WORDS[m.group(1).lower()],
        text,
        flags=re.I,
    )


def claim_type(sentence: str, cues: Cues) -> str:
    """Full Fact's type, guessed: quantity, quote, prediction, causal, opinion or event."""
    if "quantity" in cues.found:
        return "quantity"
    if "quotation" in cues.found and "attribution" in cues.found:
        return "quote"
    if "prediction" in cues.found and "date" not in cues.found:
        return "prediction"
    if "causal" in cues.found:
        return "causal"
    if _OPINION.search(sentence) or (cues.soft_hedge and "date" not in cues.found):
        return "opinion"
    return "event"


def confidence_word(cues: Cues) -> str:
    if cues.strong_hedge or "prediction" in cues.found:
        return "roughly even chance"
    if cues.soft_hedge:
        return "likely"
    return "very likely" if {"number", "date"} & set(cues.found) else "likely"


def credibility(cues: Cues) -> int:
    return 4 if cues.strong_hedge else 3 if cues.soft_hedge else 2
