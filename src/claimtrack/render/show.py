"""One claim in full: for the terminal (rich) and as JSON data."""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING, Any

from claimtrack.core.dataset import Dataset
from claimtrack.core.escape import one_line, visible
from claimtrack.core.numbers import amount
from claimtrack.core.query import Entry, to_record
from claimtrack.core.vocab import CREDIBILITY_MEANING, RELIABILITY_MEANING
from claimtrack.io.archive import quote_in_context
from claimtrack.render.table import STATUS_STYLE
from claimtrack.render.terminal import MIN_FREE, Terminal, labelled, paragraphs

if TYPE_CHECKING:
    from claimtrack.core.model import Verdict


def _source_line(dataset: Dataset, source_id: str) -> str:
    record = dataset.sources.get(source_id)
    if record is None:
        return f"{source_id} (not in the registry)"
    source = record.source
    grade = source.reliability.value if source.reliability else "?"
    meaning = RELIABILITY_MEANING.get(grade, "reliability not given")
    publisher = f", {source.publisher}" if source.publisher else ""
    url = f" <{source.url}>" if source.url else ""
    return f"{source.title}{publisher}{url} [{source_id}; reliability {grade}: {meaning}]"


def show_record(entry: Entry, dataset: Dataset) -> dict[str, Any]:
    """The claim's record plus each cited source and how each evidence item weighed."""
    record = to_record(entry)
    cited = {entry.claim.appears_in, *(e.source for e in entry.claim.evidence)}
    record["sources"] = {
        sid: dataset.sources[sid].source.model_dump(mode="json", exclude_none=True)
        for sid in sorted(cited)
        if sid in dataset.sources
    }
    record["evidence_weighing"] = [
        {
            "source": w.evidence.source,
            "stance": w.evidence.stance.value,
            "weighs": w.weighs,
            "why": w.why,
        }
        for w in entry.derivation.items
    ]
    context = quote_in_context(dataset, entry.record)
    if context is not None:
        record["quote_context"] = dict(zip(("before", "quote", "after"), context, strict=True))
    return record


def _verdict_line(verdict: Verdict) -> str:
    """A published verdict in one line: rating (and number on its scale), who, when, where."""
    text = verdict.rating
    if verdict.rating_value is not None:
        text += (
            f" ({verdict.rating_value:g} on a scale from {verdict.worst_rating:g}, worst, "
            f"to {verdict.best_rating:g}, best)"
        )
    by = [x for x in (verdict.reviewer, verdict.date) if x]
    if by:
        text += " by " + ", ".join(by)
    if verdict.headline:
        text += f": {verdict.headline}"
    if verdict.url:
        text += f" <{verdict.url}>"
    return text


def show_text(entry: Entry, dataset: Dataset, terminal: Terminal | None = None) -> Iterator[str]:
    """The claim for a terminal, line by line; a value too long for the screen wraps under
    its label, never back to the first column."""
    terminal = terminal or Terminal()
    paint = terminal.paint
    claim = entry.claim

    def field(
        label: str, value: str, style: str = "", indent: int = 0, whole: bool = False
    ) -> Iterator[str]:
        pad = 14 - indent
        return labelled(terminal, label, visible(value), style, indent, pad, whole=whole)

    def block(text: str, style: str = "", indent: int = 2) -> Iterator[str]:
        for line in paragraphs(terminal.fit(visible(text)), max(terminal.width - indent, MIN_FREE)):
            yield " " * indent + paint(line, style) + "\n"

    head = paint(claim.id, "bold") + "  " + paint(entry.status.value, STATUS_STYLE[entry.status])
    if entry.derivation.weak:
        head += paint(" (weak)", "dim")
    yield head + "\n"
    yield from field("statement", claim.statement)
    if claim.quote:
        quote = f"…{claim.prefix}" if claim.prefix else ""
        quote += f"“{claim.quote}”" + (f"{claim.suffix}…" if claim.suffix else "")
        yield from field("quote", quote, "italic")
        context = quote_in_context(dataset, entry.record)
        if context is not None:
            yield from field("in context", one_line("".join(context)), "dim")
    yield from field("appears in", _source_line(dataset, claim.appears_in))
    a = claim.attribution
    chain = f"{a.name}" + (f", {a.role}" if a.role else "") + f" ({a.kind.value})"
    for hop in a.via:
        chain += f"  ← via {hop.name}" + (f" ({hop.kind.value})" if hop.kind else "")
    yield from field("attributed to", chain)
    conf = f"{claim.confidence.value:g} ({claim.confidence.word})"
    if claim.analytic_confidence:
        conf += f"; analytic confidence {claim.analytic_confidence.value}"
    yield from field("confidence", conf)
    status = f"{entry.status.value}: " + "; ".join(entry.derivation.reasons)
    yield from field("status", status, STATUS_STYLE[entry.status])
    if claim.status is not None and claim.status is not entry.status:
        yield from field(
            "", f"(the file says {claim.status.value}; the evidence disagrees)", "yellow"
        )
    if claim.type:
        yield from field("type", claim.type.value)
    if claim.quantity:
        q = claim.quantity
        when = ", ".join(
            x
            for x in (
                q.as_of and f"as of {q.as_of}",
                q.period,
                q.measure and f"measure {q.measure}",
            )
            if x
        )
        shown = amount(q.value, q.unit, q.approx, q.bound)
        yield from field("quantity", shown + (f" ({when})" if when else ""))
    if claim.date:
        yield from field("date", claim.date)
    if claim.language:
        yield from field("language", claim.language)
    if claim.verdict:
        yield from field("verdict", _verdict_line(claim.verdict))
    yield paint("evidence", "bold") + "\n"
    if not entry.derivation.items:
        yield "  none\n"
    for weighing in entry.derivation.items:
        item = weighing.evidence
        line = _source_line(dataset, item.source)
        if item.credibility is not None:
            line += f" credibility {item.credibility}: {CREDIBILITY_MEANING[item.credibility]}"
        verdict = "weighs" if weighing.weighs else "does not weigh"
        line += f" — {verdict}: {weighing.why}"
        yield from field(item.stance.value, line, indent=2)
        if item.quote:
            yield from block(f"“{item.quote}”", "italic", indent=14)
        if item.note:
            yield from block(item.note, indent=14)
    if claim.disputed_by:
        yield paint("disputed by", "bold") + "\n"
        for party in claim.disputed_by:
            who = party.name + (f" ({party.kind.value})" if party.kind else "")
            extra = "; ".join(
                x for x in (party.source and f"source {party.source}", party.note) if x
            )
            yield from block(who + (f": {extra}" if extra else ""))
    if claim.tags:
        yield from field("tags", ", ".join(claim.tags))
    if claim.notes:
        yield from field("notes", claim.notes)
    yield from field(
        "file", one_line(f"{entry.record.path}:{entry.record.line}"), "dim", whole=True
    )


def show_json(entry: Entry, dataset: Dataset, terminal: Terminal | None = None) -> str:
    """:func:`show_record` as JSON (``terminal`` is the text's)."""
    from claimtrack.render.json import dumps

    return dumps(show_record(entry, dataset)) + "\n"
