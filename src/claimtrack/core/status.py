"""Evidence to effective status, with the reasons a person can read.

The rules (also in the README, "What a status means"):

* An evidence item *weighs* when its source is in the registry, and its credibility is 1-3
  (confirmed, probably or possibly true) or, with no credibility given, its source's reliability
  is A-C; and it is not the claim's own article vouching for an assertion it attributes to no
  one identified (attribution kind ``anonymous`` or ``author``): an article cannot source its own
  unattributed words. A fact check (source kind ``review``) is exempt: it judges the words it
  reports rather than repeating them.
* **refuted**: an item that weighs refutes it and none that weighs supports it.
* **contested**: items that weigh both support and refute it, or a party disputes it.
* **sourced**: an item that weighs supports it, and nothing above.
* **unsourced**: anything else: only anonymous or unattributed assertion, or only weak evidence.
  It is *weak* (``Derivation.weak``) when a registered source supports it but counts only for
  its grade: credibility 4-6, or no credibility and reliability D-F or none.
* A claim that another claim contradicts (same measure and time, values apart; or a claim that
  ``negates`` it, both sourced: see ``contradictions.py``) is **contested**, unless refuted.

Independence: supporting sources that share a publisher or are linked by ``derived_from``
(either way, transitively) are one *line of evidence*; ``Derivation.lines`` lists them, and the
reasons say which sources counted once. "Several reports citing PDVSA data" is one line.
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Iterable, Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING

from claimtrack.core.vocab import AttributionKind, SourceKind, Stance, Status

if TYPE_CHECKING:
    from claimtrack.core.model import Claim, Evidence, Source

_WEIGHTY_RELIABILITY = {"A", "B", "C"}
_UNIDENTIFIED = {AttributionKind.ANONYMOUS, AttributionKind.AUTHOR}


@dataclass(frozen=True)
class Weighing:
    """One evidence item and whether (and why) it counts."""

    evidence: Evidence
    weighs: bool
    why: str
    #: True when it does not weigh only because of its grade (credibility 4-6, reliability D-F).
    graded_out: bool = False


@dataclass(frozen=True)
class Derivation:
    """The effective status and the reasons for it."""

    status: Status
    reasons: tuple[str, ...]
    items: tuple[Weighing, ...]
    #: Unsourced, but a registered source of low reliability or credibility supports it.
    weak: bool = False
    #: The independent lines of supporting evidence that weighs, each a tuple of source ids.
    lines: tuple[tuple[str, ...], ...] = ()
    #: Ids of the claims that contradict this one.
    contradicted_by: tuple[str, ...] = ()


def weigh(claim: Claim, item: Evidence, sources: Mapping[str, Source]) -> Weighing:
    """Whether one evidence item counts toward the status, with the reason in words."""
    source = sources.get(item.source)
    if source is None:
        return Weighing(item, False, f"source {item.source!r} is not in the registry")
    if (
        item.source == claim.appears_in
        and claim.attribution.kind in _UNIDENTIFIED
        and source.kind is not SourceKind.REVIEW
    ):
        return Weighing(
            item,
            False,
            f"the claim's own article, repeating an assertion it attributes to no identified "
            f"speaker ({claim.attribution.kind.value})",
        )
    if item.credibility is not None:
        if item.credibility <= 3:
            return Weighing(item, True, f"credibility {item.credibility}")
        return Weighing(item, False, f"credibility {item.credibility} is weaker than 3", True)
    reliability = source.reliability.value if source.reliability else None
    if reliability in _WEIGHTY_RELIABILITY:
        return Weighing(item, True, f"source reliability {reliability}")
    if reliability is None:
        return Weighing(item, False, "no credibility given and the source has no reliability", True)
    return Weighing(item, False, f"no credibility given and source reliability {reliability}", True)


def weighs(claim: Claim, item: Evidence, sources: Mapping[str, Source]) -> bool:
    """``weigh(claim, item, sources).weighs`` without the reason in words (a test holds the
    two to the same answer)."""
    source = sources.get(item.source)
    if source is None:
        return False
    if (
        item.source == claim.appears_in
        and claim.attribution.kind in _UNIDENTIFIED
        and source.kind is not SourceKind.REVIEW
    ):
        return False
    if item.credibility is not None:
        return item.credibility <= 3
    return source.reliability is not None and source.reliability.value in _WEIGHTY_RELIABILITY


def status_of(
    claim: Claim, sources: Mapping[str, Source], contradicted_by: Collection[str] = ()
) -> Status:
    """``derive(...).status`` without the reasons and the lines of evidence: what the folder
    pipeline asks of every claim it reads (a test holds the two to the same answer)."""
    supported = refuted = False
    for item in claim.evidence:
        if (item.stance is Stance.SUPPORTS or item.stance is Stance.REFUTES) and weighs(
            claim, item, sources
        ):
            if item.stance is Stance.SUPPORTS:
                supported = True
            else:
                refuted = True
    if refuted and not supported:
        return Status.REFUTED
    if refuted or claim.disputed_by or contradicted_by:
        return Status.CONTESTED
    return Status.SOURCED if supported else Status.UNSOURCED


_LINKS: list[tuple[Mapping[str, Source], Callable[[str], str], dict[tuple[str, str], str]]] = []


def _registry_links(
    sources: Mapping[str, Source],
) -> tuple[Callable[[str], str], dict[tuple[str, str], str]]:
    """The registry's sources joined by publisher and ``derived_from`` (union-find), worked out
    once per registry: a folder derives thousands of claims against the same one."""
    if _LINKS and _LINKS[0][0] is sources:
        return _LINKS[0][1], _LINKS[0][2]
    parent: dict[str, str] = {}

    def root(sid: str) -> str:
        while parent.setdefault(sid, sid) != sid:
            sid = parent[sid]
        return sid

    why: dict[tuple[str, str], str] = {}

    def join(a: str, b: str, reason: str) -> None:
        ra, rb = root(a), root(b)
        if ra != rb:
            parent[max(ra, rb)] = min(ra, rb)
        why.setdefault((min(a, b), max(a, b)), reason)

    by_publisher: dict[str, str] = {}
    for sid, source in sorted(sources.items()):
        key = _publisher_key(source)
        if key is not None:
            first = by_publisher.setdefault(key, sid)
            if first != sid:
                join(first, sid, f"same publisher {source.publisher!r}")
        for origin in source.derived_from:
            if origin in sources:
                join(sid, origin, f"{sid} is derived from {origin}")
    _LINKS[:] = [(sources, root, why)]  # holding the mapping keeps its identity unique
    return root, why


def _publisher_key(source: Source) -> str | None:
    if not source.publisher:
        return None
    return " ".join(source.publisher.casefold().split())


def lines_of_evidence(
    source_ids: Iterable[str], sources: Mapping[str, Source]
) -> list[tuple[tuple[str, ...], str]]:
    """Group sources into independent lines of evidence, each with why its members count once.

    Two sources are one line when they share a publisher (ignoring case and spacing) or one is
    ``derived_from`` the other, directly or through a chain of registered sources.
    """
    wanted = sorted(set(source_ids))
    root, why = _registry_links(sources)
    groups: dict[str, list[str]] = {}
    for sid in wanted:
        groups.setdefault(root(sid), []).append(sid)
    out = []
    for members in groups.values():
        if len(members) == 1:  # a line of one source needs no reason to count once
            out.append((tuple(members), ""))
            continue
        reasons = sorted({r for (a, b), r in why.items() if a in members or b in members})
        out.append((tuple(members), "; ".join(reasons)))
    return sorted(out)


def derive(
    claim: Claim, sources: Mapping[str, Source], contradicted_by: Collection[str] = ()
) -> Derivation:
    """The effective status of a claim from its evidence, disputes and contradicting claims."""
    items = tuple(weigh(claim, item, sources) for item in claim.evidence)
    supports = [w for w in items if w.weighs and w.evidence.stance is Stance.SUPPORTS]
    refutes = [w for w in items if w.weighs and w.evidence.stance is Stance.REFUTES]
    grouped = lines_of_evidence((w.evidence.source for w in supports), sources)
    lines = tuple(members for members, _ in grouped)
    against = tuple(sorted(contradicted_by))

    def names(weighings: list[Weighing]) -> str:
        return ", ".join(sorted({w.evidence.source for w in weighings}))

    def finish(status: Status, reasons: list[str], weak: bool = False) -> Derivation:
        for members, why in grouped:
            if len(members) > 1:
                reasons.append(f"{' and '.join(members)} count as one line of evidence ({why})")
        return Derivation(status, tuple(reasons), items, weak, lines, against)

    disputes = ["disputed by " + ", ".join(p.name for p in claim.disputed_by)]
    contradiction = [f"contradicted by claim {', '.join(against)}"]
    reasons: list[str] = []
    if refutes and not supports:
        reasons.append(f"refuted by {names(refutes)} and supported by nothing that weighs")
        reasons += (disputes if claim.disputed_by else []) + (contradiction if against else [])
        return finish(Status.REFUTED, reasons)
    if refutes or claim.disputed_by or against:
        if refutes:
            reasons.append(f"supported by {names(supports)} but refuted by {names(refutes)}")
        reasons += (disputes if claim.disputed_by else []) + (contradiction if against else [])
        return finish(Status.CONTESTED, reasons)
    if supports:
        count = "one line of evidence" if len(lines) == 1 else f"{len(lines)} independent lines"
        return finish(Status.SOURCED, [f"supported by {names(supports)} ({count})"])
    graded = [w for w in items if w.graded_out and w.evidence.stance is Stance.SUPPORTS]
    if not claim.evidence:
        reasons.append("no evidence")
    else:
        weak = [f"{w.evidence.source}: {w.why}" for w in items if not w.weighs]
        detail = f" ({'; '.join(weak)})" if weak else ""
        reasons.append(f"no evidence that weighs supports it{detail}")
    if graded:
        reasons.append(
            f"weak: only sources of low reliability or credibility support it ({names(graded)})"
        )
    return finish(Status.UNSOURCED, reasons, weak=bool(graded))
