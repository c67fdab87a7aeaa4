"""Checks across files: ids, references, statuses, contradictions and estimative lint.

They come in two kinds so that a cache can keep the costly half: :func:`claim_checks` looks at one
claim against the source registry (it is computed once per file and kept while neither the file
nor the sources it names change); :func:`duplicate_ids`, :func:`duplicate_sources`,
:func:`registry_checks` and :func:`folder_checks` need the whole folder and are cheap: the last
one reads only the few claims that carry a quantity or a negation (their *facts*).
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING, Any

from claimtrack import yamlio
from claimtrack.lint import lint_claim
from claimtrack.problems import Level, Problem
from claimtrack.status import derive
from claimtrack.vocab import word_fits_value

if TYPE_CHECKING:
    from claimtrack.load import ClaimRecord, Dataset, SourceRecord
    from claimtrack.model import Claim, Quantity, Source
    from claimtrack.status import Derivation

#: One finding of :func:`claim_checks`, before it is given a position: (loc, level, rule, message).
Finding = tuple[tuple[str | int, ...], Level, str, str]
Locate = Callable[[str, tuple[str | int, ...]], tuple[int, int]]


class Locator:
    """Positions inside files that loaded fine; each file is re-read and composed at most once.

    ``texts`` gives the text of files not (yet) on disk, by path: a write checks its result first.
    """

    def __init__(self, texts: Mapping[str, str] | None = None) -> None:
        self._roots: dict[str, Any] = {}
        self._texts = texts or {}

    def __call__(self, path: str, loc: tuple[str | int, ...], key: bool = False) -> tuple[int, int]:
        if path not in self._roots:
            try:
                text = self._texts.get(path) or yamlio.decode(Path(path).read_bytes())
                self._roots[path] = yamlio.compose_text(text)
            except (OSError, yamlio.YamlProblem):
                self._roots[path] = None
        where = yamlio.locate(self._roots[path], loc, key=key)
        return where.line, where.col


def field_name(loc: tuple[str | int, ...]) -> str:
    """``evidence[0].source``: a location as the user reads it."""
    out = ""
    for part in loc:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else str(part))
    return out


def claim_checks(claim: Claim, sources: Mapping[str, Source]) -> list[Finding]:
    """What is wrong with one claim given the registry: missing sources, words, lint, status."""
    found: list[Finding] = []
    if claim.appears_in not in sources:
        found.append(
            (
                ("appears_in",),
                Level.ERROR,
                "source-missing",
                f"source {claim.appears_in!r} is not in the registry",
            )
        )
    for i, item in enumerate(claim.evidence):
        if item.source not in sources:
            found.append(
                (
                    ("evidence", i, "source"),
                    Level.ERROR,
                    "source-missing",
                    f"source {item.source!r} is not in the registry",
                )
            )
    for i, party in enumerate(claim.disputed_by):
        if party.source is not None and party.source not in sources:
            found.append(
                (
                    ("disputed_by", i, "source"),
                    Level.ERROR,
                    "source-missing",
                    f"source {party.source!r} is not in the registry",
                )
            )
    if not word_fits_value(claim.confidence.word, claim.confidence.value):
        found.append(
            (
                ("confidence",),
                Level.WARNING,
                "confidence-word",
                f"{claim.confidence.word!r} means another range than {claim.confidence.value}",
            )
        )
    if claim.status is not None:  # deriving costs: only a written status needs comparing
        mismatch = status_mismatch(claim, derive(claim, sources))
        if mismatch is not None:
            found.append(mismatch)
    for loc, rule, message in lint_claim(claim, sources):
        found.append((loc, Level.WARNING, rule, message))
    return found


def status_mismatch(claim: Claim, derived: Derivation) -> Finding | None:
    """The warning for a written status that the evidence does not bear out."""
    if claim.status is None or derived.status is claim.status:
        return None
    return (
        ("status",),
        Level.WARNING,
        "status-mismatch",
        f"the file says {claim.status.value!r} but the evidence makes it "
        f"{derived.status.value!r} ({'; '.join(derived.reasons)})",
    )


def located(
    path: str,
    findings: Iterable[Finding],
    locate: Callable[[tuple[str | int, ...]], tuple[int, int]],
) -> list[Problem]:
    """Findings of one file as Problems, positioned by ``locate`` (called only when needed)."""
    problems = []
    for loc, level, rule, message in findings:
        line, col = locate(loc)
        problems.append(Problem(path, line, col, level, rule, message, field_name(loc)))
    return problems


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


def registry_checks(registry: Mapping[str, SourceRecord], locate: Locate) -> list[Problem]:
    """Sources that derive from sources the registry does not have."""
    problems = []
    for rec in registry.values():
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
    from claimtrack.model import Quantity

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
    from claimtrack.contradictions import negation_contradictions, quantity_contradictions

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
    statuses = {cid: by_id[cid].derivation(sources) for cid in by_id}
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


def cross_check(dataset: Dataset, texts: Mapping[str, str] | None = None) -> list[Problem]:
    """The whole-folder checks of a dataset built in memory (a write checks its result with
    ``texts``, the text of files not yet on disk); drops duplicate-id claims and sources."""
    locate = Locator(texts)
    kept, problems = duplicate_ids(dataset.claims, locate)
    dataset.claims[:] = kept
    if dataset.source_list:  # a folder read from disk; a write's check passes sources ready-made
        dataset.sources, duplicates = duplicate_sources(dataset.source_list, locate)
        problems += duplicates
    sources = {sid: rec.source for sid, rec in dataset.sources.items()}
    folder, contradicted, replaced = folder_checks(
        kept, {r.id: facts_of(r.claim) for r in kept}, sources, locate
    )
    dataset.contradicted = contradicted
    for record in kept:
        findings = claim_checks(record.claim, sources)
        if record.id in replaced:
            findings = [f for f in findings if f[2] != "status-mismatch"]
        problems += located(record.path, findings, partial(locate, record.path))
    return problems + folder + registry_checks(dataset.sources, locate)


_Locator = Locator  # the name earlier code imports
