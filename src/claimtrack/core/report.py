"""The contested-claims report as plain data: totals, claims in a fixed order, policy findings."""

from __future__ import annotations

import hashlib
import os
from dataclasses import dataclass
from typing import Literal

from claimtrack.core.clock import today as today  # where the report's dates are judged
from claimtrack.core.errors import UsageError
from claimtrack.core.problem import Level, Problem
from claimtrack.core.vocab import Stance, Status

#: The age in days after which a quantity's `as_of` counts as stale, unless configured.
DEFAULT_MAX_AGE_DAYS = 365
SCHEMA_VERSION = 1


Baseline = Literal["new", "unchanged"]


@dataclass(frozen=True)
class Person:
    """Someone who asserts or disputes a claim."""

    name: str
    kind: str | None = None
    role: str | None = None
    source: str | None = None
    note: str | None = None


@dataclass(frozen=True)
class EvidenceItem:
    """One evidence item with its source's title and grade, and whether it weighs."""

    source: str
    stance: Stance
    weighs: bool
    why: str
    title: str | None = None
    reliability: str | None = None
    credibility: int | None = None
    quote: str | None = None
    note: str | None = None
    #: The source's http(s) URL, named by every format (a link where the medium has them).
    url: str | None = None

    @property
    def link(self) -> str | None:
        """The URL when it is safe to link to (http or https), else None."""
        if self.url and self.url.lower().startswith(("http://", "https://")):
            return self.url
        return None


@dataclass(frozen=True)
class Finding:
    """A policy rule that matched a claim. ``fingerprint`` survives edits elsewhere in the file."""

    rule: str
    level: Level
    subject: str
    message: str
    fingerprint: str
    failing: bool
    baseline: Baseline | None = None


@dataclass(frozen=True)
class ClaimReport:
    id: str
    status: Status
    statement: str
    asserted_by: Person
    confidence: float
    confidence_word: str
    path: str
    line: int
    reasons: tuple[str, ...]
    quote: str | None = None
    via: tuple[Person, ...] = ()
    disputed_by: tuple[Person, ...] = ()
    evidence: tuple[EvidenceItem, ...] = ()
    analytic_confidence: str | None = None
    url: str | None = None
    findings: tuple[Finding, ...] = ()

    @property
    def failing(self) -> bool:
        return any(f.failing for f in self.findings)

    def evidence_note(self) -> str:
        """The evidence's sources with their URLs, for messages (SARIF, JUnit, annotations):
        ``; evidence: wire <https://…>, rebuttal``; empty when the claim has no evidence."""
        if not self.evidence:
            return ""
        named = [i.source + (f" <{i.url}>" if i.url else "") for i in self.evidence]
        return "; evidence: " + ", ".join(named)

    def side(self, stance: Stance) -> tuple[EvidenceItem, ...]:
        return tuple(item for item in self.evidence if item.stance is stance)


@dataclass(frozen=True)
class Policy:
    fail_on: tuple[str, ...] = ()
    baseline: bool = False
    max_age_days: int = DEFAULT_MAX_AGE_DAYS


@dataclass(frozen=True)
class Report:
    """Everything a report shows. ``totals`` has every status, contested first."""

    version: str
    input_sha256: str
    files: int
    policy: Policy
    totals: dict[str, int]
    claims: tuple[ClaimReport, ...]
    problems: tuple[Problem, ...] = ()  # the folder's validation problems
    failed: bool = False
    tool: str = "claimtrack"
    schema_version: int = SCHEMA_VERSION
    link_base: str | None = None

    @property
    def findings(self) -> list[tuple[ClaimReport, Finding]]:
        """Every finding with its claim, in report order."""
        return [(claim, f) for claim in self.claims for f in claim.findings]


def fingerprint(rule: str, claim_id: str, subject: str) -> str:
    """A stable id of a finding: rule, claim id and subject, never the line or the message."""
    raw = f"claimtrack/v1\0{rule}\0{claim_id}\0{subject}".encode()
    return hashlib.sha256(raw).hexdigest()[:32]


def link(link_base: str | None, path: str, line: int) -> str | None:
    """``{link_base}{path}#L{line}`` with the path percent-encoded, or None without a base."""
    if not link_base:
        return None
    from urllib.parse import quote

    rel = path.replace(os.sep, "/")
    return f"{link_base}{quote(rel, safe='/')}#L{line}"


def check_link_base(value: str) -> str:
    from urllib.parse import urlsplit

    parts = urlsplit(value)
    if (
        parts.scheme not in ("http", "https")
        or not parts.netloc
        or any(ord(c) < 0x21 or c in "\"'<>`\\" for c in value)
    ):
        raise UsageError(f"link base {value!r} must be an http(s) URL without spaces or quotes")
    return value if value.endswith("/") else value + "/"
