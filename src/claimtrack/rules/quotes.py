"""Quote checks: every claim's quote must be found in its source's archived text.

They run in the folder pipeline, file by file (over the workers, kept by the index with the
file's row), against texts each normalised once per run. Rules, all located Problems:

* ``quote-missing`` (error): the quote is not in the text (the closest passage is suggested).
* ``quote-context`` (error): the quote is there, but never next to the given prefix or suffix.
* ``quote-ambiguous`` (warning): the quote occurs more than once; add a prefix or suffix.

A quote is never re-anchored to similar text: the suggestion is only a message.

The archived texts themselves (``<claims>/sources/<id>.txt``, their sha256 registered as the
source's ``text_sha256``) are checked as they are read (``claimtrack.io.archive``):

* ``archive-changed`` (error): the file's sha256 is not the registered one; quotes are still
  checked against the text as it is now, so the damage shows.
* ``archive-missing`` (error): ``text_sha256`` is registered but the file is not there.
* ``archive-unhashed`` (warning): the file is there but the registry holds no ``text_sha256``.
* ``archive-unreadable`` (error): not UTF-8, or not a regular file of at most 8 MiB.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Protocol

from claimtrack.core import anchor
from claimtrack.core.problem import Level, Problem

if TYPE_CHECKING:
    from claimtrack.core.dataset import Dataset
    from claimtrack.core.model import Claim
    from claimtrack.rules.fields import Check

#: Where an archived text lives inside the claims folder, as messages name it.
ARCHIVE_PLACE = "sources/{}.txt"


class Texts(Protocol):
    """The archived texts a quote is looked for in (``claimtrack.io.archive.Archives``)."""

    def __contains__(self, source_id: object) -> bool: ...

    def text(self, source_id: str) -> anchor.Normalized | None: ...


def quote_findings(
    loc: tuple[str | int, ...],
    quote: str,
    source_id: str,
    text: anchor.Normalized,
    prefix: str | None,
    suffix: str | None,
) -> list[Check]:
    """What is wrong with one quote in one text (nothing when it is found exactly once)."""
    # Counted only: where it occurs is not needed, and mapping it back would keep the text's
    # offsets in every worker for the whole run (anchor.count).
    count, total = anchor.count(quote, text, prefix, suffix)
    where = ARCHIVE_PLACE.format(source_id)
    if count == 1:
        return []
    if count > 1:
        extra = " even with the given prefix/suffix" if prefix or suffix else ""
        message = (
            f"the quote occurs {count} times in {where}{extra}; add a prefix or "
            "suffix (the words just before or after it) to pick one"
        )
        return [(loc, Level.WARNING, "quote-ambiguous", message)]
    if total:
        message = (
            f"the quote occurs {total} times in {where}, but never with the given prefix/suffix"
        )
        return [(loc, Level.ERROR, "quote-context", message)]
    hint = ""
    suggestion = anchor.closest(quote, text)
    if suggestion is not None and suggestion.ratio >= 0.5:
        from claimtrack.core.escape import one_line

        hint = (
            f"; the closest passage ({round(suggestion.ratio * 100)}% alike) is "
            f"{one_line(suggestion.passage)!r}"
        )
    return [(loc, Level.ERROR, "quote-missing", f"the quote is not in {where}{hint}")]


def claim_quotes(claim: Claim, texts: Texts) -> tuple[int, list[Check]]:
    """How many of a claim's quotes have an archived text to be checked against, and what is
    wrong with them."""
    checked, findings = 0, []
    if claim.quote and claim.appears_in in texts:
        text = texts.text(claim.appears_in)
        assert text is not None
        checked += 1
        findings += quote_findings(
            ("quote",), claim.quote, claim.appears_in, text, claim.prefix, claim.suffix
        )
    for i, item in enumerate(claim.evidence):
        if item.quote and item.source in texts:
            text = texts.text(item.source)
            assert text is not None
            checked += 1
            findings += quote_findings(
                ("evidence", i, "quote"), item.quote, item.source, text, None, None
            )
    return checked, findings


@dataclass(frozen=True)
class Verification:
    """What ``verify`` found: the problems, how many quotes were checked, against how many texts."""

    problems: list[Problem]
    quotes: int
    texts: int

    def to_dict(self) -> dict[str, object]:
        return {
            "quotes": self.quotes,
            "texts": self.texts,
            "errors": sum(p.level is Level.ERROR for p in self.problems),
            "warnings": sum(p.level is Level.WARNING for p in self.problems),
            "problems": [p.to_dict() for p in self.problems],
        }


def verify(dataset: Dataset) -> Verification:
    """The archives' and the quotes' problems of a folder, as its pipeline found them."""
    return Verification(sorted(dataset.quote_problems), dataset.quotes, dataset.archive_texts)


def verify_dataset(dataset: Dataset) -> list[Problem]:
    """Archive and quote problems of a loaded dataset, sorted."""
    return verify(dataset).problems
