"""Clustering in bulk gives what the edge-by-edge rule gives, constraints included."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from mingdan.linkage.clustering import _cluster_with_constraints, cluster


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


@settings(max_examples=300, deadline=None)
@given(records, st.data())
def test_one_list_never_names_one_person_twice_unless_directly_linked(ids, data):
    """With lists, bulk clustering still equals the edge-by-edge rule, and no person holds two records of one list
    under different names, or not linked to each other, or three of one list (lists.py)."""
    from mingdan.linkage.lists import MOST_PER_LIST, same_name

    pick = st.sampled_from(ids)
    edges = data.draw(st.lists(st.tuples(pick, pick, st.floats(0.6, 0.99)), max_size=60))
    edges = [(a, b, p) for a, b, p in edges if a != b]
    keys = st.tuples(st.sampled_from(["王伟", "王卫", None]), st.sampled_from(["wangwei", None]), st.just(None))
    named = data.draw(st.dictionaries(st.sampled_from(ids), st.tuples(st.sampled_from(["a", "b"]), keys), max_size=40))
    expected = _cluster_with_constraints(ids, edges, set(), None, named)
    got = cluster(ids, edges, set(), None, named)
    assert groups(got) == groups(expected)
    direct = {(min(a, b), max(a, b)) for a, b, _ in edges}
    for group in groups(got):
        for source in ("a", "b"):
            held = sorted(r for r in group if r in named and named[r][0] == source)
            assert len(held) <= MOST_PER_LIST
            for a, b in zip(held, held[1:]):
                assert same_name(named[a][1], named[b][1]) and (a, b) in direct


def test_a_reviewers_same_outranks_the_list_rule():
    named = {1: ("a", ("王伟", None, None)), 2: ("a", ("王卫", None, None)), 3: ("b", (None, "wangwei", None))}
    assert groups(cluster([1, 2, 3], [(1, 3, 0.9), (2, 3, 0.8)], set(), named=named)) == {
        frozenset({1, 3}), frozenset({2})}
    # A reviewer said 1 and 2 are one person (an edge of 1.0): one list may name someone twice after all.
    assert groups(cluster([1, 2, 3], [(1, 3, 0.9), (1, 2, 1.0)], set(), named=named)) == {frozenset({1, 2, 3})}
