"""A fact check as flat fields (what ClaimReview JSON-LD and fact-checkers' CSV share), and its
mapping to a claimtrack claim with its sources."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from urllib.parse import unquote, urlsplit

from pydantic import ValidationError

from claimtrack.core.model import SLUG_PATTERN, Attribution, Claim, Evidence, Source, Verdict
from claimtrack.core.vocab import AttributionKind, SourceKind, Stance
from claimtrack.interop.interface import Incoming, Skipped
from claimtrack.interop.safety import (
    distinct_slug,
    plain_text,
    read_date,
    read_number,
    safe_url,
    slugify,
)

_SLUG_RE = re.compile(SLUG_PATTERN)

#: schema.org's defaults for a Rating's scale when a number comes without one.
DEFAULT_BEST, DEFAULT_WORST = 5.0, 1.0

#: schema.org types of the claim's author -> attribution kind (anything else: see ``claimant``).
TYPE_KINDS: dict[str, AttributionKind] = {
    "organization": AttributionKind.ORGANIZATION,
    "corporation": AttributionKind.ORGANIZATION,
    "ngo": AttributionKind.ORGANIZATION,
    "governmentorganization": AttributionKind.GOVERNMENT,
    "newsmediaorganization": AttributionKind.MEDIA,
}

#: attribution kind -> the schema.org type of the claim's author on export.
KIND_TYPES: dict[AttributionKind, str] = {
    AttributionKind.ORGANIZATION: "Organization",
    AttributionKind.GOVERNMENT: "GovernmentOrganization",
    AttributionKind.MEDIA: "NewsMediaOrganization",
    AttributionKind.DOCUMENT: "Organization",
}

_FALSE = re.compile(
    r"\b(false|fake|incorrect|pants on fire|wrong|fabricated|hoax|untrue|not true|inaccurate|"
    r"baseless|debunked|scam)\b",
    re.IGNORECASE,
)
_TRUE = re.compile(r"^(true|correct|accurate|mostly true|mostly correct|verified)$", re.I)


def stance_for(rating: str) -> Stance:
    """What a verdict's words say of the claim: refutes, supports, or context (mixed, unclear)."""
    words = " ".join(rating.lower().replace("_", " ").split())
    if words.startswith(("partly", "partially", "half", "somewhat", "mixed", "mixture")):
        return Stance.CONTEXT
    if _TRUE.match(words):
        return Stance.SUPPORTS
    if _FALSE.search(words):
        return Stance.REFUTES
    return Stance.CONTEXT


#: The likelihood an imported claim gets from its verdict's stance (ICD 203 words).
STANCE_CONFIDENCE: dict[Stance, str] = {
    Stance.REFUTES: "very unlikely",
    Stance.SUPPORTS: "very likely",
    Stance.CONTEXT: "roughly even chance",
}


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


def _claimant(review: Review) -> Attribution:
    name = plain_text(review.claimant)
    role = plain_text(review.claimant_role) or None
    given = plain_text(review.claimant_kind).lower()
    if given in {k.value for k in AttributionKind}:
        kind = AttributionKind(given)
    else:
        kind = TYPE_KINDS.get(plain_text(review.claimant_type).lower(), AttributionKind.ANONYMOUS)
    if not name:
        return Attribution(name="unknown claimant", kind=AttributionKind.ANONYMOUS)
    return Attribution(name=name, role=role, kind=kind)


def to_incoming(review: Review, origin: str) -> Incoming | Skipped:
    """The claim and sources one fact check becomes, or why it cannot become one."""
    url = safe_url(review.url)
    if url is None:
        reason = "no review url" if not plain_text(review.url) else "review url is not http(s)"
        return Skipped(origin, reason)
    statement = plain_text(review.full_text) or plain_text(review.claim_reviewed)
    if not statement:
        return Skipped(origin, "no claimReviewed (the text of the claim)")
    rating = plain_text(review.rating)
    if not rating:
        return Skipped(origin, "no reviewRating.alternateName (the verdict)")
    notes: list[str] = []
    reviewer = plain_text(review.reviewer) or (urlsplit(url).hostname or "").removeprefix("www.")
    date = read_date(review.date)
    if date is None and plain_text(review.date):
        notes.append(f"review date {plain_text(review.date)!r} could not be read")
    claim_date = read_date(review.claim_date)
    if claim_date is None and plain_text(review.claim_date):
        notes.append(f"claim date {plain_text(review.claim_date)!r} could not be read")
    title = plain_text(review.title) or f"{reviewer} fact check"
    review_source = Source(
        id=source_id(url, title),
        title=title,
        publisher=reviewer or None,
        url=url,
        date=date,
        kind=SourceKind.ARTICLE,
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
        )
        if appearance.id != review_source.id:
            sources.append(appearance)
            appears_in = appearance.id
    stance = stance_for(rating)
    # Keywords with no ascii word would only become hash slugs (``x-…``): not worth a tag.
    tags = sorted(
        {
            slugify(plain_text(k), 40)
            for k in review.keywords
            if re.search(r"[a-z0-9]", _ascii_fold(plain_text(k)))
        }
    )
    try:
        verdict = Verdict(
            rating=rating, url=url, reviewer=reviewer or None, date=date, **_numeric(review, notes)
        )
        claim = Claim.model_validate(
            {
                "id": _slug_or_none(review.identifier) or distinct_slug(statement, 60),
                "statement": statement,
                "appears_in": appears_in,
                "attribution": _claimant(review),
                "confidence": STANCE_CONFIDENCE[stance],
                "evidence": [Evidence(source=review_source.id, stance=stance)],
                "tags": tags[:20],
                "date": claim_date,
                "verdict": verdict,
                "notes": "; ".join(notes) + "." if notes else None,
            }
        )
    except ValidationError as exc:
        first = exc.errors(include_url=False)[0]
        where = ".".join(str(p) for p in first["loc"])
        return Skipped(origin, f"{where}: {first['msg']}")
    return Incoming(origin, claim, sources, url)


def _ascii_fold(text: str) -> str:
    return unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii").lower()
