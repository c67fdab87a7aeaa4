"""Reviewing drafts: accept, edit, split, skip or reject each, and resume where a review stopped.

Drafts come from the claims folder (claims tagged ``draft``, as ``extract --into`` leaves them
inside it) or from a drafts file or folder outside it (what ``extract`` prints or writes).

- *accept* writes the claim without its ``draft`` tag and without the extractor's note, checked
  like every write: a draft in the folder is changed in place, one from a drafts file becomes a
  new claim file. A claim that does not validate is not written.
- *edit* replaces the draft's text with one that validates (a draft in the folder is saved in
  place; one from a drafts file is kept in the review's state until it is accepted).
- *split* turns a draft into one draft per part of its quote (each part verbatim).
- *skip* leaves it for later; *reject* deletes a draft in the folder, or drops one from a file.

What was decided is kept in a state file outside the claims folder (``state_path``), so a
review that stops resumes with the next undecided draft.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from claimtrack.core import anchor
from claimtrack.core.errors import DataError, EnvironmentProblem, UsageError
from claimtrack.core.model import Claim
from claimtrack.core.problem import Level, Problem, has_errors
from claimtrack.edit.claims import Change, create_claim, update_claim
from claimtrack.edit.drafts import draft_text
from claimtrack.edit.lock import locked
from claimtrack.edit.workspace import InvalidWrite, Workspace
from claimtrack.io import yamlio
from claimtrack.io.files import display_path, iter_yaml_files

DRAFT_TAG = "draft"
#: The note the extractor leaves on every draft; accepting a draft drops it.
EXTRACTOR_NOTE = re.compile(r"^Draft by claimtrack extract\b")
DECISIONS = ("accepted", "rejected", "skipped", "split")


@dataclass(frozen=True)
class Item:
    """One draft to review: the claim, its text, and its file when it is in the claims folder."""

    claim: Claim
    text: str
    path: Path | None = None
    origin: str = ""

    @property
    def key(self) -> str:
        return self.claim.id


@dataclass
class State:
    """What a review decided so far; saved after every decision."""

    path: Path
    decisions: dict[str, str] = field(default_factory=dict)
    #: Edited texts and split parts of drafts from a file, by id, until they are accepted.
    texts: dict[str, str] = field(default_factory=dict)
    #: The parts a draft was split into, by the split draft's id (they are reviewed next).
    parts: dict[str, list[str]] = field(default_factory=dict)

    def save(self) -> None:
        from claimtrack.io.atomic import atomic_write

        data = {"decisions": self.decisions, "texts": self.texts, "parts": self.parts}
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            atomic_write(self.path, json.dumps(data, indent=1, sort_keys=True) + "\n")
        except OSError as exc:
            raise EnvironmentProblem(
                f"cannot save the review's state in {display_path(self.path)}: "
                f"{exc.strerror or exc}"
            ) from None

    def forget(self) -> None:
        self.decisions.clear()
        self.texts.clear()
        self.parts.clear()
        try:
            self.path.unlink()
        except FileNotFoundError:
            pass
        except OSError as exc:
            raise EnvironmentProblem(f"cannot remove {display_path(self.path)}: {exc}") from None


def state_dir() -> Path:
    """Where review states live: ``$CLAIMTRACK_STATE_DIR``, else the user's state folder."""
    explicit = os.environ.get("CLAIMTRACK_STATE_DIR")
    if explicit:
        return Path(explicit)
    from platformdirs import user_state_dir

    return Path(user_state_dir("claimtrack", appauthor=False))


def state_path(root: Path, drafts: Path | None) -> Path:
    """The state file of one review: named by a hash of the claims folder and drafts file."""
    where = f"{os.path.realpath(root)}\0{os.path.realpath(drafts) if drafts else ''}"
    digest = hashlib.sha256(where.encode("utf-8", "surrogateescape")).hexdigest()[:24]
    return state_dir() / f"review-{digest}.json"


def load_state(root: Path, drafts: Path | None) -> State:
    path = state_path(root, drafts)
    state = State(path)
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        return state
    except (OSError, ValueError) as exc:
        raise DataError(
            f"{display_path(path)}: the review's state cannot be read ({exc}); run with "
            "--restart to begin again"
        ) from None
    if isinstance(data, dict):
        state.decisions = {str(k): str(v) for k, v in (data.get("decisions") or {}).items()}
        state.texts = {str(k): str(v) for k, v in (data.get("texts") or {}).items()}
        state.parts = {str(k): [str(p) for p in v] for k, v in (data.get("parts") or {}).items()}
    return state


# -- the queue ---------------------------------------------------------------------------------


def _claim_of(text: str, shown: str) -> Claim | Problem:
    data = yamlio.load_text(text)
    try:
        return Claim.model_validate(data)
    except ValidationError as exc:
        first = exc.errors()[0]
        where = ".".join(str(p) for p in first["loc"]) or "document"
        return Problem(shown, 1, 1, Level.ERROR, "draft-invalid", f"{where}: {first['msg']}")


def _documents(path: Path) -> list[tuple[str, str]]:
    """The YAML documents of a drafts file (split at ``---`` lines), each with where it is."""
    text = yamlio.decode(path.read_bytes())
    shown = display_path(path)
    docs: list[tuple[str, str]] = []
    lines: list[str] = []
    start = 1
    for number, line in enumerate(text.splitlines(keepends=True), 1):
        if line.rstrip() == "---":
            if "".join(lines).strip():
                docs.append(("".join(lines), f"{shown} (document at line {start})"))
            lines, start = [], number + 1
            continue
        lines.append(line)
    if "".join(lines).strip():
        docs.append(("".join(lines), f"{shown} (document at line {start})"))
    return docs


def queue(ws: Workspace, drafts: Path | None) -> tuple[list[Item], list[Problem]]:
    """The drafts to review, in order, and the drafts that could not be read."""
    items: list[Item] = []
    problems: list[Problem] = []
    if drafts is not None and not drafts.exists():
        raise UsageError(f"{drafts}: no such file or folder")
    inside = drafts is not None and drafts.resolve().is_relative_to(ws.root.resolve())
    if drafts is None or inside:  # drafts in the claims folder are its claims tagged draft
        from claimtrack.cache import load_dataset

        dataset = load_dataset(ws.root, cache=ws.cache)
        for record in sorted(dataset.claims, key=lambda r: r.path):
            path = Path(record.path)
            if DRAFT_TAG in record.claim.tags and (
                drafts is None or path.resolve().is_relative_to(drafts.resolve())
            ):
                items.append(Item(record.claim, ws.read(path), path, record.path))
        return items, problems
    files = sorted(iter_yaml_files(drafts)) if drafts.is_dir() else [drafts]
    for file in files:
        try:
            documents = _documents(file)
        except (OSError, yamlio.YamlProblem) as exc:
            problems.append(
                Problem(display_path(file), 1, 1, Level.ERROR, "draft-unreadable", str(exc))
            )
            continue
        for text, shown in documents:
            try:
                found = _claim_of(text, shown)
            except yamlio.YamlProblem as problem:
                problems.append(
                    Problem(
                        shown, problem.line, problem.col, Level.ERROR, problem.rule, problem.message
                    )
                )
                continue
            if isinstance(found, Problem):
                problems.append(found)
            else:
                items.append(Item(found, text, None, shown))
    return items, problems


def pending(items: list[Item], state: State) -> list[Item]:
    """The drafts still to review: undecided ones, with split parts and edits in their place."""
    out: list[Item] = []
    for item in items:
        out.extend(_expanded(item, state))
    return out


def _expanded(item: Item, state: State) -> list[Item]:
    decision = state.decisions.get(item.key)
    if decision == "split":
        parts = []
        for text in state.parts.get(item.key, []):
            claim = _claim_of(text, item.origin)
            if isinstance(claim, Claim):
                parts.extend(_expanded(Item(claim, text, None, item.origin), state))
        return parts
    if decision is not None:
        return []
    if item.key in state.texts and item.path is None:
        claim = _claim_of(state.texts[item.key], item.origin)
        if isinstance(claim, Claim):
            return [Item(claim, state.texts[item.key], None, item.origin)]
    return [item]


# -- the paragraph -----------------------------------------------------------------------------


def context(ws: Workspace, claim: Claim) -> tuple[str, str, str] | None:
    """The paragraph the draft's quote is in, as (before, quote, after), from the archived text
    of the source it appears in; None when there is no archived text or the quote is not in it."""
    from claimtrack.io.archive import archive_path
    from claimtrack.io.article import read_article

    quote = claim.quote or claim.statement
    try:
        text = archive_path(ws.root, claim.appears_in).read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError):
        return None
    for block in read_article(text):
        normalized = anchor.normalize(block.text)
        spans = anchor.find_all(quote, normalized)
        if spans:
            a, b = normalized.span(*spans[0])
            raw = normalized.original
            return raw[:a], raw[a:b], raw[b:]
    return None


# -- decisions ---------------------------------------------------------------------------------


def accepted_claim(claim: Claim) -> Claim:
    """The claim as accepted: no ``draft`` tag, no extractor's note."""
    notes = claim.notes if claim.notes and not EXTRACTOR_NOTE.match(claim.notes) else None
    return claim.model_copy(
        update={"tags": [t for t in claim.tags if t != DRAFT_TAG], "notes": notes}
    )


def accept(ws: Workspace, item: Item, state: State) -> Change:
    """Write the claim, validated; a refused write raises ``InvalidWrite`` and changes nothing."""
    if item.path is not None:

        def mutate(doc: Any) -> None:
            tags = [t for t in (doc.get("tags") or []) if t != DRAFT_TAG]
            if tags:
                doc["tags"] = tags
            elif "tags" in doc:
                del doc["tags"]
            if isinstance(doc.get("notes"), str) and EXTRACTOR_NOTE.match(doc["notes"]):
                del doc["notes"]

        change = update_claim(ws, item.claim.id, mutate)
    else:
        change = create_claim(ws, accepted_claim(item.claim))
    state.decisions[item.key] = "accepted"
    state.texts.pop(item.key, None)
    state.save()
    return change


def reject(ws: Workspace, item: Item, state: State) -> Path | None:
    """Drop the draft: its file in the claims folder is deleted; returns that file."""
    if item.path is not None:
        with locked(ws.root, ws.notify):
            try:
                item.path.unlink()
            except OSError as exc:
                raise EnvironmentProblem(
                    f"cannot remove {display_path(item.path)}: {exc.strerror or exc}"
                ) from None
    state.decisions[item.key] = "rejected"
    state.save()
    return item.path


def skip(item: Item, state: State) -> None:
    state.decisions[item.key] = "skipped"
    state.save()


def check_edit(ws: Workspace, item: Item, text: str) -> list[Problem]:
    """The problems an edited draft's text would have where it is (or would be) written."""
    return ws.check_claim(item.path or ws.root / f"{item.claim.id}.yaml", text)


def save_edit(ws: Workspace, item: Item, text: str, state: State) -> Item:
    """Keep an edited draft that validates; raises ``InvalidWrite`` when it does not."""
    claim = _claim_of(text, item.origin)
    if not isinstance(claim, Claim):
        raise InvalidWrite(item.path or ws.root / f"{item.claim.id}.yaml", [claim])
    if claim.id != item.claim.id:
        raise UsageError("the id cannot change in a review; accept it, then `claimtrack rename`")
    if item.path is not None:
        with locked(ws.root, ws.notify):
            ws.commit(item.path, text, check_edit(ws, item, text))
    else:
        problems = check_edit(ws, item, text)
        if has_errors(problems):
            raise InvalidWrite(ws.root / f"{item.claim.id}.yaml", problems)
        state.texts[item.key] = text
        state.save()
    return replace(item, claim=claim, text=text)


_CUTS = re.compile(r";\s+|,\s+(?:and|but|while|whereas|yet)\s+|\s+but\s+|:\s+(?=[a-z])")


def suggested_parts(quote: str) -> list[str]:
    """Where a sentence of two assertions splits: at a semicolon, ", and", ", but", "while"."""
    parts, start = [], 0
    for match in _CUTS.finditer(quote):
        parts.append(quote[start : match.start()])
        start = match.end()
    parts.append(quote[start:])
    return [p.strip(" ,;") for p in parts if len(p.split()) >= 3]


def parts_at(quote: str, phrase: str) -> list[str]:
    """The quote cut before ``phrase`` (the words the second part starts with)."""
    at = quote.find(phrase)
    if at <= 0:
        raise UsageError(f"{phrase!r} is not inside the quote (after its start)")
    return [quote[:at].strip(" ,;"), quote[at:].strip(" ,;")]


def split(ws: Workspace, item: Item, parts: list[str], state: State) -> list[Item]:
    """One draft per part (each verbatim in the quote), reviewed next; the original goes."""
    from claimtrack.io.extract import headline, slug_for

    quote = item.claim.quote or item.claim.statement
    if len(parts) < 2 or any(not p or p not in quote for p in parts):
        raise UsageError("each part of a split is a piece of the draft's quote, two or more")
    taken = set(ws.claim_files()) | set(state.decisions) | set(state.texts)
    made: list[Item] = []
    for part in parts:
        data = item.claim.model_dump(mode="json", exclude_none=True)
        data.update(id=slug_for(part, taken), statement=part, quote=part)
        data.pop("quantity", None)
        quantity = headline(part)
        if quantity is not None:
            data["quantity"] = quantity
        claim = Claim.model_validate(data)
        made.append(Item(claim, draft_text(claim), None, item.origin))
    if item.path is not None:
        written = []
        for part_item in made:
            change = create_claim(ws, part_item.claim)
            written.append(replace(part_item, path=change.path, text=ws.read(change.path)))
        reject(ws, item, state)
        state.decisions.pop(item.key, None)
        state.save()
        return written
    state.decisions[item.key] = "split"
    state.parts[item.key] = [part.text for part in made]
    state.save()
    return made


Ask = Callable[[Item, int, int], str]


def decide_all(
    ws: Workspace, ids: dict[str, str], items: list[Item], state: State
) -> list[tuple[str, str, Change | Path | None]]:
    """The non-interactive review: ``ids`` maps each draft id to accept or reject. Every id is
    checked first (an unknown one is refused before anything is written)."""
    by_id = {item.key: item for item in items}
    unknown = [i for i in ids if i not in by_id]
    if unknown:
        raise UsageError(f"no draft to review with id {', '.join(map(repr, unknown))}")
    done: list[tuple[str, str, Change | Path | None]] = []
    for draft_id, action in ids.items():
        item = by_id[draft_id]
        if action == "accept":
            done.append((draft_id, action, accept(ws, item, state)))
        else:
            done.append((draft_id, action, reject(ws, item, state)))
    return done
