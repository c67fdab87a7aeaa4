"""The terminal: rich tables and panels built from Text objects, so claim text is never markup."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from rich.console import Group
from rich.table import Table
from rich.text import Text

from claimtrack.core.escape import one_line, visible
from claimtrack.core.query import Entry
from claimtrack.core.report import ClaimReport, Person, Report
from claimtrack.core.vocab import Status
from claimtrack.core.wording import plural

STATUS_STYLE: dict[Status, str] = {
    Status.CONTESTED: "bold yellow",
    Status.REFUTED: "bold red",
    Status.UNSOURCED: "magenta",
    Status.SOURCED: "green",
}


def status_text(status: Status) -> Text:
    return Text(status.value, style=STATUS_STYLE[status])


def plain(text: str, style: str = "") -> Text:
    """Untrusted text as a rich Text: markup stays literal, controls become visible codes."""
    return Text(visible(text), style=style)


def entry_status_text(entry: Entry) -> Text:
    """The effective status, marked ``(weak)`` when only low-grade sources support it."""
    text = status_text(entry.status)
    if entry.derivation.weak:
        text.append(" (weak)", style="dim")
    return text


def render_list(entries: Sequence[Entry], explain: bool = False) -> Table:
    """The list table; ``explain`` adds a column with the reasons for each status."""
    table = Table(show_lines=explain, pad_edge=False, expand=True)
    table.add_column("id", overflow="fold", ratio=3, min_width=12)
    table.add_column("status", no_wrap=True, min_width=9)
    table.add_column("conf.", justify="right", no_wrap=True, min_width=5)
    table.add_column("attribution", overflow="fold", ratio=2, min_width=10)
    table.add_column("statement", overflow="fold", ratio=5, min_width=20)
    if explain:
        table.add_column("why", overflow="fold", ratio=5, min_width=20)
    for entry in entries:
        claim = entry.claim
        row = [
            Text(claim.id),
            entry_status_text(entry),
            Text(f"{claim.confidence.value:.2f}"),
            Text(one_line(claim.attribution.name)),
            Text(one_line(claim.statement)),
        ]
        if explain:
            row.append(Text(one_line("; ".join(entry.derivation.reasons)), style="dim"))
        table.add_row(*row)
    return table


# --- the report --------------------------------------------------------------------------------


def _who(person: Person) -> str:
    extra = ", ".join(x for x in (person.role, person.kind) if x)
    return person.name + (f" ({extra})" if extra else "")


def _line(label: str, value: str, style: str = "") -> Text:
    text = Text(f"  {label:<13}", style="bold")
    text.append(visible(value), style=style)
    return text


def _claim_block(claim: ClaimReport) -> Group:
    head = Text(claim.id, style="bold")
    head.append("  ")
    head.append_text(status_text(claim.status))
    if claim.failing:
        head.append("  FAILS POLICY", style="bold red")
    parts: list[Text] = [head, _line("statement", claim.statement)]
    if claim.quote:
        parts.append(_line("quote", f"“{claim.quote}”", "italic"))
    asserted = _who(claim.asserted_by)
    if claim.via:
        asserted += ", via " + " › ".join(_who(p) for p in claim.via)
    parts.append(_line("asserted by", asserted))
    for party in claim.disputed_by:
        parts.append(_line("disputed by", _who(party) + (f": {party.note}" if party.note else "")))
    conf = f"{claim.confidence_word} ({claim.confidence:g})"
    if claim.analytic_confidence:
        conf += f"; analytic confidence {claim.analytic_confidence}"
    parts.append(_line("confidence", conf))
    for item in claim.evidence:
        grade = f"reliability {item.reliability or '?'}"
        if item.credibility is not None:
            grade += f", credibility {item.credibility}"
        verdict = "weighs" if item.weighs else "does not weigh"
        text = f"{item.source} ({grade}; {verdict}: {item.why})"
        if item.quote:
            text += f" “{item.quote}”"
        parts.append(_line(item.stance.value, text))
    parts.append(_line("why", "; ".join(claim.reasons), STATUS_STYLE[claim.status]))
    for finding in claim.findings:
        style = "red" if finding.failing else "dim"
        parts.append(_line("finding", f"{finding.rule}: {finding.message}", style))
    parts.append(_line("file", f"{claim.path}:{claim.line}", "dim"))
    return Group(*parts)


def render_report(report: Report) -> Group:
    """The report for a terminal: totals, the contested and refuted claims in full, the rest as
    a table; every piece of claim text is a plain Text (never markup)."""
    totals = Table(title="claims by status", title_justify="left", pad_edge=False)
    totals.add_column("status")
    totals.add_column("claims", justify="right")
    for status in Status:
        totals.add_row(status_text(status), str(report.totals[status.value]))
    totals.add_row(Text("total", style="bold"), str(sum(report.totals.values())))
    parts: list[Any] = [totals]
    in_full = (Status.CONTESTED, Status.REFUTED)
    for claim in report.claims:
        if claim.status in in_full:
            parts += [Text(""), _claim_block(claim)]
    # By status, not `c not in detailed`: comparing every claim with every detailed one took
    # seconds at 10k claims.
    rest = [c for c in report.claims if c.status not in in_full]
    if rest:
        table = Table(
            pad_edge=False, expand=True, title="unsourced and sourced", title_justify="left"
        )
        table.add_column("id", overflow="fold", ratio=3)
        table.add_column("status", no_wrap=True)
        table.add_column("conf.", justify="right", no_wrap=True)
        table.add_column("asserted by", overflow="fold", ratio=2)
        table.add_column("statement", overflow="fold", ratio=5)
        table.add_column("file", overflow="fold", ratio=3)
        for claim in rest:
            table.add_row(
                Text(claim.id, style="bold red" if claim.failing else ""),
                status_text(claim.status),
                Text(f"{claim.confidence:.2f}"),
                Text(one_line(claim.asserted_by.name)),
                Text(one_line(claim.statement)),
                Text(one_line(f"{claim.path}:{claim.line}")),
            )
        parts += [Text(""), table]
    if report.problems:
        parts.append(
            Text(
                f"\n{plural(len(report.problems), 'problem')} in the claims folder "
                "(run `claimtrack validate`)",
                style="yellow",
            )
        )
    if report.policy.fail_on:
        failing = sum(f.failing for _, f in report.findings)
        verdict = (
            Text(f"policy failed: {failing} findings", style="bold red")
            if report.failed
            else Text("policy passed", style="bold green")
        )
        parts += [Text(""), Text("fail on: " + ", ".join(report.policy.fail_on)), verdict]
    parts.append(
        Text(
            f"\nclaimtrack {report.version} · {plural(report.files, 'file')} · "
            f"inputs sha256 {report.input_sha256}",
            style="dim",
        )
    )
    return Group(*parts)


def as_text(rendered: Any, width: int = 100) -> str:
    """A rich renderable as plain text (the terminal's format written to a file)."""
    import io

    from rich.console import Console

    buffer = io.StringIO()
    Console(file=buffer, width=width, no_color=True, color_system=None, highlight=False).print(
        rendered
    )
    return buffer.getvalue()
