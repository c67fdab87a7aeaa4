"""GitHub workflow commands: at most 10 error and 10 warning annotations, then one notice.

GitHub shows only 10 annotations of each level per step, so claimtrack picks them itself
(report order: contested first) and ends with a notice that counts everything and points at
the job summary. Notes (findings of rules that are neither failing nor warnings) are counted
in the notice only. Every message and property is escaped, so claim text cannot start a
command of its own.
"""

from __future__ import annotations

from claimtrack.core.escape import workflow_data, workflow_property
from claimtrack.core.report import Report
from claimtrack.core.wording import plural

#: GitHub's per-step limit for each of the error and warning levels.
MAX_PER_LEVEL = 10


def _command(level: str, path: str, line: int, title: str, message: str) -> str:
    props = f"file={workflow_property(path)},line={max(line, 1)},title={workflow_property(title)}"
    return f"::{level} {props}::{workflow_data(message)}\n"


def render_report(report: Report, summary: bool = False) -> str:
    """The annotations and the closing notice; ``summary`` says the same run writes the job
    summary, which the notice then points at (it never points at a summary not written)."""
    candidates: list[tuple[str, str, int, str, str]] = []
    for claim, finding in report.findings:
        level = finding.level.value
        candidates.append(
            (
                level,
                claim.path,
                claim.line,
                f"claimtrack {finding.rule}",
                f"{claim.id}: {finding.message}{claim.evidence_note()}",
            )
        )
    for p in report.problems:
        candidates.append((p.level, p.path, p.line, f"claimtrack validate {p.rule}", p.message))
    out = []
    counts = {"error": 0, "warning": 0, "note": 0}
    for level, path, line, title, message in candidates:
        counts[level] = counts.get(level, 0) + 1
        if level in ("error", "warning") and counts[level] <= MAX_PER_LEVEL:
            out.append(_command(level, path, line, title, message))
    totals = ", ".join(f"{count} {status}" for status, count in report.totals.items())
    hidden = sum(max(counts[level] - MAX_PER_LEVEL, 0) for level in ("error", "warning"))
    verdict = "policy failed" if report.failed else "policy passed"
    summary_text = (
        f"{totals}; {plural(counts['error'], 'error')}, {plural(counts['warning'], 'warning')}, "
        f"{plural(counts['note'], 'note')} "
        f"({hidden} not annotated); {verdict}."
    )
    if summary:
        summary_text += " See the job summary for the full report."
    title = workflow_property("claimtrack report")
    out.append(f"::notice title={title}::{workflow_data(summary_text)}\n")
    return "".join(out)
