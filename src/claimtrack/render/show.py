"""One claim in full: for the terminal (rich) and as JSON data."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from rich.console import Group
from rich.padding import Padding
from rich.text import Text

from claimtrack.core.dataset import Dataset
from claimtrack.core.escape import one_line, visible
from claimtrack.core.query import Entry, to_record
from claimtrack.core.vocab import CREDIBILITY_MEANING, RELIABILITY_MEANING
from claimtrack.io.archive import quote_in_context
from claimtrack.render.table import STATUS_STYLE

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


def _field(label: str, value: str, style: str = "") -> Text:
    text = Text(f"{label:<14}", style="bold")
    text.append(visible(value), style=style)
    return text


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


def show_text(entry: Entry, dataset: Dataset) -> Group:
    claim = entry.claim
    parts: list[Any] = []
    head = Text(claim.id, style="bold")
    head.append("  ")
    head.append(entry.status.value, style=STATUS_STYLE[entry.status])
    if entry.derivation.weak:
        head.append(" (weak)", style="dim")
    parts.append(head)
    parts.append(_field("statement", claim.statement))
    if claim.quote:
        quote = Text(f"{'quote':<14}", style="bold")
        if claim.prefix:
            quote.append(visible(f"…{claim.prefix}"), style="dim")
        quote.append(visible(f"“{claim.quote}”"), style="italic")
        if claim.suffix:
            quote.append(visible(f"{claim.suffix}…"), style="dim")
        parts.append(quote)
        context = quote_in_context(dataset, entry.record)
        if context is not None:
            before, found, after = context
            line = Text(f"{'in context':<14}", style="bold")
            line.append(one_line(before), style="dim")
            line.append(one_line(found), style="bold italic")
            line.append(one_line(after), style="dim")
            parts.append(line)
    parts.append(_field("appears in", _source_line(dataset, claim.appears_in)))
    a = claim.attribution
    chain = f"{a.name}" + (f", {a.role}" if a.role else "") + f" ({a.kind.value})"
    for hop in a.via:
        chain += f"  ← via {hop.name}" + (f" ({hop.kind.value})" if hop.kind else "")
    parts.append(_field("attributed to", chain))
    conf = f"{claim.confidence.value:g} ({claim.confidence.word})"
    if claim.analytic_confidence:
        conf += f"; analytic confidence {claim.analytic_confidence.value}"
    parts.append(_field("confidence", conf))
    status = f"{entry.status.value}: " + "; ".join(entry.derivation.reasons)
    parts.append(_field("status", status, STATUS_STYLE[entry.status]))
    if claim.status is not None and claim.status is not entry.status:
        parts.append(
            _field("", f"(the file says {claim.status.value}; the evidence disagrees)", "yellow")
        )
    if claim.type:
        parts.append(_field("type", claim.type.value))
    if claim.quantity:
        q = claim.quantity
        bound = {"lower": "more than ", "upper": "less than "}.get(q.bound or "", "")
        amount = f"{bound}{'~' if q.approx else ''}{q.value:,g} {q.unit}"
        when = ", ".join(
            x
            for x in (
                q.as_of and f"as of {q.as_of}",
                q.period,
                q.measure and f"measure {q.measure}",
            )
            if x
        )
        parts.append(_field("quantity", amount + (f" ({when})" if when else "")))
    if claim.date:
        parts.append(_field("date", claim.date))
    if claim.language:
        parts.append(_field("language", claim.language))
    if claim.verdict:
        parts.append(_field("verdict", _verdict_line(claim.verdict)))
    parts.append(Text("evidence", style="bold"))
    if not entry.derivation.items:
        parts.append(Padding(Text("none"), (0, 0, 0, 2)))
    for weighing in entry.derivation.items:
        item = weighing.evidence
        line = Text(f"{item.stance.value:<9}", style="bold")
        line.append(visible(_source_line(dataset, item.source)))
        if item.credibility is not None:
            line.append(f" credibility {item.credibility}: {CREDIBILITY_MEANING[item.credibility]}")
        verdict = "weighs" if weighing.weighs else "does not weigh"
        line.append(f" — {verdict}: {visible(weighing.why)}", style="dim")
        body = [line]
        if item.quote:
            body.append(Text(visible(f"“{item.quote}”"), style="italic"))
        if item.note:
            body.append(Text(visible(item.note)))
        parts.append(Padding(Group(*body), (0, 0, 0, 2)))
    if claim.disputed_by:
        parts.append(Text("disputed by", style="bold"))
        for party in claim.disputed_by:
            who = party.name + (f" ({party.kind.value})" if party.kind else "")
            extra = "; ".join(
                x for x in (party.source and f"source {party.source}", party.note) if x
            )
            parts.append(
                Padding(Text(visible(who + (f": {extra}" if extra else ""))), (0, 0, 0, 2))
            )
    if claim.tags:
        parts.append(_field("tags", ", ".join(claim.tags)))
    if claim.notes:
        parts.append(_field("notes", claim.notes))
    parts.append(_field("file", f"{entry.record.path}:{entry.record.line}", "dim"))
    return Group(*parts)
