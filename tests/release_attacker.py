"""A reader who wants the hidden counts back: reads a whole release (and the one before it) and solves the LP itself.

Written apart from mingdan/publish/protection.py on purpose: it reads only the release folders
(every CSV, public.sqlite, changes.json, the previous release) and is told, as a reader of the
report is by its labels, which hidden counts are small ("<5") and which are complements ("—",
at least the threshold). For each hidden cell it finds the lowest and highest value consistent
with everything published, with scipy's HiGHS, and reports each cell pinned more narrowly than
docs/publish.md's rule: a small count must be anywhere from 0 to the threshold, the events
hidden with it from 0 to max(threshold, its value + 1), a complement must not be pinned, and a
harassment count of people, a place's count or a source's size that grew by less than the threshold
while people were newly named must reach from its previous value to that value plus the threshold (or not be
published).

`truth` holds the true count of every cell (the test computes it from the case): the reader is
given the labels from it, and a previous release's number is taken as still true where it is.
"""

from __future__ import annotations

import csv
import json
import sqlite3
from pathlib import Path

import numpy as np
from scipy.optimize import linprog

CATEGORIES = ("killed", "died_in_custody", "detained", "missing")
BY = ("named_by_1_source", "named_by_2_sources", "named_by_3_or_more_sources")
H = "harassment_by_year"


def _rows(release: Path, table: str) -> list[dict]:
    path = release / "data" / f"{table}.csv"
    if not path.exists():
        return []
    with open(path, encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def _value(text: str):
    if text == "suppressed":
        return None
    return int(text)


def cells(release: Path) -> dict[tuple, int | None]:
    """Every published count of a release: a number, or None when suppressed."""
    found = {}
    for row in _rows(release, "accounting"):
        for column in ("named_people", *BY, "status_unknown"):
            if row[column] != "none":
                found[("accounting", row["category"], column)] = _value(row[column])
    for row in _rows(release, "counts_by_place"):
        for column in CATEGORIES:
            found[("counts_by_place", row["place_id"], column)] = _value(row[column])
    for row in _rows(release, H):
        for column in ("people", "events"):
            found[(H, row["year"], row["kind"], column)] = _value(row[column])
    for row in _rows(release, "sources"):
        if row["records"] != "withheld":  # a list of relatives' size: not published at all, whatever it is
            found[("sources", row["source"], "records")] = _value(row["records"])
    return found


def _sqlite_agrees(release: Path, published: dict) -> list[str]:
    """public.sqlite holds the same counts as the CSV files (NULL where suppressed) and nothing more."""
    problems = []
    with sqlite3.connect(release / "data" / "public.sqlite") as db:
        for key, value in published.items():
            if key[0] == H:
                query, args = f'select "{key[3]}" from {H} where year = ? and kind = ?', (int(key[1]), key[2])
            else:
                field = {"accounting": "category", "counts_by_place": "place_id", "sources": "source"}[key[0]]
                query, args = f'select "{key[2]}" from {key[0]} where {field} = ?', (key[1],)
            got = db.execute(query, args).fetchall()
            if got != [(value,)]:
                problems.append(f"public.sqlite {key}: {got} but the CSV says {value}")
    return problems


def _changes_agree(release: Path, previous: Path | None, now: dict) -> list[str]:
    """changes.json shows only what the two releases publish: each old and new count is the published one."""
    changes = json.loads((release / "changes.json").read_text("utf-8"))
    if previous is None or changes.get("previous") is None:
        return []
    before = cells(previous)
    problems = []
    for change in changes["counts"]:
        key = (change["table"], change["row"], change["column"])
        for side, table in (("old", before), ("new", now)):
            shown = change[side]
            if key in table and isinstance(shown, int) and shown != table[key]:
                problems.append(f"changes.json {side} {key} = {shown}, the release publishes {table[key]}")
            if key in table and isinstance(shown, int) and table[key] is None:
                problems.append(f"changes.json gives the hidden {key} as {shown}")
    return problems


def _relations(published: dict, truth: dict) -> tuple[list[dict], list[dict]]:
    """The relations a reader of the release knows: (equalities, at-most rows), each sum(coef * cell) (==|<=) 0."""
    equal, at_most = [], []
    keys = set(published)
    for category in {k[1] for k in keys if k[0] == "accounting"}:
        row = {("accounting", category, "named_people"): 1, **{("accounting", category, c): -1 for c in BY}}
        if row.keys() <= keys:
            equal.append(row)
    places = {k[1] for k in keys if k[0] == "counts_by_place"}
    for category in CATEGORIES:
        total = ("accounting", category, "named_people")
        column = [("counts_by_place", p, category) for p in places]
        if total not in keys or not column:
            continue
        # Where nobody is at two places, a reader's guess that the places add up to the total is right.
        if sum(truth[c] for c in column) == truth[total]:
            equal.append({**{c: 1 for c in column}, total: -1})
        else:
            at_most.append({**{c: -1 for c in column}, total: 1})
        at_most += [{c: 1, total: -1} for c in column]
    years = {}
    for key in keys:
        if key[0] == H:
            years.setdefault(key[1], set()).add(key[2])
    for year, kinds in years.items():
        p = lambda kind: (H, year, kind, "people")  # noqa: E731
        e = lambda kind: (H, year, kind, "events")  # noqa: E731
        plain = sorted(kinds - {"all", "around_4_june"})
        equal.append({e("all"): 1, **{e(k): -1 for k in plain}})
        at_most.append({p("all"): 1, **{p(k): -1 for k in plain}})
        at_most += [{p(k): 1, p("all"): -1} for k in [*plain, "around_4_june"]]
        at_most.append({e("around_4_june"): 1, e("all"): -1})
        at_most += [{p(k): 1, e(k): -1} for k in kinds]
    return equal, at_most


def attack(release: Path, truth: dict[tuple, int], threshold: int, previous: Path | None = None,
           previous_truth: dict[tuple, int] | None = None) -> list[str]:
    """Every way the release gives back more than its rule allows, as sentences; [] when it holds.

    previous_truth: the true counts when the previous release was made; its hidden cells are then unknowns
    of the same problem, equal to this release's where the count did not change (a reader's right guess),
    and its small hidden cells must still be protected.
    """
    release = Path(release)
    published = cells(release)
    problems = _sqlite_agrees(release, published) + _changes_agree(release, previous, published)
    known = {k: v for k, v in published.items() if v is not None}
    before = cells(previous) if previous else {}
    for key, value in before.items():
        # A count the previous release published and that has not changed is known, hidden now or not.
        if value is not None and published.get(key) is None and truth.get(key) == value:
            known[key] = value
    added = _people_added(release, previous)
    hidden = sorted(k for k, v in published.items() if v is None and k not in known)
    equal, at_most = _relations(published, truth)
    if previous_truth is not None:
        mark = lambda key: ("previous", *key)  # noqa: E731
        old_equal, old_at_most = _relations(before, previous_truth)
        equal += [{mark(k): c for k, c in row.items()} for row in old_equal]
        at_most += [{mark(k): c for k, c in row.items()} for row in old_at_most]
        known.update({mark(k): v for k, v in before.items() if v is not None})
        truth = dict(truth)
        for key, value in before.items():
            if value is None:
                hidden.append(mark(key))
                truth[mark(key)] = previous_truth[key]
                if key in published and truth.get(key) == previous_truth[key]:
                    equal.append({key: 1, mark(key): -1})  # unchanged: a reader who guesses so is right
    plain = lambda k: k[1:] if k[0] == "previous" else k  # noqa: E731
    counts = lambda k: plain(k)[0] != H or plain(k)[3] == "people"  # noqa: E731
    rows = [(row, "eq") for row in equal] + [(row, "ub") for row in at_most]
    intervals = {}
    for group in _groups(hidden, [row for row, _ in rows]):
        index = {k: i for i, k in enumerate(group)}
        a = {"eq": [], "ub": []}
        b = {"eq": [], "ub": []}
        for row, kind in rows:
            if not any(k in index for k in row):
                continue
            coefficients, constant = np.zeros(len(group)), 0.0
            for key, c in row.items():
                if key in index:
                    coefficients[index[key]] += c
                else:
                    constant -= c * known[key]
            a[kind].append(coefficients)
            b[kind].append(constant)
        matrices = {f"A_{kind}": np.array(a[kind]) for kind in a if a[kind]}
        matrices.update({f"b_{kind}": np.array(b[kind]) for kind in b if b[kind]})
        bounds = [(threshold if counts(k) and truth[k] >= threshold else 0, None) for k in group]
        for key in group:
            c = np.zeros(len(group))
            c[index[key]] = 1
            low = linprog(c, bounds=bounds, method="highs", **matrices)
            high = linprog(-c, bounds=bounds, method="highs", **matrices)
            intervals[key] = (low, high)
    for key in hidden:
        low, high = intervals[key]
        # The true counts are feasible; HiGHS may call an unbounded maximum "infeasible or unbounded" (2).
        assert low.status == 0 and high.status in (0, 2, 3), (key, low.message, high.message)
        lo, hi = low.fun, (float("inf") if high.status in (2, 3) else -high.fun)
        value = truth[key]
        unit_small = plain(key)[0] == H and 0 < truth[(*key[:-1], "people")] < threshold
        before_value = before.get(key)
        if key[0] == "previous" and not (unit_small or (counts(key) and 0 < value < threshold)):
            continue  # the previous release's complements: only its small cells are sensitive
        if counts(key) and 0 < value < threshold:
            ok, rule = lo <= 1e-6 and hi >= threshold - 1e-6, f"[0, {threshold}]"
        elif unit_small:
            need = max(threshold, value + 1)
            ok, rule = lo <= 1e-6 and hi >= need - 1e-6, f"[0, {need}]"
        elif added and _tied(key) and isinstance(before_value, int) \
                and 0 < value - before_value < threshold:
            ok, rule = lo <= before_value + 1e-6 and hi >= before_value + threshold - 1e-6, \
                f"[{before_value}, {before_value + threshold}]"
        else:
            ok, rule = hi - lo >= 1 - 1e-6, "wider than one value"
        if not ok:
            problems.append(f"{key} (true {value}) is pinned to [{lo:g}, {hi:g}]; the rule asks {rule}")
    if added:
        for key, value in published.items():
            old = before.get(key)
            if _tied(key) and isinstance(value, int) and isinstance(old, int) \
                    and 0 < value - old < threshold:
                problems.append(f"{key} grew {old} -> {value} while people were newly named")
    return problems


def _tied(key: tuple) -> bool:
    """A count whose small growth, while people are newly named, says something of them (harassment, place,
    the list that names them)."""
    return (key[0] == H and key[3] == "people") or key[0] in ("counts_by_place", "sources")


def _groups(hidden: list, rows: list[dict]) -> list[list]:
    """Hidden cells tied together by some relation, each group solved on its own."""
    parent = {k: k for k in hidden}

    def root(k):
        while parent[k] != k:
            k = parent[k]
        return k

    for row in rows:
        inside = [k for k in row if k in parent]
        for other in inside[1:]:
            parent[root(other)] = root(inside[0])
    groups = {}
    for k in hidden:
        groups.setdefault(root(k), []).append(k)
    return list(groups.values())


def _people_added(release: Path, previous: Path | None) -> bool:
    if previous is None:
        return False
    ids = lambda folder: {row["person_id"] for row in _rows(folder, "named_people")}  # noqa: E731
    return bool(ids(release) - ids(previous))
