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
