"""The vocabularies claimtrack speaks: ICD 203 likelihood, Admiralty grades, statuses, kinds."""

from __future__ import annotations

import enum
import math
from dataclasses import dataclass


class Status(str, enum.Enum):
    """The effective status of a claim, derived from its evidence (see ``status.py``)."""

    CONTESTED = "contested"
    REFUTED = "refuted"
    UNSOURCED = "unsourced"
    SOURCED = "sourced"

    def __str__(self) -> str:
        return self.value


#: The order in which reports and default sorts present statuses: the contested ones first.
STATUS_ORDER: dict[Status, int] = {
    Status.CONTESTED: 0,
    Status.REFUTED: 1,
    Status.UNSOURCED: 2,
    Status.SOURCED: 3,
}


class Stance(str, enum.Enum):
    SUPPORTS = "supports"
    REFUTES = "refutes"
    CONTEXT = "context"


class AttributionKind(str, enum.Enum):
    """Who a speaker is; ``person`` is a named individual with no office, ``anonymous`` an
    unnamed one ("social media users")."""

    PERSON = "person"
    OFFICIAL = "official"
    GOVERNMENT = "government"
    ORGANIZATION = "organization"
    MEDIA = "media"
    EXPERT = "expert"
    ANONYMOUS = "anonymous"
    DOCUMENT = "document"
    AUTHOR = "author"


class AnalyticConfidence(str, enum.Enum):
    LOW = "low"
    MODERATE = "moderate"
    HIGH = "high"


class ClaimType(str, enum.Enum):
    """Full Fact's claim types, as far as they apply to a single assertion."""

    QUANTITY = "quantity"
    PREDICTION = "prediction"
    CAUSAL = "causal"
    QUOTE = "quote"
    EVENT = "event"
    OPINION = "opinion"
    RULE = "rule"


class ArticleFormat(str, enum.Enum):
    """How `extract` reads an article (auto: sniffed from its text)."""

    AUTO = "auto"
    TEXT = "text"
    MARKDOWN = "markdown"
    HTML = "html"


class SourceKind(str, enum.Enum):
    ARTICLE = "article"
    REPORT = "report"
    DATASET = "dataset"
    STATEMENT = "statement"
    DOCUMENT = "document"
    BROADCAST = "broadcast"
    SOCIAL = "social"
    #: A published fact check (schema.org ClaimReview): it weighs the words it reports.
    REVIEW = "review"
    OTHER = "other"


class Reliability(str, enum.Enum):
    """Admiralty (NATO STANAG 2511) source reliability."""

    A = "A"
    B = "B"
    C = "C"
    D = "D"
    E = "E"
    F = "F"


RELIABILITY_MEANING: dict[str, str] = {
    "A": "completely reliable",
    "B": "usually reliable",
    "C": "fairly reliable",
    "D": "not usually reliable",
    "E": "unreliable",
    "F": "reliability cannot be judged",
}

CREDIBILITY_MEANING: dict[int, str] = {
    1: "confirmed by other independent sources",
    2: "probably true",
    3: "possibly true",
    4: "doubtful",
    5: "improbable",
    6: "truth cannot be judged",
}


@dataclass(frozen=True)
class LikelihoodBand:
    word: str
    alias: str
    low: float
    high: float
    value: float


#: ICD 203 words of estimative probability, lowest first.
LIKELIHOOD_BANDS: tuple[LikelihoodBand, ...] = (
    LikelihoodBand("almost no chance", "remote", 0.01, 0.05, 0.03),
    LikelihoodBand("very unlikely", "highly improbable", 0.05, 0.20, 0.125),
    LikelihoodBand("unlikely", "improbable", 0.20, 0.45, 0.325),
    LikelihoodBand("roughly even chance", "roughly even odds", 0.45, 0.55, 0.50),
    LikelihoodBand("likely", "probable", 0.55, 0.80, 0.675),
    LikelihoodBand("very likely", "highly probable", 0.80, 0.95, 0.875),
    LikelihoodBand("almost certain", "nearly certain", 0.95, 0.99, 0.97),
)

_BY_WORD: dict[str, LikelihoodBand] = {}
for _band in LIKELIHOOD_BANDS:
    _BY_WORD[_band.word] = _band
    _BY_WORD[_band.alias] = _band

#: Every accepted spelling (word or alias), for error messages and the JSON Schema.
LIKELIHOOD_WORDS: tuple[str, ...] = tuple(_BY_WORD)


def band_for_word(word: str) -> LikelihoodBand | None:
    """The ICD 203 band a word or alias names (case and spacing forgiven), or None."""
    return _BY_WORD.get(" ".join(word.lower().replace("_", " ").replace("-", " ").split()))


def band_for_value(value: float) -> LikelihoodBand:
    """The ICD 203 band a probability falls in; bounds belong to the upper band, 0 and 1 clamp."""
    if math.isnan(value):
        raise ValueError("NaN is not a probability")
    for band in reversed(LIKELIHOOD_BANDS):
        if value >= band.low:
            return band
    return LIKELIHOOD_BANDS[0]


def word_fits_value(word: str, value: float) -> bool:
    """Whether a probability lies in the band the word names (band edges count for both sides)."""
    band = band_for_word(word)
    if band is None:
        return False
    if band is LIKELIHOOD_BANDS[0] and value <= band.high:
        return True
    if band is LIKELIHOOD_BANDS[-1] and value >= band.low:
        return True
    return band.low <= value <= band.high
