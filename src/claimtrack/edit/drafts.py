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


def draft_text(claim: Claim) -> str:
    """The text of a claim's new file, in the canonical layout."""
    from claimtrack.io.emit import claim_text

    return canonical_text(claim_text(claim), "claim")


def drafts_stream(claims: Iterable[Claim]) -> str:
    """Drafts as one YAML stream, ``---`` between them (what ``extract`` prints)."""
    return "---\n".join(draft_text(claim) for claim in claims)


@dataclass
class Written:
    """What writing drafts into a folder did."""

    written: list[Path] = field(default_factory=list)
    skipped: list[Path] = field(default_factory=list)


def write_drafts(folder: Path, claims: Iterable[Claim]) -> Written:
    """One file per draft in ``folder`` (made if missing); a name that exists is skipped."""
    result = Written()
    try:
        folder.mkdir(parents=True, exist_ok=True)
        for claim in claims:
            path = folder / f"{claim.id}.yaml"
            try:
                with open(path, "x", encoding="utf-8") as handle:
                    handle.write(draft_text(claim))
            except FileExistsError:
                result.skipped.append(path)
                continue
            result.written.append(path)
    except OSError as exc:
        raise EnvironmentProblem(
            f"cannot write drafts into {display_path(folder)}: {exc.strerror or exc}"
        ) from None
    return result
