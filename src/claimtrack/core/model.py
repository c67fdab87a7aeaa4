"""Pydantic models of a claim file and a source record; the JSON Schema is generated from them."""

from __future__ import annotations

import datetime as _dt
import math
import re
from typing import Annotated, Any, Literal

from pydantic import (
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    WithJsonSchema,
    field_validator,
    model_validator,
)

from claimtrack.core.vocab import (
    LIKELIHOOD_WORDS,
    AnalyticConfidence,
    AttributionKind,
    ClaimType,
    Reliability,
    SourceKind,
    Stance,
    Status,
    band_for_value,
    band_for_word,
)
from claimtrack.core.wording import did_you_mean

SLUG_PATTERN = r"^[a-z0-9](?:[a-z0-9-]{0,118}[a-z0-9])?$"
_SLUG_RE = re.compile(SLUG_PATTERN)
# Windows device names: a file called `con.yaml` cannot be created there.
_RESERVED = {"con", "prn", "aux", "nul"} | {f"{p}{i}" for p in ("com", "lpt") for i in range(10)}


def _check_slug(value: Any) -> Any:
    if not isinstance(value, str):
        return value  # the str type check reports it
    if not _SLUG_RE.match(value):
        raise ValueError(
            "must be a slug: lowercase letters, digits and inner hyphens, at most 120 characters"
        )
    if value in _RESERVED:
        raise ValueError(f"{value!r} is a reserved device name on Windows")
    return value


Slug = Annotated[str, BeforeValidator(_check_slug), Field(pattern=SLUG_PATTERN)]

_DATE_RE = re.compile(r"^(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?$")
DATE_JSON_SCHEMA = {
    "description": "A date, a month or a year: YYYY-MM-DD, YYYY-MM or YYYY",
    "anyOf": [
        {"type": "string", "pattern": r"^\d{4}(-\d{2}(-\d{2})?)?$"},
        {"type": "integer", "minimum": 1000, "maximum": 9999},
    ],
}


def _check_date(value: Any) -> Any:
    """Accept a year, a year-month or a full date; reject impossible ones (2024-02-30)."""
    if isinstance(value, bool):
        raise ValueError("must be a date (YYYY-MM-DD, YYYY-MM or YYYY), not a boolean")
    if isinstance(value, int):
        value = f"{value:04d}" if 1000 <= value <= 9999 else str(value)
    if isinstance(value, _dt.datetime):
        value = value.date().isoformat()
    if isinstance(value, _dt.date):
        value = value.isoformat()
    if not isinstance(value, str):
        raise ValueError("must be a date (YYYY-MM-DD, YYYY-MM or YYYY)")
    match = _DATE_RE.match(value.strip())
    if not match:
        raise ValueError(f"{value!r} is not a date (YYYY-MM-DD, YYYY-MM or YYYY)")
    year, month, day = match.groups()
    try:
        _dt.date(int(year), int(month or 1), int(day or 1))
    except ValueError as exc:
        raise ValueError(f"{value!r} is not a real date: {exc}") from None
    return value.strip()


PartialDate = Annotated[str, BeforeValidator(_check_date), WithJsonSchema(DATE_JSON_SCHEMA)]

_SAFE_SCHEMES = ("http", "https")


def _check_url(value: Any) -> Any:
    if not isinstance(value, str):
        return value
    from urllib.parse import urlsplit

    stripped = value.strip()
    try:
        parts = urlsplit(stripped)
    except ValueError:
        raise ValueError(f"{value!r} is not a URL") from None
    if parts.scheme.lower() not in _SAFE_SCHEMES or not parts.netloc:
        raise ValueError("must be an http(s) URL with a host (other schemes are refused)")
    if _URL_FORBIDDEN.search(stripped):
        raise ValueError("a URL cannot contain spaces or control characters")
    return stripped


_URL_FORBIDDEN = re.compile("[\x00-\x20\x7f]")


Url = Annotated[
    str,
    BeforeValidator(_check_url),
    WithJsonSchema({"type": "string", "format": "uri", "pattern": "^https?://"}),
]

NonEmpty = Annotated[str, Field(min_length=1)]
#: A number that keeps its type: an integer is read, and written back, as an integer.
Number = int | float

#: A BCP 47 language tag, as schema.org ``inLanguage`` carries it: a 2-3 letter language
#: (or ``x``/``i`` with a private part), then subtags of 1-8 letters or digits.
LANGUAGE_PATTERN = r"^(?:[A-Za-z]{2,3}|[A-Za-z]{5,8}|[xXiI])(?:-[A-Za-z0-9]{1,8})*$"


def _check_language(value: Any) -> Any:
    if isinstance(value, str) and not re.match(LANGUAGE_PATTERN, value):
        raise ValueError(f"{value!r} is not a BCP 47 language tag (for example en, fa, pt-BR)")
    return value


Language = Annotated[
    str,
    BeforeValidator(_check_language),
    Field(pattern=LANGUAGE_PATTERN, description="A BCP 47 language tag (en, fa, hi, pt-BR)"),
]
Bound = Literal["lower", "upper"]
SHA256_PATTERN = r"^[0-9a-f]{64}$"


class Strict(BaseModel):
    """Unknown fields are errors (with a did-you-mean); strings are not coerced from numbers."""

    model_config = ConfigDict(extra="forbid", frozen=True, str_strip_whitespace=False)


class Confidence(Strict):
    """A likelihood, kept both as a number in [0, 1] and as its ICD 203 word.

    In a file it may be written as a number (`0.7`), a word (`likely`, or its alias `probable`)
    or a mapping with both (`{value: 0.7, word: likely}`); a bare word takes its band's middle.
    """

    value: float = Field(ge=0.0, le=1.0)
    word: str

    @model_validator(mode="before")
    @classmethod
    def _from_shorthand(cls, data: Any) -> Any:
        if isinstance(data, bool):
            raise ValueError("must be a number in [0, 1] or an ICD 203 word, not a boolean")
        if isinstance(data, int | float):
            if math.isnan(data):
                raise ValueError("NaN is not a probability")
            if not 0.0 <= data <= 1.0:
                raise ValueError(f"{data} is outside [0, 1]")
            return {"value": float(data), "word": band_for_value(float(data)).word}
        if isinstance(data, str):
            band = band_for_word(data)
            if band is None:
                hint = did_you_mean(data, LIKELIHOOD_WORDS)
                raise ValueError(
                    f"{data!r} is not an ICD 203 word{hint} (or use a number in [0, 1])"
                    if hint
                    else f"{data!r} is not an ICD 203 word; use a number in [0, 1] or one of: "
                    + ", ".join(LIKELIHOOD_WORDS)
                )
            return {"value": band.value, "word": band.word}
        if isinstance(data, dict) and "value" in data and "word" not in data:
            value = data["value"]
            is_number = isinstance(value, int | float) and not isinstance(value, bool)
            if is_number and not math.isnan(value) and 0.0 <= value <= 1.0:
                return {**data, "word": band_for_value(float(value)).word}
        if isinstance(data, dict) and "word" in data and "value" not in data:
            band = band_for_word(str(data["word"]))
            if band is not None:
                return {**data, "value": band.value}
        return data

    @field_validator("value")
    @classmethod
    def _not_nan(cls, value: float) -> float:
        if math.isnan(value):
            raise ValueError("NaN is not a probability")
        return value

    @field_validator("word")
    @classmethod
    def _known_word(cls, word: str) -> str:
        band = band_for_word(word)
        if band is None:
            raise ValueError(
                f"{word!r} is not an ICD 203 word; use one of: " + ", ".join(LIKELIHOOD_WORDS)
            )
        return band.word


CONFIDENCE_JSON_SCHEMA: dict[str, Any] = {
    "description": "Likelihood: a number in [0, 1], an ICD 203 word, or both",
    "anyOf": [
        {"type": "number", "minimum": 0, "maximum": 1},
        {"type": "string", "enum": list(LIKELIHOOD_WORDS)},
        {
            "type": "object",
            "properties": {
                "value": {"type": "number", "minimum": 0, "maximum": 1},
                "word": {"type": "string", "enum": list(LIKELIHOOD_WORDS)},
            },
            "additionalProperties": False,
            "anyOf": [{"required": ["value"]}, {"required": ["word"]}],
        },
    ],
}


def _not_a_likelihood(value: Any) -> Any:
    """Analytic confidence is not likelihood (ICD 203): say so when a likelihood word is given."""
    if isinstance(value, str) and band_for_word(value) is not None:
        raise ValueError(
            f"{value!r} is a likelihood word: put it in `confidence`; analytic_confidence says how "
            "solid the basis is (low, moderate or high)"
        )
    return value


class Speaker(Strict):
    """One party in an attribution chain."""

    name: NonEmpty
    role: str | None = None
    kind: AttributionKind | None = None


class Attribution(Strict):
    """Who asserts the claim, and through whom it reached the article (`via`, nearest first)."""

    name: NonEmpty
    role: str | None = None
    kind: AttributionKind
    via: list[Speaker] = Field(default_factory=list)


class Evidence(Strict):
    """One piece of evidence: a source, its stance on the claim, and how credible the item is."""

    source: Slug
    stance: Stance
    credibility: int | None = Field(default=None, ge=1, le=6)
    quote: str | None = None
    note: str | None = None


class Party(Strict):
    """Someone who disputes the claim (Wikidata's *statement disputed by*)."""

    name: NonEmpty
    kind: AttributionKind | None = None
    source: Slug | None = None
    note: str | None = None


class Quantity(Strict):
    """A measured amount: value, unit, whether approximate, when, and what it measures."""

    value: Number
    unit: NonEmpty
    approx: bool = False
    bound: Bound | None = Field(
        default=None,
        description="The value is only a bound: `lower` (more than it) or `upper` (less than it)",
    )
    as_of: PartialDate | None = None
    period: str | None = None
    measure: str | None = None

    @field_validator("value")
    @classmethod
    def _finite(cls, value: float) -> float:
        if not math.isfinite(value):
            raise ValueError("must be a finite number")
        return value


class Work(Strict):
    """A creative work named by a fact check (``isBasedOn``): its schema.org type, name, url."""

    type: str | None = None
    name: str | None = None
    url: Url | None = None

    @model_validator(mode="after")
    def _named(self) -> Work:
        if not (self.name or self.url):
            raise ValueError("a work needs a name or a url")
        return self


class Verdict(Strict):
    """A fact-checker's published verdict on the claim (schema.org ClaimReview's review rating).

    ``rating`` is the text shown to readers (ClaimReview ``alternateName``); a numeric
    ``rating_value`` needs its scale (``best_rating`` and ``worst_rating``) to mean anything.
    """

    rating: NonEmpty
    rating_value: Number | None = None
    best_rating: Number | None = None
    worst_rating: Number | None = None
    url: Url | None = Field(default=None, description="The page that publishes the fact check")
    headline: str | None = Field(default=None, description="The fact check's headline")
    reviewer: str | None = Field(default=None, description="The fact-checking organisation")
    reviewer_url: Url | None = Field(default=None, description="The fact-checker's home page")
    reviewer_same_as: list[Url] = Field(
        default_factory=list, description="Other pages that identify the fact-checker (sameAs)"
    )
    date: PartialDate | None = None
    based_on: list[Work] = Field(
        default_factory=list, description="What the fact check is based on (isBasedOn)"
    )

    @field_validator("rating_value", "best_rating", "worst_rating")
    @classmethod
    def _finite(cls, value: float | None) -> float | None:
        if value is not None and not math.isfinite(value):
            raise ValueError("must be a finite number")
        return value

    @model_validator(mode="after")
    def _on_scale(self) -> Verdict:
        if self.rating_value is None:
            return self
        if self.best_rating is None or self.worst_rating is None:
            raise ValueError("a numeric rating_value needs its scale: best_rating and worst_rating")
        low, high = sorted((self.best_rating, self.worst_rating))
        if not low <= self.rating_value <= high:
            raise ValueError(
                f"rating_value {self.rating_value:g} is outside its scale "
                f"{self.worst_rating:g} (worst) to {self.best_rating:g} (best)"
            )
        return self


class Claim(Strict):
    """One assertion of one source text."""

    id: Slug
    statement: NonEmpty
    quote: str | None = None
    prefix: str | None = None
    suffix: str | None = None
    appears_in: Slug
    attribution: Attribution
    confidence: Annotated[Confidence, WithJsonSchema(CONFIDENCE_JSON_SCHEMA)]
    analytic_confidence: Annotated[
        AnalyticConfidence | None, BeforeValidator(_not_a_likelihood)
    ] = None
    type: ClaimType | None = None
    evidence: list[Evidence] = Field(default_factory=list)
    disputed_by: list[Party] = Field(default_factory=list)
    status: Status | None = Field(
        default=None,
        description="The status the author asserts; claimtrack derives the effective one and "
        "warns when they disagree",
    )
    quantity: Quantity | None = None
    negates: Slug | None = Field(
        default=None,
        description="The id of a claim this one asserts the opposite of; both sourced is a "
        "contradiction",
    )
    tags: list[Slug] = Field(default_factory=list)
    notes: str | None = None
    date: PartialDate | None = None
    language: Language | None = Field(default=None, description="The statement's language")
    verdict: Verdict | None = None

    @field_validator("quote")
    @classmethod
    def _quote_not_blank(cls, quote: str | None) -> str | None:
        if quote is not None and not quote.strip():
            raise ValueError("an empty quote; leave the field out instead")
        return quote


#: The order of a claim's keys, as the README documents and the shipped claims use: what is
#: said and where first, then who says it and how likely, then the evidence and the verdict.
CLAIM_KEY_ORDER = (
    "id",
    "statement",
    "quote",
    "prefix",
    "suffix",
    "appears_in",
    "type",
    "attribution",
    "confidence",
    "analytic_confidence",
    "quantity",
    "evidence",
    "disputed_by",
    "negates",
    "status",
    "verdict",
    "tags",
    "notes",
    "date",
    "language",
)


class Source(Strict):
    """A source in the registry: an article, a dataset, a statement."""

    id: Slug
    title: NonEmpty
    publisher: str | None = None
    url: Url | None = None
    date: PartialDate | None = None
    retrieved: PartialDate | None = None
    kind: SourceKind = SourceKind.OTHER
    reliability: Reliability | None = None
    author: str | None = None
    derived_from: list[Slug] = Field(default_factory=list)
    text_sha256: str | None = Field(
        default=None,
        pattern=SHA256_PATTERN,
        description="The sha256 (lowercase hex) of the archived text in sources/<id>.txt",
    )
    language: Language | None = None
    notes: str | None = None


class SourceRegistry(Strict):
    """A registry file: `sources:` followed by a list of sources."""

    sources: list[Source]
