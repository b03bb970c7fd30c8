"""Complementary suppression audited by linear programming: no hidden cell may be pinned by what is published.

A reader who has every published table knows linear relations between counts: a table's cells
add up to its totals, a total is repeated in another table, people are fewer than their events,
and a count the previous release published is still that count where it has not changed. For
each hidden cell we compute, with HiGHS (scipy.optimize.linprog), the lowest and the highest value
that every published number, every relation and every cell's own label allows, and we suppress
further cells, smallest first, until every hidden cell's interval satisfies its protection levels
(docs/publish.md, "Disclosure control"):

- a small count (1..n-1, shown as "fewer than n"): lower bound <= 0 and upper bound >= n; a reader
  can tell it neither from zero nor from a count that would have been published;
- the events hidden with a small count: lower bound <= 0 and upper bound >= max(n, its value + 1);
- a count hidden because it grew by 1..n-1 since the previous release while people were newly
  named (its difference is a small count tied to them): lower bound <= the previous value and
  upper bound >= the previous value + n;
- a complementary cell (shown as "—"): lower bound < upper bound, so it hides something.

Cells are >= 0. A label that says more is part of what a reader knows: a hidden count shown "—"
is at least n (complements are chosen among counts that are not small, never among zeros). A
small cell's own label (1..n-1) is what the release means to say and is left out of the bounds,
as the rule above is stated without it (with it, two small cells of a small total could never
both reach n-1).
Everything is deterministic: cells and candidates are taken in a fixed order.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Hashable

Key = Hashable
TOLERANCE = 1e-6


class ProtectionError(Exception):
    """A hidden cell cannot be protected by suppressing more cells; the message names it."""


@dataclass
class Relations:
    """Every quantity a release decides on, what a reader knows about them, and what must stay hidden.

    values: each quantity's true value; counts: the quantities whose label tells small from not (people,
    records); unit: a quantity -> the cells hidden together with it (a harassment row's people and events);
    equal / at_most: linear relations sum(coef * quantity) == 0 / <= 0, every one of them true of the values;
    known: quantities a reader knows whatever is hidden now (published before with the same value);
    delta: a count -> the previous release's value, where it grew by 1..n-1 while people were added;
    hidden_before: units hidden in the previous release (preferred as complements, so hidden sets stay put);
    earlier: the previous release's hidden quantities (its true values kept in the case): always unknown to a
    reader, never to be hidden again; its small ones must stay protected by what this release adds;
    totals: units that are totals of others (hidden only when no inner cell will do, as is usual: a table
    whose margins are gone says little).
    """

    values: dict[Key, int]
    counts: set[Key]
    unit: dict[Key, Key] = field(default_factory=dict)
    equal: list[dict[Key, int]] = field(default_factory=list)
    at_most: list[dict[Key, int]] = field(default_factory=list)
    known: set[Key] = field(default_factory=set)
    delta: dict[Key, int] = field(default_factory=dict)
    hidden_before: set[Key] = field(default_factory=set)
    earlier: set[Key] = field(default_factory=set)
    totals: set[Key] = field(default_factory=set)

    def unit_of(self, key: Key) -> Key:
        """The unit a quantity is hidden with."""
        return self.unit.get(key, key)

    def small_units(self, threshold: int) -> set[Key]:
        """The units holding a count of 1..threshold-1 (remembered: asked for every cell of every audit)."""
        if getattr(self, "_small", None) is None or self._small[0] != threshold:
            self._small = (threshold, {self.unit_of(k) for k in self.counts if 0 < self.values[k] < threshold})
        return self._small[1]

    def members(self) -> dict[Key, list[Key]]:
        """unit -> its quantities, in a fixed order."""
        found: dict[Key, list[Key]] = {}
        for key in sorted(self.values, key=repr):
            found.setdefault(self.unit_of(key), []).append(key)
        return found


@dataclass
class Outcome:
    """Which quantities are hidden and why, and the interval a reader can work out for each."""

    small: set[Key]
    complementary: set[Key]
    changed: set[Key]
    intervals: dict[Key, tuple[float, float]]
    values: dict[Key, int] = field(default_factory=dict)

    @property
    def hidden(self) -> set[Key]:
        """Every hidden quantity."""
        return self.small | self.complementary | self.changed


def protect(relations: Relations, threshold: int) -> Outcome:
    """Hide the small counts, the counts that changed by a small amount, and complements until all are protected."""
    members = relations.members()
    values = relations.values
    small_units = {relations.unit_of(k) for k in relations.counts
                   if 0 < values[k] < threshold and k not in relations.earlier}
    changed_units = {relations.unit_of(k) for k in relations.delta if values[k] >= threshold}
    hidden_units = small_units | changed_units
    solver = _Solver(relations, threshold)
    while True:
        hidden = {k for u in hidden_units for k in members[u]} | relations.earlier
        intervals = solver.intervals(hidden)
        exposed = sorted((k for k in hidden if not protected(relations, k, intervals.get(k), threshold)), key=repr)
        if not exposed:
            break
        hidden_units.add(_complement(relations, exposed[0], hidden_units, members, threshold))
    small = {k for u in small_units for k in members[u]}
    changed = {k for u in changed_units - small_units for k in members[u]}
    complementary = hidden - small - changed - relations.earlier
    return Outcome(small=small, changed=changed, complementary=complementary, intervals=intervals,
                   values={k: values[k] for k in small | changed | complementary})


def _complement(relations: Relations, exposed: Key, hidden_units: set, members: dict, threshold: int) -> Key:
    """The next unit to hide for an exposed cell: an inner cell before a total, the nearest through the
    relations, then the smallest (a unit hidden in the previous release before any: its value was never shown)."""
    rows = relations.equal + relations.at_most
    frontier, seen, found = {exposed}, {exposed}, {}
    layer = 0
    while frontier:
        layer += 1
        near = {k for row in rows if frontier & row.keys() for k in row} - seen
        for unit in {relations.unit_of(k) for k in near}:
            if unit not in found and unit not in hidden_units and _hideable(relations, members[unit], threshold):
                found[unit] = layer
        seen |= near
        frontier = near
    if not found:
        raise ProtectionError(f"cannot protect the hidden cell {exposed}: no other cell related to it can be suppressed")
    return min(found, key=lambda u: (u not in relations.hidden_before, u in relations.totals, found[u],
                                     _size(relations, members[u]), repr(u)))


def _hideable(relations: Relations, keys: list[Key], threshold: int) -> bool:
    """A unit may be hidden as a complement when it is not known anyway and its count is not zero."""
    counts = [k for k in keys if k in relations.counts]
    return (not any(k in relations.known or k in relations.earlier for k in keys)
            and bool(counts) and all(relations.values[k] >= threshold for k in counts))


def _size(relations: Relations, keys: list[Key]) -> int:
    return min(relations.values[k] for k in keys if k in relations.counts)


class _Solver:
    """The reader's intervals for hidden quantities, by component, remembered while the hidden set grows."""

    def __init__(self, relations: Relations, threshold: int):
        self.relations = relations
        self.threshold = threshold
        self.rows = [(row, "eq") for row in relations.equal] + [(row, "ub") for row in relations.at_most]
        self.solved: dict[frozenset, dict[Key, tuple[float, float]]] = {}

    def bounds(self, key: Key) -> tuple[float, float | None]:
        """A count shown "—" is at least n; every other cell is at least 0."""
        if key not in self.relations.counts:
            return 0.0, None
        value = self.relations.values[key]
        return (0.0, None) if 0 < value < self.threshold else (float(self.threshold), None)

    def intervals(self, hidden: set[Key]) -> dict[Key, tuple[float, float]]:
        """Lowest and highest value of each hidden quantity consistent with everything published."""
        unknown = {k for k in hidden if k not in self.relations.known}
        found = {k: (float(self.relations.values[k]),) * 2 for k in hidden - unknown}
        for component in _components(unknown, [row for row, _ in self.rows]):
            if component not in self.solved:
                self.solved[component] = self._solve(component)
            found.update(self.solved[component])
        return found

    def _solve(self, component: frozenset) -> dict[Key, tuple[float, float]]:
        import numpy as np
        from scipy.optimize import linprog

        order = sorted(component, key=repr)
        index = {k: i for i, k in enumerate(order)}
        matrices = {"eq": ([], []), "ub": ([], [])}
        for row, kind in self.rows:
            if not component & row.keys():
                continue
            coefficients = np.zeros(len(order))
            constant = 0.0
            for key, coefficient in row.items():
                if key in index:
                    coefficients[index[key]] += coefficient
                else:  # published, or known from the previous release: a number
                    constant -= coefficient * self.relations.values[key]
            matrices[kind][0].append(coefficients)
            matrices[kind][1].append(constant)
        arguments = {f"A_{kind}": np.array(a) for kind, (a, _) in matrices.items() if a}
        arguments.update({f"b_{kind}": np.array(b) for kind, (a, b) in matrices.items() if a})
        bounds = [self.bounds(k) for k in order]
        found = {}
        for key in order:
            if _exempt(self.relations, key, self.threshold):
                continue  # nothing to protect there: no need to solve for it
            objective = np.zeros(len(order))
            objective[index[key]] = 1.0
            low = linprog(objective, bounds=bounds, method="highs", **arguments)
            high = linprog(-objective, bounds=bounds, method="highs", **arguments)
            # The true counts satisfy every relation, so the problem is feasible: HiGHS's "infeasible or
            # unbounded" (status 2) on the maximum means unbounded; on the minimum (bounded by 0) it is a bug.
            if low.status != 0:
                raise ProtectionError(f"no lowest value for {key}: {low.message} (a bug)")
            found[key] = (low.fun, float("inf") if high.status in (2, 3) else -high.fun)
        return found


def _exempt(relations: Relations, key: Key, threshold: int) -> bool:
    """A hidden quantity with nothing to protect: published before with this value, or a complement of the
    previous release (it protected that release's small cells, which are checked themselves)."""
    if key in relations.known:
        return True
    return key in relations.earlier and relations.unit_of(key) not in relations.small_units(threshold)


def protected(relations: Relations, key: Key, interval: tuple[float, float] | None, threshold: int) -> bool:
    """The protection rule for one hidden quantity and the reader's interval for it."""
    if _exempt(relations, key, threshold):
        return True
    low, high = interval
    value = relations.values[key]
    small_unit = relations.unit_of(key) in relations.small_units(threshold)
    if key in relations.counts and 0 < value < threshold:
        return low <= TOLERANCE and high >= threshold - TOLERANCE
    if small_unit:
        return low <= TOLERANCE and high >= max(value + 1, threshold) - TOLERANCE
    if key in relations.delta:
        before = relations.delta[key]
        return low <= before + TOLERANCE and high >= before + threshold - TOLERANCE
    return high - low >= 1 - TOLERANCE


def _components(unknown: set[Key], rows: list[dict[Key, int]]) -> list[frozenset]:
    """Groups of hidden quantities tied together by relations (each solved on its own)."""
    parent = {k: k for k in unknown}

    def find(k):
        while parent[k] != k:
            parent[k] = parent[parent[k]]
            k = parent[k]
        return k

    for row in rows:
        inside = [k for k in row if k in parent]
        for other in inside[1:]:
            parent[find(other)] = find(inside[0])
    groups: dict[Key, set] = {}
    for k in unknown:
        groups.setdefault(find(k), set()).add(k)
    return [frozenset(g) for g in groups.values()]
