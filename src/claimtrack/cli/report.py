"""The CI commands: report (every format, policies, baseline, step summary) and rules."""

from __future__ import annotations

import os
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any

import typer

from claimtrack.cli.options import split as _split
from claimtrack.cli.state import emit, state_of
from claimtrack.render import ReportFormat, RulesFormat

if TYPE_CHECKING:
    from claimtrack.cli.state import State
    from claimtrack.core.report import Report


def _pick_format(given: ReportFormat | None, configured: Any, output: Path | None) -> ReportFormat:
    """--format, else the configured format, else the output file's suffix, else text on a
    terminal and md when piped."""
    from claimtrack.core.errors import UsageError

    if given is not None:
        return given
    if configured is not None:
        try:
            return ReportFormat(configured)
        except ValueError:
            choices = ", ".join(f.value for f in ReportFormat)
            raise UsageError(f"configured format {configured!r} is not one of: {choices}") from None
    if output is not None:
        from claimtrack.render import report_format_for

        return report_format_for(str(output))
    return ReportFormat.TEXT if sys.stdout.isatty() else ReportFormat.MD


def _write_output(state: State, output: Path, text: str | bytes) -> None:
    from claimtrack.core.errors import EnvironmentProblem, UsageError
    from claimtrack.io.atomic import write_output

    target = output.resolve()
    if target.is_relative_to(state.claims_dir().resolve()):
        raise UsageError(
            f"{output}: report would be written into the claims folder; choose another place"
        )
    if target.is_dir():
        raise UsageError(f"{output} is a folder; give a file name")
    if not target.parent.is_dir():
        raise EnvironmentProblem(f"{output}: folder {output.parent} does not exist")
    write_output(output, text)


def _append_summary(state: State, report: Report, markdown: str | None) -> None:
    from claimtrack.render.markdown import step_summary

    path = os.environ.get("GITHUB_STEP_SUMMARY")
    if not path:
        state.say("note: --summary given but GITHUB_STEP_SUMMARY is not set; no summary written")
        return
    try:
        with open(path, "a", encoding="utf-8") as handle:
            handle.write(step_summary(report, markdown))
    except OSError as exc:
        from claimtrack.core.errors import EnvironmentProblem

        raise EnvironmentProblem(
            f"cannot append to GITHUB_STEP_SUMMARY {path}: {exc.strerror or exc}"
        ) from None


def report(
    ctx: typer.Context,
    fmt: ReportFormat | None = typer.Option(
        None,
        "--format",
        "-f",
        help="text (default on a terminal), md (default when piped), json, html, junit, sarif, "
        "github.",
    ),
    output: Path | None = typer.Option(
        None,
        "--output",
        "-o",
        help="Write the report to this file (atomically, once complete) instead of stdout; "
        "its suffix picks the format when --format is not given.",
    ),
    fail_on: list[str] | None = typer.Option(
        None,
        "--fail-on",
        help="Exit 1 when any claim matches one of these rules (repeatable or comma-separated; "
        "see `claimtrack rules`).",
    ),
    baseline: Path | None = typer.Option(
        None,
        "--baseline",
        help="A previous JSON report: only findings new since it fail.",
    ),
    summary: bool | None = typer.Option(
        None,
        "--summary/--no-summary",
        help="Append the Markdown report to $GITHUB_STEP_SUMMARY.",
    ),
    max_age_days: int | None = typer.Option(
        None, "--max-age-days", min=0, help="The stale-as-of rule's limit [default: 365]."
    ),
    link_base: str | None = typer.Option(
        None,
        "--link-base",
        help="URL prefix for file links, e.g. https://github.com/OWNER/REPO/blob/SHA/",
    ),
) -> None:
    """The contested-claims report: totals, contested claims first, policy findings.

    Exit 0 when the policy passes, 1 when a --fail-on rule matches a claim (new since the
    baseline, if given) or a file has errors, 2 on a usage error.
    """
    from claimtrack.api import read_baseline, render_report
    from claimtrack.core.report import check_link_base
    from claimtrack.io.config import find_config
    from claimtrack.rules.report import policy_rules

    state = state_of(ctx)
    config = find_config(state.claims_dir())
    chosen = _pick_format(fmt, config.get("format"), output)
    rules = policy_rules(_split(fail_on) if fail_on else _split(config.get("fail-on", [])))
    baseline_path = baseline or (Path(config.get("baseline")) if config.get("baseline") else None)
    base = link_base if link_base is not None else config.get("link-base")
    wants_summary = summary if summary is not None else config.get("summary", False)
    age = max_age_days if max_age_days is not None else config.get("max-age-days")
    known = read_baseline(baseline_path) if baseline_path is not None else None
    url = check_link_base(base) if base else None
    dataset = state.load()
    from claimtrack.render.terminal import Terminal

    # A file gets the text format at a fixed width without colour; a terminal, its own.
    screen = Terminal(width=100) if output is not None else state.terminal()
    # A step summary is made from the report itself (it may be cut down), so never reused.
    done = render_report(
        dataset,
        chosen,
        fail_on=rules,
        baseline=known,
        max_age_days=age,
        link_base=url,
        reuse=not wants_summary,
        terminal=screen,
        # The github format's notice points at the summary only when one is written.
        summary=bool(wants_summary and os.environ.get("GITHUB_STEP_SUMMARY")),
    )
    rendered = done.rendered
    # Messages before the output: on stderr they would land in the middle of the pager's screen.
    errors = state.report_load_errors(dataset)
    if done.failed:
        where = f"; the report is in {output}" if output is not None else ""
        state.say(
            f"policy failed: {done.failing} finding{'s' if done.failing != 1 else ''} of "
            f"{', '.join(rules)}{where}",
            style="red",
        )
    if output is not None:
        from claimtrack.render.table import as_text

        body = rendered if isinstance(rendered, str | bytes) else as_text(rendered)
        _write_output(state, output, body)
    elif chosen is ReportFormat.GITHUB:
        from claimtrack.io.streams import write_commands

        write_commands(sys.stdout, done.text())  # the annotations are meant to be obeyed
    else:
        state.page()
        emit(state, rendered)
    if wants_summary and done.report is not None:
        markdown = rendered if chosen is ReportFormat.MD and isinstance(rendered, str) else None
        _append_summary(state, done.report, markdown)
    raise typer.Exit(1 if errors or done.failed else 0)


def rules(
    fmt: RulesFormat = typer.Option(RulesFormat.TEXT, "--format", "-f", help="Output format."),
) -> None:
    """List the policy rules that `report --fail-on` accepts, with what each one checks."""
    from claimtrack.render import renderer
    from claimtrack.rules.policy import POLICY_RULES

    sys.stdout.write(renderer("rules", fmt)(POLICY_RULES.values()))
