"""A fact check as flat fields (what ClaimReview JSON-LD and fact-checkers' CSV share), and its
mapping to a claimtrack claim with its sources."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from urllib.parse import unquote, urlsplit

from pydantic import ValidationError

from claimtrack.core.model import (
    LANGUAGE_PATTERN,
    SLUG_PATTERN,
    Attribution,
    Claim,
    Evidence,
    Party,
    Source,
    Verdict,
    Work,
)
from claimtrack.core.ratings import judge
from claimtrack.core.vocab import AttributionKind, SourceKind
from claimtrack.interop.claimants import claimant_kind
from claimtrack.interop.interface import Incoming, Skipped
from claimtrack.interop.safety import (
    distinct_slug,
    plain_text,
    read_date,
    read_number,
    readable,
    safe_url,
    slugify,
)

_SLUG_RE = re.compile(SLUG_PATTERN)

#: schema.org's defaults for a Rating's scale when a number comes without one.
DEFAULT_BEST, DEFAULT_WORST = 5.0, 1.0

#: attribution kind -> the schema.org type of the claim's author on export.
KIND_TYPES: dict[AttributionKind, str] = {
    AttributionKind.ORGANIZATION: "Organization",
    AttributionKind.GOVERNMENT: "GovernmentOrganization",
    AttributionKind.MEDIA: "NewsMediaOrganization",
    AttributionKind.DOCUMENT: "Organization",
    AttributionKind.PERSON: "Person",
}

#: The likelihood an imported claim gets from its verdict's score, lowest score first: the
#: highest score each word covers.
LIKELIHOOD_BY_SCORE: tuple[tuple[float, str], ...] = (
    (0.1, "very unlikely"),
    (0.4, "unlikely"),
    (0.59, "roughly even chance"),
    (0.9, "likely"),
    (1.0, "very likely"),
)


def likelihood_for(score: float | None) -> str:
    """The ICD 203 word an imported claim's confidence gets from its verdict's score."""
    if score is None:
        return "roughly even chance"
    return next(word for limit, word in LIKELIHOOD_BY_SCORE if score <= limit)


@dataclass
class Review:
    """One fact check, every field raw text as found (None when absent)."""

    url: object = None
    claim_reviewed: object = None
    full_text: object = None
    title: object = None
    date: object = None
    reviewer: object = None
    rating: object = None
    rating_value: object = None
    best_rating: object = None
    worst_rating: object = None
    claimant: object = None
    claimant_type: object = None
    claimant_kind: object = None
    claimant_role: object = None
    claim_date: object = None
    appearance_id: object = None
    appearance_url: object = None
    appearance_title: object = None
    appearance_date: object = None
    appearance_publisher: object = None
    identifier: object = None
    keywords: list[object] = field(default_factory=list)
    headline: object = None
    reviewer_url: object = None
    reviewer_same_as: list[object] = field(default_factory=list)
    based_on: list[dict[str, object]] = field(default_factory=list)
    review_language: object = None
    claim_language: object = None
    appearance_language: object = None


def source_id(url: str | None, title: str) -> str:
    """A stable, safe source id: the site and the page's last words, or the title's words."""
    if url:
        parts = urlsplit(url)
        path = parts.path
        for _ in range(3):  # fact-checkers' URLs are sometimes percent-encoded twice
            path = unquote(path)
        host = (parts.hostname or "").removeprefix("www.")
        site = slugify(host.rsplit(".", 1)[0].replace(".", "-"), 30)
        page = path.rstrip("/").rsplit("/", 1)[-1] or path + parts.query
        path_words = distinct_slug(page, 60)
        return f"{site}-{path_words}"[:100].rstrip("-")
    return slugify(title, 80)


def _slug_or_none(value: object) -> str | None:
    text = plain_text(value) if value is not None else ""
    return text if text and _SLUG_RE.match(text) else None


def _numeric(review: Review, notes: list[str]) -> dict[str, float]:
    value = read_number(review.rating_value)
    if value is None:
        if plain_text(review.rating_value):
            notes.append(f"numeric rating {plain_text(review.rating_value)!r} was not a number")
        return {}
    best = read_number(review.best_rating)
    worst = read_number(review.worst_rating)
    best = DEFAULT_BEST if best is None else best
    worst = DEFAULT_WORST if worst is None else worst
    low, high = sorted((best, worst))
    if not low <= value <= high:
        notes.append(f"numeric rating {value:g} lay outside its scale {worst:g}-{best:g}")
        return {}
    return {"rating_value": value, "best_rating": best, "worst_rating": worst}


def _claimant(review: Review, reviewer: str) -> Attribution:
    name = plain_text(review.claimant)
    role = plain_text(review.claimant_role) or None
    given = plain_text(review.claimant_kind).lower()
    if not name:
        return Attribution(name="unknown claimant", role=role, kind=AttributionKind.ANONYMOUS)
    if given in {k.value for k in AttributionKind}:
        kind = AttributionKind(given)
    else:
        kind = claimant_kind(name, plain_text(review.claimant_type), reviewer)
    return Attribution(name=name, role=role, kind=kind)


def _language(value: object, what: str, notes: list[str]) -> str | None:
    """A BCP 47 tag from ``inLanguage`` (text, or a Language with an ``alternateName``)."""
    if isinstance(value, dict):
        value = value.get("alternateName") or value.get("name")
    text = plain_text(value)
    if not text:
        return None
    if re.match(LANGUAGE_PATTERN, text):
        return text
    notes.append(f"{what} language {text!r} is not a BCP 47 tag")
    return None


def _works(review: Review) -> list[Work]:
    works = []
    for node in review.based_on:
        name = plain_text(node.get("name")) or None
        url = safe_url(node.get("url"))
        kind = plain_text(node.get("type")) or None
        if name or url:
            works.append(Work(type=kind, name=name, url=url))
    return works


def _same_as(values: list[object]) -> list[str]:
    found = (safe_url(value) for value in values)
    return list(dict.fromkeys(url for url in found if url))


def to_incoming(
    review: Review, origin: str, headline_stands_in: bool = False
) -> Incoming | Skipped:
    """The claim and sources one fact check becomes, or why it cannot become one.

    With ``headline_stands_in`` (fact-checkers' CSVs, where the column is often empty) a
    record with no ``claimReviewed`` takes the review's headline as its statement, and its
    notes say so; ClaimReview JSON-LD requires ``claimReviewed``."""
    url = safe_url(review.url)
    if url is None:
        reason = "no review url" if not plain_text(review.url) else "review url is not http(s)"
        return Skipped(origin, reason)
    notes: list[str] = []
    headline = plain_text(review.headline) or plain_text(review.title)
    statement = plain_text(review.full_text) or plain_text(review.claim_reviewed)
    if not statement and headline and headline_stands_in:
        statement = headline
        notes.append("the record has no claimReviewed: the statement is the review's headline")
    if not statement:
        return Skipped(origin, "no claimReviewed (the text of the claim)")
    rating = plain_text(review.rating)
    if not rating:
        return Skipped(origin, "no reviewRating.alternateName (the verdict)")
    reviewer = plain_text(review.reviewer) or (urlsplit(url).hostname or "").removeprefix("www.")
    date = read_date(review.date)
    if date is None and plain_text(review.date):
        notes.append(f"review date {plain_text(review.date)!r} could not be read")
    claim_date = read_date(review.claim_date)
    if claim_date is None and plain_text(review.claim_date):
        notes.append(f"claim date {plain_text(review.claim_date)!r} could not be read")
    title = plain_text(review.title) or headline or f"{reviewer} fact check"
    review_source = Source(
        id=source_id(url, title),
        title=title,
        publisher=reviewer or None,
        url=url,
        date=date,
        kind=SourceKind.REVIEW,
        language=_language(review.review_language, "review", notes),
    )
    sources = [review_source]
    appears_in = review_source.id
    appearance_url = safe_url(review.appearance_url)
    appearance_title = plain_text(review.appearance_title)
    if appearance_url or appearance_title:
        appearance = Source(
            id=_slug_or_none(review.appearance_id)
            or source_id(appearance_url, appearance_title or "appearance"),
            title=appearance_title or appearance_url or "appearance",
            publisher=plain_text(review.appearance_publisher) or None,
            url=appearance_url,
            date=read_date(review.appearance_date),
            language=_language(review.appearance_language, "appearance", notes),
        )
        if appearance.id != review_source.id and appearance.url != url:
            sources.append(appearance)
            appears_in = appearance.id
    numbers = _numeric(review, notes)
    judgement = judge(
        rating,
        numbers.get("rating_value"),
        numbers.get("best_rating"),
        numbers.get("worst_rating"),
    )
    if judgement.conflict:
        notes.append(judgement.conflict)
    if not judgement.understood:
        notes.append(f"the rating {rating!r} is not in claimtrack's rating vocabulary: context")
    disputes = []
    if judgement.mixed:
        disputes.append(
            Party(
                name=reviewer or "the fact-checker",
                kind=AttributionKind.ORGANIZATION,
                source=review_source.id,
                note=f"rated {rating!r}: partly true, partly false",
            )
        )
    tags = sorted({slugify(plain_text(k), 40) for k in review.keywords if readable(plain_text(k))})
    try:
        verdict = Verdict(
            rating=rating,
            url=url,
            headline=headline or None,
            reviewer=reviewer or None,
            reviewer_url=safe_url(review.reviewer_url),
            reviewer_same_as=_same_as(review.reviewer_same_as),
            date=date,
            based_on=_works(review),
            **numbers,
        )
        claim = Claim.model_validate(
            {
                "id": _slug_or_none(review.identifier) or distinct_slug(statement, 60),
                "statement": statement,
                "appears_in": appears_in,
                "attribution": _claimant(review, reviewer),
                "confidence": likelihood_for(judgement.score),
                "evidence": [
                    Evidence(
                        source=review_source.id,
                        stance=judgement.stance,
                        credibility=judgement.credibility,
                    )
                ],
                "disputed_by": disputes,
                "tags": tags[:20],
                "date": claim_date,
                "language": _language(review.claim_language, "claim", notes),
                "verdict": verdict,
                "notes": "; ".join(notes) + "." if notes else None,
            }
        )
    except ValidationError as exc:
        first = exc.errors(include_url=False)[0]
        where = ".".join(str(p) for p in first["loc"])
        return Skipped(origin, f"{where}: {first['msg']}")
    return Incoming(origin, claim, sources, url, understood=judgement.understood)
