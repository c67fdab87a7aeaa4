"""Positions inside files that loaded fine: a field's location becomes a 1-based LINE:COL."""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any

from claimtrack.io import yamlio

if TYPE_CHECKING:
    pass


class Locator:
    """Positions inside files that loaded fine; each file is re-read and composed at most once.

    ``texts`` gives the text of files not (yet) on disk, by path: a write checks its result first.
    """

    def __init__(self, texts: Mapping[str, str] | None = None) -> None:
        self._roots: dict[str, Any] = {}
        self._texts = texts or {}

    def __call__(self, path: str, loc: tuple[str | int, ...], key: bool = False) -> tuple[int, int]:
        if path not in self._roots:
            try:
                text = self._texts.get(path) or yamlio.decode(Path(path).read_bytes())
                self._roots[path] = yamlio.compose_text(text)
            except (OSError, yamlio.YamlProblem):
                self._roots[path] = None
        where = yamlio.locate(self._roots[path], loc, key=key)
        return where.line, where.col
