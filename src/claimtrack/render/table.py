"""The terminal's list and report, written row by row (see :mod:`claimtrack.render.terminal`);
claim text is made visible first, and never read as markup."""

from __future__ import annotations

import itertools
import json
from collections.abc import Iterable, Iterator, Sequence
from typing import Any

from claimtrack.core.escape import one_line, visible
from claimtrack.core.numbers import readable
from claimtrack.core.query import Entry
from claimtrack.core.report import ClaimReport, Person, Report
from claimtrack.core.vocab import Status
from claimtrack.render.json import TextOf, records
from claimtrack.render.terminal import (
    SAMPLE,
    Column,
    Terminal,
    cells,
    header,
    labelled,
    layout,
    row,
    sample_width,
    wrap,
)

STATUS_STYLE: dict[Status, str] = {
    Status.CONTESTED: "bold yellow",
    Status.REFUTED: "bold red",
    Status.UNSOURCED: "magenta",
    Status.SOURCED: "green",
}


#: Statuses that can be *weak* (see :mod:`claimtrack.core.status`): their column has room
#: for the mark before any claim is read.
CAN_BE_WEAK = frozenset({Status.UNSOURCED})
WEAK = " (weak)"


def _rows(entries: Sequence[Entry], text_of: TextOf | None) -> Iterator[dict[str, Any]]:
    """Each entry's record as data, from its line of JSON (``text_of`` may take the one the
    index kept for ``list``: then no claim is built), each claim let go once read."""
    for text in records(entries, text_of):
        yield json.loads(text)


def render_list(
    entries: Sequence[Entry],
    text_of: TextOf | None = None,
    terminal: Terminal | None = None,
    explain: bool = False,
) -> Iterator[str]:
    """The list table, row by row; ``explain`` adds a column with the reasons for each status.

    The id and status columns are as wide as the longest id and status (known from the index);
    attribution and statement are sized from the first rows. At narrow widths the columns drop
    in this order: why, attribution, conf.; then each row stacks (id and status on a line, the
    statement below)."""
    terminal = terminal or Terminal()
    statuses = {e.status for e in entries}
    rows = _rows(entries, text_of)
    first = list(itertools.islice(rows, SAMPLE))
    columns = [
        Column("id", max((len(e.record.id) for e in entries), default=2), fixed=True),
        Column(
            "status",
            max((len(s.value) + len(WEAK) * (s in CAN_BE_WEAK) for s in statuses), default=6),
            fixed=True,
        ),
        Column("conf.", 5, fixed=True, drop=1, right=True),
        Column(
            "attribution",
            sample_width((one_line(r["attribution"]["name"]) for r in first), 30),
            drop=2,
            minimum=12,
        ),
        Column("statement", sample_width((r["statement"] for r in first), 80), minimum=30),
    ]
    if explain:
        columns.append(Column("why", 60, drop=3, minimum=30))
    shape = layout(columns, terminal.width)
    yield header(terminal, columns, shape)
    for data in itertools.chain(first, rows):
        status = Status(data["status"])
        values = [
            (visible(data["id"]), ""),
            (status.value + (WEAK if data["weak"] else ""), STATUS_STYLE[status]),
            (f"{data['confidence']:.2f}", ""),
            (one_line(data["attribution"]["name"]), ""),
            (one_line(data["statement"]), ""),
        ]
        if explain:
            values.append((one_line("; ".join(data["status_reasons"])), "dim"))
        yield row(terminal, columns, shape, values)


# --- the report --------------------------------------------------------------------------------


def _who(person: Person) -> str:
    extra = ", ".join(x for x in (person.role, person.kind) if x)
    return person.name + (f" ({extra})" if extra else "")


def _claim_block(terminal: Terminal, claim: ClaimReport) -> Iterator[str]:
    head = terminal.paint(claim.id, "bold") + "  "
    head += terminal.paint(claim.status.value, STATUS_STYLE[claim.status])
    if claim.failing:
        head += "  " + terminal.paint("FAILS POLICY", "bold red")
    yield head + "\n"

    def line(label: str, value: str, style: str = "", whole: bool = False) -> Iterator[str]:
        return labelled(terminal, label, visible(value), style, indent=2, pad=13, whole=whole)

    yield from line("statement", claim.statement)
    if claim.quote:
        yield from line("quote", f"“{claim.quote}”", "italic")
    asserted = _who(claim.asserted_by)
    if claim.via:
        asserted += ", via " + " › ".join(_who(p) for p in claim.via)
    yield from line("asserted by", asserted)
    for party in claim.disputed_by:
        yield from line("disputed by", _who(party) + (f": {party.note}" if party.note else ""))
    conf = f"{claim.confidence_word} ({claim.confidence:g})"
    if claim.analytic_confidence:
        conf += f"; analytic confidence {claim.analytic_confidence}"
    yield from line("confidence", conf)
    for item in claim.evidence:
        grade = f"reliability {item.reliability or '?'}"
        if item.credibility is not None:
            grade += f", credibility {item.credibility}"
        verdict = "weighs" if item.weighs else "does not weigh"
        text = f"{item.source} ({grade}; {verdict}: {item.why})"
        if item.url:
            text += f" <{item.url}>"
        if item.quote:
            text += f" “{item.quote}”"
        yield from line(item.stance.value, text)
    yield from line("why", "; ".join(claim.reasons), STATUS_STYLE[claim.status])
    for finding in claim.findings:
        style = "red" if finding.failing else "dim"
        yield from line("finding", f"{finding.rule}: {finding.message}", style)
    yield from line("file", one_line(f"{claim.path}:{claim.line}"), "dim", whole=True)


def _totals(terminal: Terminal, report: Report) -> Iterator[str]:
    counts = [(s.value, report.totals[s.value], STATUS_STYLE[s]) for s in Status]
    total = sum(report.totals.values())
    width = max(len(readable(total)), len("claims"))
    yield terminal.paint("claims by status", "bold") + "\n"
    for name, count, style in counts:
        yield f"  {terminal.paint(f'{name:<10}', style)}  {readable(count):>{width}}\n"
    yield f"  {terminal.paint('total     ', 'bold')}  {readable(total):>{width}}\n"


def render_report(report: Report, terminal: Terminal | None = None) -> Iterator[str]:
    """The report for a terminal, line by line: totals, the contested and refuted claims in
    full (wrapped values under their label), the rest as a table that never cuts an id, a
    status or a file path (columns drop: asserted by, then conf.; then rows stack)."""
    terminal = terminal or Terminal()
    yield from _totals(terminal, report)
    in_full = (Status.CONTESTED, Status.REFUTED)
    for claim in report.claims:
        if claim.status in in_full:
            yield "\n"
            yield from _claim_block(terminal, claim)
    # By status, not `c not in detailed`: comparing every claim with every detailed one took
    # seconds at 10k claims.
    rest = [c for c in report.claims if c.status not in in_full]
    if rest:
        columns = [
            Column("id", max(len(c.id) for c in rest), fixed=True),
            Column("status", max(len(c.status.value) for c in rest), fixed=True),
            Column("conf.", 5, fixed=True, drop=1, right=True),
            Column(
                "asserted by",
                sample_width((one_line(c.asserted_by.name) for c in rest), 30),
                drop=2,
                minimum=12,
            ),
            Column("statement", sample_width((c.statement for c in rest), 80), minimum=30),
            Column(
                "file",
                max(cells(one_line(f"{c.path}:{c.line}")) for c in rest),
                fixed=True,
                below=True,
            ),
        ]
        shape = layout(columns, terminal.width)
        yield "\n" + terminal.paint("unsourced and sourced", "bold") + "\n"
        yield header(terminal, columns, shape)
        for claim in rest:
            yield row(
                terminal,
                columns,
                shape,
                [
                    (claim.id, "bold red" if claim.failing else ""),
                    (claim.status.value, STATUS_STYLE[claim.status]),
                    (f"{claim.confidence:.2f}", ""),
                    (one_line(claim.asserted_by.name), ""),
                    (one_line(claim.statement), ""),
                    (one_line(f"{claim.path}:{claim.line}"), "dim"),
                ],
            )
    if report.problems:
        count = len(report.problems)
        noun = "problem" if count == 1 else "problems"
        yield "\n"
        yield from _say(
            terminal, f"{readable(count)} {noun} in the claims folder (run `claimtrack validate`)"
        )
    if report.policy.fail_on:
        failing = sum(f.failing for _, f in report.findings)
        yield "\n"
        yield from _say(terminal, "fail on: " + ", ".join(report.policy.fail_on))
        if report.failed:
            noun = "finding" if failing == 1 else "findings"
            yield terminal.paint(f"policy failed: {failing} {noun}", "bold red") + "\n"
        else:
            yield terminal.paint("policy passed", "bold green") + "\n"
    yield "\n"
    yield from _say(
        terminal,
        f"claimtrack {report.version} · {readable(report.files)} files · "
        f"inputs sha256 {report.input_sha256}",
        "dim",
    )


def _say(terminal: Terminal, text: str, style: str = "") -> Iterator[str]:
    """A sentence of ours, wrapped between words."""
    for line in wrap(terminal.fit(text), terminal.width):
        yield terminal.paint(line, style) + "\n"


def as_text(rendered: Iterable[str]) -> str:
    """The text format's lines as one text (written to a file)."""
    return "".join(rendered)
