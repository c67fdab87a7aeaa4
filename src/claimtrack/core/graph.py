"""The claim graph: claims, sources and parties, and the edges of evidence between them.

Edges point from who says to what is said:

* ``supports`` / ``refutes`` / ``context``: an evidence item, source -> claim;
* ``disputes``: a ``disputed_by`` party -> claim;
* ``asserts``: the attributed speaker -> claim; ``relays``: a ``via`` hop -> the speaker's claim;
* ``appears-in``: claim -> the source it appears in;
* ``contradicts``: claim -> claim, for contradictions found (``contradictions.py``), once a pair;
* ``negates``: claim -> the claim its ``negates`` names.

Only the claims chosen (a ``Query``) are drawn, with the sources and parties they touch.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import asdict, dataclass, field
from typing import Any

from claimtrack.core.dataset import Dataset
from claimtrack.core.query import Entry, fold

#: Fill colours by status, shared by the DOT and Mermaid renderers (hex works in both).
STATUS_COLOURS = {
    "contested": "#f5c542",
    "refuted": "#e8685a",
    "unsourced": "#d7b5e8",
    "sourced": "#8fd18f",
}
SOURCE_COLOUR = "#dfe8f5"
PARTY_COLOUR = "#f2f2f2"
#: Labels longer than this are cut with an ellipsis (the full text is in `show`).
LABEL_LIMIT = 80

EDGE_KINDS = (
    "supports",
    "refutes",
    "context",
    "disputes",
    "asserts",
    "relays",
    "appears-in",
    "contradicts",
    "negates",
)


@dataclass(frozen=True)
class Node:
    key: str  # "claim:<id>", "source:<id>" or "party:<slug>"
    kind: str  # claim, source, party
    label: str
    status: str | None = None
    weak: bool = False


@dataclass(frozen=True)
class Edge:
    source: str
    target: str
    kind: str


@dataclass
class Graph:
    nodes: dict[str, Node] = field(default_factory=dict)
    edges: list[Edge] = field(default_factory=list)  # in the order first added, each once
    _seen: set[Edge] = field(default_factory=set, init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        self._seen.update(self.edges)

    def add_node(self, node: Node) -> str:
        self.nodes.setdefault(node.key, node)
        return node.key

    def add_edge(self, source: str, target: str, kind: str) -> None:
        edge = Edge(source, target, kind)
        if edge not in self._seen:  # a set: the list's own test made 10k claims take minutes
            self._seen.add(edge)
            self.edges.append(edge)

    def to_dict(self) -> dict[str, Any]:
        return {
            "nodes": [asdict(n) for n in self.nodes.values()],
            "edges": [asdict(e) for e in self.edges],
        }


def short(label: str, limit: int = LABEL_LIMIT) -> str:
    """A label cut to ``limit`` characters at a word boundary where possible."""
    if len(label) <= limit:
        return label
    cut = label[: limit - 1]
    space = cut.rfind(" ")
    return (cut[:space] if space > limit // 2 else cut) + "…"


def _party_key(name: str) -> str:
    return "party:" + (re.sub(r"[^a-z0-9]+", "-", fold(name)).strip("-") or "unnamed")


def build_graph(entries: Sequence[Entry], dataset: Dataset) -> Graph:
    """The graph of the given claims (already filtered) with the sources and parties they touch."""
    graph = Graph()
    chosen = {entry.claim.id for entry in entries}

    def source_node(source_id: str) -> str:
        record = dataset.sources.get(source_id)
        label = record.source.title if record else f"{source_id} (not in the registry)"
        return graph.add_node(Node(f"source:{source_id}", "source", label))

    def party_node(name: str) -> str:
        return graph.add_node(Node(_party_key(name), "party", name))

    for entry in entries:
        claim = entry.claim
        graph.add_node(
            Node(
                f"claim:{claim.id}",
                "claim",
                claim.statement,
                entry.status.value,
                entry.derivation.weak,
            )
        )
    for entry in entries:
        claim = entry.claim
        key = f"claim:{claim.id}"
        graph.add_edge(key, source_node(claim.appears_in), "appears-in")
        speaker = party_node(claim.attribution.name)
        graph.add_edge(speaker, key, "asserts")
        for hop in claim.attribution.via:
            graph.add_edge(party_node(hop.name), speaker, "relays")
        for item in claim.evidence:
            graph.add_edge(source_node(item.source), key, item.stance.value)
        for party in claim.disputed_by:
            graph.add_edge(party_node(party.name), key, "disputes")
        if claim.negates in chosen:
            graph.add_edge(key, f"claim:{claim.negates}", "negates")
        for other in entry.derivation.contradicted_by:
            if other in chosen and claim.id < other:
                graph.add_edge(key, f"claim:{other}", "contradicts")
    return graph
