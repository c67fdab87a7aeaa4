"""Draft files: the text of a draft in the canonical layout, and drafts written into a folder.

Drafts are written as ``fmt`` would leave them, so a fresh ``extract --into`` passes
``fmt --check``; a file that exists is never overwritten.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from claimtrack.core.errors import EnvironmentProblem
from claimtrack.core.model import Claim
from claimtrack.edit.format import canonical_text
from claimtrack.io.files import display_path


def draft_text(claim: Claim, modeline: str | None = None) -> str:
    """The text of a claim's new file, in the canonical layout; ``modeline`` replaces the one
    for a file right inside a claims folder (drafts may be written anywhere)."""
    from claimtrack.io.emit import claim_text

    text = canonical_text(claim_text(claim), "claim")
    return modeline + text.split("\n", 1)[1] if modeline else text


def drafts_stream(claims: Iterable[Claim]) -> str:
    """Drafts as one YAML stream, ``---`` between them (what ``extract`` prints)."""
    return "---\n".join(draft_text(claim) for claim in claims)


@dataclass
class Written:
    """What writing drafts into a folder did."""

    written: list[Path] = field(default_factory=list)
    skipped: list[Path] = field(default_factory=list)


def write_drafts(folder: Path, claims: Iterable[Claim], root: Path | None = None) -> Written:
    """One file per draft in ``folder`` (made if missing); a name that exists is skipped. With
    the claims folder ``root``, each draft's modeline leads to its ``schema/`` from ``folder``."""
    from claimtrack.io.emit import modeline_at

    result = Written()
    try:
        folder.mkdir(parents=True, exist_ok=True)
        for claim in claims:
            path = folder / f"{claim.id}.yaml"
            try:
                with open(path, "x", encoding="utf-8") as handle:
                    line = modeline_at("claim", path, root) if root is not None else None
                    handle.write(draft_text(claim, line))
            except FileExistsError:
                result.skipped.append(path)
                continue
            result.written.append(path)
    except OSError as exc:
        raise EnvironmentProblem(
            f"cannot write drafts into {display_path(folder)}: {exc.strerror or exc}"
        ) from None
    return result
