"""The report of a folder under a policy: every claim in report order, with its findings."""

from __future__ import annotations

import datetime as _dt
import hashlib
from collections.abc import Iterable, Mapping
from typing import Any

from claimtrack.core.dataset import Dataset
from claimtrack.core.errors import UsageError
from claimtrack.core.problem import Level
from claimtrack.core.query import Entry, evaluate
from claimtrack.core.report import (
    DEFAULT_MAX_AGE_DAYS,
    SCHEMA_VERSION,
    Baseline,
    ClaimReport,
    EvidenceItem,
    Finding,
    Person,
    Policy,
    Report,
    fingerprint,
    link,
    today,
)
from claimtrack.core.version import __version__
from claimtrack.core.vocab import STATUS_ORDER
from claimtrack.rules.policy import POLICY_RULES, Context


def input_digest(dataset: Dataset) -> str:
    """sha256 over every YAML file of the folder, in folder order: its relative path, NUL, the
    sha256 of its bytes (empty when unreadable), newline. The loader already hashed each file
    (the index keeps the hashes), so a warm report reads no claim file for this."""
    digests = dataset.digests
    if digests is None:
        raise ValueError("the report of a dataset needs the hashes of its files (Dataset.digests)")
    digest = hashlib.sha256()
    for rel in sorted(digests, key=lambda rel: rel.split("/")):
        digest.update(f"{rel}\0{digests[rel]}\n".encode("utf-8", "surrogateescape"))
    return digest.hexdigest()


def _person(name: str, kind: Any, role: str | None = None, **more: str | None) -> Person:
    return Person(name=name, kind=kind.value if kind is not None else None, role=role, **more)


#: source id -> its title, reliability grade and URL, as an evidence item shows them.
Grades = Mapping[str, tuple[str | None, str | None, str | None]]


def _grades(dataset: Dataset) -> Grades:
    return {
        sid: (
            rec.source.title,
            rec.source.reliability.value if rec.source.reliability else None,
            rec.source.url,
        )
        for sid, rec in dataset.sources.items()
    }


def _claim_report(
    entry: Entry,
    grades: Grades,
    ctx: Context,
    fail_on: frozenset[str],
    known: frozenset[str] | None,
    link_base: str | None,
) -> ClaimReport:
    claim = entry.claim
    a = claim.attribution
    evidence = []
    for weighing in entry.derivation.items:
        item = weighing.evidence
        title, reliability, url = grades.get(item.source, (None, None, None))
        evidence.append(
            EvidenceItem(
                source=item.source,
                stance=item.stance,
                weighs=weighing.weighs,
                why=weighing.why,
                title=title,
                reliability=reliability,
                credibility=item.credibility,
                quote=item.quote,
                note=item.note,
                url=url,
            )
        )
    findings = []
    for name, rule in POLICY_RULES.items():
        for subject, message in rule.check(entry, ctx):
            fp = fingerprint(name, claim.id, subject)
            state: Baseline | None = None
            if known is not None:
                state = "unchanged" if fp in known else "new"
            matched = name in fail_on
            findings.append(
                Finding(
                    rule=name,
                    level=Level.ERROR if matched else rule.severity,
                    subject=subject,
                    message=message,
                    fingerprint=fp,
                    failing=matched and state != "unchanged",
                    baseline=state,
                )
            )
    return ClaimReport(
        id=claim.id,
        status=entry.status,
        statement=claim.statement,
        asserted_by=_person(a.name, a.kind, a.role),
        confidence=claim.confidence.value,
        confidence_word=claim.confidence.word,
        path=entry.record.path,
        line=entry.record.line,
        reasons=entry.derivation.reasons,
        quote=claim.quote,
        via=tuple(_person(hop.name, hop.kind, hop.role) for hop in a.via),
        disputed_by=tuple(
            _person(p.name, p.kind, source=p.source, note=p.note) for p in claim.disputed_by
        ),
        evidence=tuple(evidence),
        analytic_confidence=claim.analytic_confidence.value if claim.analytic_confidence else None,
        url=link(link_base, entry.record.path, entry.record.line),
        findings=tuple(findings),
    )


def _reported(
    entry: Entry,
    grades: Grades,
    ctx: Context,
    fail_on: frozenset[str],
    known: frozenset[str] | None,
    link_base: str | None,
) -> ClaimReport:
    """One claim's report; the claim itself is let go (the report keeps what it shows)."""
    report = _claim_report(entry, grades, ctx, fail_on, known, link_base)
    entry.release()
    return report


def build_report(
    dataset: Dataset,
    *,
    fail_on: Iterable[str] = (),
    baseline: Iterable[str] | None = None,
    on: _dt.date | None = None,
    max_age_days: int = DEFAULT_MAX_AGE_DAYS,
    link_base: str | None = None,
) -> Report:
    """The report of a loaded folder under a policy. ``baseline`` holds the fingerprints of a
    previous report's findings: those are shown as unchanged and never fail."""
    rules = policy_rules(fail_on)
    sources = {sid: rec.source for sid, rec in dataset.sources.items()}
    ctx = Context(sources=sources, today=on or today(), max_age_days=max_age_days)
    known = frozenset(baseline) if baseline is not None else None
    entries = sorted(
        evaluate(dataset),
        key=lambda e: (STATUS_ORDER[e.status], e.record.id, e.record.path),
    )
    grades, failing_rules = _grades(dataset), frozenset(rules)
    claims = tuple(_reported(e, grades, ctx, failing_rules, known, link_base) for e in entries)
    totals = {status.value: 0 for status in STATUS_ORDER}
    for claim in claims:
        totals[claim.status.value] += 1
    problems = tuple(dataset.problems)
    return Report(
        version=__version__,
        input_sha256=input_digest(dataset),
        files=dataset.files,
        policy=Policy(fail_on=tuple(rules), baseline=known is not None, max_age_days=max_age_days),
        totals=totals,
        claims=claims,
        problems=problems,
        failed=any(c.failing for c in claims),
        link_base=link_base,
    )


def policy_rules(fail_on: Iterable[str]) -> tuple[str, ...]:
    """The ``--fail-on`` rules once each, in the order of ``claimtrack rules``; an unknown
    name is a usage error."""
    wanted = list(fail_on)
    missing = [name for name in wanted if name not in POLICY_RULES]
    if missing:
        raise UsageError(f"unknown rule {missing[0]!r}; run `claimtrack rules` for the list")
    return tuple(sorted(set(wanted), key=list(POLICY_RULES).index))


def output_key(
    fmt: str,
    *,
    fail_on: Iterable[str],
    baseline: Iterable[str] | None,
    on: _dt.date,
    max_age_days: int,
    link_base: str | None,
) -> str:
    """Everything a rendered report depends on besides the folder's contents, as one hash.

    A report is a function of the folder, these and claimtrack's version alone (it reads no
    clock but ``on`` and nothing of the machine), so a report rendered once can be written
    again for as long as the folder is unchanged (the index keeps it with its snapshot)."""
    import json

    known = None if baseline is None else sorted(baseline)
    parts = [__version__, SCHEMA_VERSION, fmt, policy_rules(fail_on), known]
    parts += [on.isoformat(), max_age_days, link_base]
    return hashlib.sha256(json.dumps(parts).encode()).hexdigest()


def baseline_fingerprints(text: str, name: str) -> set[str]:
    """The finding fingerprints of a previous JSON report (``claimtrack report --format json``)."""
    import json

    from claimtrack.core.wording import json_message

    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        said = json_message(exc.msg, exc.lineno, exc.colno)
        raise UsageError(f"baseline {name} is not a claimtrack JSON report: {said}") from None
    except RecursionError:
        raise UsageError(f"baseline {name}: JSON nested too deeply") from None
    try:
        claims = data["claims"]
        return {f["fingerprint"] for c in claims for f in c["findings"]}
    except (TypeError, KeyError) as exc:
        what = f"no {exc.args[0]!r} key" if isinstance(exc, KeyError) else "an unexpected shape"
        raise UsageError(
            f"baseline {name} is not a claimtrack JSON report (it has {what}); make one with "
            "`claimtrack report --format json`"
        ) from None
