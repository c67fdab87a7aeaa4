"""The index: one SQLite file per claims folder, outside it, that makes warm commands fast.

:func:`load_dataset` is the folder pipeline (``claimtrack.io.pipeline``) handed the index.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from claimtrack.core.dataset import Dataset
    from claimtrack.io.parse import Progress


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
    from claimtrack.io import pipeline

    if cache is None:
        cache = not os.environ.get("CLAIMTRACK_NO_CACHE")
    if not cache:
        return pipeline.load(root, progress=progress, keep_claims=keep_claims)
    from claimtrack.cache.index import Index

    index = Index(root)
    try:
        return pipeline.load(root, index=index, progress=progress, keep_claims=keep_claims)
    finally:
        index.close()
