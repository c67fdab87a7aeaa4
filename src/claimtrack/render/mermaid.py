"""Mermaid flowchart of the claim graph; node ids are generated, labels entity-escaped."""

from __future__ import annotations

from claimtrack.core.escape import one_line
from claimtrack.core.graph import PARTY_COLOUR, SOURCE_COLOUR, STATUS_COLOURS, Graph, short

# Characters that end a label, start an entity, or are read as markup or Markdown by Mermaid.
_SPECIAL = frozenset('"#&<>`[]{}|;\\')


def mermaid_text(text: str) -> str:
    """``text`` for inside a quoted Mermaid label: one line, controls visible, and every
    special character written as a numeric entity (``#35;``), which Mermaid decodes."""
    return "".join(f"#{ord(c)};" if c in _SPECIAL else c for c in one_line(text))


_ARROW = {
    "supports": "-->",
    "refutes": "-->",
    "disputes": "-.->",
    "context": "-.->",
    "contradicts": "<==>",
    "negates": "==>",
}


def render_graph(graph: Graph) -> str:
    ids = {key: f"n{i}" for i, key in enumerate(graph.nodes)}
    lines = ["flowchart LR"]
    for status, colour in STATUS_COLOURS.items():
        lines.append(f"  classDef {status} fill:{colour},stroke:#555555")
    lines.append("  classDef weak stroke-dasharray:5 5")
    lines.append(f"  classDef source fill:{SOURCE_COLOUR},stroke:#555555")
    lines.append(f"  classDef party fill:{PARTY_COLOUR},stroke:#999999")
    for key, node in graph.nodes.items():
        label = mermaid_text(short(node.label))
        if node.kind == "claim":
            label += f"<br/>[{node.status}{' (weak)' if node.weak else ''}]"
            lines.append(f'  {ids[key]}["{label}"]:::{node.status}')
            if node.weak:
                lines.append(f"  class {ids[key]} weak")
        elif node.kind == "source":
            lines.append(f'  {ids[key]}[/"{label}"/]:::source')
        else:
            lines.append(f'  {ids[key]}(["{label}"]):::party')
    for edge in graph.edges:
        arrow = _ARROW.get(edge.kind, "-->")
        lines.append(f"  {ids[edge.source]} {arrow}|{edge.kind}| {ids[edge.target]}")
    return "\n".join(lines) + "\n"
