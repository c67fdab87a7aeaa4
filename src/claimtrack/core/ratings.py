"""What a fact-checker's rating says of a claim: a score from 0 (false) to 1 (true), then a stance,
a credibility and whether the verdict is mixed.

A rating is read from its number when it has one, ``(value - worst) / (best - worst)``, else
from its words, looked up in ``RATING_WORDS``: the ratings ten fact-checkers publish (AFP, AAP,
Africa Check, Check Your Fact, Fatabyyano, Full Fact, PolitiFact, Snopes, Truth or Fiction,
Vishvas News), in English and in the languages those checkers write (Arabic, Hindi, Tamil,
Malayalam, Persian, and the common Spanish, French, Portuguese and German words). When the
number and the words disagree about the side (words that mean false with a number at the
true end, as some AFP records have), the words win: they are what the reader is shown.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass

from claimtrack.core.vocab import Stance

#: Rating words -> score in [0, 1] (0 false, 1 true), or None for a verdict that judges neither
#: way (unproven, satire of unknown origin, "other"). Keys are folded: see ``fold_rating``.
RATING_WORDS: dict[str, float | None] = {
    # false
    "false": 0.0,
    "fake": 0.0,
    "pants on fire": 0.0,
    "incorrect": 0.0,
    "not true": 0.0,
    "untrue": 0.0,
    "wrong": 0.0,
    "fabricated": 0.0,
    "hoax": 0.0,
    "scam": 0.0,
    "baseless": 0.0,
    "four pinocchios": 0.0,
    "altered image": 0.0,
    "altered photo": 0.0,
    "altered video": 0.0,
    "altered photo video": 0.0,
    "altered": 0.0,
    "manipulated": 0.0,
    "doctored": 0.0,
    "fake news": 0.0,
    "misattributed": 0.0,
    "miscaptioned": 0.0,
    "originated as satire": 0.0,
    "satire": 0.0,
    "labeled satire": 0.0,
    # mostly false: the claim misleads, the verdict is against it
    "mostly false": 0.25,
    "misleading": 0.25,
    "decontextualized": 0.25,
    "out of context": 0.25,
    "missing context": 0.25,
    "lacks context": 0.25,
    "exaggerated": 0.25,
    "exaggeration": 0.25,
    "partly false": 0.25,
    "partlyfalse": 0.25,
    "partially false": 0.25,
    "somewhat false": 0.25,
    "inaccurate": 0.25,
    "unsupported": 0.25,
    "three pinocchios": 0.25,
    # mixed
    "mixture": 0.5,
    "mixed": 0.5,
    "half true": 0.5,
    "half false": 0.5,
    "partly true": 0.5,
    "partially true": 0.5,
    "two pinocchios": 0.5,
    # mostly true
    "mostly true": 0.75,
    "mostly correct": 0.75,
    "somewhat true": 0.75,
    "largely accurate": 0.75,
    "one pinocchio": 0.75,
    # true
    "true": 1.0,
    "correct": 1.0,
    "accurate": 1.0,
    "verified": 1.0,
    "correct attribution": 1.0,
    "geppetto checkmark": 1.0,
    # judges neither way
    "unproven": None,
    "unverified": None,
    "unknown": None,
    "other": None,
    "legend": None,
    "research in progress": None,
    "no evidence": None,
    "explainer": None,
    # Arabic (Fatabyyano, AFP Arabic, Misbar)
    "زائف": 0.0,
    "كاذب": 0.0,
    "خطأ": 0.0,
    "خاطئ": 0.0,
    "مزيف": 0.0,
    "ملفق": 0.0,
    "مضلل": 0.25,
    "صحيح جزئيا": 0.5,
    "نصف صحيح": 0.5,
    "صحيح": 1.0,
    "حقيقي": 1.0,
    # Persian
    "نادرست": 0.0,
    "جعلی": 0.0,
    "گمراه‌کننده": 0.25,
    "گمراه کننده": 0.25,
    "نیمه درست": 0.5,
    "درست": 1.0,
    # Hindi (Vishvas News)
    "फर्जी": 0.0,
    "फ़र्ज़ी": 0.0,
    "झूठ": 0.0,
    "गलत": 0.0,
    "ग़लत": 0.0,
    "भ्रामक": 0.25,
    "आंशिक रूप से सच": 0.5,
    "सच": 1.0,
    "सही": 1.0,
    # Tamil
    "தவறு": 0.0,
    "போலி": 0.0,
    "தவறான தகவல்": 0.0,
    "தவறாக வழிநடத்தும்": 0.25,
    "உண்மை": 1.0,
    # Malayalam
    "തെറ്റ്": 0.0,
    "വ്യാജം": 0.0,
    "തെറ്റിദ്ധരിപ്പിക്കുന്നത്": 0.25,
    "ശരി": 1.0,
    "സത്യം": 1.0,
    # Spanish, Portuguese, French, German
    "falso": 0.0,
    "engañoso": 0.25,
    "enganoso": 0.25,
    "verdadero": 1.0,
    "verdadeiro": 1.0,
    "faux": 0.0,
    "trompeur": 0.25,
    "vrai": 1.0,
    "falsch": 0.0,
    "irreführend": 0.25,
    "richtig": 1.0,
    "wahr": 1.0,
}

_JOINERS = "\u200c\u200d"

#: A score at or below this refutes the claim, at or above ``SUPPORTS_FROM`` supports it; in
#: between the verdict is mixed.
REFUTES_UNTIL, SUPPORTS_FROM = 0.4, 0.6


def fold_rating(words: str) -> str:
    """Rating words as ``RATING_WORDS`` keys them: NFC, lower case, punctuation and spacing one
    space (``Partly-False!`` -> ``partly false``); joiners stay, they belong to the word."""
    text = unicodedata.normalize("NFC", words).casefold()
    kept = (c if c in _JOINERS or unicodedata.category(c)[0] in "LMN" else " " for c in text)
    return " ".join("".join(kept).split())


@dataclass(frozen=True)
class Judgement:
    """What a rating says: its score (None when it judges neither way, or is not understood)."""

    score: float | None
    #: The words were found in ``RATING_WORDS`` (or a number decided).
    understood: bool
    #: Why the number was set aside, when it was.
    conflict: str | None = None

    @property
    def stance(self) -> Stance:
        if self.score is None or REFUTES_UNTIL < self.score < SUPPORTS_FROM:
            return Stance.CONTEXT
        return Stance.REFUTES if self.score <= REFUTES_UNTIL else Stance.SUPPORTS

    @property
    def mixed(self) -> bool:
        """Partly true and partly false: the fact-checker disputes part of the claim."""
        return self.score is not None and REFUTES_UNTIL < self.score < SUPPORTS_FROM

    @property
    def credibility(self) -> int | None:
        """How firmly the verdict decides, as an Admiralty credibility: 2 (probably true) at
        either end of the scale, 3 (possibly true) short of it; None when it decides nothing.
        Never 1: one fact check is one line of evidence, not confirmation by independent ones."""
        if self.score is None or self.mixed:
            return None
        return 2 if abs(self.score - 0.5) * 2 >= 0.99 else 3


def score_of_words(words: str) -> tuple[float | None, bool]:
    """The score the words give, and whether they are in the vocabulary."""
    key = fold_rating(words)
    if key in RATING_WORDS:
        return RATING_WORDS[key], True
    return None, False


def normalised(value: float, best: float, worst: float) -> float | None:
    """``value`` on its scale as 0 (worst) to 1 (best), or None for a scale of one point."""
    if best == worst:
        return None
    return (value - worst) / (best - worst)


def judge(
    words: str, value: float | None = None, best: float | None = None, worst: float | None = None
) -> Judgement:
    """What a rating says: from the number on its scale when there is one, else the words."""
    word_score, known = score_of_words(words)
    number = None
    if value is not None and best is not None and worst is not None:
        number = normalised(value, best, worst)
    if number is None:
        return Judgement(word_score, known)

    def side(score: float | None) -> int:
        if score is None or REFUTES_UNTIL < score < SUPPORTS_FROM:
            return 0
        return -1 if score <= REFUTES_UNTIL else 1

    if known and side(word_score) * side(number) < 0:
        return Judgement(
            word_score,
            True,
            f"the rating {words!r} and its number {value:g} ({worst:g} worst, {best:g} best) "
            "disagree; the words, which readers see, were taken",
        )
    return Judgement(number, True)
