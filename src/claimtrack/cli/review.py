"""`claimtrack review`: drafts one by one in the terminal, or decided by id for scripts."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

import typer

from claimtrack.cli.state import State, state_of

if TYPE_CHECKING:
    from claimtrack.edit.review import Item
    from claimtrack.edit.review import State as ReviewState
    from claimtrack.edit.workspace import Workspace

_CHOICES = {
    "a": "accept",
    "e": "edit",
    "s": "split",
    "k": "skip",
    "r": "reject",
    "q": "quit",
}


def review(
    ctx: typer.Context,
    drafts: Path | None = typer.Argument(
        None,
        metavar="[DRAFTS]",
        help="A drafts file or folder (what `extract` prints or writes) [default: the claims "
        "folder's claims tagged draft].",
    ),
    accept: list[str] = typer.Option(
        [], "--accept", metavar="ID", help="Accept this draft without asking (repeatable)."
    ),
    reject: list[str] = typer.Option(
        [], "--reject", metavar="ID", help="Reject this draft without asking (repeatable)."
    ),
    list_only: bool = typer.Option(False, "--list", help="List the drafts still to review."),
    restart: bool = typer.Option(
        False, "--restart", help="Forget where the last review stopped and begin again."
    ),
) -> None:
    """Review drafts one by one: accept, edit, split, skip or reject each.

    Each draft is shown in its paragraph (from the source's archived text). Accepting writes the
    claim, validated first, without its draft tag; a review that stops resumes with the next
    undecided draft. `--accept ID` and `--reject ID` decide without asking.
    """
    from claimtrack.cli.write import _refusals, _workspace
    from claimtrack.core.errors import UsageError
    from claimtrack.edit import review as lib

    state = state_of(ctx)
    ws = _workspace(state)
    saved = lib.load_state(ws.root, drafts)
    if restart:
        saved.forget()
    items, problems = lib.queue(ws, drafts)
    for problem in problems:
        state.say(problem.format(), style="red")
    todo = lib.pending(items, saved)
    if list_only:
        from claimtrack.core.escape import one_line

        state.lines([(f"{item.key}\t{one_line(item.claim.statement)}", "") for item in todo])
        return
    both = set(accept) & set(reject)
    if both:
        raise UsageError(f"both accepted and rejected: {', '.join(sorted(both))}")
    if accept or reject:
        decisions = {i: "accept" for i in accept} | {i: "reject" for i in reject}
        with _refusals(state):
            done = lib.decide_all(ws, decisions, todo, saved)
        for draft_id, action, _ in done:
            state.say(f"{action}ed {draft_id}")
        return
    if not todo:
        state.say("no drafts to review")
        return
    _walk(state, ws, todo, saved)


def _walk(state: State, ws: Workspace, todo: list[Item], saved: ReviewState) -> None:
    from claimtrack.cli.write import _show_problems
    from claimtrack.core.errors import DataError, UsageError
    from claimtrack.edit import review as lib
    from claimtrack.edit.workspace import InvalidWrite

    queue = list(todo)
    counts = dict.fromkeys(("accepted", "rejected", "skipped", "split", "edited"), 0)
    position = 0
    while position < len(queue):
        item = queue[position]
        _show(state, ws, item, position + 1, len(queue))
        choice = _ask()
        if choice == "quit":
            break
        try:
            if choice == "accept":
                lib.accept(ws, item, saved)
                counts["accepted"] += 1
                state.say(f"accepted {item.key}", style="green")
            elif choice == "reject":
                lib.reject(ws, item, saved)
                counts["rejected"] += 1
                state.say(f"rejected {item.key}")
            elif choice == "skip":
                lib.skip(item, saved)
                counts["skipped"] += 1
            elif choice == "edit":
                edited = _edit(state, ws, item, saved)
                if edited is not None:
                    queue[position] = edited
                    counts["edited"] += 1
                continue  # shown again, to be decided
            elif choice == "split":
                parts = _ask_parts(item)
                if not parts:
                    continue
                made = lib.split(ws, item, parts, saved)
                queue[position : position + 1] = made
                counts["split"] += 1
                state.say(f"split {item.key} into {', '.join(m.key for m in made)}")
                continue
        except InvalidWrite as refused:
            _show_problems(state, refused.problems)
            state.say(f"not written: {refused}; edit it (e) or skip it (k)", style="red")
            continue
        except (UsageError, DataError) as refused:  # an id taken meanwhile, a bad split
            state.say(f"error: {refused}; edit it (e) or skip it (k)", style="red")
            continue
        position += 1
    left = len(queue) - position
    summary = ", ".join(f"{n} {what}" for what, n in counts.items() if n)
    state.say(f"{summary or 'nothing decided'}; {left} left to review")


def _show(state: State, ws: Workspace, item: Item, number: int, total: int) -> None:
    from claimtrack.core.escape import visible
    from claimtrack.edit import review as lib

    claim = item.claim
    lines: list[tuple[str, str]] = [(f"── draft {number} of {total}: {visible(claim.id)}", "bold")]
    found = lib.context(ws, claim)
    if found is None:
        lines.append((f"  {visible(claim.quote or claim.statement)}", ""))
    elif state.plain():
        before, quote, after = (visible(part) for part in found)
        lines.append((f"  {before}»{quote}«{after}", ""))
    else:
        from rich.text import Text

        text = Text("  ")
        before, quote, after = (visible(part) for part in found)
        text.append(before, style="dim")
        text.append(quote, style="bold")
        text.append(after, style="dim")
        state.lines(lines)
        state.console().print(text, soft_wrap=True)
        lines = []
    attribution = claim.attribution
    who = attribution.name + (f" ({attribution.role})" if attribution.role else "")
    lines.append((f"  by: {visible(who)} [{attribution.kind.value}]", ""))
    lines.append(
        (
            f"  type: {claim.type.value if claim.type else '-'}; confidence: "
            f"{claim.confidence.word}",
            "",
        )
    )
    if claim.quantity is not None:
        q = claim.quantity
        bound = f", {q.bound} bound" if q.bound else ""
        lines.append((f"  quantity: {q.value:g} {visible(q.unit)}{bound}", ""))
    for party in claim.disputed_by:
        lines.append((f"  disputed by: {visible(party.name)}: {visible(party.note or '')}", ""))
    state.lines(lines)


def _ask() -> str:
    """One of the choices, asked again until the answer is one."""
    while True:
        try:
            answer = str(typer.prompt("[a]ccept, [e]dit, [s]plit, s[k]ip, [r]eject, [q]uit"))
        except (typer.Abort, EOFError):
            return "quit"
        answer = answer.strip().lower()
        if answer in _CHOICES:
            return _CHOICES[answer]
        if answer in _CHOICES.values():
            return answer
        typer.echo(f"not a choice: {answer!r}", err=True)


def _ask_parts(item: Item) -> list[str]:
    from claimtrack.core.errors import UsageError
    from claimtrack.edit import review as lib

    quote = item.claim.quote or item.claim.statement
    suggested = lib.suggested_parts(quote)
    if len(suggested) >= 2:
        for number, part in enumerate(suggested, 1):
            typer.echo(f"  part {number}: {part}")
    try:
        phrase = typer.prompt(
            "the words the second part starts with (Enter: as suggested)"
            if len(suggested) >= 2
            else "the words the second part starts with",
            default="" if len(suggested) >= 2 else None,
            show_default=False,
        )
    except (typer.Abort, EOFError):
        return []
    if not phrase.strip():
        return suggested if len(suggested) >= 2 else []
    try:
        return lib.parts_at(quote, phrase.strip())
    except UsageError as exc:
        typer.echo(f"error: {exc}", err=True)
        return []


def _edit(state: State, ws: Workspace, item: Item, saved: ReviewState) -> Item | None:
    """The draft edited in $EDITOR until it validates (or the person gives up)."""
    from claimtrack.cli.write import _ask_again, _relocated, _show_problems
    from claimtrack.core.problem import has_errors
    from claimtrack.edit import review as lib
    from claimtrack.edit.editor import editor_command, run_editor
    from claimtrack.edit.workspace import InvalidWrite
    from claimtrack.io.files import display_path

    command = editor_command()
    scratch = saved.path.with_name(f"{saved.path.stem}-{item.key}.yaml")
    scratch.parent.mkdir(parents=True, exist_ok=True)
    text = item.text
    target = item.path or ws.root / f"{item.key}.yaml"
    while True:
        scratch.write_text(text, encoding="utf-8")
        run_editor(command, scratch)
        text = scratch.read_text(encoding="utf-8")
        if text == item.text:
            scratch.unlink()
            state.say("no changes")
            return None
        problems = lib.check_edit(ws, item, text)
        if not has_errors(problems):
            break
        _show_problems(state, _relocated(problems, target, scratch))
        if not _ask_again():
            state.say(f"not saved; your edit is kept in {display_path(scratch)}")
            return None
    try:
        edited = lib.save_edit(ws, item, text, saved)
    except InvalidWrite as refused:
        _show_problems(state, refused.problems)
        return None
    scratch.unlink()
    state.say(f"saved {item.key}")
    return edited
