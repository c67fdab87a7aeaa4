"""Policy rules for `report --fail-on`: small named checks whose docstrings are the user docs.

Each rule takes one evaluated claim and the policy context and yields `(subject, message)`
pairs, one per finding: `subject` names what the finding is about within the claim (a source
id, a field) so that its fingerprint stays stable when the file is edited elsewhere.
"""

from __future__ import annotations

import calendar
import datetime as _dt
import inspect
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from functools import cached_property, lru_cache
from typing import TYPE_CHECKING

from claimtrack.core.problem import Level
from claimtrack.core.query import Entry
from claimtrack.core.report import DEFAULT_MAX_AGE_DAYS
from claimtrack.core.vocab import Stance, Status, word_fits_value

if TYPE_CHECKING:
    from claimtrack.core.model import Source


@dataclass(frozen=True)
class Context:
    """What rules may consult besides the claim: the registry, today, the configured limits."""

    sources: Mapping[str, Source]
    today: _dt.date
    max_age_days: int = DEFAULT_MAX_AGE_DAYS

    _lacking: dict[str, frozenset[str]] = field(
        default_factory=dict, init=False, repr=False, compare=False
    )

    def lacking(self, attribute: str) -> frozenset[str]:
        """The registered sources without `attribute`, worked out once for every claim of a
        report rather than once per claim."""
        found = self._lacking.get(attribute)
        if found is None:
            found = self._lacking[attribute] = frozenset(
                sid for sid, source in self.sources.items() if getattr(source, attribute) is None
            )
        return found

    @cached_property
    def roots(self) -> dict[str, str]:
        """The source each registered source ultimately repeats (see `_root`), worked out once
        for every claim of a report rather than once per claim."""
        return {sid: _root(sid, self.sources) for sid in self.sources}


Check = Callable[[Entry, Context], Iterator[tuple[str, str]]]


@dataclass(frozen=True)
class Rule:
    name: str
    severity: Level
    check: Check

    @property
    def summary(self) -> str:
        """The first line of the docstring."""
        return self.doc.splitlines()[0] if self.doc else ""

    @property
    def doc(self) -> str:
        return inspect.getdoc(self.check) or ""


#: rule name -> Rule; filled by the `@rule` decorator in the order the rules are defined.
POLICY_RULES: dict[str, Rule] = {}


def rule(name: str, severity: Level) -> Callable[[Check], Check]:
    def register(check: Check) -> Check:
        POLICY_RULES[name] = Rule(name, severity, check)
        return check

    return register


def _status_rule(entry: Entry, status: Status) -> Iterator[tuple[str, str]]:
    if entry.status is status:
        yield "status", "; ".join(entry.derivation.reasons)


@rule("contested", Level.WARNING)
def contested(entry: Entry, ctx: Context) -> Iterator[tuple[str, str]]:
    """The claim is contested: evidence that weighs both supports and refutes it, or a party
    disputes it."""
    yield from _status_rule(entry, Status.CONTESTED)


@rule("refuted", Level.WARNING)
def refuted(entry: Entry, ctx: Context) -> Iterator[tuple[str, str]]:
    """The claim is refuted: evidence that weighs refutes it and none that weighs supports it."""
    yield from _status_rule(entry, Status.REFUTED)


@rule("unsourced", Level.WARNING)
def unsourced(entry: Entry, ctx: Context) -> Iterator[tuple[str, str]]:
    """The claim is unsourced: no evidence that weighs supports it (only anonymous or
    unattributed assertion, or only weak evidence)."""
    yield from _status_rule(entry, Status.UNSOURCED)


@rule("no-quote", Level.NOTE)
def no_quote(entry: Entry, ctx: Context) -> Iterator[tuple[str, str]]:
    """The claim has no `quote`: nothing anchors it to the words of the text it appears in."""
    if not entry.claim.quote:
        yield "quote", "the claim has no quote from the text it appears in"


def _cited_without(
    entry: Entry, ctx: Context, attribute: str, what: str
) -> Iterator[tuple[str, str]]:
    """One finding per source the claim appears in or cites that lacks `attribute`."""
    lacking = ctx.lacking(attribute)
    if not lacking:
        return
    claim = entry.claim
    cited = {claim.appears_in, *(item.source for item in claim.evidence)}
    for sid in sorted(cited & lacking):
        yield f"source:{sid}", f"source {sid!r} has no {what}"


@rule("source-no-date", Level.NOTE)
def source_no_date(entry: Entry, ctx: Context) -> Iterator[tuple[str, str]]:
    """A source the claim appears in or cites has no `date`: a reader cannot tell how current
    it is. One finding per such source."""
    yield from _cited_without(entry, ctx, "date", "date")


@rule("source-no-reliability", Level.NOTE)
def source_no_reliability(entry: Entry, ctx: Context) -> Iterator[tuple[str, str]]:
    """A source the claim appears in or cites has no Admiralty `reliability` (A-F; F says
    "cannot be judged" explicitly). One finding per such source."""
    yield from _cited_without(entry, ctx, "reliability", "reliability grade")


# Claims repeat a few words and values: each pair is judged once per report.
_word_fits_value = lru_cache(maxsize=1024)(word_fits_value)


@rule("confidence-word", Level.NOTE)
def confidence_word(entry: Entry, ctx: Context) -> Iterator[tuple[str, str]]:
    """The confidence word contradicts its number: `{value: 0.9, word: unlikely}` says two
    things at once (ICD 203 bands)."""
    confidence = entry.claim.confidence
    if not _word_fits_value(confidence.word, confidence.value):
        yield (
            "confidence",
            (f"the word {confidence.word!r} does not fit the likelihood {confidence.value:g}"),
        )


def _root(sid: str, sources: Mapping[str, Source]) -> str:
    """The source a source ultimately repeats, following `derived_from` (first parent)."""
    seen = {sid}
    current = sid
    while True:
        source = sources.get(current)
        if source is None or not source.derived_from:
            return current
        parent = sorted(source.derived_from)[0]
        if parent in seen:  # a cycle: stop where it closes
            return current
        seen.add(parent)
        current = parent


@rule("single-source", Level.NOTE)
def single_source(entry: Entry, ctx: Context) -> Iterator[tuple[str, str]]:
    """All the claim's supporting or refuting evidence comes from a single source (sources that
    repeat one another through `derived_from` count as one). Claims with no such evidence are
    left to `unsourced`."""
    weighed = [i.source for i in entry.claim.evidence if i.stance is not Stance.CONTEXT]
    roots = {ctx.roots.get(sid, sid) for sid in weighed}
    if len(roots) == 1:
        (only,) = roots
        yield "evidence", f"all evidence comes from one source: {only}"


@lru_cache(maxsize=1024)  # a folder holds few distinct dates, each parsed once
def _period_end(value: str) -> _dt.date:
    """The last day a partial date (`2025`, `2025-03`, `2025-03-04`) can mean."""
    parts = [int(p) for p in value.split("-")]
    if len(parts) == 1:
        return _dt.date(parts[0], 12, 31)
    if len(parts) == 2:
        return _dt.date(parts[0], parts[1], calendar.monthrange(parts[0], parts[1])[1])
    return _dt.date(parts[0], parts[1], parts[2])


@rule("stale-as-of", Level.NOTE)
def stale_as_of(entry: Entry, ctx: Context) -> Iterator[tuple[str, str]]:
    """The claim's quantity is measured `as_of` a date older than `max-age-days` (default
    365). A partial date counts from its last day (`2025` from 2025-12-31); "today" is the
    UTC date, or `SOURCE_DATE_EPOCH` when set, so that a report can be reproduced."""
    quantity = entry.claim.quantity
    if quantity is None or quantity.as_of is None:
        return
    age = (ctx.today - _period_end(quantity.as_of)).days
    if age > ctx.max_age_days:
        yield (
            "quantity.as_of",
            (
                f"the quantity is as of {quantity.as_of}, {age} days old "
                f"(more than {ctx.max_age_days})"
            ),
        )
