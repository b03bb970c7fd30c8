"""Clustering in bulk gives what the edge-by-edge rule gives, constraints included."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from mingdan.linkage.run import _cluster_with_constraints, cluster


def groups(result: dict[int, tuple[int, float]]) -> set[frozenset[int]]:
    found: dict[int, set[int]] = {}
    for record, (root, _) in result.items():
        found.setdefault(root, set()).add(record)
    return {frozenset(group) for group in found.values()}


records = st.lists(st.integers(1, 60), min_size=1, max_size=40, unique=True)


@settings(max_examples=300, deadline=None)
@given(records, st.data())
def test_bulk_clusters_equal_edge_by_edge(ids, data):
    pick = st.sampled_from(ids + [999])  # 999: an edge to a record not in this run is ignored
    edges = data.draw(st.lists(st.tuples(pick, pick, st.floats(0.6, 1.0)), max_size=60))
    edges = [(a, b, p) for a, b, p in edges if a != b]
    cannot = set(data.draw(st.lists(st.tuples(st.sampled_from(ids), st.sampled_from(ids)), max_size=3)))
    locked = data.draw(st.dictionaries(st.sampled_from(ids), st.sampled_from(["P-1", "P-2", "P-3"]), max_size=6))
    expected = _cluster_with_constraints(ids, edges, cannot, locked)
    got = cluster(ids, edges, cannot, locked)
    assert groups(got) == groups(expected)
    # A record's probability is that of the strongest edge that joined it (ties: any of them).
    for record in ids:
        assert abs(got[record][1] - expected[record][1]) < 1e-12


def test_arrays_and_tuples_give_the_same_people():
    import numpy as np

    edges = [(1, 2, 0.9), (2, 3, 0.7), (4, 5, 0.95)]
    as_arrays = tuple(np.array(column) for column in zip(*edges))
    assert groups(cluster([1, 2, 3, 4, 5, 6], as_arrays, set())) == groups(cluster([1, 2, 3, 4, 5, 6], edges, set()))
    assert groups(cluster([1, 2, 3, 4, 5, 6], edges, set())) == {frozenset({1, 2, 3}), frozenset({4, 5}), frozenset({6})}
