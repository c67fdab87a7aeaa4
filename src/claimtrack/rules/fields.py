"""Checks of one claim against the source registry: references, statuses, estimative lint."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from typing import TYPE_CHECKING

from claimtrack.core.problem import Level, Problem, field_name
from claimtrack.core.status import derive, status_of
from claimtrack.core.vocab import word_fits_value
from claimtrack.rules.lint import lint_claim

if TYPE_CHECKING:
    from claimtrack.core.model import Claim, Source
    from claimtrack.core.status import Derivation
    from claimtrack.core.vocab import Status


#: One failed check of :func:`claim_checks`, before it is given a position: (loc, level, rule,
#: message).
Check = tuple[tuple[str | int, ...], Level, str, str]


Locate = Callable[[str, tuple[str | int, ...]], tuple[int, int]]


def claim_checks(
    claim: Claim, sources: Mapping[str, Source], status: Status | None = None
) -> list[Check]:
    """What is wrong with one claim given the registry: missing sources, words, lint, status
    (compared with ``status``, the derived one when the caller has it already)."""
    found: list[Check] = []
    if claim.appears_in not in sources:
        found.append(
            (
                ("appears_in",),
                Level.ERROR,
                "source-missing",
                f"source {claim.appears_in!r} is not in the registry",
            )
        )
    for i, item in enumerate(claim.evidence):
        if item.source not in sources:
            found.append(
                (
                    ("evidence", i, "source"),
                    Level.ERROR,
                    "source-missing",
                    f"source {item.source!r} is not in the registry",
                )
            )
    for i, party in enumerate(claim.disputed_by):
        if party.source is not None and party.source not in sources:
            found.append(
                (
                    ("disputed_by", i, "source"),
                    Level.ERROR,
                    "source-missing",
                    f"source {party.source!r} is not in the registry",
                )
            )
    if not word_fits_value(claim.confidence.word, claim.confidence.value):
        found.append(
            (
                ("confidence",),
                Level.WARNING,
                "confidence-word",
                f"{claim.confidence.word!r} means another range than {claim.confidence.value}",
            )
        )
    if claim.status is not None:  # only a written status needs comparing
        derived = status if status is not None else status_of(claim, sources)
        if derived is not claim.status:  # the reasons, in words, only for the warning
            mismatch = status_mismatch(claim, derive(claim, sources))
            if mismatch is not None:
                found.append(mismatch)
    for loc, rule, message in lint_claim(claim, sources):
        found.append((loc, Level.WARNING, rule, message))
    return found


def status_mismatch(claim: Claim, derived: Derivation) -> Check | None:
    """The warning for a written status that the evidence does not bear out."""
    if claim.status is None or derived.status is claim.status:
        return None
    return (
        ("status",),
        Level.WARNING,
        "status-mismatch",
        f"the file says {claim.status.value!r} but the evidence makes it "
        f"{derived.status.value!r} ({'; '.join(derived.reasons)})",
    )


def located(
    path: str,
    findings: Iterable[Check],
    locate: Callable[[tuple[str | int, ...]], tuple[int, int]],
) -> list[Problem]:
    """Findings of one file as Problems, positioned by ``locate`` (called only when needed)."""
    problems = []
    for loc, level, rule, message in findings:
        line, col = locate(loc)
        problems.append(Problem(path, line, col, level, rule, message, field_name(loc)))
    return problems
