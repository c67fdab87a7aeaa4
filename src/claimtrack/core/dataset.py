"""What a claims folder holds once read: claim and source records, and the Dataset of them."""

from __future__ import annotations

import json
import typing
from collections.abc import Collection, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, NamedTuple

from claimtrack.core.problem import Problem

if typing.TYPE_CHECKING:
    from collections.abc import Mapping

    from claimtrack.core.model import Claim, Source
    from claimtrack.core.status import Derivation


@dataclass(frozen=True)
class ClaimRecord:
    """A valid claim and where it lives (``line`` is the line of its ``id`` key)."""

    claim: Claim
    path: str
    line: int = 1

    @property
    def id(self) -> str:
        """The claim's id (a cached record knows it without building the claim)."""
        return self.claim.id

    @property
    def parsed_status(self) -> str | None:
        """The status derived when the file was parsed (before other claims' contradictions
        are counted); None when it must be derived from the claim."""
        return None

    def derivation(
        self, sources: Mapping[str, Source], contradicted_by: Collection[str] = ()
    ) -> Derivation:
        """The claim's effective status and its reasons, given the registry and the claims
        that contradict it."""
        from claimtrack.core.status import derive

        return derive(self.claim, sources, contradicted_by)

    @property
    def facets(self) -> Facets:
        """What counting claims by kind, source, tag and confidence needs."""
        return facets_of(self.claim)

    @property
    def facets_json(self) -> str:
        """The facets as JSON when they were worked out with the file's parsing, else ""."""
        return ""

    def release(self) -> None:
        """Let go of the built claim if it can be built again cheaply (a plain record can't)."""


class Facets(NamedTuple):
    """The few fields ``stats`` counts, small enough for the index to keep for every claim."""

    kind: str
    sources: tuple[str, ...]  # every source it cites (its article, its evidence), sorted
    tags: tuple[str, ...]
    confidence: float

    @classmethod
    def from_json(cls, text: str) -> Facets | None:
        """Facets kept as JSON, or None when the text is not what :meth:`to_json` writes."""
        try:
            return cls._from_value(json.loads(text))
        except ValueError:
            return None

    @classmethod
    def many_from_json(cls, texts: Sequence[str]) -> list[Facets | None]:
        """:meth:`from_json` of each text, parsed as one JSON array (100k calls of the JSON
        parser cost more than the counting they feed)."""
        try:
            values = json.loads("[" + ",".join(texts) + "]") if all(texts) else None
        except ValueError:
            values = None
        if values is None or len(values) != len(texts):  # one of them is not a JSON value
            return [cls.from_json(text) if text else None for text in texts]
        return [cls._from_value(value) for value in values]

    @classmethod
    def _from_value(cls, value: Any) -> Facets | None:
        if type(value) is not list or len(value) != 4:
            return None
        kind, sources, tags, confidence = value
        if (
            type(kind) is not str
            or type(sources) is not list
            or type(tags) is not list
            or not set(map(type, sources + tags)) <= {str}
            or type(confidence) not in (int, float)
            or not 0 <= confidence <= 1  # a probability (NaN is not)
        ):
            return None
        return cls(kind, tuple(sources), tuple(tags), float(confidence))

    def to_json(self) -> str:
        return json.dumps(self, separators=(",", ":"))


def all_facets(records: Sequence[ClaimRecord], texts: Sequence[str] | None = None) -> list[Facets]:
    """Every record's facets: the kept ones (``texts``, else the records') parsed in one go,
    the others from the claim."""
    if texts is None or len(texts) != len(records):
        texts = [record.facets_json for record in records]
    kept = Facets.many_from_json(texts)
    return [
        facets if facets is not None else record.facets
        for record, facets in zip(records, kept, strict=True)
    ]


def facets_of(claim: Claim) -> Facets:
    return Facets(
        claim.attribution.kind.value,
        tuple(sorted({claim.appears_in, *(e.source for e in claim.evidence)})),
        tuple(claim.tags),
        claim.confidence.value,
    )


@dataclass(frozen=True)
class SourceRecord:
    """A valid source; ``loc`` is its place in the file (``("sources", i)``, or ``()``)."""

    source: Source
    path: str
    line: int = 1
    loc: tuple[str | int, ...] = ()


class DatasetIndex(typing.Protocol):
    """What the index keeps about one state of a folder: plain-data results worked out from it
    (``stats``' figures, rendered reports), valid while the folder is unchanged."""

    def get(self, name: str) -> Any: ...

    def put(self, name: str, value: Any) -> None: ...

    def facets_json(self) -> list[str] | None:
        """Every claim's facets as JSON, in the dataset's order, if they were kept."""

    def output(self, key: str) -> tuple[dict[str, Any], bytes] | None:
        """A rendered output kept under ``key`` (UTF-8), and what was kept with it."""

    def keep_output(self, key: str, meta: dict[str, Any], text: str) -> None:
        """Keep a rendered output that depends on this state and on ``key`` alone."""


@dataclass
class Dataset:
    """Everything read from a claims folder: the valid records and the problems found."""

    root: Path
    claims: list[ClaimRecord] = field(default_factory=list)
    sources: dict[str, SourceRecord] = field(default_factory=dict)
    #: Every valid source record in file order, duplicates included (``sources`` keeps the first).
    source_list: list[SourceRecord] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    files: int = 0
    #: Claims contradicted by others (quantities, negations): id -> the ids contradicting it.
    contradicted: dict[str, frozenset[str]] = field(default_factory=dict)
    #: The sha256 of every YAML file's bytes by path relative to ``root`` ("" when unreadable);
    #: None for a dataset made otherwise than by reading a folder.
    digests: dict[str, str] | None = None
    #: What the index keeps about this very state of the folder (None without the index).
    index: DatasetIndex | None = None
    #: The archives' and the quotes' problems (``validate`` and ``verify`` report them), how many
    #: quotes were checked, and against how many readable archived texts.
    quote_problems: list[Problem] = field(default_factory=list)
    quotes: int = 0
    archive_texts: int = 0

    def claim(self, claim_id: str) -> ClaimRecord | None:
        for record in self.claims:
            if record.id == claim_id:
                return record
        return None

    @property
    def claim_count(self) -> int:
        """How many valid claims there are (known to a lazy dataset without reading them)."""
        return len(self.claims)

    @property
    def source_count(self) -> int:
        """How many sources the registry defines (known to a lazy dataset without building
        them)."""
        return len(self.sources)

    def claims_of_status(self, statuses: Collection[str]) -> list[ClaimRecord]:
        """The claims that may have one of ``statuses``, in file order: those whose parsed status
        is one, those whose status is not known until derived, and those contradicted by other
        claims (their status changes)."""
        against = self.contradicted
        return [
            r
            for r in self.claims
            if (known := r.parsed_status) is None or known in statuses or r.id in against
        ]


class ClaimRows(typing.Protocol):
    """Where a :class:`LazyDataset` reads its claims from."""

    def count(self) -> int: ...

    def records(self, claim_id: str | None = None) -> list[ClaimRecord]:
        """Every claim's record in file order; with ``claim_id``, those with that id."""

    def of_status(
        self, statuses: Collection[str], contradicted: Collection[str]
    ) -> list[ClaimRecord]:
        """:meth:`Dataset.claims_of_status`, read from the rows of those claims alone."""

    def digests(self) -> dict[str, str] | None:
        """:attr:`Dataset.digests`, if kept."""

    def source_count(self) -> int: ...

    def sources(self) -> dict[str, SourceRecord]:
        """:attr:`Dataset.sources`, built from what was kept (or read from the files)."""


class LazyDataset(Dataset):
    """A dataset whose claims and file hashes are read from ``rows`` when first used (the
    index answers an unchanged folder with one): 100k claims' records are made only by
    commands that read them all, and a command that wants one claim, or one status, reads
    only those."""

    def __init__(self, root: Path, files: int, rows: ClaimRows) -> None:
        super().__init__(root=root, files=files)
        self._rows = rows
        self._unread = {"claims", "digests", "sources"}

    @property
    def sources(self) -> dict[str, SourceRecord]:
        if "sources" in self._unread:
            self._unread.discard("sources")
            self._sources = self._rows.sources()
        return self._sources

    @sources.setter
    def sources(self, value: dict[str, SourceRecord]) -> None:
        self._sources = value
        if hasattr(self, "_unread"):
            self._unread.discard("sources")

    @property
    def source_count(self) -> int:
        return self._rows.source_count() if "sources" in self._unread else len(self._sources)

    @property
    def claims(self) -> list[ClaimRecord]:
        if "claims" in self._unread:
            self._unread.discard("claims")
            self._claims = self._rows.records()
        return self._claims

    @claims.setter
    def claims(self, value: list[ClaimRecord]) -> None:
        self._claims = value
        if hasattr(self, "_unread"):
            self._unread.discard("claims")

    @property
    def digests(self) -> dict[str, str] | None:
        if "digests" in self._unread:
            self._unread.discard("digests")
            self._digests = self._rows.digests()
        return self._digests

    @digests.setter
    def digests(self, value: dict[str, str] | None) -> None:
        self._digests = value
        if hasattr(self, "_unread"):
            self._unread.discard("digests")

    def claim(self, claim_id: str) -> ClaimRecord | None:
        if "claims" not in self._unread:
            return super().claim(claim_id)
        found = self._rows.records(claim_id)
        return found[0] if found else None

    @property
    def claim_count(self) -> int:
        return self._rows.count() if "claims" in self._unread else len(self._claims)

    def claims_of_status(self, statuses: Collection[str]) -> list[ClaimRecord]:
        if "claims" not in self._unread:
            return super().claims_of_status(statuses)
        return self._rows.of_status(statuses, self.contradicted)
