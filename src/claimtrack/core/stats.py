"""Figures about a claims folder: counts by status, kind, source, tag; confidence bands."""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from typing import Any

from claimtrack.core.dataset import Dataset, all_facets
from claimtrack.core.query import Entry
from claimtrack.core.vocab import LIKELIHOOD_BANDS, STATUS_ORDER, band_for_value


def _sorted(counter: Counter[str]) -> dict[str, int]:
    return dict(sorted(counter.items(), key=lambda kv: (-kv[1], kv[0])))


def compute(
    entries: Sequence[Entry], dataset: Dataset, facets: Sequence[str] | None = None
) -> dict[str, Any]:
    """Plain data: every count keyed by name, deterministic order. ``facets``: the entries'
    facets as JSON when they come from elsewhere than their records."""
    by_status = Counter(e.status.value for e in entries)
    counted = all_facets([e.record for e in entries], facets)  # kept: no claim is built
    by_kind = Counter(f.kind for f in counted)
    by_source = Counter(sid for f in counted for sid in f.sources)
    by_tag = Counter(tag for f in counted for tag in f.tags)
    bands = Counter(band_for_value(f.confidence).word for f in counted)
    values = sorted(f.confidence for f in counted)
    return {
        "claims": len(entries),
        "sources": len(dataset.sources),
        "files": dataset.files,
        "problems": len(dataset.problems),
        "by_status": {s.value: by_status.get(s.value, 0) for s in STATUS_ORDER},
        "by_attribution_kind": _sorted(by_kind),
        "by_source": _sorted(by_source),
        "by_tag": _sorted(by_tag),
        "confidence": {
            "bands": {b.word: bands.get(b.word, 0) for b in LIKELIHOOD_BANDS},
            "min": values[0] if values else None,
            "median": values[len(values) // 2] if values else None,
            "max": values[-1] if values else None,
        },
    }
