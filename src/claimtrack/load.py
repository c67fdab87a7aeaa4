"""Reading a claims folder: every file becomes records or Problems, never an exception."""

from __future__ import annotations

import json
import os
import re
import stat
import typing
from collections.abc import Collection, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, NamedTuple

from pydantic import BaseModel, ValidationError

from claimtrack.errors import EnvironmentProblem, UsageError
from claimtrack.model import Claim, Source, SourceRegistry
from claimtrack.problems import Level, Problem

if typing.TYPE_CHECKING:
    from collections.abc import Mapping

    from claimtrack.fastload import Progress
    from claimtrack.status import Derivation

YAML_SUFFIXES = (".yaml", ".yml")
REGISTRY_NAMES = ("sources.yaml", "sources.yml")
REGISTRY_DIR = "sources"


@dataclass(frozen=True)
class ClaimRecord:
    """A valid claim and where it lives (``line`` is the line of its ``id`` key)."""

    claim: Claim
    path: str
    line: int = 1

    @property
    def id(self) -> str:
        """The claim's id (a cached record knows it without building the claim)."""
        return self.claim.id

    @property
    def known_status(self) -> str | None:
        """The status worked out when the record was kept (the index), unless contradicted
        by another claim; None when it must be derived."""
        return None

    def derivation(
        self, sources: Mapping[str, Source], contradicted_by: Collection[str] = ()
    ) -> Derivation:
        """The claim's effective status and its reasons, given the registry and the claims
        that contradict it."""
        from claimtrack.status import derive

        return derive(self.claim, sources, contradicted_by)

    @property
    def facets(self) -> Facets:
        """What counting claims by kind, source, tag and confidence needs."""
        return facets_of(self.claim)

    @property
    def kept_facets(self) -> str:
        """The facets as JSON when something kept them (the index), else ""."""
        return ""

    def release(self) -> None:
        """Let go of the built claim if it can be built again cheaply (a plain record can't)."""


class Facets(NamedTuple):
    """The few fields ``stats`` counts, small enough for the index to keep for every claim."""

    kind: str
    sources: tuple[str, ...]  # every source it cites (its article, its evidence), sorted
    tags: tuple[str, ...]
    confidence: float

    @classmethod
    def from_json(cls, text: str) -> Facets | None:
        """Facets kept as JSON, or None when the text is not what :meth:`to_json` writes."""
        try:
            return cls._from_value(json.loads(text))
        except ValueError:
            return None

    @classmethod
    def many_from_json(cls, texts: Sequence[str]) -> list[Facets | None]:
        """:meth:`from_json` of each text, parsed as one JSON array (100k calls of the JSON
        parser cost more than the counting they feed)."""
        try:
            values = json.loads("[" + ",".join(texts) + "]") if all(texts) else None
        except ValueError:
            values = None
        if values is None or len(values) != len(texts):  # one of them is not a JSON value
            return [cls.from_json(text) if text else None for text in texts]
        return [cls._from_value(value) for value in values]

    @classmethod
    def _from_value(cls, value: Any) -> Facets | None:
        if type(value) is not list or len(value) != 4:
            return None
        kind, sources, tags, confidence = value
        if (
            type(kind) is not str
            or type(sources) is not list
            or type(tags) is not list
            or not set(map(type, sources + tags)) <= {str}
            or type(confidence) not in (int, float)
            or not 0 <= confidence <= 1  # a probability (NaN is not)
        ):
            return None
        return cls(kind, tuple(sources), tuple(tags), float(confidence))

    def to_json(self) -> str:
        return json.dumps(self, separators=(",", ":"))


def all_facets(records: Sequence[ClaimRecord], texts: Sequence[str] | None = None) -> list[Facets]:
    """Every record's facets: the kept ones (``texts``, else the records') parsed in one go,
    the others from the claim."""
    if texts is None or len(texts) != len(records):
        texts = [record.kept_facets for record in records]
    kept = Facets.many_from_json(texts)
    return [
        facets if facets is not None else record.facets
        for record, facets in zip(records, kept, strict=True)
    ]


def facets_of(claim: Claim) -> Facets:
    return Facets(
        claim.attribution.kind.value,
        tuple(sorted({claim.appears_in, *(e.source for e in claim.evidence)})),
        tuple(claim.tags),
        claim.confidence.value,
    )


@dataclass(frozen=True)
class SourceRecord:
    """A valid source; ``loc`` is its place in the file (``("sources", i)``, or ``()``)."""

    source: Source
    path: str
    line: int = 1
    loc: tuple[str | int, ...] = ()


class Memo(typing.Protocol):
    """A store of plain-data results about one state of a folder."""

    def get(self, name: str) -> Any: ...

    def put(self, name: str, value: Any) -> None: ...

    def kept_facets(self) -> list[str] | None:
        """Every claim's facets as JSON, in the dataset's order, if they were kept."""

    def output(self, key: str) -> tuple[dict[str, Any], bytes] | None:
        """A rendered output kept under ``key`` (UTF-8), and what was kept with it."""

    def keep_output(self, key: str, meta: dict[str, Any], text: str) -> None:
        """Keep a rendered output that depends on this state and on ``key`` alone."""


@dataclass
class Dataset:
    """Everything read from a claims folder: the valid records and the problems found."""

    root: Path
    claims: list[ClaimRecord] = field(default_factory=list)
    sources: dict[str, SourceRecord] = field(default_factory=dict)
    #: Every valid source record in file order, duplicates included (``sources`` keeps the first).
    source_list: list[SourceRecord] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    files: int = 0
    #: Claims contradicted by others (quantities, negations): id -> the ids contradicting it.
    contradicted: dict[str, frozenset[str]] = field(default_factory=dict)
    #: The sha256 of every YAML file's bytes by path relative to ``root`` ("" when unreadable);
    #: None for a dataset made otherwise than by reading a folder.
    digests: dict[str, str] | None = None
    #: Results worked out from this very dataset, kept by the index while the folder is
    #: unchanged (None without the index).
    memo: Memo | None = None

    def claim(self, claim_id: str) -> ClaimRecord | None:
        for record in self.claims:
            if record.id == claim_id:
                return record
        return None

    @property
    def claim_count(self) -> int:
        """How many valid claims there are (known to a kept dataset without reading them)."""
        return len(self.claims)

    def claims_of_status(self, statuses: Collection[str]) -> list[ClaimRecord]:
        """The claims that may have one of ``statuses``, in file order: those whose kept status
        is one, those whose status is not known until derived, and those contradicted by other
        claims (their status changes)."""
        against = self.contradicted
        return [
            r
            for r in self.claims
            if (known := r.known_status) is None or known in statuses or r.id in against
        ]


class ClaimRows(typing.Protocol):
    """Where a :class:`KeptDataset` reads its claims from (the index's snapshot)."""

    def count(self) -> int: ...

    def records(self, claim_id: str | None = None) -> list[ClaimRecord]:
        """Every claim's record in file order; with ``claim_id``, those with that id."""

    def of_status(
        self, statuses: Collection[str], contradicted: Collection[str]
    ) -> list[ClaimRecord]:
        """:meth:`Dataset.claims_of_status`, read from the rows of those claims alone."""

    def digests(self) -> dict[str, str] | None:
        """:attr:`Dataset.digests`, if kept."""


class KeptDataset(Dataset):
    """A dataset kept whole (the index's snapshot of an unchanged folder) whose claims and
    file hashes are read when first used: 100k claims' records are made only by commands that
    read them all, and a command that wants one claim, or one status, reads only those."""

    def __init__(self, root: Path, files: int, rows: ClaimRows) -> None:
        super().__init__(root=root, files=files)
        self._rows = rows
        self._unread = {"claims", "digests"}

    @property
    def claims(self) -> list[ClaimRecord]:
        if "claims" in self._unread:
            self._unread.discard("claims")
            self._claims = self._rows.records()
        return self._claims

    @claims.setter
    def claims(self, value: list[ClaimRecord]) -> None:
        self._claims = value
        if hasattr(self, "_unread"):
            self._unread.discard("claims")

    @property
    def digests(self) -> dict[str, str] | None:
        if "digests" in self._unread:
            self._unread.discard("digests")
            self._digests = self._rows.digests()
        return self._digests

    @digests.setter
    def digests(self, value: dict[str, str] | None) -> None:
        self._digests = value
        if hasattr(self, "_unread"):
            self._unread.discard("digests")

    def claim(self, claim_id: str) -> ClaimRecord | None:
        if "claims" not in self._unread:
            return super().claim(claim_id)
        found = self._rows.records(claim_id)
        return found[0] if found else None

    @property
    def claim_count(self) -> int:
        return self._rows.count() if "claims" in self._unread else len(self._claims)

    def claims_of_status(self, statuses: Collection[str]) -> list[ClaimRecord]:
        if "claims" not in self._unread:
            return super().claims_of_status(statuses)
        return self._rows.of_status(statuses, self.contradicted)


def display_path(path: Path) -> str:
    """A path as the user will want to click it: relative to the working folder when inside it."""
    try:
        rel = os.path.relpath(path)
    except ValueError:  # another drive on Windows
        return str(path)
    return str(path) if rel.startswith("..") else rel


def find_claims_dir(explicit: str | None, start: Path | None = None) -> Path:
    """The claims folder: the one given, else ``./claims``, else the nearest ``claims/`` upward."""
    if explicit:
        path = Path(explicit)
        if not path.exists():
            raise UsageError(f"claims folder {explicit!r} does not exist")
        if not path.is_dir():
            raise UsageError(f"{explicit!r} is not a folder")
        return path
    here = (start or Path.cwd()).resolve()
    for folder in (here, *here.parents):
        candidate = folder / "claims"
        if candidate.is_dir():
            return candidate
    raise UsageError(
        "no claims folder: pass --dir PATH, set CLAIMTRACK_DIR, or run inside a project "
        "that has a claims/ folder"
    )


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
    from claimtrack import yamlio

    raw = read_raw(path, root, shown)
    if isinstance(raw, Problem):
        return raw
    try:
        return yamlio.decode(raw)
    except yamlio.YamlProblem as problem:
        return _file_problem(shown, problem.message, problem.rule, problem.line, problem.col)


def read_raw(path: Path, root: Path, shown: str) -> bytes | Problem:
    """The bytes of one file (links out of the folder, devices and huge files refused)."""
    from claimtrack import yamlio

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
        with open(path, "rb") as handle:
            # Sized by the stat: asking for the 2 MiB limit would allocate it for every file.
            raw = handle.read(info.st_size + 1)
            if len(raw) > info.st_size:  # it grew since: read on, up to the limit
                raw += handle.read(yamlio.MAX_FILE_BYTES + 1 - len(raw))
            return raw
    except OSError as exc:
        return _file_problem(shown, f"cannot read: {exc.strerror or exc}", "file-unreadable")


def parse_document(text: str, shown: str) -> dict[str, Any] | Problem:
    """The top-level mapping of a file, or the Problem that stops it."""
    from claimtrack import yamlio

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
    for arg in (annotation, *typing.get_args(annotation)):
        if isinstance(arg, type) and issubclass(arg, BaseModel):
            return arg
        inner = typing.get_args(arg)
        for sub in inner:
            if isinstance(sub, type) and issubclass(sub, BaseModel):
                return sub
    return annotation


def dotted(loc: tuple[str | int, ...]) -> str:
    out = ""
    for part in loc:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else str(part))
    return out


def validation_problems(
    exc: ValidationError,
    model: type[BaseModel],
    text: str,
    shown: str,
    prefix: tuple[Any, ...] = (),
) -> list[Problem]:
    """Turn pydantic's errors into located Problems, with a did-you-mean for unknown fields."""
    from difflib import get_close_matches

    from claimtrack import yamlio

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
            close = get_close_matches(str(loc[-1]), known, n=1, cutoff=0.6)
            message = f"unknown field {loc[-1]!r}" + (
                f"; did you mean {close[0]!r}?" if close else f"; known fields: {', '.join(known)}"
            )
            where = yamlio.locate(root, prefix + loc, key=True)
        elif kind == "missing":
            rule = "required"
            message = f"required field {loc[-1]!r} is missing"
            where = yamlio.locate(root, prefix + loc)
        else:
            rule = "type" if kind.endswith("_type") or kind == "model_attributes_type" else "value"
            given = error.get("input")
            if not isinstance(given, dict | list) and repr(given) not in message:
                shown_value = repr(given) if len(repr(given)) <= 60 else repr(given)[:57] + "..."
                message = f"{message} (got {shown_value})"
            where = yamlio.locate(root, prefix + loc)
        problems.append(
            Problem(shown, where.line, where.col, Level.ERROR, rule, message, dotted(loc))
        )
    return problems


def load_claim_file(path: Path, root: Path) -> tuple[ClaimRecord | None, list[Problem]]:
    """One claim file: its record (None when invalid) and the problems found in it."""
    from claimtrack import yamlio

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
    from claimtrack import yamlio

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
                            dotted(("sources", index)) + "." + problem.field
                            if problem.field
                            else dotted(("sources", index)),
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


def load_dataset(
    root: Path,
    *,
    cache: bool | None = None,
    progress: Progress | None = None,
    keep_claims: bool = True,
) -> Dataset:
    """Read every claim and source under ``root``; bad files become problems, the rest load.

    Large folders are parsed over several processes; with ``cache`` (the default unless
    ``CLAIMTRACK_NO_CACHE`` is set) the results are kept in an index outside the folder so that
    only changed files are parsed again. Claims are built from the index when first used.
    ``keep_claims=False`` keeps only ids and problems (``validate``: memory stays flat).
    """
    from claimtrack.fastload import load

    if cache is None:
        cache = not os.environ.get("CLAIMTRACK_NO_CACHE")
    return load(root, cache=cache, progress=progress, keep_claims=keep_claims)
