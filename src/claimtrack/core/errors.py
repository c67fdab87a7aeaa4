"""The exception hierarchy; each carries the exit code the CLI turns it into."""

from __future__ import annotations


class ClaimtrackError(Exception):
    """A failure the user can act on; printed as one line ``error: ...``."""

    exit_code = 2


class UsageError(ClaimtrackError):
    """A bad option, an unknown id, a missing folder: the user's request cannot be done."""

    exit_code = 2


class EnvironmentProblem(ClaimtrackError):
    """The machine gets in the way: unreadable folder, unwritable output."""

    exit_code = 2


class DataError(ClaimtrackError):
    """The claim data itself is invalid."""

    exit_code = 1
