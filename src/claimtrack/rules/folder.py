"""Checks across files: duplicate ids and sources, the registry's own references, contradictions."""

from __future__ import annotations

import datetime as _dt
import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from functools import partial
from typing import TYPE_CHECKING

from claimtrack.core.problem import Level, Problem, field_name
from claimtrack.core.status import derive
from claimtrack.rules.fields import Locate, located, status_mismatch

if TYPE_CHECKING:
    from claimtrack.core.dataset import ClaimRecord, SourceRecord
    from claimtrack.core.model import Claim, Quantity, Source


def duplicate_ids(
    records: list[ClaimRecord], locate: Locate
) -> tuple[list[ClaimRecord], list[Problem]]:
    """The records with the first of each id kept, and a Problem for every later one."""
    first_by_id: dict[str, ClaimRecord] = {}
    kept: list[ClaimRecord] = []
    problems: list[Problem] = []
    for record in records:
        first = first_by_id.get(record.id)
        if first is not None:
            line, col = locate(record.path, ("id",))
            problems.append(
                Problem(
                    record.path,
                    line,
                    col,
                    Level.ERROR,
                    "id-duplicate",
                    f"id {record.id!r} is already used by {first.path}:{first.line}",
                    "id",
                )
            )
            continue
        first_by_id[record.id] = record
        kept.append(record)
    return kept, problems


def duplicate_sources(
    records: Iterable[SourceRecord], locate: Locate
) -> tuple[dict[str, SourceRecord], list[Problem]]:
    """The registry (the first definition of an id wins) and a Problem for every later one."""
    registry: dict[str, SourceRecord] = {}
    problems: list[Problem] = []
    for rec in records:
        first = registry.get(rec.source.id)
        if first is None:
            registry[rec.source.id] = rec
            continue
        loc = (*rec.loc, "id")
        line, col = locate(rec.path, loc)
        problems.append(
            Problem(
                rec.path,
                line,
                col,
                Level.ERROR,
                "source-duplicate",
                f"source id {rec.source.id!r} is already defined at {first.path}:{first.line}",
                field_name(loc),
            )
        )
    return registry, problems


def registry_checks(
    registry: Mapping[str, SourceRecord], locate: Locate, today: _dt.date | None = None
) -> list[Problem]:
    """Sources that derive from sources the registry does not have, and sources dated after
    ``today`` (the day of the run: an article cannot be published tomorrow)."""
    from claimtrack.core.clock import today as run_day

    day = today or run_day()
    problems = []
    for rec in registry.values():
        dated = rec.source.date
        if dated is not None and _first_day(dated) > day:
            loc = (*rec.loc, "date")
            line, col = locate(rec.path, loc)
            problems.append(
                Problem(
                    rec.path,
                    line,
                    col,
                    Level.WARNING,
                    "date-future",
                    f"dated {dated}, after today ({day.isoformat()}): check the date",
                    field_name(loc),
                )
            )
        for j, parent in enumerate(rec.source.derived_from):
            if parent not in registry:
                loc = (*rec.loc, "derived_from", j)
                line, col = locate(rec.path, loc)
                problems.append(
                    Problem(
                        rec.path,
                        line,
                        col,
                        Level.ERROR,
                        "source-missing",
                        f"source {parent!r} is not in the registry",
                        field_name(loc),
                    )
                )
    return problems


def _first_day(dated: str) -> _dt.date:
    """The first day a date, a month or a year (``YYYY[-MM[-DD]]``) can mean."""
    year, _, rest = dated.partition("-")
    month, _, day = rest.partition("-")
    return _dt.date(int(year), int(month or 1), int(day or 1))


@dataclass(frozen=True)
class Facts:
    """What contradictions are judged on: a claim's id, quantity and negation."""

    id: str
    quantity: Quantity | None
    negates: str | None


def facts_of(claim: Claim) -> str:
    """The facts of a claim as stored text; empty when it has nothing to compare."""
    if claim.negates is None and (claim.quantity is None or not claim.quantity.measure):
        return ""
    quantity = claim.quantity.model_dump(mode="json") if claim.quantity else None
    return json.dumps({"quantity": quantity, "negates": claim.negates})


def parse_facts(claim_id: str, text: str) -> Facts:
    from claimtrack.core.model import Quantity

    data = json.loads(text)
    quantity = Quantity.model_validate(data["quantity"]) if data.get("quantity") else None
    return Facts(claim_id, quantity, data.get("negates"))


def folder_checks(
    records: list[ClaimRecord],
    facts: Mapping[str, str],
    sources: Mapping[str, Source],
    locate: Locate,
) -> tuple[list[Problem], dict[str, frozenset[str]], set[str]]:
    """Negations naming no claim, and contradictions between claims (by their facts).

    Returns the problems, each contradicted claim's id with the ids contradicting it, and the ids
    whose per-claim ``status-mismatch`` finding must be replaced (their status now counts the
    contradiction; the replacement is among the problems).
    """
    from claimtrack.core.contradictions import negation_contradictions, quantity_contradictions

    by_id = {record.id: record for record in records}
    problems: list[Problem] = []
    comparable = [parse_facts(cid, text) for cid, text in facts.items() if cid in by_id and text]
    facts_by_id = {item.id: item for item in comparable}
    for item in comparable:
        if item.negates is None:
            continue
        if item.negates == item.id or item.negates not in by_id:
            message = (
                "a claim cannot negate itself"
                if item.negates == item.id
                else f"negates {item.negates!r}, which is not a claim here"
            )
            line, col = locate(by_id[item.id].path, ("negates",))
            problems.append(
                Problem(
                    by_id[item.id].path,
                    line,
                    col,
                    Level.ERROR,
                    "negates-missing",
                    message,
                    "negates",
                )
            )
    if not comparable:
        return problems, {}, set()
    # Only claims in a negation need their status (every other claim's would be worked out
    # for nothing: with no status kept, that means building it).
    negating = {c.id for c in comparable if c.negates in by_id and c.negates != c.id}
    negated = {c.negates for c in comparable if c.id in negating}
    statuses = {cid: by_id[cid].derivation(sources) for cid in negating | negated if cid}
    found = quantity_contradictions(comparable) + negation_contradictions(comparable, statuses)
    against: dict[str, set[str]] = {}
    for hit in found:
        against.setdefault(hit.first, set()).add(hit.second)
        against.setdefault(hit.second, set()).add(hit.first)
        for own, other in ((hit.first, hit.second), (hit.second, hit.first)):
            own_facts = facts_by_id.get(own)  # a negated claim may have no facts of its own
            negates = own_facts.negates if own_facts else None
            loc: tuple[str | int, ...] = (
                ("quantity", "value")
                if hit.kind == "quantity"
                else (("negates",) if negates == other else ("id",))
            )
            line, col = locate(by_id[own].path, loc)
            problems.append(
                Problem(
                    by_id[own].path,
                    line,
                    col,
                    Level.WARNING,
                    f"{hit.kind}-contradiction",
                    f"contradicts {other}: {hit.message}",
                    field_name(loc),
                )
            )
    for cid, others in against.items():
        claim = by_id[cid].claim
        mismatch = status_mismatch(claim, derive(claim, sources, frozenset(others)))
        if mismatch is not None:
            problems += located(by_id[cid].path, [mismatch], partial(locate, by_id[cid].path))
    return problems, {cid: frozenset(o) for cid, o in against.items()}, set(against)
