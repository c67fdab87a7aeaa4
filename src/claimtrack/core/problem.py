"""The Problem value: one finding about one place in one file, ordered and frozen."""

from __future__ import annotations

import enum
from dataclasses import dataclass, field


class Level(str, enum.Enum):
    """How grave a finding is. Problems are errors or warnings; a policy rule not in
    ``--fail-on`` may also be a note (in ``--fail-on``, it is an error)."""

    ERROR = "error"
    WARNING = "warning"
    NOTE = "note"

    def __str__(self) -> str:
        return self.value


@dataclass(frozen=True, order=True)
class Problem:
    """A finding with a 1-based line and column (0 when the whole file is meant)."""

    path: str
    line: int
    col: int
    level: Level = field(compare=False)
    rule: str
    message: str
    field: str = ""

    def format(self) -> str:
        """The parsable one-line form: ``PATH:LINE:COL: [level] FIELD: message (rule)``."""
        where = f"{self.field}: " if self.field else ""
        place = f"{self.path}:{self.line}:{self.col}"
        return f"{place}: [{self.level}] {where}{self.message} ({self.rule})"

    def to_dict(self) -> dict[str, object]:
        return {
            "path": self.path,
            "line": self.line,
            "col": self.col,
            "level": self.level.value,
            "rule": self.rule,
            "field": self.field,
            "message": self.message,
        }


def has_errors(problems: list[Problem]) -> bool:
    return any(p.level is Level.ERROR for p in problems)


def field_name(loc: tuple[str | int, ...]) -> str:
    """``evidence[0].source``: a location as the user reads it."""
    out = ""
    for part in loc:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else str(part))
    return out
