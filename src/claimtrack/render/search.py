"""Search results for a person: each claim's id, status and score, then the fields its words
were found in, with the matched words highlighted on a terminal (plain text elsewhere)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Any

from claimtrack.core.escape import one_line
from claimtrack.core.search import Found, Term, spans

if TYPE_CHECKING:
    from claimtrack.core.model import Claim, Source

#: How the matched words stand out on a terminal.
MATCH_STYLE = "bold red"


def _fields(claim: Claim, sources: Mapping[str, Source]) -> list[tuple[str, str]]:
    a = claim.attribution
    speaker = a.name + (f" ({a.role})" if a.role else "")
    via = " < ".join(hop.name + (f" ({hop.role})" if hop.role else "") for hop in a.via)
    cited = dict.fromkeys([claim.appears_in, *(e.source for e in claim.evidence)])
    fields = [
        ("statement", claim.statement),
        ("quote", claim.quote or ""),
        ("notes", claim.notes or ""),
        ("attribution", speaker + (f" < {via}" if via else "")),
    ]
    fields += [(f"source {sid}", sources[sid].title) for sid in cited if sid in sources]
    return fields


def search_results(
    found: Sequence[Found], terms: Sequence[Term], sources: Mapping[str, Source], color: bool
) -> Any:
    """The results as text (``color=False``) or as a rich renderable with the matched words
    styled: the statement always, the other fields where a word was found. Claim text is
    made visible and one line first (no control character reaches the terminal), and styled
    by offsets, never through markup."""
    lines: list[tuple[str, list[tuple[int, int]], str]] = []
    for item in found:
        entry = item.entry
        head = f"{entry.record.id}  {entry.status.value}  {item.score:.2f}"
        lines.append((one_line(head), [], "bold"))
        for label, text in _fields(entry.claim, sources):
            shown = one_line(text)
            where = spans(shown, terms)
            if where or label == "statement":
                prefix = f"  {label}: "
                moved = [(start + len(prefix), end + len(prefix)) for start, end in where]
                lines.append((prefix + shown, moved, ""))
    if not color:
        return "".join(text + "\n" for text, _, _ in lines)
    from rich.console import Group
    from rich.text import Text

    out = []
    for text, where, style in lines:
        line = Text(text, style=style)
        for start, end in where:
            line.stylize(MATCH_STYLE, start, end)
        out.append(line)
    return Group(*out)
