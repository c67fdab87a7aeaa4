"""Write commands: init, add, edit, set, evidence add, dispute, source add/rm, rm, mv, fmt.

Each parses its options, calls ``claimtrack.edit`` (lock, round trip, validation, atomic write)
and tells the person what changed on stderr. A refused write prints the problems as
``PATH:LINE:COL`` lines, like ``validate``, and exits 1 with the file untouched.
"""

from __future__ import annotations

import contextlib
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any

import typer

from claimtrack.cli import complete, options
from claimtrack.cli.state import State, state_of
from claimtrack.core.vocab import AnalyticConfidence, AttributionKind, ClaimType, SourceKind, Stance

if TYPE_CHECKING:
    from claimtrack.core.problem import Problem
    from claimtrack.edit.claims import Change
    from claimtrack.edit.workspace import Workspace

evidence_app = typer.Typer(help="Add evidence to a claim.", no_args_is_help=True)
source_app = typer.Typer(
    help="Add, show, change, archive or remove sources in the registry.", no_args_is_help=True
)


def _workspace(state: State) -> Workspace:
    from claimtrack.edit.workspace import Workspace

    # --no-cache turns the index off; otherwise CLAIMTRACK_NO_CACHE decides, as on the read side.
    return Workspace(state.claims_dir(), cache=None if state.cache else False, notify=state.say)


def _show_problems(state: State, problems: list[Problem]) -> None:
    from claimtrack.core.problem import Level

    for problem in problems:
        state.say(problem.format(), style="red" if problem.level is Level.ERROR else "yellow")


@contextlib.contextmanager
def _refusals(state: State) -> Iterator[None]:
    """A refused write: its problems first, then the one-line error."""
    from claimtrack.edit.workspace import InvalidWrite

    try:
        yield
    except InvalidWrite as exc:
        _show_problems(state, exc.problems)
        raise


def _report(state: State, change: Change, verb: str, ws: Workspace | None = None) -> None:
    """What a change did, including a status that moved; warnings after."""
    from claimtrack.core.status import derive
    from claimtrack.io.files import display_path

    state.say(f"{verb} {display_path(change.path)}")
    if change.before is not None and change.after is not None:
        ws = ws or _workspace(state)  # the registry the change was checked against, read once
        sources = {sid: rec.source for sid, rec in ws.sources().items()}
        old = derive(change.before, sources).status
        new = derive(change.after, sources).status
        if old is not new:
            state.say(f"status: {old.value} → {new.value}", style="bold")
    _show_problems(state, change.warnings)


def _interactive(prompt: bool | None) -> bool:
    return sys.stdin.isatty() if prompt is None else prompt


def _text(value: str | None) -> str | None:
    """An option given as an empty string means 'not given'."""
    return value if value else None


def init(
    ctx: typer.Context,
    directory: Path = typer.Argument(
        Path("."), metavar="[DIR]", help="The project folder to create claims/ and schema/ in."
    ),
) -> None:
    """Start a project: claims/ with an empty sources.yaml and a README, schema/ beside it."""
    from claimtrack.edit.init import init_folder
    from claimtrack.io.files import display_path

    state = state_of(ctx)
    for path in init_folder(directory):
        state.say(f"created {display_path(path)}")


def add(
    ctx: typer.Context,
    statement: str | None = typer.Option(None, "--statement", help="The claim, in your words."),
    quote: str | None = typer.Option(None, "--quote", help="The exact words of the source text."),
    source: str | None = typer.Option(
        None, "--source", help="The source id of the text the claim appears in (appears_in)."
    ),
    attributed_to: str | None = typer.Option(
        None, "--attributed-to", help="Who asserts it (attribution.name)."
    ),
    role: str | None = typer.Option(None, "--role", help="The speaker's role."),
    kind: AttributionKind | None = typer.Option(None, "--kind", help="The speaker's kind."),
    confidence: str | None = typer.Option(
        None, "--confidence", help="Likelihood: a number in [0, 1] or an ICD 203 word."
    ),
    analytic_confidence: AnalyticConfidence | None = typer.Option(
        None, "--analytic-confidence", help="How solid the basis is."
    ),
    claim_type: ClaimType | None = typer.Option(None, "--type", help="The claim type."),
    tag: list[str] | None = typer.Option(None, "--tag", help="A tag (repeatable or a,b,c)."),
    date: str | None = typer.Option(None, "--date", help="When it happened or was said."),
    notes: str | None = typer.Option(None, "--notes", help="Free text."),
    claim_id: str | None = typer.Option(
        None, "--id", help="The id [default: a slug of the statement, made unique]."
    ),
    prompt: bool | None = typer.Option(
        None, "--prompt/--no-prompt", help="Ask for missing fields [default: on a terminal]."
    ),
) -> None:
    """Create a claim file from options, asking for the missing required fields on a terminal.

    The id is derived from the statement; the file carries the schema modeline and is validated
    before it is written.
    """
    from pydantic import ValidationError

    from claimtrack.core.errors import UsageError
    from claimtrack.core.model import Claim
    from claimtrack.core.wording import first_error
    from claimtrack.edit.answers import QUESTIONS, check_answer, draft_text
    from claimtrack.edit.claims import create_claim
    from claimtrack.edit.slugs import slugify, unique_slug

    state = state_of(ctx)
    ws = _workspace(state)
    asked = _interactive(prompt)
    given: dict[str, str | None] = {
        "statement": _text(statement),
        "source": _text(source),
        "attributed_to": _text(attributed_to),
        "kind": kind.value if kind else None,
        "confidence": _text(confidence),
    }
    missing = [name for name, value in given.items() if value is None]
    if missing and not asked:
        raise UsageError(
            "missing " + ", ".join(QUESTIONS[m].flag for m in missing) + " (or run on a "
            "terminal, or with --prompt, to be asked)"
        )
    known = set(ws.sources())
    values: dict[str, Any] = {}

    def draft() -> dict[str, Any]:
        return {
            "id": claim_id or slugify(values.get("statement") or "") or None,
            "statement": values.get("statement"),
            "quote": _text(quote),
            "appears_in": values.get("source"),
            "attribution": {
                "name": values.get("attributed_to"),
                "role": _text(role),
                "kind": values.get("kind"),
            },
            "confidence": values.get("confidence"),
            "analytic_confidence": analytic_confidence.value if analytic_confidence else None,
            "type": claim_type.value if claim_type else None,
            "tags": [t.strip() for value in tag or [] for t in value.split(",") if t.strip()],
            "notes": _text(notes),
            "date": _text(date),
        }

    try:
        for name, question in QUESTIONS.items():
            raw = given[name]
            while True:
                if raw is None:
                    raw = _ask(question.prompt)
                try:
                    values[name] = check_answer(name, raw, known)
                    break
                except UsageError as exc:
                    if not asked:
                        raise UsageError(f"{question.flag}: {exc}") from None
                    state.say(f"error: {exc}; try again", style="red")
                    raw = None
    except typer.Abort as exc:  # end of input or ^C at a prompt: keep what was answered
        _keep_draft(state, draft_text(draft()))
        raise exc
    data = draft()
    data["id"] = claim_id or unique_slug(slugify(values["statement"]), ws.taken())
    clean = {k: v for k, v in data.items() if v is not None}
    try:
        claim = Claim.model_validate(clean)
    except ValidationError as exc:
        _keep_draft(state, draft_text(data))
        raise UsageError(first_error(exc.errors(include_url=False))) from None
    with _refusals(state):
        try:
            change = create_claim(ws, claim)
        except Exception:
            _keep_draft(state, draft_text(data))
            raise
    _report(state, change, "created", ws)
    sys.stdout.write(claim.id + "\n")


def _ask(question: str) -> str:
    """One answer: the question on stderr, the answer from stdin (click's prompt writes to
    stdout, where only the new claim's id belongs); end of input is :class:`typer.Abort`."""
    sys.stderr.write(f"{question}: ")
    sys.stderr.flush()
    try:
        line = sys.stdin.readline()
    except KeyboardInterrupt:
        sys.stderr.write("\n")
        raise typer.Abort() from None
    if not line:
        sys.stderr.write("\n")
        raise typer.Abort()
    return line.rstrip("\n")


def _keep_draft(state: State, text: str) -> None:
    """What ``add`` would have written, on stdout, when it writes nothing."""
    state.say("the claim as far as it went is on stdout: save it, fix it, and add it again")
    sys.stdout.write(text)
    sys.stdout.flush()


def edit(
    ctx: typer.Context,
    claim_id: str = options.CLAIM_ID,
) -> None:
    """Open a claim in $VISUAL or $EDITOR; the saved text is validated before it replaces the file.

    Invalid text is never written: the errors are shown and you are offered to re-open it; if
    you stop, your text stays in a recovery file (its path is printed) and the claim is unchanged.
    """
    from claimtrack.core.errors import DataError
    from claimtrack.edit.editor import editor_command, recovery_path, run_editor
    from claimtrack.edit.lock import locked
    from claimtrack.io.files import display_path

    state = state_of(ctx)
    ws = _workspace(state)
    command = editor_command()
    path = ws.claim_path(claim_id)
    original = ws.read(path)
    recovery = recovery_path(path)
    draft = original
    if recovery.exists():
        kept = recovery.read_text(encoding="utf-8")
        if kept != original and typer.confirm(
            f"an unfinished edit is kept in {display_path(recovery)}; continue from it?",
            default=True,
            err=True,
        ):
            draft = kept
    while True:
        recovery.write_text(draft, encoding="utf-8")
        run_editor(command, recovery)
        draft = recovery.read_text(encoding="utf-8")
        if draft == original:
            recovery.unlink()
            state.say(f"no changes; {display_path(path)} left as it was")
            return
        problems = ws.check_claim(path, draft, None)
        from claimtrack.core.problem import has_errors

        if not has_errors(problems):
            break
        _show_problems(state, _relocated(problems, path, recovery))
        if not _ask_again():
            raise DataError(
                f"not saved: {display_path(path)} is unchanged; your edit is kept in "
                f"{display_path(recovery)} (run `claimtrack edit {claim_id}` to continue)"
            )
    from claimtrack.core.errors import EnvironmentProblem

    try:
        with locked(ws.root, ws.notify):
            if ws.read(path) != original:
                raise DataError(
                    f"{display_path(path)} changed while you were editing; not saved. Your edit "
                    f"is kept in {display_path(recovery)}"
                )
            warnings = ws.commit(path, draft, problems)
    except EnvironmentProblem as exc:  # a lock not had, a write refused: the edit is not lost
        raise EnvironmentProblem(
            f"{exc}; not saved: your edit is kept in {display_path(recovery)}"
        ) from None
    recovery.unlink()
    from claimtrack.edit.claims import Change, _claim_of

    _report(state, Change(path, _claim_of(original), _claim_of(draft), warnings), "saved", ws)


def _relocated(problems: list[Problem], path: Path, recovery: Path) -> list[Problem]:
    """Problems about the draft point at the recovery file, where the lines are."""
    from dataclasses import replace

    from claimtrack.io.files import display_path

    shown = display_path(path)
    return [replace(p, path=display_path(recovery)) if p.path == shown else p for p in problems]


def _ask_again() -> bool:
    try:
        return typer.confirm(
            "the claim does not validate; re-open the editor?", default=True, err=True
        )
    except (typer.Abort, EOFError):
        return False


def set_value(
    ctx: typer.Context,
    claim_id: str = options.CLAIM_ID,
    changes: list[str] = typer.Argument(
        ...,
        metavar="FIELD VALUE [FIELD VALUE ...]",
        help="Fields and their new values: status, confidence, analytic_confidence, tags (a "
        "comma list), statement, quote, prefix, suffix, type, notes, date, appears_in, "
        "attribution.name|role|kind, quantity.value|unit|approx|bound|as_of|period|measure.",
        show_default=False,
    ),
    unset: bool = typer.Option(
        False, "--unset", help="Remove the named fields instead (then give only FIELDs)."
    ),
) -> None:
    """Change fields of a claim in one validated, atomic write; the rest of the file (comments,
    key order, quoting) stays as it was.

    Several fields change together, so a new quantity's value and unit arrive at once. A
    written status that agreed with the evidence moves with it, as with `evidence add`.
    """
    from claimtrack.edit.claims import update_claim
    from claimtrack.edit.fields import parse_changes, set_fields

    state = state_of(ctx)
    parsed = parse_changes(changes, unset)
    ws = _workspace(state)
    with _refusals(state):
        change = update_claim(ws, claim_id, set_fields(parsed), keep_status=True)
    _report(state, change, "updated", ws)


def evidence_add(
    ctx: typer.Context,
    claim_id: str = options.CLAIM_ID,
    source: str = typer.Option(..., "--source", help="The source id (from the registry)."),
    stance: Stance = typer.Option(..., "--stance", help="What the evidence does to the claim."),
    quote: str | None = typer.Option(None, "--quote", help="Words from that source."),
    credibility: int | None = typer.Option(
        None, "--credibility", min=1, max=6, help="Admiralty 1-6 (1 confirmed … 6 cannot judge)."
    ),
    note: str | None = typer.Option(None, "--note", help="Free text."),
) -> None:
    """Append an evidence item to a claim (and say when its status moves)."""
    from claimtrack.edit.claims import update_claim
    from claimtrack.edit.fields import append_item

    state = state_of(ctx)
    ws = _workspace(state)
    item = {
        "source": source,
        "stance": stance.value,
        "credibility": credibility,
        "quote": _text(quote),
        "note": _text(note),
    }
    with _refusals(state):
        change = update_claim(ws, claim_id, append_item("evidence", item), keep_status=True)
    _report(state, change, "updated", ws)


def dispute(
    ctx: typer.Context,
    claim_id: str = options.CLAIM_ID,
    by: str = typer.Option(..., "--by", help="Who disputes it."),
    source: str | None = typer.Option(None, "--source", help="Where they dispute it (source id)."),
    kind: AttributionKind | None = typer.Option(None, "--kind", help="What kind of party."),
    note: str | None = typer.Option(None, "--note", help="Free text."),
) -> None:
    """Record that a party disputes a claim (disputed_by); the claim becomes contested."""
    from claimtrack.edit.claims import update_claim
    from claimtrack.edit.fields import append_item

    state = state_of(ctx)
    ws = _workspace(state)
    party = {
        "name": by,
        "kind": kind.value if kind else None,
        "source": _text(source),
        "note": _text(note),
    }
    with _refusals(state):
        change = update_claim(ws, claim_id, append_item("disputed_by", party), keep_status=True)
    _report(state, change, "updated", ws)


def source_add(
    ctx: typer.Context,
    title: str = typer.Option(..., "--title", help="The source's title."),
    source_id: str | None = typer.Option(
        None, "--id", help="The id [default: a slug of the title, made unique]."
    ),
    publisher: str | None = typer.Option(None, "--publisher", help="Who published it."),
    url: str | None = typer.Option(None, "--url", help="An http(s) URL."),
    date: str | None = typer.Option(None, "--date", help="Publication date."),
    retrieved: str | None = typer.Option(None, "--retrieved", help="When it was retrieved."),
    kind: SourceKind = typer.Option(SourceKind.OTHER, "--kind", help="What kind of source."),
    reliability: str | None = typer.Option(
        None, "--reliability", help="Admiralty A-F (A completely reliable … F cannot be judged)."
    ),
    author: str | None = typer.Option(None, "--author", help="Who wrote it."),
    derived_from: list[str] | None = typer.Option(
        None, "--derived-from", help="A source id it repeats (repeatable)."
    ),
    notes: str | None = typer.Option(None, "--notes", help="Free text."),
) -> None:
    """Add a source to claims/sources.yaml (created if missing), keeping the file's comments."""
    from pydantic import ValidationError

    from claimtrack.core.errors import UsageError
    from claimtrack.core.escape import one_line
    from claimtrack.core.model import Source
    from claimtrack.edit.slugs import slugify, unique_slug
    from claimtrack.edit.sources import add_source
    from claimtrack.io.files import display_path

    state = state_of(ctx)
    ws = _workspace(state)
    data = {
        "id": source_id or unique_slug(slugify(title), set(ws.sources())),
        "title": title,
        "publisher": _text(publisher),
        "url": _text(url),
        "date": _text(date),
        "retrieved": _text(retrieved),
        "kind": kind.value,
        "reliability": reliability.upper() if reliability else None,
        "author": _text(author),
        "derived_from": [d for value in derived_from or [] for d in value.split(",") if d],
        "notes": _text(notes),
    }
    try:
        source = Source.model_validate({k: v for k, v in data.items() if v not in (None, [])})
    except ValidationError as exc:
        first = exc.errors(include_url=False)[0]
        where = ".".join(str(p) for p in first["loc"])
        raise UsageError(f"{where}: {one_line(str(first['msg']))}") from None
    with _refusals(state):
        path = add_source(ws, source)
    state.say(f"added source {source.id} to {display_path(path)}")
    sys.stdout.write(source.id + "\n")


def source_rm(
    ctx: typer.Context,
    source_id: str = options.SOURCE_ID,
    force: bool = typer.Option(False, "--force", help="Remove it even while claims cite it."),
) -> None:
    """Remove a source; refused while a claim or another source cites it, unless --force."""
    from claimtrack.edit.sources import remove_source
    from claimtrack.io.files import display_path

    state = state_of(ctx)
    with _refusals(state):
        path, cited = remove_source(_workspace(state), source_id, force)
    state.say(f"removed source {source_id} from {display_path(path)}")
    if cited:
        state.say(f"still cited by: {', '.join(cited)}", style="yellow")


def rm(
    ctx: typer.Context,
    claim_id: str = options.CLAIM_ID,
    yes: bool = typer.Option(False, "--yes", "-y", help="Do not ask for confirmation."),
    force: bool = typer.Option(
        False, "--force", help="Remove it even while other claims mention it in their notes."
    ),
) -> None:
    """Delete a claim file (asks first). Refused while another claim mentions its id in a note."""
    from claimtrack.core.errors import UsageError
    from claimtrack.core.escape import one_line
    from claimtrack.edit.claims import remove_claim
    from claimtrack.io.files import display_path

    state = state_of(ctx)
    ws = _workspace(state)
    path = ws.claim_path(claim_id)
    if not yes:
        try:
            sure = typer.confirm(f"remove {one_line(display_path(path))}?", default=False, err=True)
        except typer.Abort:
            sure = False
        if not sure:
            raise UsageError("not removed (pass --yes to skip the question)")
    path, mentions = remove_claim(ws, claim_id, force)
    state.say(f"removed {display_path(path)}")
    if mentions:
        names = ", ".join(r.claim.id for r in mentions)
        state.say(f"still mentioned by: {names}", style="yellow")


def mv(
    ctx: typer.Context,
    old: str = typer.Argument(
        ..., metavar="OLD", help="The claim's id.", autocompletion=complete.claim_ids
    ),
    new: str = typer.Argument(..., metavar="NEW", help="Its new id (a slug)."),
) -> None:
    """Rename a claim: its id, its file, and every other claim's note that mentions it."""
    from claimtrack.edit.claims import rename_claim
    from claimtrack.io.files import display_path

    state = state_of(ctx)
    with _refusals(state):
        target, others = rename_claim(_workspace(state), old, new)
    state.say(f"renamed {old} to {new}: {display_path(target)}")
    for other in others:
        state.say(f"updated the mention in {display_path(other)}")


def fmt(
    ctx: typer.Context,
    check: bool = typer.Option(
        False, "--check", help="Change nothing; list the files that would change and exit 1."
    ),
) -> None:
    """Rewrite claim and source files into the canonical layout, keeping comments and data.

    Canonical: keys in the format's order, two-space indents, list dashes at their key's
    indent, block style, the schema modeline first.
    """
    from claimtrack.core.escape import one_line
    from claimtrack.edit.format import format_folder
    from claimtrack.io.files import display_path

    state = state_of(ctx)
    result = format_folder(_workspace(state), check)
    _show_problems(state, result.skipped)
    for path in result.changed:
        if check:
            sys.stdout.write(one_line(display_path(path)) + "\n")
        else:
            state.say(f"reformatted {display_path(path)}")
    if check and result.changed:
        state.say(f"{len(result.changed)} file(s) would be reformatted")
    if (check and result.changed) or result.skipped:
        raise typer.Exit(1)
