"""New YAML files from data: canonical key order, the schema modeline, YAML 1.2-safe quoting.

Edits of existing files go through ruamel.yaml's round trip instead, so nothing is lost there.
"""

from __future__ import annotations

from typing import Any

import yaml

from claimtrack.core.model import CLAIM_KEY_ORDER, Claim, Source
from claimtrack.io import yamlio
from claimtrack.io.roundtrip import WIDTH

CLAIM_MODELINE = "# yaml-language-server: $schema=../schema/claim.schema.json\n"
SOURCES_MODELINE = "# yaml-language-server: $schema=../schema/sources.schema.json\n"


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


def claim_text(claim: Claim) -> str:
    """The text of a new claim file."""
    return CLAIM_MODELINE + dump(claim_document(claim))


def source_text(source: Source) -> str:
    """The text of a new one-source file under ``claims/sources/``."""
    return SOURCES_MODELINE + dump(_prune(source.model_dump(mode="json")))
