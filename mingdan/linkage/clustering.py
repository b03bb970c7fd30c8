"""Clustering scored pairs into people: strongest links first, never joining what must stay apart; stable ids."""

from __future__ import annotations

from collections import Counter, defaultdict


def cluster(record_ids, edges, cannot: set[tuple[int, int]],
            locked: dict[int, str] | None = None,
            named: dict[int, tuple[str, tuple]] | None = None,
            alike: set[tuple[int, int]] | None = None) -> dict[int, tuple[int, float]]:
    """record -> (cluster root, cluster probability); strongest edges first, never joining a cannot-link.

    edges: a list of (a, b, probability) tuples, or a tuple of three arrays. locked: record -> existing
    person; two existing people are never merged (incremental runs). named: record -> (list, name
    keys) (lists.list_names); a link below certainty (1.0: a reviewer's "same", an existing person)
    never puts two names of one list in one person, nor two of its records that neither an edge nor
    `alike` (pairs of one list scored at least the review threshold, lists.alike_pairs) joins. Connected components are found in bulk; only a
    component holding a cannot-link pair, two existing people or two names of one list is rebuilt
    edge by edge with those constraints, so a million records cluster in seconds.
    """
    import numpy as np
    from scipy.sparse import coo_matrix
    from scipy.sparse.csgraph import connected_components

    ids = np.asarray(record_ids, dtype=np.int64)
    if not len(ids):
        return {}
    if isinstance(edges, list):
        edges = tuple([edge[i] for edge in edges] for i in range(3))
    left, right, weight = (np.asarray(column, dtype=kind) for column, kind in zip(edges, (np.int64, np.int64, np.float64)))
    # Positions of the edges' records in ids; an edge to a record not in this run is dropped.
    order = np.argsort(ids)
    sorted_ids = ids[order]
    at_left = np.minimum(np.searchsorted(sorted_ids, left), len(ids) - 1)
    at_right = np.minimum(np.searchsorted(sorted_ids, right), len(ids) - 1)
    known = (sorted_ids[at_left] == left) & (sorted_ids[at_right] == right)
    left, right = order[at_left], order[at_right]
    left, right, weight = left[known], right[known], weight[known]
    graph = coo_matrix((np.ones(len(left)), (left, right)), shape=(len(ids), len(ids)))
    _, label = connected_components(graph, directed=False)
    # Strongest first, an edge joins whenever its records are still apart; a record's heaviest
    # edge always finds it alone, so its probability is that edge's.
    strength = np.ones(len(ids))
    heaviest = np.zeros(len(ids))
    np.maximum.at(heaviest, left, weight)
    np.maximum.at(heaviest, right, weight)
    strength[heaviest > 0] = heaviest[heaviest > 0]
    root = np.full(label.max() + 1, np.iinfo(np.int64).max)
    np.minimum.at(root, label, ids)
    result = dict(zip(ids.tolist(), zip(root[label].tolist(), strength.tolist())))
    # Components where a constraint could bite are redone with the constraints.
    index = {int(r): int(i) for i, r in enumerate(ids)} if (cannot or locked) else {}
    conflicted = {label[index[a]] for a, b in cannot if a in index and b in index and label[index[a]] == label[index[b]]}
    if named:
        from .lists import groups_with_two_names

        sizes = np.bincount(label)
        joined = sizes[label] > 1
        conflicted |= groups_with_two_names(label[joined], ids[joined], named)
    if locked:
        owners: dict[int, set[str]] = defaultdict(set)
        for record, person in locked.items():
            if person and record in index:
                owners[label[index[record]]].add(person)
        conflicted |= {component for component, people in owners.items() if len(people) > 1}
    for component in conflicted:
        inside = np.flatnonzero(label == component)
        chosen = np.isin(left, inside)
        members = ids[inside].tolist()
        result.update(_cluster_with_constraints(
            members, list(zip(ids[left[chosen]].tolist(), ids[right[chosen]].tolist(), weight[chosen].tolist())),
            cannot, locked, named, alike))
    return result


def _cluster_with_constraints(record_ids: list[int], edges: list[tuple[int, int, float]], cannot: set[tuple[int, int]],
                              locked: dict[int, str] | None,
                              named: dict[int, tuple[str, tuple]] | None = None,
                              alike: set[tuple[int, int]] | None = None) -> dict[int, tuple[int, float]]:
    from .lists import conflicting

    parent = {r: r for r in record_ids}
    names = {r: ({named[r][0]: [(r, named[r][1])]} if named and r in named else {}) for r in record_ids}
    direct = ({(min(a, b), max(a, b)) for a, b, _ in edges} | (alike or set())) if named else set()
    members = {r: {r} for r in record_ids}
    owners = {r: ({locked[r]} if locked and locked.get(r) else set()) for r in record_ids}
    strength = {r: 1.0 for r in record_ids}
    apart = defaultdict(set)
    for a, b in cannot:
        apart[a].add(b)
        apart[b].add(a)

    def find(x: int) -> int:
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    touched: dict[int, float] = {}
    # Ties broken by ids: the engine returns pairs in no fixed order, and a run must be reproducible.
    for a, b, probability in sorted(edges, key=lambda e: (-e[2], e[0], e[1])):
        if a not in parent or b not in parent:
            continue
        ra, rb = find(a), find(b)
        if ra == rb:
            continue
        if any(apart[x] & members[rb] for x in members[ra]):
            continue  # a reviewer said these are different people
        if len(owners[ra] | owners[rb]) > 1:
            continue  # would merge two people that already exist: left for a full run or a reviewer
        if probability < 1.0 and conflicting(names[ra], names[rb], direct):
            continue  # two names of one list (lists.py)
        if len(members[ra]) < len(members[rb]):
            ra, rb = rb, ra
        parent[rb] = ra
        members[ra] |= members.pop(rb)
        owners[ra] |= owners.pop(rb)
        for source, keys in names.pop(rb).items():
            names[ra].setdefault(source, []).extend(keys)
        for x in (a, b):
            touched[x] = max(touched.get(x, 0.0), probability)
    for record, probability in touched.items():
        strength[record] = probability
    return {r: (find(r), strength[r]) for r in record_ids}


def assign_ids(clusters: dict[int, tuple[int, float]], current: dict[int, str | None], taken: set[str]) -> tuple[dict[int, str], int, int]:
    """Person ids: a cluster keeps the id most of its records had; new clusters get new ids."""
    groups: dict[int, list[int]] = defaultdict(list)
    for record, (root, _) in clusters.items():
        groups[root].append(record)
    used: set[str] = set()
    numbers = [int(pid.split("-")[1]) for pid in taken if pid.startswith("P-") and pid[2:].isdigit()]
    next_number = max(numbers, default=0) + 1
    result: dict[int, str] = {}
    new = kept = 0
    for root in sorted(groups, key=lambda r: (-len(groups[r]), min(groups[r]))):
        votes = Counter(current[r] for r in groups[root] if current.get(r))
        chosen = next((pid for pid, _ in votes.most_common() if pid not in used), None)
        if chosen is None:
            chosen = f"P-{next_number:06d}"
            next_number += 1
            new += 1
        else:
            kept += 1
        used.add(chosen)
        for record in groups[root]:
            result[record] = chosen
    return result, new, kept
