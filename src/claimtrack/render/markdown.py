"""GitHub-flavoured Markdown: a table of claims, and the report; every piece of text escaped."""

from __future__ import annotations

from collections.abc import Sequence

from claimtrack.core.escape import markdown, markdown_link
from claimtrack.core.query import Entry
from claimtrack.core.report import ClaimReport, EvidenceItem, Person, Report
from claimtrack.core.vocab import Stance, Status
from claimtrack.core.wording import plural

COLUMNS = ("id", "status", "confidence", "attribution", "statement")


def table(header: Sequence[str], rows: Sequence[Sequence[str]]) -> str:
    """A GFM table; the cells must already be escaped."""
    lines = ["| " + " | ".join(header) + " |", "|" + "|".join("---" for _ in header) + "|"]
    lines += ["| " + " | ".join(row) + " |" for row in rows]
    return "\n".join(lines) + "\n"


def render_list(entries: Sequence[Entry]) -> str:
    rows = [
        [
            markdown(e.claim.id),
            e.status.value,
            f"{e.claim.confidence.value:g} ({e.claim.confidence.word})",
            markdown(e.claim.attribution.name),
            markdown(e.claim.statement),
        ]
        for e in entries
    ]
    return table(COLUMNS, rows)


# --- the report --------------------------------------------------------------------------------

#: Statuses shown claim by claim; the others are shown as one table row per claim.
DETAILED = (Status.CONTESTED, Status.REFUTED)
#: Problems listed before "and N more".
SHOWN_PROBLEMS = 50


def _person(person: Person) -> str:
    extra = ", ".join(markdown(x) for x in (person.role, person.kind) if x)
    return markdown(person.name) + (f" ({extra})" if extra else "")


def _asserted(claim: ClaimReport) -> str:
    text = _person(claim.asserted_by)
    if claim.via:
        text += ", via " + " › ".join(_person(p) for p in claim.via)
    return text


def _where(claim: ClaimReport) -> str:
    label = markdown(f"{claim.path}:{claim.line}")
    return f"[{label}](<{claim.url}>)" if claim.url else label


def _confidence(claim: ClaimReport) -> str:
    text = f"{claim.confidence_word} ({claim.confidence:g})"
    if claim.analytic_confidence:
        text += f"; analytic confidence {claim.analytic_confidence}"
    return text


def _evidence(item: EvidenceItem) -> str:
    grade = [f"reliability {item.reliability}" if item.reliability else "no reliability"]
    if item.credibility is not None:
        grade.append(f"credibility {item.credibility}")
    title = f" — {markdown(item.title)}" if item.title else ""
    if item.link:
        title += f" {markdown_link(item.link)}"
    weighs = "weighs" if item.weighs else "does not weigh"
    text = f"{markdown(item.source)}{title} ({', '.join(grade)}; {weighs}: {markdown(item.why)})"
    if item.quote:
        text += f": “{markdown(item.quote)}”"
    if item.note:
        text += f" — {markdown(item.note)}"
    return text


def _findings(claim: ClaimReport) -> str:
    parts = []
    for f in claim.findings:
        mark = "❌ " if f.failing else ""
        known = " (in baseline)" if f.baseline == "unchanged" else ""
        parts.append(f"{mark}`{f.rule}`{known}: {markdown(f.message)}")
    return "; ".join(parts)


def _detailed(claim: ClaimReport) -> list[str]:
    # A blank statement would leave an empty quote block: say so instead.
    statement = markdown(claim.statement) if claim.statement.strip() else "*(blank)*"
    lines = [f"### {markdown(claim.id)}", "", f"> {statement}", ""]
    if claim.quote:
        lines += [f"Quote: “{markdown(claim.quote)}”", ""]
    items = [("Asserted by", _asserted(claim))]
    if claim.disputed_by:
        disputes = []
        for p in claim.disputed_by:
            note = f": {markdown(p.note)}" if p.note else ""
            disputes.append(_person(p) + note)
        items.append(("Disputed by", "; ".join(disputes)))
    items.append(("Confidence", _confidence(claim)))
    for stance, label in (
        (Stance.SUPPORTS, "Supporting"),
        (Stance.REFUTES, "Refuting"),
        (Stance.CONTEXT, "Context"),
    ):
        side = claim.side(stance)
        if side or stance is not Stance.CONTEXT:
            items.append((label, "; ".join(_evidence(i) for i in side) if side else "none"))
    items.append(("Why " + claim.status.value, markdown("; ".join(claim.reasons))))
    if claim.findings:
        items.append(("Findings", _findings(claim)))
    items.append(("File", _where(claim)))
    lines += [f"- **{label}:** {value}" for label, value in items]
    return [*lines, ""]


def _row(claim: ClaimReport) -> list[str]:
    evidence = ", ".join(
        f"{markdown(i.source)} ({i.stance.value}{'' if i.weighs else ', weak'})"
        for i in claim.evidence
    )
    return [
        markdown(claim.id),
        markdown(claim.statement),
        _asserted(claim),
        _confidence(claim),
        evidence or "none",
        _findings(claim) or "—",
        _where(claim),
    ]


def _policy(report: Report) -> str:
    if not report.policy.fail_on:
        return "Policy: no `--fail-on` rules; the report never fails."
    rules = ", ".join(f"`{r}`" for r in report.policy.fail_on)
    failing = sum(f.failing for _, f in report.findings)
    baseline = " new since the baseline" if report.policy.baseline else ""
    verdict = (
        f"**failed**: {failing} finding{'s' if failing != 1 else ''}{baseline}"
        if report.failed
        else "**passed**"
    )
    return f"Policy: fail on {rules} — {verdict}."


def render_report(report: Report, max_claims: int | None = None) -> str:
    """The report as GitHub-flavoured Markdown (fit for ``$GITHUB_STEP_SUMMARY``); with
    ``max_claims`` only that many claims are shown, the rest counted."""
    total = sum(report.totals.values())
    out = ["# claimtrack report", ""]
    rows = [[status, str(count)] for status, count in report.totals.items()]
    out.append(table(("status", "claims"), [*rows, ["**total**", str(total)]]))
    out += [_policy(report), ""]
    shown = report.claims if max_claims is None else report.claims[:max_claims]
    groups: dict[str, list[ClaimReport]] = {}
    for claim in shown:
        groups.setdefault(claim.status.value, []).append(claim)
    for status in report.totals:
        group = groups.get(status)
        if not group:
            continue
        out += [f"## {status.capitalize()} ({report.totals[status]})", ""]
        if group[0].status in DETAILED:
            for claim in group:
                out += _detailed(claim)
        else:
            header = (
                "claim",
                "statement",
                "asserted by",
                "confidence",
                "evidence",
                "findings",
                "file",
            )
            out.append(table(header, [_row(c) for c in group]))
    if len(shown) < len(report.claims):
        out += [f"… and {len(report.claims) - len(shown)} more claims: see the full report.", ""]
    if report.problems:
        out += [f"## Problems ({len(report.problems)})", ""]
        for p in report.problems[:SHOWN_PROBLEMS]:
            where = markdown(f"{p.path}:{p.line}:{p.col}")
            out.append(f"- {where} {p.level} `{p.rule}`: {markdown(p.message)}")
        if len(report.problems) > SHOWN_PROBLEMS:
            more = len(report.problems) - SHOWN_PROBLEMS
            out.append(f"- … and {more} more: run `claimtrack validate`")
        out.append("")
    out += [
        "---",
        "",
        f"claimtrack {report.version} · {plural(report.files, 'file')} · "
        f"inputs sha256 {report.input_sha256}",
        "",
    ]
    return "\n".join(out)


#: GitHub refuses a step summary over 1 MiB; the Markdown is cut down to fit under it.
SUMMARY_LIMIT = 1024 * 1024


def step_summary(report: Report, rendered: str | None = None) -> str:
    """The report as a GitHub step summary: ``rendered`` (its Markdown, when already made) if
    it fits under :data:`SUMMARY_LIMIT`, else with fewer claims shown until it does (the totals
    and the policy always stay)."""
    text = rendered if rendered is not None else render_report(report)
    limit = len(report.claims)
    while len(text.encode("utf-8")) > SUMMARY_LIMIT and limit > 0:
        limit //= 2
        text = render_report(report, max_claims=limit)
    return text
