"""Validation of files or folders: every problem, located; one bad file never hides another."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from claimtrack.cache import load_dataset
from claimtrack.core.dataset import Dataset
from claimtrack.core.errors import UsageError
from claimtrack.core.problem import Level, Problem
from claimtrack.io.files import display_path

if TYPE_CHECKING:
    from claimtrack.io.parse import Progress


@dataclass
class ValidationResult:
    problems: list[Problem] = field(default_factory=list)
    files: int = 0
    claims: int = 0
    sources: int = 0

    @property
    def errors(self) -> int:
        return sum(p.level is Level.ERROR for p in self.problems)

    @property
    def warnings(self) -> int:
        return sum(p.level is Level.WARNING for p in self.problems)

    def summary(self) -> str:
        if not self.problems:
            return (
                f"ok: {self.files} files, {self.claims} valid claims, {self.sources} sources, "
                "no problems"
            )
        bad_files = len({p.path for p in self.problems})
        return (
            f"{_plural(self.errors, 'error')}, {_plural(self.warnings, 'warning')} in "
            f"{bad_files} of {self.files} files ({self.claims} valid claims)"
        )

    def to_dict(self) -> dict[str, Any]:
        return {
            "files": self.files,
            "claims": self.claims,
            "sources": self.sources,
            "errors": self.errors,
            "warnings": self.warnings,
            "problems": [p.to_dict() for p in self.problems],
        }


def _plural(n: int, word: str) -> str:
    return f"{n} {word}{'' if n == 1 else 's'}"


def _claims_root_of(path: Path, root: Path | None) -> Path:
    """The folder whose registry a lone file is checked against."""
    resolved = path.resolve()
    if root is not None and resolved.is_relative_to(root.resolve()):
        return root
    for folder in resolved.parents:
        if folder.name == "claims" or (folder / "sources.yaml").is_file():
            return folder
    return resolved.parent


def validate_paths(
    paths: list[Path],
    root: Path | None,
    *,
    cache: bool | None = None,
    progress: Progress | None = None,
) -> ValidationResult:
    """Validate the claims folder (no paths), or the given files and folders.

    Claims are not kept once checked, so memory stays flat however large the folder.
    """
    result = ValidationResult()
    datasets: dict[Path, Dataset] = {}

    def dataset_of(folder: Path) -> Dataset:
        key = folder.resolve()
        if key not in datasets:
            dataset = load_dataset(folder, cache=cache, progress=progress, keep_claims=False)
            # The pipeline checked the quotes against the archived texts; they are reported by
            # `validate` and `verify` only, so a changed archive fails those, not `list`.
            if dataset.quote_problems:
                dataset.problems = sorted([*dataset.problems, *dataset.quote_problems])
            datasets[key] = dataset
        return datasets[key]

    targets: list[tuple[Path, Path | None]] = []  # (folder, single file or None)
    if not paths:
        assert root is not None
        targets.append((root, None))
    for path in paths:
        if not path.exists() and not path.is_symlink():
            raise UsageError(f"{path}: no such file or folder")
        if path.is_dir():
            targets.append((path, None))
        else:
            targets.append((_claims_root_of(path, root), path))

    seen: set[Problem] = set()
    counted: set[Path] = set()
    for folder, single in targets:
        dataset = dataset_of(folder)
        if single is None:
            chosen = dataset.problems
            if folder.resolve() not in counted:
                counted.add(folder.resolve())
                result.files += dataset.files
                result.claims += dataset.claim_count
                result.sources += len(dataset.sources)
        else:
            shown = display_path(single)
            chosen = [p for p in dataset.problems if p.path == shown]
            result.files += 1
            result.claims += sum(r.path == shown for r in dataset.claims)
            if not any(r.path == shown for r in dataset.claims) and not chosen:
                chosen = _lone_file(single, folder)
        for problem in chosen:
            if problem not in seen:
                seen.add(problem)
                result.problems.append(problem)
    result.problems.sort()
    return result


def _lone_file(path: Path, folder: Path) -> list[Problem]:
    """A file outside the folder's own discovery (hidden, another suffix): check it alone."""
    from claimtrack.io.files import load_claim_file, load_registry_file

    if path.name in ("sources.yaml", "sources.yml") or path.parent.name == "sources":
        return load_registry_file(path, folder)[1]
    return load_claim_file(path, folder)[1]
