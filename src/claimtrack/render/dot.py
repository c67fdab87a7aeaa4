"""Graphviz DOT of the claim graph; every identifier and label is a quoted, escaped string."""

from __future__ import annotations

from claimtrack.core.escape import one_line
from claimtrack.core.graph import PARTY_COLOUR, SOURCE_COLOUR, STATUS_COLOURS, Graph, short

_EDGE_STYLE = {
    "supports": 'color="#2e8b57"',
    "refutes": 'color="#c0392b"',
    "disputes": 'color="#c0392b", style=dashed',
    "context": 'color="#888888", style=dotted',
    "contradicts": 'color="#c0392b", dir=both, style=bold',
    "negates": 'color="#c0392b", style=bold',
}


def dot_string(text: str) -> str:
    """``text`` as a DOT double-quoted string: one line, controls visible, ``\\`` and ``"``
    escaped (a lone backslash would otherwise start a DOT label escape such as ``\\N``)."""
    shown = one_line(text)
    return '"' + shown.replace("\\", "\\\\").replace('"', '\\"') + '"'


def render_graph(graph: Graph) -> str:
    lines = [
        "digraph claims {",
        "  rankdir=LR;",
        '  node [shape=box, style="rounded,filled", fontname="Helvetica"];',
        '  edge [fontname="Helvetica", fontsize=10];',
    ]
    for node in graph.nodes.values():
        label = dot_string(short(node.label))
        if node.kind == "claim":
            colour = STATUS_COLOURS.get(node.status or "", "#ffffff")
            style = ', style="rounded,filled,dashed"' if node.weak else ""
            # A DOT line break, then the status (our own vocabulary, no escaping needed).
            label = label[:-1] + f'\\n[{node.status}{" (weak)" if node.weak else ""}]"'
            extra = f'fillcolor="{colour}"{style}'
        elif node.kind == "source":
            extra = f'shape=note, fillcolor="{SOURCE_COLOUR}"'
        else:
            extra = f'shape=ellipse, fillcolor="{PARTY_COLOUR}"'
        lines.append(f"  {dot_string(node.key)} [label={label}, {extra}];")
    for edge in graph.edges:
        style = _EDGE_STYLE.get(edge.kind, "")
        attrs = f"label={dot_string(edge.kind)}" + (f", {style}" if style else "")
        lines.append(f"  {dot_string(edge.source)} -> {dot_string(edge.target)} [{attrs}];")
    lines.append("}")
    return "\n".join(lines) + "\n"
