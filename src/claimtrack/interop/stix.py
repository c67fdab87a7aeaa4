"""STIX 2.1: a bundle where each claim is a ``note`` on the ``identity`` that asserts it, and each
evidence item an ``opinion`` on that note.

Deterministic: ids are UUIDv5 from claimtrack ids (the same claim always has the same STIX id),
and ``created``/``modified`` come from the data (the claim's date, else its article's date or
retrieval date, else its verdict's date, else ``1970-01-01T00:00:00.000Z``), never the clock.
The likelihood becomes ``confidence = round(100 * p)`` (ICD 203's STIX mapping).
"""

from __future__ import annotations

import uuid
from collections.abc import Mapping, Sequence
from typing import Any

from claimtrack.core.model import Claim, Evidence, Source
from claimtrack.core.query import Entry, fold
from claimtrack.core.vocab import AttributionKind, Stance
from claimtrack.interop.interface import Export
from claimtrack.render.json import dumps

#: The namespace of every id claimtrack makes (UUIDv5 of a claimtrack URL).
NAMESPACE = uuid.uuid5(uuid.NAMESPACE_URL, "https://claimtrack.invalid/stix")
EPOCH = "1970-01-01T00:00:00.000Z"

IDENTITY_CLASS: dict[AttributionKind, str] = {
    AttributionKind.PERSON: "individual",
    AttributionKind.OFFICIAL: "individual",
    AttributionKind.EXPERT: "individual",
    AttributionKind.AUTHOR: "individual",
    AttributionKind.GOVERNMENT: "organization",
    AttributionKind.ORGANIZATION: "organization",
    AttributionKind.MEDIA: "organization",
    AttributionKind.ANONYMOUS: "unknown",
    AttributionKind.DOCUMENT: "unknown",
}

OPINION: dict[Stance, str] = {
    Stance.SUPPORTS: "agree",
    Stance.REFUTES: "disagree",
    Stance.CONTEXT: "neutral",
}
#: Evidence confirmed by independent sources (Admiralty credibility 1) agrees or disagrees strongly.
STRONG: dict[Stance, str] = {Stance.SUPPORTS: "strongly-agree", Stance.REFUTES: "strongly-disagree"}


def stix_id(kind: str, key: str) -> str:
    return f"{kind}--{uuid.uuid5(NAMESPACE, f'{kind}:{key}')}"


def timestamp(date: str) -> str:
    """A STIX timestamp from a claimtrack date (``YYYY``, ``YYYY-MM`` or ``YYYY-MM-DD``)."""
    parts = [*date.split("-"), "01", "01"]
    return f"{parts[0]}-{parts[1]}-{parts[2]}T00:00:00.000Z"


def claim_time(claim: Claim, sources: Mapping[str, Source]) -> str:
    article = sources.get(claim.appears_in)
    for date in (
        claim.date,
        article.date if article else None,
        article.retrieved if article else None,
        claim.verdict.date if claim.verdict else None,
    ):
        if date:
            return timestamp(date)
    return EPOCH


def _reference(source_id: str, sources: Mapping[str, Source]) -> dict[str, str]:
    source = sources.get(source_id)
    ref = {"source_name": source.publisher or source.title if source else source_id}
    if source is not None:
        ref["description"] = source.title
        if source.url:
            ref["url"] = source.url
    ref["external_id"] = source_id
    return ref


def _common(kind: str, key: str, created: str) -> dict[str, Any]:
    return {
        "type": kind,
        "spec_version": "2.1",
        "id": stix_id(kind, key),
        "created": created,
        "modified": created,
    }


def _opinion(
    claim: Claim,
    index: int,
    item: Evidence,
    note_id: str,
    created: str,
    sources: Mapping[str, Source],
) -> dict[str, Any]:
    source = sources.get(item.source)
    opinion = STRONG.get(item.stance) if item.credibility == 1 else None
    explanation = item.note or item.quote or f"{item.source} {item.stance.value} the claim"
    return {
        **_common("opinion", f"{claim.id}:{index}", created),
        "explanation": explanation,
        "authors": [source.title if source else item.source],
        "opinion": opinion or OPINION[item.stance],
        "object_refs": [note_id],
        "external_references": [_reference(item.source, sources)],
    }


def export_claims(
    entries: Sequence[Entry],
    sources: Mapping[str, Source],
    archives: Mapping[str, str] | None = None,
) -> Export:
    """A STIX 2.1 bundle: claims (notes), speakers (identities), evidence (opinions)."""
    identities: dict[str, dict[str, Any]] = {}
    objects: list[dict[str, Any]] = []
    for entry in entries:
        claim = entry.claim
        created = claim_time(claim, sources)
        speaker = claim.attribution
        identity_key = fold(speaker.name)
        identity = identities.get(identity_key)
        if identity is None or created < identity["created"]:
            identity = {
                **_common("identity", identity_key, created),
                "name": speaker.name,
                "identity_class": IDENTITY_CLASS[speaker.kind],
            }
            if speaker.role:
                identity["roles"] = [speaker.role]
            identities[identity_key] = identity
        note_id = stix_id("note", claim.id)
        content = claim.statement + (f'\n\nQuote: "{claim.quote}"' if claim.quote else "")
        references = [{"source_name": "claimtrack", "external_id": claim.id}]
        cited = [claim.appears_in] + [e.source for e in claim.evidence]
        references += [_reference(s, sources) for s in dict.fromkeys(cited)]
        if claim.verdict is not None:
            verdict = {
                "source_name": claim.verdict.reviewer or "fact check",
                "description": f"verdict: {claim.verdict.rating}",
            }
            if claim.verdict.url:
                verdict["url"] = claim.verdict.url
            references.append(verdict)
        note = {
            **_common("note", claim.id, created),
            "abstract": claim.statement,
            "content": content,
            "object_refs": [identity["id"]],
            "confidence": round(100 * claim.confidence.value),
            "labels": [f"status:{entry.status.value}", *claim.tags],
            "external_references": references,
        }
        objects.append(note)
        objects.extend(
            _opinion(claim, i, item, note_id, created, sources)
            for i, item in enumerate(claim.evidence)
        )
    every = sorted(identities.values(), key=lambda o: str(o["id"])) + objects
    bundle_key = ",".join(str(o["id"]) for o in every)
    bundle = {"type": "bundle", "id": stix_id("bundle", bundle_key), "objects": every}
    return Export(dumps(bundle) + "\n", len(entries))
