"""schema.org ClaimReview JSON-LD: one review per claim with a verdict, out and in.

``@context`` is data: it is written as ``https://schema.org`` and never fetched or expanded on
import (no JSON-LD processor is used); types are matched by their last path segment, so
``ClaimReview``, ``schema:ClaimReview`` and ``http://schema.org/ClaimReview`` are all read.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from typing import Any

from claimtrack.core.errors import UsageError
from claimtrack.core.model import Claim, Source, Work
from claimtrack.core.query import Entry
from claimtrack.core.ratings import judge
from claimtrack.core.vocab import Stance, Status
from claimtrack.core.wording import json_message
from claimtrack.interop.interface import Export, Incoming, Parsed, Refusal, Skipped
from claimtrack.interop.review import KIND_TYPES, Review, to_incoming
from claimtrack.interop.safety import MAX_DEPTH, MAX_RECORDS, depth, shorten
from claimtrack.render.json import dumps

CONTEXT = "https://schema.org"
#: Google's limit for ``claimReviewed``; a longer statement is cut at a word with an ellipsis,
#: and the full statement goes to ``itemReviewed.text``.
CLAIM_REVIEWED_CHARS = 75


def refusal(entry: Entry) -> str | None:
    """Why a claim cannot be published as a ClaimReview, or None when it can."""
    verdict = entry.claim.verdict
    if verdict is None:
        return "no verdict (add a `verdict:` block with `rating` and `url`)"
    if verdict.url is None:
        return "the verdict has no url (ClaimReview requires the fact-check page)"
    decided = judge(
        verdict.rating, verdict.rating_value, verdict.best_rating, verdict.worst_rating
    ).stance
    if entry.status is Status.UNSOURCED and decided is not Stance.CONTEXT:
        return (
            f"its status is unsourced but its rating {verdict.rating!r} {decided.value} it "
            "(publish a true or false verdict only on evidence that weighs)"
        )
    return None


def _number(value: float) -> int | float:
    return int(value) if float(value).is_integer() else value


def _appearance(source: Source) -> dict[str, Any]:
    node: dict[str, Any] = {"@type": "CreativeWork", "identifier": source.id, "name": source.title}
    if source.url:
        node["url"] = source.url
    if source.date:
        node["datePublished"] = source.date
    if source.publisher:
        node["publisher"] = {"@type": "Organization", "name": source.publisher}
    if source.language:
        node["inLanguage"] = source.language
    return node


def review_source(claim: Claim, sources: Mapping[str, Source]) -> Source | None:
    """The registered source that is the claim's published review (its url is the verdict's)."""
    url = claim.verdict.url if claim.verdict else None
    cited = [claim.appears_in, *(e.source for e in claim.evidence)]
    for sid in cited:
        source = sources.get(sid)
        if source is not None and url is not None and source.url == url:
            return source
    return None


def _work(work: Work) -> dict[str, Any]:
    node: dict[str, Any] = {"@type": work.type or "CreativeWork"}
    if work.name:
        node["name"] = work.name
    if work.url:
        node["url"] = work.url
    return node


def review_document(claim: Claim, sources: Mapping[str, Source]) -> dict[str, Any]:
    """The ClaimReview of a claim that has a verdict with a url (see ``refusal``)."""
    verdict = claim.verdict
    assert verdict is not None and verdict.url is not None
    statement = " ".join(claim.statement.split())
    short = shorten(statement, CLAIM_REVIEWED_CHARS)
    rating: dict[str, Any] = {"@type": "Rating", "alternateName": verdict.rating}
    if verdict.rating_value is not None:
        assert verdict.best_rating is not None and verdict.worst_rating is not None
        rating["ratingValue"] = _number(verdict.rating_value)
        rating["bestRating"] = _number(verdict.best_rating)
        rating["worstRating"] = _number(verdict.worst_rating)
    attribution = claim.attribution
    author: dict[str, Any] = {
        "@type": KIND_TYPES.get(attribution.kind, "Person"),
        "name": attribution.name,
        "additionalType": attribution.kind.value,
    }
    if attribution.role:
        author["jobTitle"] = attribution.role
    item: dict[str, Any] = {"@type": "Claim", "author": author}
    if short != statement or statement != claim.statement:
        item["text"] = claim.statement
    if claim.date:
        item["datePublished"] = claim.date
    if claim.language:
        item["inLanguage"] = claim.language
    article = sources.get(claim.appears_in)
    if article is None:
        item["appearance"] = {"@type": "CreativeWork", "identifier": claim.appears_in}
    elif article.url != verdict.url:  # the review standing in for the appearance is not one
        item["appearance"] = _appearance(article)
    review = review_source(claim, sources)
    doc: dict[str, Any] = {
        "@context": CONTEXT,
        "@type": "ClaimReview",
        "identifier": claim.id,
        "url": verdict.url,
        "claimReviewed": short,
        "reviewRating": rating,
        "itemReviewed": item,
    }
    if review is not None and review.title:
        doc["name"] = review.title
    if verdict.headline:
        doc["headline"] = verdict.headline
    if verdict.reviewer or verdict.reviewer_url:
        reviewer: dict[str, Any] = {"@type": "Organization"}
        if verdict.reviewer:
            reviewer["name"] = verdict.reviewer
        if verdict.reviewer_url:
            reviewer["url"] = verdict.reviewer_url
        if verdict.reviewer_same_as:
            reviewer["sameAs"] = list(verdict.reviewer_same_as)
        doc["author"] = reviewer
    if verdict.date:
        doc["datePublished"] = verdict.date
    if review is not None and review.language:
        doc["inLanguage"] = review.language
    if verdict.based_on:
        doc["isBasedOn"] = [_work(work) for work in verdict.based_on]
    if claim.tags:
        doc["keywords"] = ", ".join(claim.tags)
    return doc


def export_claims(
    entries: Sequence[Entry],
    sources: Mapping[str, Source],
    archives: Mapping[str, str] | None = None,
) -> Export:
    """A JSON array of ClaimReviews, one per publishable claim, in the entries' order."""
    docs, refused = [], []
    for entry in entries:
        reason = refusal(entry)
        if reason is not None:
            refused.append(Refusal(entry.claim.id, reason))
            continue
        docs.append(review_document(entry.claim, sources))
    return Export(dumps(docs) + "\n", len(docs), tuple(refused))


# --- import -------------------------------------------------------------------------------


def type_name(node: Any) -> str:
    """The local name of a node's ``@type`` (the first, when it lists several)."""
    if not isinstance(node, dict):
        return ""
    kind = node.get("@type", "")
    if isinstance(kind, list):
        kind = next((k for k in kind if isinstance(k, str)), "")
    if not isinstance(kind, str):
        return ""
    return kind.rstrip("/").rsplit("/", 1)[-1].rsplit(":", 1)[-1].rsplit("#", 1)[-1]


def _first(value: Any) -> Any:
    while isinstance(value, list):
        value = value[0] if value else None
    return value


def _get(node: Any, *path: str) -> Any:
    """A nested value (lists along the way give their first item); JSON-LD ``@value`` unwrapped."""
    for key in path:
        node = _first(node)
        if not isinstance(node, dict):
            return None
        node = node.get(key, node.get(f"schema:{key}"))
    node = _first(node)
    if isinstance(node, dict) and "@value" in node:
        return node["@value"]
    return node


def _text(value: Any) -> Any:
    """A property that may be text or a thing with a name (``author``, ``publisher``)."""
    if isinstance(value, dict):
        return value.get("name", value.get("@value"))
    return value


def _list(value: Any) -> list[Any]:
    if value is None:
        return []
    return value if isinstance(value, list) else [value]


def _based_on(value: Any) -> list[dict[str, object]]:
    works: list[dict[str, object]] = []
    for node in _list(value):
        if isinstance(node, str):
            works.append({"url": node})
        elif isinstance(node, dict):
            kind = type_name(node) if "@type" in node else None
            works.append({"type": kind, "name": _get(node, "name"), "url": _get(node, "url")})
    return works


def _keywords(value: Any) -> list[object]:
    if isinstance(value, str):
        return [part for part in value.split(",") if part.strip()]
    if isinstance(value, list):
        return [part for part in value if isinstance(part, str)]
    return []


def review_from_node(node: dict[str, Any]) -> Review:
    """The flat fields of one ClaimReview node."""
    item = _first(node.get("itemReviewed"))
    appearance = _get(item, "appearance") or _get(item, "firstAppearance")
    if isinstance(appearance, str):
        appearance = {"url": appearance}
    if appearance is None and isinstance(item, dict) and type_name(item) not in ("", "Claim"):
        appearance = item  # eg. a CreativeWork or VideoObject reviewed directly: where it appeared
    author = _first(_get(item, "author"))
    reviewer = _first(node.get("author"))
    return Review(
        url=_get(node, "url"),
        claim_reviewed=_get(node, "claimReviewed"),
        full_text=_get(item, "text"),
        title=_get(node, "name"),
        date=_get(node, "datePublished"),
        reviewer=_text(_get(node, "author")),
        rating=_get(node, "reviewRating", "alternateName") or _get(node, "reviewRating", "name"),
        rating_value=_get(node, "reviewRating", "ratingValue"),
        best_rating=_get(node, "reviewRating", "bestRating"),
        worst_rating=_get(node, "reviewRating", "worstRating"),
        claimant=_text(author),
        claimant_type=type_name(author),
        claimant_kind=_get(author, "additionalType"),
        claimant_role=_get(author, "jobTitle"),
        claim_date=_get(item, "datePublished"),
        appearance_id=_get(appearance, "identifier"),
        appearance_url=_get(appearance, "url"),
        appearance_title=_get(appearance, "name") or _get(appearance, "headline"),
        appearance_date=_get(appearance, "datePublished"),
        appearance_publisher=_text(_get(appearance, "publisher")),
        identifier=_get(node, "identifier"),
        keywords=_keywords(node.get("keywords")),
        headline=_get(node, "headline"),
        reviewer_url=_get(reviewer, "url") if isinstance(reviewer, dict) else None,
        reviewer_same_as=_list(reviewer.get("sameAs")) if isinstance(reviewer, dict) else [],
        based_on=_based_on(node.get("isBasedOn")),
        review_language=_get(node, "inLanguage"),
        claim_language=_get(item, "inLanguage"),
        appearance_language=_get(appearance, "inLanguage"),
    )


def load_json(text: str, name: str) -> Any:
    """JSON from untrusted text: syntax errors and excessive nesting become a usage error."""
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise UsageError(f"{name}:{exc.lineno}:{exc.colno}: {json_message(exc.msg)}") from None
    except RecursionError:
        raise UsageError(f"{name}: JSON nested too deeply") from None
    return data


def nodes_of(data: Any) -> list[Any]:
    """The top-level records: a list, a ``@graph``, or one object."""
    if isinstance(data, dict) and isinstance(data.get("@graph"), list):
        return list(data["@graph"])
    if isinstance(data, list):
        return data
    return [data]


def parse_node(node: Any, origin: str) -> Incoming | Skipped:
    """One JSON value as an Incoming claim or a Skipped record."""
    if not isinstance(node, dict):
        return Skipped(origin, "not a JSON object")
    if depth(node) > MAX_DEPTH:
        return Skipped(origin, f"nested more than {MAX_DEPTH} levels deep")
    kind = type_name(node)
    if kind != "ClaimReview":
        return Skipped(origin, f"@type is {kind or 'missing'!r}, not 'ClaimReview'")
    return to_incoming(review_from_node(node), origin)


def parse(text: str, name: str) -> Parsed:
    """Every ClaimReview in a JSON or JSON-LD file (an array, a ``@graph`` or one object)."""
    nodes = nodes_of(load_json(text, name))
    if len(nodes) > MAX_RECORDS:
        raise UsageError(f"{name} holds {len(nodes)} records, over the {MAX_RECORDS} limit")
    parsed = Parsed(records=len(nodes))
    for index, node in enumerate(nodes, 1):
        result = parse_node(node, f"{name} record {index}")
        parsed.add(result)
    return parsed
