"""The claim graph as JSON: ``{"nodes": [...], "edges": [...]}``."""

from __future__ import annotations

from claimtrack.core.graph import Graph
from claimtrack.render.json import dumps


def render_graph(graph: Graph) -> str:
    return dumps(graph.to_dict()) + "\n"
