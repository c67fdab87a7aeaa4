"""``validate`` and ``verify``: their problems as ``PATH:LINE:COL: [level] FIELD: message (rule)``
lines (red errors, yellow warnings on a terminal), or as JSON data."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Protocol

from claimtrack.core.escape import one_line
from claimtrack.core.problem import Level, Problem
from claimtrack.render import StyledLines


class Checked(Protocol):
    """What a check found (a validation, a verification): its problems, and itself as data."""

    @property
    def problems(self) -> Sequence[Problem]: ...

    def to_dict(self) -> object: ...


def problem_lines(result: Checked) -> StyledLines:
    """One line per problem, made one visible line, styled by its level."""
    return StyledLines(
        (one_line(p.format()), "red" if p.level is Level.ERROR else "yellow")
        for p in result.problems
    )


def problems_json(result: Checked) -> str:
    from claimtrack.render.json import dumps  # not for the lines: it imports the query module

    return dumps(result.to_dict()) + "\n"
