"""`claimtrack graph`: DOT parsed by pydot, Mermaid labels inert, JSON consistent, filters work."""

from __future__ import annotations

import json
import re

import pydot
from hypothesis import given, settings
from hypothesis import strategies as st

from claimtrack.core.escape import one_line
from claimtrack.render.dot import dot_string
from claimtrack.render.mermaid import mermaid_text
from conftest import SHIPPED_CLAIMS, claim_yaml


def _unquote_dot(quoted: str) -> str:
    assert quoted.startswith('"') and quoted.endswith('"')
    return re.sub(r"\\(.)", r"\1", quoted[1:-1])


def test_dot_of_the_shipped_claims_parses(run) -> None:
    result = run(["--dir", str(SHIPPED_CLAIMS), "graph", "--format", "dot"])
    assert result.exit_code == 0
    (graph,) = pydot.graph_from_dot_data(result.stdout)
    data = json.loads(run(["--dir", str(SHIPPED_CLAIMS), "graph", "-f", "json"]).stdout)
    names = {
        _unquote_dot(n.get_name())
        for n in graph.get_nodes()
        if n.get_name() not in ("node", "edge")
    }
    assert names == {n["key"] for n in data["nodes"]}
    assert len(graph.get_edges()) == len(data["edges"])
    contested = graph.get_node('"claim:rubio-maduro-security-forces-cuban"')[0]
    assert contested.get("fillcolor") == '"#f5c542"'
    assert contested.get("label").endswith('\\n[contested]"')


def test_json_edges_join_known_nodes_and_carry_the_stances(run) -> None:
    data = json.loads(run(["--dir", str(SHIPPED_CLAIMS), "graph", "-f", "json"]).stdout)
    keys = {n["key"] for n in data["nodes"]}
    assert all(e["source"] in keys and e["target"] in keys for e in data["edges"])
    kinds = {e["kind"] for e in data["edges"]}
    assert {"supports", "disputes", "context", "asserts", "appears-in", "relays"} <= kinds
    claims = [n for n in data["nodes"] if n["kind"] == "claim"]
    assert len(claims) == 40
    assert {n["kind"] for n in data["nodes"]} == {"claim", "source", "party"}


def test_graph_filters_like_list(run) -> None:
    data = json.loads(
        run(
            ["--dir", str(SHIPPED_CLAIMS), "graph", "-f", "json", "-s", "sourced", "--tag", "oil"]
        ).stdout
    )
    claims = sorted(n["key"] for n in data["nodes"] if n["kind"] == "claim")
    assert claims == ["claim:venezuela-cuba-oil-recent-27000-bpd"]
    assert "source:pdvsa-data" in {n["key"] for n in data["nodes"]}


def test_refutes_and_contradicts_edges_and_hostile_labels(run, make_claims) -> None:
    hostile = '"evil" \\N ]; digraph x { a -> b } %% click n0 call alert(1) #quot; <b>'
    folder = make_claims(
        {
            "yes": claim_yaml("yes", statement=json.dumps(hostile)),
            "no": claim_yaml("no", negates="yes"),
            "refuted": claim_yaml(
                "refuted", evidence="\n  - source: rebuttal\n    stance: refutes"
            ),
        }
    )
    dot = run(["--dir", str(folder), "graph"]).stdout
    (graph,) = pydot.graph_from_dot_data(dot)
    label = graph.get_node('"claim:yes"')[0].get("label")
    assert _unquote_dot(label).startswith(one_line(hostile)[:60])
    edges = {
        (
            _unquote_dot(e.get_source()),
            _unquote_dot(e.get_destination()),
            _unquote_dot(e.get("label")),
        )
        for e in graph.get_edges()
    }
    assert ("claim:no", "claim:yes", "negates") in edges
    assert ("claim:no", "claim:yes", "contradicts") in edges
    assert ("source:rebuttal", "claim:refuted", "refutes") in edges
    mermaid = run(["--dir", str(folder), "graph", "-f", "mermaid"]).stdout
    line = next(row for row in mermaid.splitlines() if "evil" in row)
    assert line.count('"') == 2
    assert "#34;evil#34;" in line
    assert "<b>" not in line


_TEXT = st.text(st.characters(codec="utf-8", exclude_categories=("Cs",)), max_size=60)


@settings(max_examples=100, deadline=None)
@given(text=_TEXT)
def test_dot_strings_parse_back_to_the_text(text: str) -> None:
    source = f"digraph g {{ n [label={dot_string(text)}]; }}"
    (graph,) = pydot.graph_from_dot_data(source)
    (node,) = graph.get_node("n")
    assert _unquote_dot(node.get("label")) == one_line(text)


@settings(max_examples=100, deadline=None)
@given(text=_TEXT)
def test_mermaid_labels_are_inert_and_decode_to_the_text(text: str) -> None:
    escaped = mermaid_text(text)
    assert not set(re.sub(r"#\d+;", "", escaped)) & set('"<>`|;[]{}\n\r')
    decoded = re.sub(r"#(\d+);", lambda m: chr(int(m.group(1))), escaped)
    assert decoded == one_line(text)


@settings(max_examples=100)
@given(
    edges=st.lists(
        st.tuples(
            st.sampled_from(["claim:a", "claim:b", "source:s"]),
            st.sampled_from(["claim:a", "claim:c", "party:p"]),
            st.sampled_from(["supports", "refutes", "asserts"]),
        ),
        max_size=40,
    ),
    first=st.integers(min_value=0, max_value=5),
)
def test_each_edge_is_kept_once_in_the_order_first_added(edges, first) -> None:
    from claimtrack.core.graph import Edge, Graph

    given_edges = [Edge(*e) for e in edges[:first]]
    graph = Graph(edges=list(dict.fromkeys(given_edges)))
    for edge in edges:
        graph.add_edge(*edge)
    assert graph.edges == list(dict.fromkeys(Edge(*e) for e in edges[:first] + edges))
