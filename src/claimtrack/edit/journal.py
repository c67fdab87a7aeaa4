"""The rename journal: ``mv`` as steps that the next write command finishes if it is cut short.

A rename moves a claim to a new file and renames its id in the notes that mention it. Before
touching anything ``mv`` writes, atomically, a small journal (the two ids, the two files, the
files that mention it); then it renames the claim's file, so the claim is in one file at every
moment and never in two; then it sets the new id and renames the mentions, one atomic write per
file; then it removes the journal. Every step can be run again without harm, so whoever next
takes the folder's lock (any write command) runs them all again from the journal: a rename is
always finished, never half done. A journal that is not what ``mv`` writes is refused.

The journal can only ask for what ``mv`` itself does: files inside the claims folder, ids that
are slugs, mentions renamed as ``mv`` renames them. ``validate`` reports a journal left behind.
"""

from __future__ import annotations

import json
import os
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from claimtrack.core.errors import DataError, EnvironmentProblem
from claimtrack.io.files import JOURNAL_NAME

#: What an id in a journal must look like (the slug rule of ``Claim.id``).
_SLUG = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")


@dataclass(frozen=True)
class Rename:
    """One rename: claim ``old`` in ``source`` becomes ``new`` in ``target``; ``mentions``
    are the other files that name it (paths relative to the claims folder, POSIX style)."""

    old: str
    new: str
    source: str
    target: str
    mentions: tuple[str, ...]

    def dump(self) -> str:
        return json.dumps(
            {
                "rename": {"old": self.old, "new": self.new},
                "from": self.source,
                "to": self.target,
                "mentions": list(self.mentions),
            },
            ensure_ascii=True,
            indent=1,
        )


def run_rename(root: Path, rename: Rename) -> None:
    """Carry out a rename through the journal (the caller holds the folder's lock)."""
    from claimtrack.io.atomic import atomic_write

    atomic_write(root / JOURNAL_NAME, rename.dump() + "\n")
    finish(root)


def finish(root: Path) -> Rename | None:
    """Finish the rename the folder's journal describes, if it has one (under the lock);
    returns it."""
    path = root / JOURNAL_NAME
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        return None
    except OSError as exc:
        raise EnvironmentProblem(f"cannot read {path}: {exc.strerror or exc}") from None
    rename = _parse(root, raw)
    if rename is None:
        raise EnvironmentProblem(
            f"{path} is not a rename journal claimtrack wrote; check the claims it names, "
            "then remove it"
        )
    _steps(root, rename)
    os.unlink(path)
    return rename


def _parse(root: Path, raw: bytes) -> Rename | None:
    try:
        data: Any = json.loads(raw)
        rename = Rename(
            data["rename"]["old"],
            data["rename"]["new"],
            data["from"],
            data["to"],
            tuple(data["mentions"]),
        )
    except (ValueError, KeyError, TypeError):
        return None
    ids_ok = all(isinstance(i, str) and _SLUG.match(i) for i in (rename.old, rename.new))
    files = (rename.source, rename.target, *rename.mentions)
    if not ids_ok or not all(_inside(root, rel) for rel in files):
        return None
    source, target = Path(rename.source), Path(rename.target)
    same_place = source.parent == target.parent and target.name == f"{rename.new}.yaml"
    return rename if same_place and source.stem == rename.old else None


def _inside(root: Path, rel: object) -> bool:
    """A path of the journal: relative, inside the folder, a YAML file that is not a link."""
    if not isinstance(rel, str) or not rel.endswith((".yaml", ".yml")):
        return False
    parts = Path(rel).parts
    if Path(rel).is_absolute() or ".." in parts or any(p.startswith(".") for p in parts):
        return False
    return not (root / rel).is_symlink()


def _steps(root: Path, rename: Rename) -> None:
    """The rename's steps; each does nothing when already done."""
    from claimtrack.edit.mentions import rename_mentions
    from claimtrack.io import roundtrip, yamlio
    from claimtrack.io.atomic import atomic_write
    from claimtrack.io.roundtrip import scalar_like

    source, target = root / rename.source, root / rename.target
    if source.exists():
        if target.exists():
            return  # not renamed yet, and the name was taken since: the rename is dropped
        os.rename(source, target)  # one directory entry moves: never two copies of the claim
    renamed = rename_mentions(rename.old, rename.new)

    def own(doc: Any) -> None:
        if doc.get("id") == rename.old:
            doc["id"] = scalar_like(doc["id"], rename.new)  # quoted stays quoted
        renamed(doc)

    for where, change in [(target, own)] + [(root / rel, renamed) for rel in rename.mentions]:
        try:
            text = yamlio.decode(where.read_bytes())
        except FileNotFoundError:
            continue  # removed since: nothing left to rename in it
        except OSError as exc:
            raise EnvironmentProblem(f"cannot read {where}: {exc.strerror or exc}") from None
        except yamlio.YamlProblem:
            continue  # broken by hand since; validate shows it
        try:
            new_text = roundtrip.edit_text(text, change, str(where))
        except DataError:
            continue  # no longer a mapping; validate shows it
        if new_text != text:
            atomic_write(where, new_text)
