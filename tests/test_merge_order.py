"""merge.order's own graph (networkx only for a set with a cycle) against networkx itself:
the same applied order, dependencies and cycles for random sets of apps."""

from __future__ import annotations

import networkx as nx
from hypothesis import given, settings, strategies as st

from alc.appmodel import AppManifest, Dependency, Version
from alc.merge.order import build_graph


def _id(i: int) -> str:
    return f"00000000-0000-0000-0000-{i:012d}"


def _manifests(edges: list, count: int) -> list:
    deps: dict = {i: [] for i in range(count)}
    for a, b in edges:
        if a != b and b not in deps[a]:
            deps[a].append(b)
    return [AppManifest(_id(i), f"App {i}", "P", Version(1, 0, 0, 0),
                        dependencies=[Dependency(_id(d), f"App {d}", "P", Version(1, 0, 0, 0)) for d in deps[i]])
            for i in range(count)]


@settings(max_examples=200, deadline=None)
@given(st.integers(1, 12).flatmap(lambda n: st.tuples(st.just(n), st.lists(
    st.tuples(st.integers(0, n - 1), st.integers(0, n - 1)), max_size=3 * n))))
def test_order_and_closure_are_networkx_s(case):
    count, edges = case
    manifests = _manifests(edges, count)
    graph, _ = build_graph(manifests)
    reference = nx.DiGraph()
    reference.add_nodes_from(m.id for m in manifests)
    reference.add_edges_from((d.id, m.id) for m in manifests for d in m.dependencies)
    if nx.is_directed_acyclic_graph(reference):
        assert graph.order() == tuple(nx.lexicographical_topological_sort(reference))
        assert graph.cycles() == []
    else:
        assert graph.cycles()
    assert sorted(graph.order()) == sorted(reference.nodes)
    for m in manifests:
        assert graph.all_dependencies(m.id) == frozenset(nx.ancestors(reference, m.id))
        assert graph.dependencies(m.id) == tuple(sorted(reference.predecessors(m.id)))
        assert graph.dependents(m.id) == tuple(sorted(reference.successors(m.id)))
