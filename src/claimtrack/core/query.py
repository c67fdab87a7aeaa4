"""Filtering, sorting and flattening claims once their status is known."""

from __future__ import annotations

import enum
import unicodedata
from collections.abc import Collection, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING, Any, TypeVar

from claimtrack.core.dataset import ClaimRecord, Dataset
from claimtrack.core.errors import UsageError
from claimtrack.core.status import Derivation
from claimtrack.core.vocab import (
    LIKELIHOOD_WORDS,
    STATUS_ORDER,
    AttributionKind,
    Status,
    band_for_word,
)
from claimtrack.core.wording import close_matches, did_you_mean, either, plural, split

if TYPE_CHECKING:
    from claimtrack.core.model import Claim, Source


@dataclass(frozen=True, slots=True)  # slots: a listing of 100k claims makes 100k entries
class Entry:
    """A claim with where it lives and its effective status."""

    record: ClaimRecord
    derivation: Derivation

    @property
    def claim(self) -> Claim:
        return self.record.claim

    @property
    def status(self) -> Status:
        return self.derivation.status

    def release(self) -> None:
        """Let go of the built claim and reasons when they can be made again (from the index):
        a list written claim by claim then never holds them all."""
        self.record.release()
        release = getattr(self.derivation, "release", None)
        if release is not None:
            release()


def evaluate(dataset: Dataset, statuses: Collection[Status] = ()) -> list[Entry]:
    """Every valid claim of the dataset with its derived status, in file order; with
    ``statuses``, at least those of these statuses (:meth:`Query.matches` still decides).

    Records from the index already know their status: their claims are built only when read,
    and those of other statuses are passed over without an entry. Claims that others
    contradict (``dataset.contradicted``) are contested, unless their evidence refutes them.
    """
    sources = SourceMap(dataset)
    claims = dataset.claims_of_status({s.value for s in statuses}) if statuses else dataset.claims
    return [_entry(record, sources, dataset) for record in claims]


class SourceMap(Mapping[str, "Source"]):
    """The dataset's sources by id, made when first looked into: claims whose status is known
    (and whose records were written before) are listed without building any source."""

    def __init__(self, dataset: Dataset) -> None:
        self._dataset = dataset
        self._map: dict[str, Source] | None = None

    def _sources(self) -> dict[str, Source]:
        if self._map is None:
            self._map = {sid: rec.source for sid, rec in self._dataset.sources.items()}
        return self._map

    def __getitem__(self, key: str) -> Source:
        return self._sources()[key]

    def __iter__(self) -> Iterator[str]:
        return iter(self._sources())

    def __len__(self) -> int:
        return len(self._sources())

    def __contains__(self, key: object) -> bool:
        return key in self._sources()


def _entry(record: ClaimRecord, sources: Mapping[str, Source], dataset: Dataset) -> Entry:
    against = dataset.contradicted.get(record.id)
    return Entry(record, record.derivation(sources, against or ()))


def entries_of(dataset: Dataset, records: Iterable[ClaimRecord]) -> list[Entry]:
    """These claims of the dataset with their status, without working out the others'."""
    sources = {sid: rec.source for sid, rec in dataset.sources.items()}
    return [_entry(record, sources, dataset) for record in records]


def entry_of(dataset: Dataset, claim_id: str) -> Entry | None:
    """One claim with its status, without working out every other claim's.

    The status is derived from the claim as read, never taken from what the index kept for
    it: for one claim that costs nothing, and a tampered index cannot change the answer."""
    from claimtrack.core.status import derive

    record = dataset.claim(claim_id)
    if record is None:
        return None
    against = dataset.contradicted.get(record.id)
    return Entry(record, derive(record.claim, SourceMap(dataset), against or ()))


def fold(text: str) -> str:
    """Case- and accent-insensitive form for searching: ``Chávez`` matches ``chavez``."""
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(c for c in decomposed if not unicodedata.combining(c)).casefold()


def _speakers(claim: Claim) -> list[str]:
    return [claim.attribution.name] + [hop.name for hop in claim.attribution.via]


def _haystack(claim: Claim) -> str:
    a = claim.attribution
    parts = [claim.statement, claim.quote or "", a.name, a.role or "", claim.notes or ""]
    parts += [hop.name for hop in a.via] + [hop.role or "" for hop in a.via]
    return fold("\n".join(parts))


_E = TypeVar("_E", bound=enum.Enum)

SORT_KEYS = ("status", "id", "confidence", "attribution", "date", "path")


@dataclass(frozen=True)
class Query:
    """What ``list`` (and every read command that filters) asks for; empty fields match all."""

    statuses: frozenset[Status] = frozenset()
    tags: frozenset[str] = frozenset()
    attributed_to: str | None = None
    kinds: frozenset[AttributionKind] = frozenset()
    sources: frozenset[str] = frozenset()
    min_confidence: float | None = None
    max_confidence: float | None = None
    search: str | None = None
    sort: Sequence[str] = field(default_factory=lambda: ("status", "id"))
    limit: int | None = None

    @property
    def _reads_claims(self) -> bool:
        """Whether matching needs more than the status (then every claim is built)."""
        return bool(
            self.tags
            or self.attributed_to is not None
            or self.kinds
            or self.sources
            or self.min_confidence is not None
            or self.max_confidence is not None
            or self.search is not None
        )

    def matches(self, entry: Entry) -> bool:
        if self.statuses and entry.status not in self.statuses:
            return False  # before the claim is read: an indexed claim is built only when read
        if not self._reads_claims:
            return True
        claim = entry.claim
        if self.tags and not self.tags.intersection(claim.tags):
            return False
        if self.attributed_to is not None:
            needle = fold(self.attributed_to)
            if not any(needle in fold(name) for name in _speakers(claim)):
                return False
        if self.kinds and claim.attribution.kind not in self.kinds:
            return False
        if self.sources:
            cited = {claim.appears_in, *(e.source for e in claim.evidence)}
            if not self.sources.intersection(cited):
                return False
        if self.min_confidence is not None and claim.confidence.value < self.min_confidence:
            return False
        if self.max_confidence is not None and claim.confidence.value > self.max_confidence:
            return False
        return not (self.search is not None and fold(self.search) not in _haystack(claim))


def _sort_value(entry: Entry, key: str) -> Any:
    """The value an entry sorts by; status, id and path are known without building the claim."""
    if key == "status":
        return STATUS_ORDER[entry.status]
    if key == "id":
        return entry.record.id
    if key == "path":
        return entry.record.path
    if key == "confidence":
        return entry.claim.confidence.value
    if key == "attribution":
        return fold(entry.claim.attribution.name)
    if key == "date":
        return entry.claim.date or ""
    raise ValueError(f"unknown sort key {key!r}; use one of: {', '.join(SORT_KEYS)}")


@dataclass(frozen=True)
class Filters:
    """The filters a person types, as typed (every read command that selects claims takes
    them): many-valued ones are repeats and comma lists; confidences a number or an ICD 203
    word. :func:`build_query` checks them and makes the :class:`Query`."""

    statuses: Sequence[str] = ()
    tags: Sequence[str] = ()
    attributed_to: str | None = None
    kinds: Sequence[str] = ()
    sources: Sequence[str] = ()
    min_confidence: str | None = None
    max_confidence: str | None = None
    search: str | None = None


def build_query(filters: Filters, sort: str = "status,id", limit: int | None = None) -> Query:
    """The Query the filters describe; an unknown status, kind, sort key or confidence is a
    usage error with the nearest right spellings."""
    keys = split([sort])
    for spec in keys:
        if spec.lstrip("-") not in SORT_KEYS:
            raise UsageError(
                f"unknown sort key {spec!r}{did_you_mean(spec.lstrip('-'), SORT_KEYS)}; "
                f"use one of: {', '.join(SORT_KEYS)}"
            )
    if limit is not None and limit < 0:
        raise UsageError(f"--limit must be 0 or more, not {limit}")
    low = parse_confidence(filters.min_confidence, "--min-confidence", upper=False)
    high = parse_confidence(filters.max_confidence, "--max-confidence", upper=True)
    return Query(
        statuses=frozenset(_members(Status, filters.statuses, "status")),
        tags=frozenset(split(filters.tags)),
        attributed_to=filters.attributed_to or None,
        kinds=frozenset(_members(AttributionKind, filters.kinds, "kind")),
        sources=frozenset(split(filters.sources)),
        min_confidence=low,
        max_confidence=high,
        search=filters.search or None,
        sort=tuple(keys) or ("status", "id"),
        limit=limit,
    )


def _members(kind: type[_E], values: Iterable[str], noun: str) -> list[_E]:
    known = [str(member.value) for member in kind]
    out = []
    for value in split(values):
        try:
            out.append(kind(value))
        except ValueError:
            hint = did_you_mean(value, known)
            raise UsageError(
                f"unknown {noun} {value!r}{hint}" + ("" if hint else f"; use {', '.join(known)}")
            ) from None
    return out


def parse_confidence(text: str | None, option: str, upper: bool) -> float | None:
    """A confidence bound from a number 0..1 or an ICD 203 word: a word's band counts whole
    (``--min-confidence likely`` is 0.55 and above, ``--max-confidence likely`` 0.80 and
    below)."""
    if text is None:
        return None
    try:
        value = float(text)
    except ValueError:
        band = band_for_word(text)
        if band is None:
            hint = did_you_mean(text, LIKELIHOOD_WORDS)
            raise UsageError(
                f"{option} takes a number from 0 to 1 or an ICD 203 word (likely, very "
                f"unlikely, ...), not {text!r}{hint}"
            ) from None
        return band.high if upper else band.low
    if not 0 <= value <= 1:  # NaN too
        raise UsageError(f"{option} takes a number from 0 to 1, not {text}")
    return value


@dataclass(frozen=True)
class Selection:
    """What a query found: the entries shown, how many matched before ``--limit``, how many
    claims the folder has, and a hint for each filter value that names nothing known."""

    entries: list[Entry]
    matched: int
    total: int
    unknown: tuple[str, ...] = ()

    def summary(self) -> str | None:
        """``0 of 40 claims match``, ``showing 3 of 12 matching claims``, or None when every
        match is shown (the output itself says it)."""
        if self.matched == 0:
            return f"0 of {plural(self.total, 'claim')} match"
        if len(self.entries) < self.matched:
            of = "claims" if self.matched == self.total else "matching claims"
            return f"showing {len(self.entries)} of {self.matched} {of}"
        return None


def select_claims(dataset: Dataset, query: Query, filtered: bool = True) -> Selection:
    """:func:`run` with what the person is told about it: an empty result, a cut one, and a
    tag, source or speaker no claim has (with the nearest that some claim has)."""
    entries = select(evaluate(dataset, query.statuses), replace(query, limit=None))
    shown = entries[: query.limit] if query.limit is not None else entries
    unknown = unknown_values(dataset, query) if filtered else ()
    return Selection(shown, len(entries), dataset.claim_count, unknown)


def unknown_values(dataset: Dataset, query: Query) -> tuple[str, ...]:
    """One message for each tag, source or speaker the query names that no claim (or source
    registry) knows, with a did-you-mean."""
    out: list[str] = []
    if query.tags or query.sources:
        from claimtrack.core.dataset import all_facets

        facets = all_facets(dataset.claims)
        tags = {t for f in facets for t in f.tags}
        sources = {s for f in facets for s in f.sources} | set(dataset.sources)
        out += [
            f"no claim has the tag {t!r}{did_you_mean(t, tags)}" for t in sorted(query.tags - tags)
        ]
        out += [
            f"no claim cites the source {s!r}{did_you_mean(s, sources)}"
            for s in sorted(query.sources - sources)
        ]
    if query.attributed_to is not None:
        needle = fold(query.attributed_to)
        names = {name for r in dataset.claims for name in _speakers(r.claim)}
        if not any(needle in fold(name) for name in names):
            wanted = query.attributed_to
            out.append(f"no claim is attributed to {wanted!r}{_speaker_hint(wanted, names)}")
    return tuple(out)


def _speaker_hint(wanted: str, names: Collection[str]) -> str:
    """A did-you-mean for a speaker, by whole name or by one word of it (``madurro`` is
    ``Nicolás Maduro``)."""
    hint = did_you_mean(wanted, names)
    if hint or " " in wanted.strip():
        return hint
    by_word: dict[str, list[str]] = {}
    for name in sorted(names):
        for word in fold(name).split():
            by_word.setdefault(word, []).append(name)
    near = close_matches(fold(wanted), by_word, n=3)
    found = list(dict.fromkeys(name for word in near for name in by_word[word]))[:3]
    return f"; did you mean {either(found)}?" if found else ""


def run(dataset: Dataset, query: Query) -> list[Entry]:
    """The dataset's claims that match the query, sorted: only those that may have the wanted
    statuses are evaluated (an unchanged folder's others are not even read)."""
    return select(evaluate(dataset, query.statuses), query)


def select(entries: Iterable[Entry], query: Query) -> list[Entry]:
    """The entries matching the query, sorted (stable, several keys, ``-key`` descending)."""
    chosen = [e for e in entries if query.matches(e)]
    chosen.sort(key=lambda e: e.record.id)  # the final tie-breaker: a deterministic order
    for spec in reversed(query.sort):
        key = spec.lstrip("-")

        def value(entry: Entry, k: str = key) -> Any:
            return _sort_value(entry, k)

        chosen.sort(key=value, reverse=spec.startswith("-"))
    return chosen[: query.limit] if query.limit is not None else chosen


def to_record(entry: Entry) -> dict[str, Any]:
    """A claim as plain data for JSON, JSON Lines and the like: always ``id``, ``status``,
    ``confidence``; then everything in the file, the declared status and where it lives."""
    claim = entry.claim
    data = claim.model_dump(mode="json", exclude_none=True)
    confidence = data.pop("confidence")
    declared = data.pop("status", None)
    out: dict[str, Any] = {
        "id": claim.id,
        "status": entry.status.value,
        "confidence": confidence["value"],
        "confidence_word": confidence["word"],
    }
    out.update((k, v) for k, v in data.items() if k != "id")
    out["declared_status"] = declared
    out["status_reasons"] = list(entry.derivation.reasons)
    out["weak"] = entry.derivation.weak
    out["lines_of_evidence"] = [list(line) for line in entry.derivation.lines]
    out["contradicted_by"] = list(entry.derivation.contradicted_by)
    out["path"] = entry.record.path
    out["line"] = entry.record.line
    return out


def flatten(entry: Entry) -> dict[str, str]:
    """One flat row (CSV, Markdown): the fields a spreadsheet user filters on."""
    claim = entry.claim
    a = claim.attribution
    return {
        "id": claim.id,
        "status": entry.status.value,
        "confidence": f"{claim.confidence.value:g}",
        "confidence_word": claim.confidence.word,
        "attribution": a.name,
        "attribution_kind": a.kind.value,
        "via": " > ".join(hop.name for hop in a.via),
        "statement": claim.statement,
        "quote": claim.quote or "",
        "appears_in": claim.appears_in,
        "evidence": "; ".join(f"{e.source}:{e.stance.value}" for e in claim.evidence),
        "disputed_by": "; ".join(p.name for p in claim.disputed_by),
        "tags": ", ".join(claim.tags),
        "path": entry.record.path,
        "line": str(entry.record.line),
    }
