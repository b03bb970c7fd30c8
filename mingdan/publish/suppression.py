"""The release's cells under disclosure control: the relations a reader knows between them, and what is hidden.

The tables arrive with their true counts. Here every count that a release publishes becomes a
quantity of one linear problem (protection.py) with every relation a reader of the whole release
can use (docs/publish.md, "Disclosure control"):

- accounting: a category's named people = named by 1 + by 2 + by 3 or more sources;
- counts_by_place: a place's count <= its category's named people; where nobody of a category is
  counted at two places (true of the data), the places of the category add up to its named
  people, and a reader may assume so; otherwise they add up to at least that;
- harassment_by_year: a year's events = the sum of its kinds' events; a kind's people and the
  people around 4 June <= the year's people <= the sum of its kinds' people; events around 4 June
  <= the year's events; people <= events in every row;
- the previous release: a count it published that still has the same value is known to the
  reader, whatever this release hides; a harassment count of people, a place's count or a source's
  size that grew by 1..n-1 while people were added to the named list is hidden (the difference
  would be a small count that a reader could tie to the newly named: what was done to them, where,
  which list names them).

A list of relatives' size (sources.csv 'withheld') is never published, so it is no quantity here.

Only relations true of the counts are used; what is hidden comes back as HIDDEN (a small count,
"fewer than n") or COMPLEMENT ("—", suppressed to protect another cell).
"""

from __future__ import annotations

import csv
from pathlib import Path

from mingdan.store.categories import CATEGORY_EVENTS

from .opendata import COMPLEMENT, HIDDEN
from .protection import Outcome, Relations, protect

ACCOUNTING_COUNTS = ("named_people", "named_by_1_source", "named_by_2_sources", "named_by_3_or_more_sources",
                     "status_unknown")
BY_SOURCES = ACCOUNTING_COUNTS[1:4]
H = "harassment_by_year"
#: Not kinds: every kind together, surely around 4 June, and dated with doubt (outside the year's total).
ALL, AROUND, UNCERTAIN = "all", "around_4_june", "uncertain_date"


def relations_of(tables: dict[str, list[dict]], threshold: int, previous: dict[tuple, int | str] | None = None,
                 people_added: bool = False) -> Relations:
    """Every published count of the tables (true values) and every relation between them a reader knows."""
    values: dict[tuple, int] = {}
    relations = Relations(values=values, counts=set())
    for row in tables.get("accounting", []):
        category = row["category"]
        for column in ACCOUNTING_COUNTS:
            if isinstance(row.get(column), int):
                values[("accounting", category, column)] = row[column]
                relations.counts.add(("accounting", category, column))
        _add(relations, relations.equal, {("accounting", category, "named_people"): 1,
                                          **{("accounting", category, c): -1 for c in BY_SOURCES}})
        relations.totals.add(("accounting", category, "named_people"))
    _places(relations, tables.get("counts_by_place", []))
    _harassment(relations, tables.get(H, []))
    for row in tables.get("sources", []):
        if not isinstance(row["records"], int):
            continue  # a list of relatives: its size is never published, so it is no cell of the problem
        values[("sources", row["source"], "records")] = row["records"]
        relations.counts.add(("sources", row["source"], "records"))
    _previous(relations, previous or {}, people_added, threshold)
    return relations


def _add(relations: Relations, rows: list, row: dict) -> None:
    """A relation, kept only when it is about published counts and true of them (== 0 or <= 0)."""
    if not all(k in relations.values for k in row):
        return
    total = sum(c * relations.values[k] for k, c in row.items())
    if (total == 0) if rows is relations.equal else (total <= 0):
        rows.append(row)


def _places(relations: Relations, rows: list[dict]) -> None:
    for row in rows:
        for category in CATEGORY_EVENTS:
            key = ("counts_by_place", row["place_id"], category)
            relations.values[key] = row[category]
            relations.counts.add(key)
    for category in CATEGORY_EVENTS:
        total = ("accounting", category, "named_people")
        cells = [("counts_by_place", row["place_id"], category) for row in rows]
        if total not in relations.values or not cells:
            continue
        together = {**{c: 1 for c in cells}, total: -1}
        if sum(relations.values[c] for c in cells) == relations.values[total]:
            _add(relations, relations.equal, together)
        else:
            _add(relations, relations.at_most, {**{c: -1 for c in cells}, total: 1})
        for cell in cells:
            _add(relations, relations.at_most, {cell: 1, total: -1})


def _harassment(relations: Relations, rows: list[dict]) -> None:
    years: dict[str, list[str]] = {}
    for row in rows:
        year, kind = str(row["year"]), row["kind"]
        for column in ("people", "events"):
            relations.values[(H, year, kind, column)] = row[column]
            relations.unit[(H, year, kind, column)] = (H, year, kind)
        relations.counts.add((H, year, kind, "people"))
        years.setdefault(year, []).append(kind)
        _add(relations, relations.at_most, {(H, year, kind, "people"): 1, (H, year, kind, "events"): -1})
    for year, kinds in years.items():
        relations.totals.add((H, year, ALL))
        kinds = [k for k in kinds if k not in (ALL, AROUND, UNCERTAIN)]
        p, e = (lambda kind: (H, year, kind, "people")), (lambda kind: (H, year, kind, "events"))
        _add(relations, relations.equal, {e(ALL): 1, **{e(k): -1 for k in kinds}})
        _add(relations, relations.at_most, {p(ALL): 1, **{p(k): -1 for k in kinds}})
        for kind in [*kinds, AROUND]:
            _add(relations, relations.at_most, {p(kind): 1, p(ALL): -1})
        _add(relations, relations.at_most, {e(AROUND): 1, e(ALL): -1})


def _previous(relations: Relations, previous: dict[tuple, int | str], people_added: bool, threshold: int) -> None:
    for key, value in relations.values.items():
        before = previous.get(key)
        if isinstance(before, int):
            if before == value:
                relations.known.add(key)
            elif people_added and key in relations.counts and key[0] in CHANGES_TIED and 0 < value - before < threshold:
                relations.delta[key] = before
        elif before == "suppressed":
            relations.hidden_before.add(relations.unit_of(key))


def suppress_tables(tables: dict[str, list[dict]], threshold: int, previous: Path | None = None,
                    people_added: bool = False, previous_hidden: dict[tuple, int] | None = None) -> Outcome:
    """Hide small counts and their complements in the tables (in place) so that no hidden cell is pinned.

    previous_hidden: the true values of the cells the previous release hid (kept in the case when it was
    made): its small cells must not come back from what this release publishes beside them.
    """
    before = previous_cells(previous) if previous else None
    relations = relations_of(tables, threshold, before, people_added)
    if before and previous_hidden is not None:
        _join_previous(relations, before, previous_hidden, threshold)
    outcome = protect(relations, threshold)
    for key in outcome.hidden:
        marker = HIDDEN if key in outcome.small else COMPLEMENT
        if key[0] == H:
            row = next(r for r in tables[H] if str(r["year"]) == key[1] and r["kind"] == key[2])
            row[key[3]] = marker
        else:
            table, name, column = key
            field = {"accounting": "category", "counts_by_place": "place_id", "sources": "source"}[table]
            row = next(r for r in tables[table] if r[field] == name)
            row[column] = marker
    return outcome


EARLIER = "previous release"
#: Tables whose counts say of a newly named person what named_people does not (what was done to them, where,
#: which list names them): a small growth there while people were newly named is a small count tied to them.
#: (The accounting's categories are in named_people already.)
CHANGES_TIED = (H, "counts_by_place", "sources")


def _join_previous(relations: Relations, before: dict[tuple, int | str], hidden: dict[tuple, int],
                   threshold: int) -> None:
    """The previous release as a reader has it, its hidden cells unknown, tied to this one where a count is unchanged.

    A reader may guess that a count is the same in both releases; where it truly is, the guess is right, and
    the previous release's relations then reach into this one (a complement hidden there and published
    here may give back the small cell it protected).
    """
    earlier = _tables_of(before, hidden)
    if earlier is None:
        return
    old = relations_of(earlier, threshold)
    mark = lambda key: (EARLIER, *key)  # noqa: E731
    for key, value in old.values.items():
        relations.values[mark(key)] = value
        if key in old.counts:
            relations.counts.add(mark(key))
        relations.unit[mark(key)] = mark(old.unit_of(key))
        if isinstance(before.get(key), int):
            relations.known.add(mark(key))
        else:
            relations.earlier.add(mark(key))
    relations.equal += [{mark(k): c for k, c in row.items()} for row in old.equal]
    relations.at_most += [{mark(k): c for k, c in row.items()} for row in old.at_most]
    for key, value in old.values.items():
        if key in relations.values and relations.values[key] == value and mark(key) in relations.earlier:
            relations.equal.append({key: 1, mark(key): -1})


def _tables_of(before: dict[tuple, int | str], hidden: dict[tuple, int]) -> dict[str, list[dict]] | None:
    """The previous release's tables with their true counts, or None when a hidden cell's value was not kept."""
    rows: dict[tuple, dict] = {}
    for key, shown in before.items():
        value = shown if isinstance(shown, int) else hidden.get(key)
        if value is None:
            return None
        if key[0] == H:
            rows.setdefault((H, key[1], key[2]), {"year": key[1], "kind": key[2]})[key[3]] = value
        else:
            field = {"accounting": "category", "counts_by_place": "place_id", "sources": "source"}[key[0]]
            rows.setdefault((key[0], key[1]), {field: key[1]})[key[2]] = value
    tables: dict[str, list[dict]] = {}
    for (table, *_), row in rows.items():
        if table == "counts_by_place":
            row = {c: 0 for c in CATEGORY_EVENTS} | row
        tables.setdefault(table, []).append(row)
    return tables


def previous_cells(release: Path) -> dict[tuple, int | str]:
    """The counts a release published, by the same keys: a number, or 'suppressed'."""
    found: dict[tuple, int | str] = {}
    for table, field, columns in (("accounting", "category", ACCOUNTING_COUNTS),
                                  ("counts_by_place", "place_id", tuple(CATEGORY_EVENTS)),
                                  ("sources", "source", ("records",))):
        for row in _read(release, table):
            for column in columns:
                # 'none', and a list of relatives' size 'withheld', are no published count.
                if column in row and field in row and row[column] not in ("none", "withheld"):
                    found[(table, row[field], column)] = _number(row[column])
    for row in _read(release, H):
        for column in ("people", "events"):
            found[(H, row["year"], row["kind"], column)] = _number(row.get(column, ""))
    return found


def _number(text: str) -> int | str:
    try:
        return int(text)
    except (TypeError, ValueError):
        return "suppressed" if text in ("suppressed", "") else text


def _read(release: Path, table: str) -> list[dict]:
    path = Path(release) / "data" / f"{table}.csv"
    if not path.exists():
        return []
    with open(path, encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))
