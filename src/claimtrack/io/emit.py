"""New YAML files from data: canonical key order, the schema modeline, YAML 1.2-safe quoting.

Edits of existing files go through ruamel.yaml's round trip instead, so nothing is lost there.
"""

from __future__ import annotations

import os
import posixpath
from pathlib import Path, PurePath
from typing import Any

import yaml

from claimtrack.core.model import CLAIM_KEY_ORDER, Claim, Source
from claimtrack.io import yamlio
from claimtrack.io.roundtrip import WIDTH

#: The modeline of a claim file, or a registry, right inside the claims folder (``schema/`` is
#: beside that folder); deeper files need :func:`modeline`.
CLAIM_MODELINE = "# yaml-language-server: $schema=../schema/claim.schema.json\n"
SOURCES_MODELINE = "# yaml-language-server: $schema=../schema/sources.schema.json\n"
#: The start of every modeline claimtrack writes (how ``fmt`` recognises its own).
MODELINE_START = "# yaml-language-server: $schema="


def modeline(kind: str, relative: PurePath | str) -> str:
    """The schema modeline of a ``claim`` or ``sources`` file at ``relative`` (its path inside
    the claims folder): the schema path is resolved from the file's own folder, as editors do,
    so ``sources/x.yaml`` points at ``../../schema/``. For a file anywhere, see
    :func:`modeline_at`."""
    # A made-up absolute project keeps the arithmetic off the real file system and its cwd.
    folder = posixpath.normpath(posixpath.join("/p/claims", PurePath(relative).parent.as_posix()))
    schema = posixpath.relpath("/p/schema", folder)
    return f"{MODELINE_START}{schema}/{kind}.schema.json\n"


def modeline_at(kind: str, path: Path, root: Path) -> str:
    """The modeline of a file at ``path``, anywhere, that belongs with the claims folder
    ``root`` (whose ``schema/`` is beside it): e.g. drafts written outside the project."""
    schema = root.resolve().parent / "schema"
    try:
        target = PurePath(os.path.relpath(schema, path.resolve().parent)).as_posix()
    except ValueError:  # another drive, on Windows: only an absolute path leads there
        target = schema.as_posix()
    return f"{MODELINE_START}{target}/{kind}.schema.json\n"


class _Dumper(yaml.SafeDumper):
    """Block style, unicode kept, and strings that YAML 1.2 would read as another type quoted."""


def _represent_str(dumper: _Dumper, value: str) -> yaml.ScalarNode:
    style = None
    if value != "" and yamlio.load_text_scalar_type(value) is not str:
        style = '"'
    if "\n" in value:
        style = "|"
    return dumper.represent_scalar("tag:yaml.org,2002:str", value, style=style)


_Dumper.add_representer(str, _represent_str)


def dump(data: Any) -> str:
    return yaml.dump(
        data,
        Dumper=_Dumper,
        sort_keys=False,
        allow_unicode=True,
        default_flow_style=False,
        width=WIDTH,
        indent=2,
    )


def _prune(value: Any) -> Any:
    """Drop empty lists and None so new files hold only what was said."""
    if isinstance(value, dict):
        return {k: _prune(v) for k, v in value.items() if v is not None and v != []}
    if isinstance(value, list):
        return [_prune(v) for v in value]
    return value


def claim_document(claim: Claim) -> dict[str, Any]:
    """A claim as file data in the canonical key order; confidence as written (word or number)."""
    dumped = _prune(claim.model_dump(mode="json"))
    data = {key: dumped[key] for key in CLAIM_KEY_ORDER if key in dumped}
    confidence = data["confidence"]
    data["confidence"] = confidence["word"] if _is_band_middle(claim) else confidence["value"]
    return data


def _is_band_middle(claim: Claim) -> bool:
    from claimtrack.core.vocab import band_for_word

    band = band_for_word(claim.confidence.word)
    return band is not None and band.value == claim.confidence.value


def claim_text(
    claim: Claim, relative: PurePath | str = "claim.yaml", line: str | None = None
) -> str:
    """The text of a new claim file at ``relative`` inside the claims folder (or with the
    modeline ``line``, for a file elsewhere)."""
    return (line or modeline("claim", relative)) + dump(claim_document(claim))


def source_text(source: Source, relative: PurePath | str = "sources/source.yaml") -> str:
    """The text of a new one-source file (by default one under ``claims/sources/``)."""
    return modeline("sources", relative) + dump(_prune(source.model_dump(mode="json")))
