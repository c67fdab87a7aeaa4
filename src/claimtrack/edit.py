"""The write side: validated round-trip edits, atomic writes and a lock around each change.

Every change follows one path: take the folder's lock, read the file, change it in memory
(ruamel.yaml round trip, see ``roundtrip.py``), check the new text with claimtrack's own reader
and cross checks, and only then replace the file atomically. An invalid result raises
``InvalidWrite`` with the same located problems as ``validate``, and nothing is written.
"""

from __future__ import annotations

import contextlib
import os
import re
import unicodedata
from collections.abc import Callable, Container, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ValidationError

from claimtrack import roundtrip, yamlio
from claimtrack.errors import DataError, EnvironmentProblem, UsageError
from claimtrack.load import (
    REGISTRY_DIR,
    REGISTRY_NAMES,
    ClaimRecord,
    Dataset,
    SourceRecord,
    display_path,
    id_line,
    iter_yaml_files,
    load_registry_file,
    parse_document,
    validation_problems,
)
from claimtrack.model import (
    _RESERVED,
    Attribution,
    Claim,
    Confidence,
    Evidence,
    Party,
    Quantity,
    Source,
    Speaker,
)
from claimtrack.problems import Level, Problem, has_errors

#: The lock file of a claims folder; hidden, so the loader never lists it.
LOCK_NAME = ".claimtrack.lock"
#: Registry files smaller than this (bytes in all) are parsed: quicker than opening the index.
INDEXED_REGISTRY_MIN = 64 * 1024
#: Seconds to wait for another claimtrack's lock; ``CLAIMTRACK_LOCK_TIMEOUT`` overrides it.
DEFAULT_LOCK_TIMEOUT = 10.0


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


def lock_timeout() -> float:
    raw = os.environ.get("CLAIMTRACK_LOCK_TIMEOUT", "").strip()
    if not raw:
        return DEFAULT_LOCK_TIMEOUT
    try:
        value = float(raw)
    except ValueError:
        raise UsageError(f"CLAIMTRACK_LOCK_TIMEOUT={raw!r} is not a number of seconds") from None
    if value != value or value < 0:
        raise UsageError(f"CLAIMTRACK_LOCK_TIMEOUT={raw!r} must be zero or more seconds")
    return value


@contextlib.contextmanager
def locked(root: Path) -> Iterator[None]:
    """Hold the claims folder's write lock; other claimtrack writers wait, then give up clearly.

    The lock file is removed while still held, so it never outlives the change; a waiter that
    locked the removed file notices (filelock checks the link count) and locks the new one.
    """
    from filelock import FileLock, Timeout

    path = root / LOCK_NAME
    timeout = lock_timeout()
    lock = FileLock(path, timeout=timeout)
    try:
        lock.acquire()
    except Timeout:
        raise EnvironmentProblem(
            f"another claimtrack process is changing {display_path(root)} (lock "
            f"{display_path(path)}); gave up after {timeout:g} s: try again, or set "
            "CLAIMTRACK_LOCK_TIMEOUT to wait longer"
        ) from None
    except OSError as exc:
        raise EnvironmentProblem(
            f"cannot lock {display_path(path)}: {exc.strerror or exc}"
        ) from None
    try:
        yield
    finally:
        with contextlib.suppress(OSError):
            os.unlink(path)
        lock.release()


# ---------------------------------------------------------------------------------------------
# Ids


_STOPWORDS = frozenset(
    {
        "a",
        "an",
        "the",
        "of",
        "in",
        "on",
        "at",
        "to",
        "for",
        "and",
        "or",
        "is",
        "are",
        "was",
        "were",
        "be",
        "been",
        "has",
        "have",
        "had",
        "by",
        "with",
        "that",
        "this",
        "it",
        "its",
        "as",
        "from",
    }
)
MAX_SLUG_WORDS_LENGTH = 60


def slugify(text: str, max_length: int = MAX_SLUG_WORDS_LENGTH) -> str:
    """A readable id from a statement: ascii words, no stopwords, at most ``max_length`` long.

    Only ``a-z``, ``0-9`` and inner hyphens: never a path, never a Windows device name.
    """
    folded = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")
    words = re.findall(r"[a-z0-9]+", folded.lower())
    kept = [w for w in words if w not in _STOPWORDS] or words
    slug = ""
    for word in kept:
        candidate = f"{slug}-{word}" if slug else word
        if len(candidate) > max_length:
            break
        slug = candidate
    if not slug:
        slug = kept[0][:max_length] if kept else "claim"
    if slug in _RESERVED:
        slug += "-claim"
    return slug


def unique_slug(base: str, taken: Container[str]) -> str:
    """``base``, or ``base-2``, ``base-3``… whichever is free."""
    if base not in taken:
        return base
    n = 2
    while f"{base}-{n}" in taken:
        n += 1
    return f"{base}-{n}"


# ---------------------------------------------------------------------------------------------
# The folder


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
        from claimtrack.lookup import claim_files_named

        self._check_readable()
        return claim_files_named(self.root, stem)

    def taken(self) -> Container[str]:
        """The ids in use, for ``in`` tests one id at a time."""
        return _TakenIds(self)

    def registry_files(self) -> list[Path]:
        from claimtrack.lookup import registry_files

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
        from claimtrack.escape import one_line

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
        from claimtrack import index
        from claimtrack.fastload import DisplayPaths, registry_sources

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
        from claimtrack.checks import cross_check

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
        from claimtrack.model import SourceRegistry

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
        from claimtrack.fsutil import atomic_write

        if has_errors(problems):
            raise InvalidWrite(path, problems)
        try:
            atomic_write(path, text)
        except OSError as exc:
            raise EnvironmentProblem(
                f"cannot write {display_path(path)}: {exc.strerror or exc}"
            ) from None
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


@dataclass(frozen=True)
class Change:
    """What one write did: the claim before and after, where, and the warnings left."""

    path: Path
    before: Claim | None
    after: Claim | None
    warnings: list[Problem] = field(default_factory=list)


def _claim_of(text: str) -> Claim | None:
    try:
        return Claim.model_validate(yamlio.load_text(text))
    except (ValidationError, yamlio.YamlProblem):
        return None


def update_claim(ws: Workspace, claim_id: str, mutate: Callable[[Any], None]) -> Change:
    """Read-modify-write one claim under the lock; only what ``mutate`` touches changes."""
    with locked(ws.root):
        path = ws.claim_path(claim_id)
        text = ws.read(path)
        shown = display_path(path)
        if not isinstance(roundtrip.load(text, shown), dict):
            raise DataError(f"{shown}: not a mapping; fix it with `claimtrack edit`")
        new_text = roundtrip.edit_text(text, mutate, shown)
        warnings = ws.commit(path, new_text, ws.check_claim(path, new_text))
        return Change(path, _claim_of(text), _claim_of(new_text), warnings)


def create_claim(ws: Workspace, claim: Claim) -> Change:
    """Write a new claim file (the schema modeline first); refused when its id is taken."""
    from claimtrack.emit import claim_text

    with locked(ws.root):
        path = ws.root / f"{claim.id}.yaml"
        if ws.files_named(claim.id) or path.exists():
            raise UsageError(f"a claim with id {claim.id!r} already exists")
        # emit gives the model's field order; fmt's layout keeps `add` and `fmt --check` agreed.
        text = canonical_text(claim_text(claim), "claim")
        warnings = ws.commit(path, text, ws.check_claim(path, text))
        return Change(path, None, claim, warnings)


# ---------------------------------------------------------------------------------------------
# Changes to a claim document (ruamel CommentedMap)


def _scalar_like(old: Any, value: Any) -> Any:
    """``value`` written in the style of ``old`` (quoted stays quoted); multi-line as a block."""
    from ruamel.yaml.scalarstring import LiteralScalarString, ScalarString

    if not isinstance(value, str):
        return value
    if "\n" in value:
        return LiteralScalarString(value)
    if isinstance(old, ScalarString) and not isinstance(old, LiteralScalarString):
        return type(old)(value)
    return value


def _insert_in_order(mapping: Any, key: str, value: Any, model: type[BaseModel]) -> None:
    """Set ``key``; a new key goes where the model's field order puts it, not at the end."""
    if key in mapping:
        mapping[key] = _scalar_like(mapping[key], value)
        return
    order = key_order(model)
    rank = order.index(key) if key in order else len(order)
    position = len(mapping)
    for index, existing in enumerate(mapping):
        if existing in order and order.index(existing) > rank:
            position = index
            break
    mapping.insert(position, key, _scalar_like(None, value))


def _as_map(values: dict[str, Any], model: type[BaseModel]) -> Any:
    """A new mapping in the model's field order, without empty fields."""
    from ruamel.yaml.comments import CommentedMap

    out = CommentedMap()
    for key in model.model_fields:
        value = values.get(key)
        if value is not None and value != []:
            out[key] = _scalar_like(None, value)
    return out


#: Fields ``set`` can change, and how its VALUE is read.
SETTABLE: dict[str, str] = {
    "statement": "text",
    "quote": "text",
    "prefix": "text",
    "suffix": "text",
    "appears_in": "text",
    "status": "text",
    "confidence": "confidence",
    "analytic_confidence": "text",
    "type": "text",
    "tags": "list",
    "notes": "text",
    "date": "text",
    "attribution.name": "text",
    "attribution.role": "text",
    "attribution.kind": "text",
    "quantity.value": "number",
    "quantity.unit": "text",
    "quantity.approx": "bool",
    "quantity.as_of": "text",
    "quantity.period": "text",
    "quantity.measure": "text",
}

_SUBMODELS: dict[str, type[BaseModel]] = {"attribution": Attribution, "quantity": Quantity}


def parse_value(field_name: str, raw: str) -> Any:
    """The typed value of ``set FIELD VALUE``."""
    kind = SETTABLE.get(field_name)
    if kind is None:
        raise UsageError(
            f"cannot set {field_name!r}; settable fields: {', '.join(SETTABLE)} (use "
            "`evidence add`, `dispute` or `edit` for the rest)"
        )
    if kind == "list":
        return [part.strip() for part in raw.split(",") if part.strip()]
    if kind == "number" or (kind == "confidence" and _is_number(raw)):
        if not _is_number(raw):
            raise UsageError(f"{field_name} must be a number, not {raw!r}")
        number = float(raw)
        whole = kind == "number" and number.is_integer() and "." not in raw
        return int(number) if whole else number
    if kind == "bool":
        lowered = raw.strip().lower()
        if lowered not in ("true", "false", "yes", "no"):
            raise UsageError(f"{field_name} must be true or false, not {raw!r}")
        return lowered in ("true", "yes")
    return raw


def _is_number(raw: str) -> bool:
    try:
        float(raw)
    except ValueError:
        return False
    return raw.strip().lower() not in ("nan", "inf", "-inf", "+inf", "infinity")


def set_field(field_name: str, value: Any) -> Callable[[Any], None]:
    """A change that sets (or with ``value=None`` removes) one field."""
    from ruamel.yaml.comments import CommentedMap, CommentedSeq

    def mutate(doc: Any) -> None:
        *parents, leaf = field_name.split(".")
        target: Any = doc
        model: type[BaseModel] = Claim
        for part in parents:
            if part not in target or not isinstance(target[part], dict):
                if value is None:
                    return
                _insert_in_order(target, part, CommentedMap(), model)
            target, model = target[part], _SUBMODELS[part]
        if value is None:
            target.pop(leaf, None)
            return
        old = target.get(leaf)
        if isinstance(value, list) and isinstance(old, CommentedSeq):
            old[:] = value  # keeps the list's style (flow or block) and its comments
            return
        _insert_in_order(target, leaf, value, model)

    return mutate


def append_item(list_field: str, item: dict[str, Any]) -> Callable[[Any], None]:
    """A change that appends an evidence item or a disputing party."""
    from ruamel.yaml.comments import CommentedSeq

    models: dict[str, type[BaseModel]] = {"evidence": Evidence, "disputed_by": Party}
    model = models[list_field]

    def mutate(doc: Any) -> None:
        entry = _as_map(item, model)
        current = doc.get(list_field)
        if current is not None and not isinstance(current, CommentedSeq):
            raise DataError(f"{list_field} is not a list; fix it with `claimtrack edit`")
        if isinstance(current, CommentedSeq) and (len(current) or not current.fa.flow_style()):
            current.append(entry)
            return
        seq = CommentedSeq([entry])
        _insert_in_order(doc, list_field, seq, Claim)
        doc[list_field] = seq

    return mutate


def keep_status_in_step(ws: Workspace, claim_id: str, change: Change) -> Change:
    """After new evidence or a dispute: a written ``status`` that matched the evidence before
    is moved to the newly derived status, so the file does not start to disagree with itself."""
    from claimtrack.status import derive

    before, after = change.before, change.after
    if before is None or after is None or before.status is None:
        return change
    sources = {sid: rec.source for sid, rec in ws.sources().items()}
    old, new = derive(before, sources).status, derive(after, sources).status
    if before.status is not old or after.status is not old or new is old:
        return change
    return update_claim(ws, claim_id, set_field("status", new.value))


# ---------------------------------------------------------------------------------------------
# References between claims


#: Free-text fields in which a claim may name another claim by its id ("see other-claim-id").
MENTION_FIELDS = ("notes", "evidence[].note", "disputed_by[].note")


def mention_pattern(claim_id: str) -> re.Pattern[str]:
    """The id as a whole token: not inside a longer slug, not followed by a file suffix."""
    return re.compile(rf"(?<![a-z0-9-]){re.escape(claim_id)}(?![a-z0-9-]|\.ya?ml)")


def _texts_of(claim: Claim) -> list[str]:
    texts = [claim.notes or ""]
    texts += [item.note or "" for item in claim.evidence]
    texts += [party.note or "" for party in claim.disputed_by]
    return texts


def mentions_of(dataset: Dataset, claim_id: str) -> list[ClaimRecord]:
    """The other claims that name ``claim_id`` in a note (only hyphenated ids: a one-word id
    would match ordinary words)."""
    if "-" not in claim_id:
        return []
    pattern = mention_pattern(claim_id)
    return [
        record
        for record in dataset.claims
        if record.claim.id != claim_id and any(pattern.search(t) for t in _texts_of(record.claim))
    ]


def rename_mentions(old: str, new: str) -> Callable[[Any], None]:
    """A change that renames mentions of claim ``old`` in a claim's notes."""
    pattern = mention_pattern(old)

    def fix(mapping: Any, key: str) -> None:
        value = mapping.get(key)
        if isinstance(value, str) and pattern.search(value):
            mapping[key] = _scalar_like(value, pattern.sub(new, value))

    def mutate(doc: Any) -> None:
        fix(doc, "notes")
        for name in ("evidence", "disputed_by"):
            for item in doc.get(name) or []:
                if isinstance(item, dict):
                    fix(item, "note")

    return mutate


def remove_claim(ws: Workspace, claim_id: str, force: bool) -> tuple[Path, list[ClaimRecord]]:
    """Delete a claim's file; refused while other claims mention it, unless ``force``."""
    from claimtrack.load import load_dataset

    with locked(ws.root):
        path = ws.claim_path(claim_id)
        mentions = mentions_of(load_dataset(ws.root), claim_id)
        if mentions and not force:
            names = ", ".join(r.claim.id for r in mentions)
            raise UsageError(
                f"{claim_id!r} is mentioned by {len(mentions)} other claim(s): {names}; "
                "pass --force to remove it anyway"
            )
        try:
            path.unlink()
        except OSError as exc:
            shown = display_path(path)
            raise EnvironmentProblem(f"cannot remove {shown}: {exc.strerror}") from None
        return path, mentions


def rename_claim(ws: Workspace, old: str, new: str) -> tuple[Path, list[Path]]:
    """Rename a claim: its id, its file and every mention of it. All or nothing is checked
    before anything is written; returns the new path and the other files changed."""
    from claimtrack.load import load_dataset
    from claimtrack.model import _check_slug

    try:
        _check_slug(new)
    except ValueError as exc:
        raise UsageError(f"{new!r}: {exc}") from None
    with locked(ws.root):
        path = ws.claim_path(old)
        if new in ws.claim_files():
            raise UsageError(f"a claim with id {new!r} already exists")
        target = path.with_name(f"{new}.yaml")
        text = ws.read(path)
        new_text = roundtrip.edit_text(text, set_field("id", new), display_path(path))
        new_text = roundtrip.edit_text(new_text, rename_mentions(old, new), display_path(path))
        others = {stem for stem in ws.claim_files() if stem != old}
        plan = [(target, new_text, ws.check_claim(target, new_text, others))]
        for record in mentions_of(load_dataset(ws.root), old):
            other = Path(record.path)
            other_text = roundtrip.edit_text(ws.read(other), rename_mentions(old, new), record.path)
            rest = (others - {other.stem}) | {new}
            plan.append((other, other_text, ws.check_claim(other, other_text, rest)))
        for where, _, problems in plan:
            if has_errors(problems):
                raise InvalidWrite(where, problems)
        for where, written, problems in plan:
            ws.commit(where, written, problems)
        path.unlink()
        return target, [where for where, _, _ in plan[1:]]


# ---------------------------------------------------------------------------------------------
# The source registry


def citations_of(dataset: Dataset, source_id: str) -> list[str]:
    """Where a source is cited: claims (appears_in, evidence, disputes) and derived sources."""
    cited = []
    for record in dataset.claims:
        claim = record.claim
        if (
            claim.appears_in == source_id
            or any(item.source == source_id for item in claim.evidence)
            or any(party.source == source_id for party in claim.disputed_by)
        ):
            cited.append(f"claim {claim.id}")
    for sid, rec in dataset.sources.items():
        if source_id in rec.source.derived_from:
            cited.append(f"source {sid}")
    return cited


def add_source(ws: Workspace, source: Source) -> Path:
    """Append a source to ``sources.yaml`` (round trip), creating the registry if need be."""
    from ruamel.yaml.comments import CommentedSeq

    from claimtrack.emit import SOURCES_MODELINE

    with locked(ws.root):
        path = ws.registry_path()
        if source.id in ws.sources():
            raise UsageError(f"a source with id {source.id!r} already exists")
        entry = source.model_dump(mode="json", exclude_defaults=False)
        entry = {k: v for k, v in entry.items() if v not in (None, [])}

        def mutate(doc: Any) -> None:
            current = doc.get("sources")
            if isinstance(current, CommentedSeq) and (len(current) or not current.fa.flow_style()):
                current.append(_as_map(entry, Source))
            else:
                doc["sources"] = CommentedSeq([_as_map(entry, Source)])

        if path.exists():
            text = ws.read(path)
            new_text = roundtrip.edit_text(text, mutate, display_path(path))
        else:
            doc = roundtrip.load("sources: []\n")
            mutate(doc)
            new_text = SOURCES_MODELINE + roundtrip.dump(doc)
        ws.commit(path, new_text, ws.check_registry(path, new_text))
        return path


def remove_source(ws: Workspace, source_id: str, force: bool) -> tuple[Path, list[str]]:
    """Remove a source from its registry file; refused while cited, unless ``force``."""
    from claimtrack.load import load_dataset

    with locked(ws.root):
        record = ws.sources().get(source_id)
        if record is None:
            raise UsageError(f"no source with id {source_id!r}")
        cited = citations_of(load_dataset(ws.root), source_id)
        if cited and not force:
            raise UsageError(
                f"source {source_id!r} is cited by {', '.join(cited)}; pass --force to remove "
                "it anyway (those citations then fail validate)"
            )
        path = Path(record.path)
        if not path.is_absolute():
            path = Path.cwd() / path
        text = ws.read(path)
        if path.parent.name == REGISTRY_DIR and "sources" not in (yamlio.load_text(text) or {}):
            path.unlink()  # a one-source file
            return path, cited

        def mutate(doc: Any) -> None:
            entries = doc["sources"]
            for index, entry in enumerate(entries):
                if isinstance(entry, dict) and entry.get("id") == source_id:
                    del entries[index]
                    break

        new_text = roundtrip.edit_text(text, mutate, display_path(path))
        ws._sources = {k: v for k, v in ws.sources().items() if k != source_id}
        ws.commit(path, new_text, ws.check_registry(path, new_text))
        return path, cited


# ---------------------------------------------------------------------------------------------
# The canonical layout (fmt)

#: The order of a claim's keys, as the README documents and the shipped claims use: what is
#: said and where first, then who says it and how likely, then the evidence and the verdict.
CLAIM_KEY_ORDER = (
    "id",
    "statement",
    "quote",
    "prefix",
    "suffix",
    "appears_in",
    "type",
    "attribution",
    "confidence",
    "analytic_confidence",
    "quantity",
    "evidence",
    "disputed_by",
    "negates",
    "status",
    "verdict",
    "tags",
    "notes",
    "date",
)


def key_order(model: type[BaseModel]) -> list[str]:
    return list(CLAIM_KEY_ORDER) if model is Claim else list(model.model_fields)


_NESTED: dict[type[BaseModel] | None, dict[str, type[BaseModel]]] = {
    Claim: {
        "attribution": Attribution,
        "evidence": Evidence,
        "disputed_by": Party,
        "quantity": Quantity,
        "confidence": Confidence,
    },
    Attribution: {"via": Speaker},
}


def _canonical(node: Any, model: type[BaseModel] | None) -> None:
    """Keys in the model's order (comments travel with their keys), every collection in block
    style; ``model`` None only restyles."""
    from ruamel.yaml.comments import CommentedMap, CommentedSeq

    if isinstance(node, CommentedSeq):
        node.fa.set_block_style()
        for item in node:
            _canonical(item, model)
        return
    if not isinstance(node, CommentedMap):
        return
    node.fa.set_block_style()
    if model is not None:
        order = key_order(model)
        for key in sorted(node, key=lambda k: order.index(k) if k in order else len(order)):
            node.move_to_end(key)
    nested = _NESTED.get(model, {}) if model is not None else {}
    for key in node:
        _canonical(node[key], nested.get(key))


def canonical_text(text: str, kind: str, path: str = "") -> str:
    """A claim (``kind="claim"``) or registry file in the canonical layout, same data, same
    comments: model key order, two-space indents, dashes at the parent's indent, block style,
    the schema modeline first."""
    from claimtrack.emit import CLAIM_MODELINE, SOURCES_MODELINE

    doc: Any = roundtrip.load(text, path)
    if kind == "claim":
        _canonical(doc, Claim)
        modeline = CLAIM_MODELINE
    else:
        if isinstance(doc, dict) and "sources" in doc:
            _canonical(doc.get("sources"), Source)
            _canonical(doc, None)
        else:
            _canonical(doc, Source)
        modeline = SOURCES_MODELINE
    out = roundtrip.dump(doc, roundtrip.yaml_rt(2, 0))
    if "yaml-language-server:" not in text.split("\n", 1)[0]:
        out = modeline + out
    return out


@dataclass(frozen=True)
class FormatResult:
    changed: list[Path]
    skipped: list[Problem]


def format_folder(ws: Workspace, check: bool) -> FormatResult:
    """Put every file in the canonical layout (or, with ``check``, list those that differ).

    A file is rewritten only when its new text reads back as exactly the same data; a file
    that does not parse is skipped and reported."""
    changed: list[Path] = []
    skipped: list[Problem] = []
    with contextlib.ExitStack() as stack:
        if not check:
            stack.enter_context(locked(ws.root))
        for path in iter_yaml_files(ws.root):
            shown = display_path(path)
            try:
                raw = path.read_bytes()
                text = yamlio.decode(raw)
                data = yamlio.load_text(text)
                kind = "registry" if _is_registry(ws.root, path) else "claim"
                new_text = canonical_text(text, kind, shown)
                same = yamlio.load_text(new_text) == data
            except yamlio.YamlProblem as problem:
                skipped.append(
                    Problem(
                        shown, problem.line, problem.col, Level.ERROR, problem.rule, problem.message
                    )
                )
                continue
            except (OSError, DataError) as exc:
                skipped.append(Problem(shown, 0, 0, Level.ERROR, "file-unreadable", str(exc)))
                continue
            if not same:
                skipped.append(
                    Problem(
                        shown,
                        0,
                        0,
                        Level.ERROR,
                        "fmt-unsafe",
                        "the canonical layout would change the data; left as is",
                    )
                )
                continue
            if new_text.encode("utf-8") == raw:
                continue
            changed.append(path)
            if not check:
                ws.commit(path, new_text, [])
    return FormatResult(changed, skipped)


# ---------------------------------------------------------------------------------------------
# The editor


def editor_command() -> list[str]:
    """``$VISUAL``, else ``$EDITOR``, split like a shell would."""
    import shlex

    for name in ("VISUAL", "EDITOR"):
        value = os.environ.get(name, "").strip()
        if value:
            try:
                return shlex.split(value)
            except ValueError:
                raise UsageError(f"${name} cannot be read as a command: {value!r}") from None
    raise UsageError("set $VISUAL or $EDITOR to your editor (for example EDITOR=nano)")


def recovery_path(path: Path) -> Path:
    """Where ``edit`` keeps the text being edited: beside the claim, hidden from the loader."""
    return path.with_name(f".{path.stem}.edit{path.suffix}")


def run_editor(command: list[str], path: Path) -> None:
    import subprocess

    try:
        result = subprocess.run([*command, str(path)], check=False)
    except OSError as exc:
        raise EnvironmentProblem(
            f"cannot run the editor {command[0]!r}: {exc.strerror or exc}; your text is in "
            f"{display_path(path)}"
        ) from None
    if result.returncode != 0:
        raise EnvironmentProblem(
            f"the editor exited with status {result.returncode}; nothing saved, your text is "
            f"in {display_path(path)}"
        )


# ---------------------------------------------------------------------------------------------
# A new folder


CLAIMS_README = """\
# Claims

One claim per YAML file, named after its id (`some-claim-id.yaml`); the sources the claims cite
are in `sources.yaml`. The first line of each file points editors at the JSON Schema in
`../schema/`, so they can check and complete fields as you type.

    claimtrack source add --title "..." --publisher "..." --kind article
    claimtrack add --statement "..." --source SOURCE-ID --attributed-to "..." --kind official
    claimtrack validate

Write with `claimtrack` (add, set, evidence add, edit, mv, rm, fmt): every change is checked
before it is written, files are replaced atomically and comments are kept.
"""


#: What a write may leave beside the claims and git should not pick up.
CLAIMS_GITIGNORE = f"""\
# claimtrack: the write lock, an unfinished `claimtrack edit`, a write cut off mid-way
{LOCK_NAME}
.*.edit.yaml
.*.tmp
"""


def init_folder(project: Path) -> list[Path]:
    """A new ``claims/`` folder (empty registry, a README) and ``schema/`` beside it."""
    from claimtrack.emit import SOURCES_MODELINE
    from claimtrack.fsutil import atomic_write
    from claimtrack.render.json import dumps
    from claimtrack.schema import SCHEMA_FILES, build_schema

    claims = project / "claims"
    if claims.exists() and any(claims.iterdir()):
        raise UsageError(f"{display_path(claims)} already exists and is not empty")
    written = []
    try:
        claims.mkdir(parents=True, exist_ok=True)
        (project / "schema").mkdir(exist_ok=True)
        files = {
            claims / "sources.yaml": SOURCES_MODELINE + "sources: []\n",
            claims / "README.md": CLAIMS_README,
            claims / ".gitignore": CLAIMS_GITIGNORE,
        }
        for name, which in SCHEMA_FILES.items():
            files[project / "schema" / name] = dumps(build_schema(which)) + "\n"
        for path, text in files.items():
            atomic_write(path, text)
            written.append(path)
    except OSError as exc:
        raise EnvironmentProblem(f"cannot create {display_path(claims)}: {exc.strerror}") from None
    return written
