"""The write side: validated round-trip edits, atomic writes and a lock around each change.

Every change follows one path: take the folder's lock, read the file, change it in memory
(ruamel.yaml round trip, see ``roundtrip.py``), check the new text with claimtrack's own reader
and cross checks, and only then replace the file atomically. An invalid result raises
``InvalidWrite`` with the same located problems as ``validate``, and nothing is written.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Container
from dataclasses import dataclass, field
from pathlib import Path

from pydantic import ValidationError

from claimtrack.core.dataset import ClaimRecord, Dataset, SourceRecord
from claimtrack.core.errors import DataError, EnvironmentProblem, UsageError
from claimtrack.core.model import (
    Claim,
)
from claimtrack.core.problem import Level, Problem, has_errors
from claimtrack.io import yamlio
from claimtrack.io.files import (
    REGISTRY_DIR,
    REGISTRY_NAMES,
    display_path,
    id_line,
    iter_yaml_files,
    load_registry_file,
    parse_document,
    validation_problems,
)

#: Registry files smaller than this (bytes in all) are parsed: quicker than opening the index.
INDEXED_REGISTRY_MIN = 64 * 1024


class InvalidWrite(DataError):
    """A write whose result would not validate; carries the problems, nothing was written."""

    def __init__(self, path: Path, problems: list[Problem]):
        errors = sum(p.level is Level.ERROR for p in problems)
        super().__init__(
            f"refused: the change would leave {errors} error{'s' if errors != 1 else ''} in "
            f"{display_path(path)}; the file is unchanged"
        )
        self.path = path
        self.problems = problems


def _is_registry(root: Path, path: Path) -> bool:
    rel = path.relative_to(root)
    return (len(rel.parts) == 1 and rel.name in REGISTRY_NAMES) or (
        len(rel.parts) == 2 and rel.parts[0] == REGISTRY_DIR
    )


@dataclass
class Workspace:
    """A claims folder seen by the write commands."""

    root: Path
    #: Read a large registry from the index (None: unless ``CLAIMTRACK_NO_CACHE`` is set).
    cache: bool | None = None
    #: Told whom a write waits for while another process holds the folder's lock.
    notify: Callable[[str], None] | None = field(default=None, repr=False)
    _sources: dict[str, SourceRecord] | None = field(default=None, repr=False)

    def claim_files(self) -> dict[str, list[Path]]:
        """Claim files by stem (an id is its file's stem); lists the whole folder."""
        files: dict[str, list[Path]] = {}
        for path in iter_yaml_files(self.root):
            if not _is_registry(self.root, path):
                files.setdefault(path.stem, []).append(path)
        return files

    def files_named(self, stem: str) -> list[Path]:
        """``claim_files().get(stem, [])`` without listing the folder (see ``lookup.py``)."""
        from claimtrack.io.lookup import claim_files_named

        self._check_readable()
        return claim_files_named(self.root, stem)

    def taken(self) -> Container[str]:
        """The ids in use, for ``in`` tests one id at a time."""
        return _TakenIds(self)

    def registry_files(self) -> list[Path]:
        from claimtrack.io.lookup import registry_files

        self._check_readable()
        return registry_files(self.root)

    def _check_readable(self) -> None:
        """The error ``iter_yaml_files`` gives for a folder it cannot read, without listing it."""
        if os.access(self.root, os.R_OK | os.X_OK):
            return
        try:
            os.listdir(self.root)  # only for its error
        except OSError as exc:
            raise EnvironmentProblem(
                f"cannot read claims folder {display_path(self.root)}: {exc.strerror}"
            ) from None

    def claim_path(self, claim_id: str) -> Path:
        """The file of a claim, or a UsageError that names close matches."""
        paths = self.files_named(claim_id)
        if len(paths) == 1:
            return paths[0]
        from claimtrack.core.escape import one_line

        if len(paths) > 1:
            shown = ", ".join(display_path(p) for p in paths)
            raise UsageError(f"id {one_line(claim_id)!r} is used by several files: {shown}")
        import difflib

        files = self.claim_files()  # only to suggest close ids: a mistyped id may wait a moment
        close = difflib.get_close_matches(claim_id, list(files), n=3, cutoff=0.5)
        close += [i for i in files if claim_id in i and i not in close]
        hint = f"; did you mean: {', '.join(close[:5])}?" if close else ""
        raise UsageError(f"no claim with id {one_line(claim_id)!r}{hint}")

    def sources(self) -> dict[str, SourceRecord]:
        """The valid sources of every registry file (problems there are validate's business).

        A large registry is taken from the index while the index holds it unchanged (same
        rules as the read side's: stat, then bytes when the stat cannot tell), else parsed."""
        if self._sources is None:
            files = self.registry_files()
            self._sources = self._indexed_sources(files)
            if self._sources is None:
                self._sources = {}
                for path in files:
                    for record in load_registry_file(path, self.root)[0]:
                        self._sources.setdefault(record.source.id, record)
        return self._sources

    def _indexed_sources(self, files: list[Path]) -> dict[str, SourceRecord] | None:
        cache = self.cache if self.cache is not None else not os.environ.get("CLAIMTRACK_NO_CACHE")
        try:
            size = sum(path.stat().st_size for path in files)
        except OSError:
            return None
        if not cache or size < INDEXED_REGISTRY_MIN:
            return None
        from claimtrack.cache import index
        from claimtrack.io.pipeline import DisplayPaths, registry_sources

        rels = [path.relative_to(self.root).as_posix() for path in files]
        results = index.fresh_registry(self.root, rels)
        if results is None:
            return None
        return registry_sources(results, DisplayPaths(self.root))[0]

    def registry_path(self) -> Path:
        """The registry that ``source add`` writes to: ``sources.yaml`` (or ``.yml``)."""
        for name in REGISTRY_NAMES:
            if (self.root / name).is_file():
                return self.root / name
        return self.root / REGISTRY_NAMES[0]

    # -- checking ---------------------------------------------------------------------------

    def check_claim(self, path: Path, text: str, others: set[str] | None = None) -> list[Problem]:
        """Every problem ``validate`` would report for ``text`` saved at ``path``.

        ``others`` are the ids of the other claims (for duplicates); by default the stems of the
        other files, asked only about this claim's id.
        """
        from claimtrack.edit.check import cross_check

        shown = display_path(path)
        try:
            text = yamlio.decode(text.encode("utf-8"))
        except yamlio.YamlProblem as problem:
            return [
                Problem(
                    shown, problem.line, problem.col, Level.ERROR, problem.rule, problem.message
                )
            ]
        data = parse_document(text, shown)
        if isinstance(data, Problem):
            return [data]
        try:
            claim = Claim.model_validate(data)
        except ValidationError as exc:
            return validation_problems(exc, Claim, text, shown)
        problems: list[Problem] = []
        where = yamlio.locate(yamlio.compose_text(text), ("id",))
        if claim.id != path.stem:
            problems.append(
                Problem(
                    shown,
                    where.line,
                    where.col,
                    Level.ERROR,
                    "id-stem",
                    f"id {claim.id!r} differs from the file name {path.stem!r}; rename one",
                    "id",
                )
            )
        if others is None:
            # The one id that matters, asked by name: the files of that stem, if ``path`` is
            # not among them (the ids of every other claim cost a listing of the folder).
            named = self.files_named(claim.id)
            duplicate = bool(named) and path not in named
        else:
            duplicate = claim.id in others
        if duplicate:
            problems.append(
                Problem(
                    shown,
                    where.line,
                    where.col,
                    Level.ERROR,
                    "id-duplicate",
                    f"id {claim.id!r} is already used by another claim",
                    "id",
                )
            )
        dataset = Dataset(root=self.root, sources=dict(self.sources()))
        dataset.claims.append(ClaimRecord(claim, shown, id_line(text)))
        problems.extend(cross_check(dataset, texts={shown: text}))
        return sorted(problems)

    def check_registry(self, path: Path, text: str) -> list[Problem]:
        """Problems of a registry file's new text, with the other registries' ids in view."""
        from claimtrack.core.model import SourceRegistry

        shown = display_path(path)
        data = parse_document(text, shown)
        if isinstance(data, Problem):
            return [data]
        try:
            registry = SourceRegistry.model_validate(data)
        except ValidationError as exc:
            return validation_problems(exc, SourceRegistry, text, shown)
        root_node = yamlio.compose_text(text)
        here = path.resolve()
        known = {sid for sid, rec in self.sources().items() if Path(rec.path).resolve() != here}
        problems: list[Problem] = []
        seen: set[str] = set()
        for i, source in enumerate(registry.sources):
            where = yamlio.locate(root_node, ("sources", i, "id"))
            if source.id in seen or source.id in known:
                problems.append(
                    Problem(
                        shown,
                        where.line,
                        where.col,
                        Level.ERROR,
                        "source-duplicate",
                        f"source id {source.id!r} is already defined",
                        f"sources[{i}].id",
                    )
                )
            seen.add(source.id)
        for i, source in enumerate(registry.sources):
            for parent in source.derived_from:
                if parent not in seen | known:
                    where = yamlio.locate(root_node, ("sources", i, "derived_from"))
                    problems.append(
                        Problem(
                            shown,
                            where.line,
                            where.col,
                            Level.ERROR,
                            "source-missing",
                            f"derived_from names {parent!r}, which is not in the registry",
                            f"sources[{i}].derived_from",
                        )
                    )
        return sorted(problems)

    # -- writing ----------------------------------------------------------------------------

    def commit(self, path: Path, text: str, problems: list[Problem]) -> list[Problem]:
        """Write ``text`` atomically when ``problems`` hold no error; return the warnings."""
        from claimtrack.io.atomic import atomic_write

        if has_errors(problems):
            raise InvalidWrite(path, problems)
        atomic_write(path, text)
        return [p for p in problems if p.level is not Level.ERROR]

    def read(self, path: Path) -> str:
        try:
            return yamlio.decode(path.read_bytes())
        except OSError as exc:
            raise EnvironmentProblem(
                f"cannot read {display_path(path)}: {exc.strerror or exc}"
            ) from None
        except yamlio.YamlProblem as problem:
            raise DataError(
                f"{display_path(path)}:{problem.line}:{problem.col}: {problem.message}"
            ) from None


@dataclass(frozen=True)
class _TakenIds(Container[str]):
    """The ids of a folder's claims, asked one at a time by file name."""

    workspace: Workspace

    def __contains__(self, claim_id: object) -> bool:
        return isinstance(claim_id, str) and bool(self.workspace.files_named(claim_id))
