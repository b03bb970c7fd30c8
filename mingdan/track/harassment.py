"""Harassment in a case: the stored `harassed` events and relations, read through a lens, counted by the core."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict

from mingdan.custody import PRC_RULES, RuleSet
from mingdan.harassment import Harassment, families_of_named, longest_restrictions, per_year, restricted_on
from mingdan.harassment.families import victim_ties
from mingdan.store.case import Case
from mingdan.store.lens import Lens, event_types_q
from mingdan.store.names import person_names

from .victims import accounting_people

_COLUMNS = ("record_id", "date_edtf", "date_sensitivity", "row", "document_id", "harassment__kind",
            "harassment__kind_sensitivity", "harassment__duration", "harassment__tied_to")


def _people(record_pks) -> dict[int, tuple[str, bool]]:
    """record pk -> (person key, linked): the person id once linked, else SOURCE:RECORD_ID."""
    from mingdan.store.models import Record, Source

    sources = dict(Source.objects.values_list("pk", "name"))
    return {pk: (person or f"{sources[source]}:{record_id}", person is not None) for pk, source, record_id, person in
            Record.objects.filter(pk__in=set(record_pks)).values_list("pk", "source_id", "record_id",
                                                                      "person__person_id").iterator()}


def relations(lens: Lens) -> list[tuple[str, str, str]]:
    """(relative's person, relation kind, the other person) for every current relation the lens may read."""
    from django.db.models import Exists, OuterRef

    from mingdan.store.models import Claim, Relation

    # Both records must still be stated by a current claim: a victim a new version of their list no longer
    # holds is no longer a named victim (their relatives' own harassment still counts, as anyone's).
    current = Claim.objects.filter(superseded_in__isnull=True)
    rows = list(Relation.objects.filter(superseded_in__isnull=True)
                .filter(Exists(current.filter(record_id=OuterRef("record_id"))),
                        Exists(current.filter(record_id=OuterRef("other_id"))))
                .values_list("record_id", "other_id", "kind", "sensitivity"))
    people = _people([r for row in rows for r in row[:2]])
    out = []
    for record, other, kind, level in rows:
        shown = lens.family(kind, level, record)
        if shown is not None:
            out.append((people[record][0], shown, people[other][0]))
    return sorted(set(out))


def harassment_events(lens: Lens) -> tuple[list[Harassment], dict[str, list[int]], bool]:
    """Every current harassment event the lens may read, person keys -> record pks, and whether records are linked."""
    from mingdan.store.models import Document, Event

    # A reader who may see families counts every harassment it may see on a person's page, whatever the
    # relations: a secret relation hides only itself (which relative of whom), not what was done to someone.
    # Below editor event_types_q leaves the harassed events out altogether.
    rows = list(Event.objects.filter(event_types_q(lens, {"harassed"}), superseded_in__isnull=True)
                .order_by("id").values_list(*_COLUMNS).iterator(chunk_size=10_000))
    people = _people(row[0] for row in rows)
    documents = dict(Document.objects.filter(pk__in={row[4] for row in rows}).values_list("pk", "original_name"))
    events, records, linked = [], defaultdict(set), False
    for record, date, date_level, row, document, kind, kind_level, duration, tied_to in rows:
        date_text, kind_text = lens.value(date, date_level, record), lens.family(kind or "", kind_level, record)
        # Duration and tie are sealed with the kind: read at its level, never as ciphertext.
        duration, tied_to = (lens.family(duration or "", kind_level, record) or "",
                             lens.family(tied_to or "", kind_level, record) or "")
        person, is_linked = people[record]
        linked = linked or is_linked
        records[person].add(record)
        # An event whose kind or date this reader may not read counts as kind "withheld" / undated, never dropped.
        events.append(Harassment(person, kind_text or ("withheld" if kind else "unspecified"), date_text or "",
                                 duration or "", tied_to or "", (f"{documents[document]}:{row}",)))
    return events, {p: sorted(pks) for p, pks in records.items()}, linked


def harassment_report(case: Case, first: int | None = None, last: int | None = None, as_of: dt.date | None = None,
                      lens: Lens | None = None, rules: RuleSet = PRC_RULES, window_days: int = 15,
                      with_names: bool = True) -> dict:
    """Counts per year (and around 4 June), families of named victims, the longest restrictions, and who is
    restricted or possibly restricted on as_of — from what the lens may read (names left out unless with_names)."""
    lens = lens or Lens.everything()
    events, records, linked = harassment_events(lens)
    ties = relations(lens)
    relatives: dict[str, set[str]] = defaultdict(set)
    # A victim is a person of the accounting's categories: a relation pointing at another harassed relative
    # (a grandchild 'child_of' a harassed mother) makes no family of a victim.
    family_ties = victim_ties(ties, accounting_people(lens))
    for relative, _, victim in family_ties:
        relatives[relative].add(victim)
    years, undated = per_year(events, first, last, relatives, window_days)
    day = as_of or dt.date.today()
    in_range = [e for e in events if e.start is not None and e.start.earliest <= day]
    restricted = restricted_on(in_range, day, rules)
    longest = longest_restrictions(in_range, day)
    families = families_of_named(events, family_ties)
    named, victim_names = {}, {}
    if with_names:  # the accounting needs counts only: no name is read for it
        named = person_names({key: records[key] for key in
                              {r.person for r in restricted} | {s.person for s in longest} if key in records},
                             lens.readable)
        victim_names = person_names(_records_of({f["victim"] for f in families}), lens.readable)
    return {
        "linked": linked, "as_of": day.isoformat(), "window_days": window_days,
        "years": [y.as_dict() for y in years],
        "undated_events": len(undated),
        "families": [{**f, "victim_name": victim_names[f["victim"]].name if f["victim"] in victim_names else None}
                     for f in families],
        "longest": [{"person": s.person, "name": named[s.person].name if s.person in named else None,
                     "first": s.first.isoformat(), "last": s.last.isoformat() if s.last else None,
                     "days": s.days(day), "open": s.last is None, "kinds": list(s.kinds), "events": s.events}
                    for s in longest],
        "restricted": [{**r.as_dict(), "name": named[r.person].name if r.person in named else None}
                       for r in restricted],
    }


def _records_of(people: set[str]) -> dict[str, list[int]]:
    """person key -> record pks, for keys that are person ids or SOURCE:RECORD_ID."""
    from mingdan.store.models import Record

    out: dict[str, list[int]] = defaultdict(list)
    for pk, person, source, record_id in Record.objects.values_list("pk", "person__person_id", "source__name",
                                                                     "record_id").iterator():
        key = person or f"{source}:{record_id}"
        if key in people:
            out[key].append(pk)
    return out
