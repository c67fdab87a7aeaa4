"""The day of the run: what dates are judged against (a source dated after it is a warning,
evidence older than the policy's age is stale), and part of what the index's snapshot is
keyed by. A module of its own: the warm reading path needs the day and nothing of the report."""

from __future__ import annotations

import datetime as _dt
import os
from collections.abc import Mapping

from claimtrack.core.errors import UsageError


def today(environ: Mapping[str, str] | None = None) -> _dt.date:
    """Today's UTC date, or the date of ``SOURCE_DATE_EPOCH`` (reproducible builds) when set."""
    env = os.environ if environ is None else environ
    epoch = env.get("SOURCE_DATE_EPOCH", "").strip()
    if epoch:
        try:
            return _dt.datetime.fromtimestamp(int(epoch), _dt.UTC).date()
        except (ValueError, OverflowError, OSError):
            raise UsageError(f"SOURCE_DATE_EPOCH={epoch!r} is not a Unix time") from None
    return _dt.datetime.now(_dt.UTC).date()
