"""Source registry edits: add and remove sources, and who cites them."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from claimtrack.core.dataset import Dataset
from claimtrack.core.errors import UsageError
from claimtrack.core.model import (
    Source,
)
from claimtrack.edit.fields import _as_map
from claimtrack.edit.lock import locked
from claimtrack.edit.workspace import Workspace
from claimtrack.io import roundtrip, yamlio
from claimtrack.io.files import (
    REGISTRY_DIR,
    display_path,
)


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

    from claimtrack.io.emit import modeline

    with locked(ws.root, ws.notify):
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
            new_text = modeline("sources", path.relative_to(ws.root)) + roundtrip.dump(doc)
        ws.commit(path, new_text, ws.check_registry(path, new_text))
        return path


def remove_source(ws: Workspace, source_id: str, force: bool) -> tuple[Path, list[str]]:
    """Remove a source from its registry file; refused while cited, unless ``force``."""
    from claimtrack.cache import load_dataset

    with locked(ws.root, ws.notify):
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


#: The fields ``source set`` changes, and how a value is read: text, a list (comma-separated).
SOURCE_FIELDS: dict[str, str] = {
    "title": "text",
    "publisher": "text",
    "url": "text",
    "date": "text",
    "retrieved": "text",
    "kind": "text",
    "reliability": "text",
    "author": "text",
    "derived_from": "list",
    "text_sha256": "text",
    "language": "text",
    "notes": "text",
}


def _edit_source(ws: Workspace, source_id: str, changes: dict[str, Any]) -> Path:
    """Set (a value) or remove (None) fields of one registered source, in whichever registry
    file holds it; the new text is checked as ``validate`` would before it is written."""
    record = ws.sources().get(source_id)
    if record is None:
        raise UsageError(f"no source with id {source_id!r}")
    path = Path(record.path)
    if not path.is_absolute():
        path = Path.cwd() / path
    text = ws.read(path)

    def apply(entry: Any) -> None:
        from ruamel.yaml.comments import CommentedSeq

        for name, value in changes.items():
            if value is None:
                entry.pop(name, None)
                continue
            old = entry.get(name)
            if isinstance(value, list) and isinstance(old, CommentedSeq):
                old[:] = value
            elif name in entry:
                entry[name] = value
            else:  # in the model's order, after the fields that precede it
                order = list(Source.model_fields)
                position = sum(1 for key in entry if key in order[: order.index(name)])
                entry.insert(position, name, value)

    def mutate(doc: Any) -> None:
        entries = doc.get("sources") if isinstance(doc, dict) and "sources" in doc else [doc]
        for entry in entries or []:
            if isinstance(entry, dict) and entry.get("id") == source_id:
                apply(entry)
                return

    new_text = roundtrip.edit_text(text, mutate, display_path(path))
    data = yamlio.load_text(new_text)
    if isinstance(data, dict) and "sources" in data:
        ws.commit(path, new_text, ws.check_registry(path, new_text))
    else:  # a one-source file (sources/<id>.yaml): the source alone is checked
        from pydantic import ValidationError

        from claimtrack.core.escape import one_line

        try:
            Source.model_validate(data)
        except ValidationError as exc:
            first = exc.errors(include_url=False)[0]
            where = ".".join(str(p) for p in first["loc"])
            message = one_line(str(first["msg"]).removeprefix("Value error, "))
            raise UsageError(f"{display_path(path)}: {where}: {message}") from None
        ws.commit(path, new_text, [])
    ws._sources = None
    return path


def set_source_field(ws: Workspace, source_id: str, field: str, raw: str) -> Path:
    """``source set ID FIELD VALUE``: one field of a source; an empty value removes it."""
    kind = SOURCE_FIELDS.get(field)
    if kind is None:
        raise UsageError(
            f"cannot set {field!r}; settable fields: {', '.join(SOURCE_FIELDS)} (the id is "
            "fixed; use `source rm` and `source add` to change it)"
        )
    value: Any = raw
    if kind == "list":
        value = [part.strip() for part in raw.split(",") if part.strip()]
    if field == "reliability":
        value = raw.strip().upper()
    if raw.strip() == "" or value == []:
        if field == "title":
            raise UsageError("a source needs a title")
        value = None
    with locked(ws.root):
        return _edit_source(ws, source_id, {field: value})


def citing(dataset: Dataset, source_id: str) -> list[tuple[str, str]]:
    """The claims that cite a source, each with how: ``appears in``, its stance, ``disputes``."""
    found = []
    for record in dataset.claims:
        claim = record.claim
        how = []
        if claim.appears_in == source_id:
            how.append("appears in")
        how += [item.stance.value for item in claim.evidence if item.source == source_id]
        how += ["disputes" for party in claim.disputed_by if party.source == source_id]
        if how:
            found.append((claim.id, ", ".join(how)))
    return found


def archive_text(
    ws: Workspace, source_id: str, text: str, retrieved: str, force: bool = False
) -> tuple[Path, str]:
    """Archive ``text`` as ``sources/<id>.txt`` and register its sha256 and ``retrieved``.

    Refused (with nothing written) when the source has an archive whose text differs, unless
    ``force``; the registry is checked before either file is written. Returns the archive's
    path and its sha256."""
    import hashlib

    from claimtrack.io.archive import archive_path
    from claimtrack.io.atomic import atomic_write

    data = text.encode("utf-8")
    digest = hashlib.sha256(data).hexdigest()
    with locked(ws.root):
        record = ws.sources().get(source_id)
        if record is None:
            raise UsageError(f"no source with id {source_id!r}")
        target = archive_path(ws.root, source_id)
        if target.exists() and target.read_bytes() != data and not force:
            raise UsageError(
                f"{display_path(target)} holds a different text; pass --force to replace it"
            )
        registered = record.source.text_sha256
        if registered and registered != digest and not force and not target.exists():
            raise UsageError(
                f"source {source_id!r} registers another text (text_sha256 {registered[:12]}…); "
                "pass --force to replace it"
            )
        target.parent.mkdir(parents=True, exist_ok=True)
        before = target.read_bytes() if target.exists() else None
        atomic_write(target, data)
        try:
            _edit_source(ws, source_id, {"text_sha256": digest, "retrieved": retrieved})
        except BaseException:  # the registry refused: the archive goes back as it was
            if before is None:
                target.unlink()
            else:
                atomic_write(target, before)
            raise
        return target, digest


def page_text(data: bytes, charset: str | None, is_html: bool) -> str:
    """The archived text of a fetched page or a file: the article's text for HTML (the
    article reader's blocks, furniture left out), else the text as it is."""
    from claimtrack.core.vocab import ArticleFormat
    from claimtrack.io.article import read_article, sniff

    try:
        text = data.decode(charset or "utf-8")
    except (UnicodeDecodeError, LookupError):
        raise UsageError("the text is not UTF-8 (or its declared charset)") from None
    text = text.removeprefix("\ufeff")
    if is_html or sniff(text) is ArticleFormat.HTML:
        blocks = read_article(text, ArticleFormat.HTML)
        return "\n\n".join(b.text for b in blocks if b.furniture is None) + "\n"
    return text


def read_local(path: Path) -> bytes:
    """A file's bytes for ``source archive``, within the fetch size limit."""
    from claimtrack.io.fetch import MAX_BYTES

    try:
        if not path.is_file():
            raise UsageError(f"{path} is not a file")
        with open(path, "rb") as handle:
            data = handle.read(MAX_BYTES + 1)
    except FileNotFoundError:
        raise UsageError(f"no such file: {path}") from None
    except OSError as exc:
        raise UsageError(f"cannot read {path}: {exc.strerror or exc}") from None
    if len(data) > MAX_BYTES:
        raise UsageError(f"{path} is over the {MAX_BYTES}-byte limit")
    return data


def archive_state(root: Path, source: Source) -> str | None:
    """What ``source show`` says of the archive: where it is and whether it matches."""
    import hashlib

    from claimtrack.io.archive import archive_path

    target = archive_path(root, source.id)
    if not target.exists():
        return "none" if source.text_sha256 is None else "missing (text_sha256 is registered)"
    digest = hashlib.sha256(target.read_bytes()).hexdigest()
    shown = display_path(target)
    if source.text_sha256 is None:
        return f"{shown} (not registered: no text_sha256)"
    if digest == source.text_sha256:
        return f"{shown} (matches text_sha256)"
    return f"{shown} (changed: its sha256 is not the registered text_sha256)"
