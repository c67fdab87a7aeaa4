"""One file in: a claim file or a source registry becomes records or located Problems."""

from __future__ import annotations

import os
import re
import stat
import typing
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from claimtrack.core.dataset import ClaimRecord, SourceRecord
from claimtrack.core.errors import EnvironmentProblem, UsageError
from claimtrack.core.problem import Level, Problem, field_name

if typing.TYPE_CHECKING:
    from pydantic import BaseModel, ValidationError


YAML_SUFFIXES = (".yaml", ".yml")


REGISTRY_NAMES = ("sources.yaml", "sources.yml")


REGISTRY_DIR = "sources"

#: The journal of a rename cut short (see ``edit/journal.py``); hidden, so never read as a claim.
JOURNAL_NAME = ".claimtrack.journal.json"


def display_path(path: Path) -> str:
    """A path as the user will want to click it: relative to the working folder when inside it."""
    try:
        rel = os.path.relpath(path)
    except ValueError:  # another drive on Windows
        return str(path)
    return str(path) if rel.startswith("..") else rel


def find_claims_dir(explicit: str | None, start: Path | None = None) -> Path:
    """The claims folder: the one given (or the ``claims/`` of the project folder given, see
    :func:`project_claims`), else ``./claims``, else the nearest ``claims/`` upward."""
    if explicit:
        path = Path(explicit)
        if not path.exists():
            raise UsageError(f"claims folder {explicit!r} does not exist")
        if not path.is_dir():
            raise UsageError(f"{explicit!r} is not a folder")
        return project_claims(path) or path
    here = (start or Path.cwd()).resolve()
    for folder in (here, *here.parents):
        candidate = folder / "claims"
        if candidate.is_dir():
            return candidate
    raise UsageError(
        "no claims folder: pass --dir PATH, set CLAIMTRACK_DIR, or run inside a project "
        "that has a claims/ folder"
    )


def project_claims(folder: Path) -> Path | None:
    """The ``claims/`` inside ``folder`` when ``folder`` is a project (what ``init`` makes: it
    holds ``claims/`` and no registry of its own), else None: read as a claims folder, a
    project would be a heap of false errors about its schemas and configuration."""
    inner = folder / "claims"
    if inner.is_dir() and not any((folder / name).is_file() for name in REGISTRY_NAMES):
        return inner
    return None


def _is_registry(rel: Path) -> bool:
    return (len(rel.parts) == 1 and rel.name in REGISTRY_NAMES) or (
        len(rel.parts) == 2 and rel.parts[0] == REGISTRY_DIR
    )


def iter_yaml_files(root: Path) -> Iterator[Path]:
    """Every YAML file under ``root``, sorted, hidden folders skipped, links not followed out."""
    try:
        os.listdir(root)
    except OSError as exc:
        raise EnvironmentProblem(
            f"cannot read claims folder {display_path(root)}: {exc.strerror}"
        ) from None
    found: list[Path] = []
    for folder, dirs, files in os.walk(root, followlinks=False):
        dirs[:] = sorted(d for d in dirs if not d.startswith("."))
        for name in files:
            if name.endswith(YAML_SUFFIXES) and not name.startswith("."):
                found.append(Path(folder, name))
    yield from sorted(found)


def _file_problem(path: str, message: str, rule: str, line: int = 1, col: int = 1) -> Problem:
    """A problem with the file as a whole points at its start (1:1), as parsable tools expect."""
    return Problem(path, line, col, Level.ERROR, rule, message)


def read_text(path: Path, root: Path, shown: str) -> str | Problem:
    """The decoded text of one file, or the Problem that stops it being read."""
    from claimtrack.io import yamlio

    raw = read_raw(path, root, shown)
    if isinstance(raw, Problem):
        return raw
    try:
        return yamlio.decode(raw)
    except yamlio.YamlProblem as problem:
        return _file_problem(shown, problem.message, problem.rule, problem.line, problem.col)


def read_raw(path: str | Path, root: Path, shown: str) -> bytes | Problem:
    """The bytes of one file (links out of the folder, devices and huge files refused).

    Read with ``os.read`` into a bytes object sized by the stat, with no file object (every cold
    load reads every claim file: this is on the hot path)."""
    from claimtrack.io import yamlio

    try:
        info = os.lstat(path)
        if stat.S_ISLNK(info.st_mode):
            real = Path(os.path.realpath(path))
            if not real.is_relative_to(Path(os.path.realpath(root))):
                return Problem(
                    shown,
                    1,
                    1,
                    Level.WARNING,
                    "file-symlink",
                    "symbolic link points outside the claims folder; not followed",
                )
            info = os.stat(path)
        if not stat.S_ISREG(info.st_mode):
            return _file_problem(shown, "not a regular file; skipped", "file-special")
        if info.st_size > yamlio.MAX_FILE_BYTES:
            return _file_problem(
                shown,
                f"file is {info.st_size} bytes, over the {yamlio.MAX_FILE_BYTES}-byte limit",
                "file-too-large",
            )
        return _read_fd(path, info.st_size, yamlio.MAX_FILE_BYTES)
    except OSError as exc:
        return _file_problem(shown, f"cannot read: {exc.strerror or exc}", "file-unreadable")


def _read_fd(path: str | Path, size: int, limit: int) -> bytes:
    """The bytes of a regular file of ``size`` bytes (as stat'ed), read to its end: asking for
    one byte more than the stat said, so that a file that grew since is read on, up to
    ``limit`` + 1 bytes (for the size check to see); a short read is read on."""
    fd = os.open(path, os.O_RDONLY | getattr(os, "O_BINARY", 0))
    try:
        pieces = []
        got = 0
        while got <= limit:
            raw = os.read(fd, size + 1 - got if got <= size else min(limit + 1 - got, 1 << 20))
            if not raw:
                break
            pieces.append(raw)
            got += len(raw)
        return pieces[0] if len(pieces) == 1 else b"".join(pieces)
    finally:
        os.close(fd)


def parse_document(text: str, shown: str) -> dict[str, Any] | Problem:
    """The top-level mapping of a file, or the Problem that stops it."""
    from claimtrack.io import yamlio

    try:
        data = yamlio.load_text(text)
    except yamlio.YamlProblem as problem:
        return _file_problem(shown, problem.message, problem.rule, problem.line, problem.col)
    if data is None:
        return _file_problem(shown, "file is empty; a claim file holds one mapping", "file-empty")
    if not isinstance(data, dict):
        kind = "a list" if isinstance(data, list) else "a single value"
        return _file_problem(
            shown, f"file holds {kind}; a claim file holds one mapping", "file-not-mapping", 1, 1
        )
    return data


_ID_LINE = re.compile(r"^id\s*:", re.MULTILINE)


def id_line(text: str) -> int:
    match = _ID_LINE.search(text)
    return text.count("\n", 0, match.start()) + 1 if match else 1


def _model_at(model: type[BaseModel], loc: tuple[str | int, ...]) -> type[BaseModel] | None:
    """The pydantic model that describes the mapping at ``loc`` (for did-you-mean)."""
    from pydantic import BaseModel

    current: Any = model
    for part in loc:
        if isinstance(part, int):
            continue
        if not (isinstance(current, type) and issubclass(current, BaseModel)):
            return None
        info = current.model_fields.get(part)
        if info is None:
            return None
        current = _unwrap(info.annotation)
    return current if isinstance(current, type) and issubclass(current, BaseModel) else None


def _unwrap(annotation: Any) -> Any:
    from pydantic import BaseModel

    for arg in (annotation, *typing.get_args(annotation)):
        if isinstance(arg, type) and issubclass(arg, BaseModel):
            return arg
        inner = typing.get_args(arg)
        for sub in inner:
            if isinstance(sub, type) and issubclass(sub, BaseModel):
                return sub
    return annotation


def validation_problems(
    exc: ValidationError,
    model: type[BaseModel],
    text: str,
    shown: str,
    prefix: tuple[Any, ...] = (),
) -> list[Problem]:
    """Turn pydantic's errors into located Problems, with a did-you-mean for unknown fields."""
    from claimtrack.core.wording import did_you_mean, value_message
    from claimtrack.io import yamlio

    root = yamlio.compose_text(text)
    problems = []
    for error in exc.errors(include_url=False):
        loc = tuple(error["loc"])
        kind = error["type"]
        message = str(error["msg"]).removeprefix("Value error, ").removeprefix("Assertion failed, ")
        if kind == "extra_forbidden":
            rule = "unknown-field"
            owner = _model_at(model, loc[:-1])
            known = list(owner.model_fields) if owner else []
            hint = did_you_mean(str(loc[-1]), known, n=1)
            message = f"unknown field {loc[-1]!r}" + (hint or f"; known fields: {', '.join(known)}")
            where = yamlio.locate(root, prefix + loc, key=True)
        elif kind == "missing":
            rule = "required"
            message = f"required field {loc[-1]!r} is missing"
            where = yamlio.locate(root, prefix + loc)
        else:
            rule = "type" if kind.endswith("_type") or kind == "model_attributes_type" else "value"
            given = error.get("input")
            message = value_message(kind, given, message, error.get("ctx"))
            where = yamlio.locate(root, prefix + loc)
        problems.append(
            Problem(shown, where.line, where.col, Level.ERROR, rule, message, field_name(loc))
        )
    return problems


def load_claim_file(path: Path, root: Path) -> tuple[ClaimRecord | None, list[Problem]]:
    """One claim file: its record (None when invalid) and the problems found in it."""
    from pydantic import ValidationError

    from claimtrack.core.model import Claim
    from claimtrack.io import yamlio

    shown = display_path(path)
    text = read_text(path, root, shown)
    if isinstance(text, Problem):
        return None, [text]
    data = parse_document(text, shown)
    if isinstance(data, Problem):
        return None, [data]
    try:
        claim = Claim.model_validate(data)
    except ValidationError as exc:
        return None, validation_problems(exc, Claim, text, shown)
    record = ClaimRecord(claim, shown, id_line(text))
    if claim.id == path.stem:
        return record, []
    where = yamlio.locate(yamlio.compose_text(text), ("id",))
    message = f"id {claim.id!r} differs from the file name {path.stem!r}; rename one"
    return record, [Problem(shown, where.line, where.col, Level.ERROR, "id-stem", message, "id")]


def load_registry_file(path: Path, root: Path) -> tuple[list[SourceRecord], list[Problem]]:
    """A registry file: ``sources: [...]``, or (under ``sources/``) a single source mapping."""
    from pydantic import ValidationError

    from claimtrack.core.model import Source, SourceRegistry
    from claimtrack.io import yamlio

    shown = display_path(path)
    text = read_text(path, root, shown)
    if isinstance(text, Problem):
        return [], [text]
    data = parse_document(text, shown)
    if isinstance(data, Problem):
        return [], [data]
    if "sources" not in data:  # one source per file, under sources/
        try:
            source = Source.model_validate(data)
        except ValidationError as exc:
            return [], validation_problems(exc, Source, text, shown)
        return [SourceRecord(source, shown, id_line(text))], []
    try:
        registry = SourceRegistry.model_validate(data)
    except ValidationError as exc:
        # Keep the valid entries of a registry with some bad ones: validate one by one.
        records, problems = [], []
        root_node = yamlio.compose_text(text)
        entries = data.get("sources")
        if not isinstance(entries, list):
            return [], validation_problems(exc, SourceRegistry, text, shown)
        for index, entry in enumerate(entries):
            try:
                source = Source.model_validate(entry)
            except ValidationError as entry_exc:
                for problem in validation_problems(
                    entry_exc, Source, text, shown, ("sources", index)
                ):
                    problems.append(
                        Problem(
                            problem.path,
                            problem.line,
                            problem.col,
                            problem.level,
                            problem.rule,
                            problem.message,
                            field_name(("sources", index)) + "." + problem.field
                            if problem.field
                            else field_name(("sources", index)),
                        )
                    )
                continue
            where = yamlio.locate(root_node, ("sources", index))
            records.append(SourceRecord(source, shown, where.line, ("sources", index)))
        extra = [
            p for p in validation_problems(exc, SourceRegistry, text, shown) if "[" not in p.field
        ]
        return records, problems + extra
    root_node = yamlio.compose_text(text)
    return [
        SourceRecord(source, shown, yamlio.locate(root_node, ("sources", i)).line, ("sources", i))
        for i, source in enumerate(registry.sources)
    ], []
