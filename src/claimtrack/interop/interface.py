"""The values every format shares: what an export produced, what an import file holds."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Protocol

from claimtrack.core.model import Claim, Source
from claimtrack.core.query import Entry


@dataclass(frozen=True)
class Refusal:
    """A claim an export left out, and why (one line for the person)."""

    claim_id: str
    reason: str

    def format(self) -> str:
        return f"{self.claim_id}: not exported: {self.reason}"


@dataclass(frozen=True)
class Export:
    """An export's text and the claims it refused."""

    text: str
    exported: int
    refused: tuple[Refusal, ...] = ()


@dataclass
class Incoming:
    """One input record mapped to claimtrack: a claim, the sources it cites, and its review URL
    (the key for de-duplication by URL)."""

    origin: str
    claim: Claim
    sources: list[Source] = field(default_factory=list)
    review_url: str | None = None
    #: False when the verdict's rating is not in the rating vocabulary (it gives context).
    understood: bool = True


@dataclass(frozen=True)
class Skipped:
    """An input record that could not become a claim, and why."""

    origin: str
    reason: str

    def format(self) -> str:
        return f"{self.origin}: skipped: {self.reason}"


@dataclass
class Parsed:
    """Everything read from an import file: claims, source records (JSON Lines only) and the
    records that could not be read; ``records`` = len(items) + len(sources) + len(skipped)."""

    records: int = 0
    items: list[Incoming] = field(default_factory=list)
    sources: list[Source] = field(default_factory=list)
    skipped: list[Skipped] = field(default_factory=list)
    #: Archived texts that travel with source records (JSON Lines), by source id.
    archives: dict[str, str] = field(default_factory=dict)

    def add(self, result: Incoming | Skipped) -> None:
        """Keep one record's result: a claim to import, or the reason it cannot be."""
        if isinstance(result, Skipped):
            self.skipped.append(result)
        else:
            self.items.append(result)


class Exporter(Protocol):
    """Claims out; ``archives`` are the sources' archived texts by id (JSON Lines carries
    them, the other formats have no place for them)."""

    def __call__(
        self,
        entries: Sequence[Entry],
        sources: Mapping[str, Source],
        archives: Mapping[str, str] | None = None,
    ) -> Export: ...


class Importer(Protocol):
    def __call__(self, text: str, name: str) -> Parsed: ...
