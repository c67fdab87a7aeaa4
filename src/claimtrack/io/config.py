"""Report settings from ``[tool.claimtrack]`` in pyproject.toml or a ``.claimtrack.toml``.

The file is looked for from the claims folder upward; the first folder holding a
``.claimtrack.toml``, or a ``pyproject.toml`` with a ``[tool.claimtrack]`` table, wins (the
former first). Command-line options override every key.
"""

from __future__ import annotations

import difflib
import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from claimtrack.core.errors import UsageError

CONFIG_NAMES = (".claimtrack.toml", "pyproject.toml")

#: key -> (python type, what it means); the README's table of keys mirrors this.
KEYS: dict[str, tuple[type, str]] = {
    "fail-on": (list, "policy rules that make `report` exit 1 when any claim matches"),
    "format": (str, "the default `report --format`"),
    "summary": (bool, "append the Markdown report to `$GITHUB_STEP_SUMMARY`"),
    "baseline": (str, "a previous JSON report (relative to this file): fail only on new findings"),
    "max-age-days": (int, "the `stale-as-of` rule's limit in days"),
    "link-base": (str, "an http(s) URL prefix that turns `path:line` into links"),
}


@dataclass(frozen=True)
class Config:
    """The settings found (all optional) and the file they came from."""

    path: Path | None = None
    values: dict[str, Any] = field(default_factory=dict)

    def get(self, key: str, default: Any = None) -> Any:
        return self.values.get(key, default)


def _table(path: Path) -> dict[str, Any] | None:
    try:
        with open(path, "rb") as handle:
            data = tomllib.load(handle)
    except tomllib.TOMLDecodeError as exc:
        raise UsageError(f"{path}: not valid TOML: {exc}") from None
    except OSError as exc:
        raise UsageError(f"{path}: cannot read: {exc.strerror or exc}") from None
    if path.name == "pyproject.toml":
        tool = data.get("tool")
        table = tool.get("claimtrack") if isinstance(tool, dict) else None
        if table is None:
            return None
        if not isinstance(table, dict):
            raise UsageError(f"{path}: [tool.claimtrack] must be a table")
        return table
    return data


def find_config(claims_dir: Path) -> Config:
    """The configuration for a claims folder (empty when no file is found)."""
    start = claims_dir.resolve()
    for folder in (start, *start.parents):
        for name in CONFIG_NAMES:
            candidate = folder / name
            if candidate.is_file():
                table = _table(candidate)
                if table is not None:
                    return Config(candidate, check(table, candidate))
    return Config()


def check(table: dict[str, Any], path: Path) -> dict[str, Any]:
    """The table's keys checked against ``KEYS``: unknown keys and wrong types are errors."""
    values: dict[str, Any] = {}
    for key, value in table.items():
        if key not in KEYS:
            close = difflib.get_close_matches(key.replace("_", "-"), list(KEYS), n=1, cutoff=0.6)
            hint = f"; did you mean {close[0]!r}?" if close else f"; known keys: {', '.join(KEYS)}"
            raise UsageError(f"{path}: unknown key {key!r}{hint}")
        kind, _ = KEYS[key]
        if key == "fail-on" and isinstance(value, str):
            value = [value]
        ok = isinstance(value, kind) and not (kind is int and isinstance(value, bool))
        if key == "fail-on" and ok:
            ok = all(isinstance(item, str) for item in value)
        if not ok:
            raise UsageError(f"{path}: key {key!r} must be {_type_name(kind)}")
        if key == "baseline":
            value = str(path.parent / value)
        values[key] = value
    return values


def _type_name(kind: type) -> str:
    return {list: "a list of strings", str: "a string", bool: "true or false", int: "an integer"}[
        kind
    ]
