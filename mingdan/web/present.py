"""What a reader sees of records and people, read through the request's lens: claims, names, compared values."""

from __future__ import annotations

from collections import defaultdict

from django.utils.translation import get_language
from django.utils.translation import gettext as _

from mingdan.store.lens import Lens, without_family_events

WITHHELD = "withheld"
#: The order fields are shown in on record and person pages.
FIELD_ORDER = ["name", "name_variants", "sex", "age", "birth", "occupation", "place", "event", "event_date",
               "facility", "sentence", "harassment", "perpetrator", "tied_to", "duration", "relation", "relation_of",
               "relation_cited", "relation_withdrawn", "consent_publish_name", "risk", "notes"]
#: Claims only editors and admins see (Lens.families): below them they are left out, not marked withheld.
FAMILY_FIELDS = ("relation", "relation_of", "relation_cited", "relation_withdrawn", "harassment", "perpetrator",
                 "tied_to", "duration")
HARASSMENT_DETAILS = frozenset({"harassment", "perpetrator", "tied_to", "duration"})
RELATION_FIELDS = frozenset({"relation", "relation_of", "relation_cited", "relation_withdrawn"})
_ABSENT = ("unknown", "not_collected", "withheld", "refused")


def _script() -> str | None:
    """The script names are shown in for the interface language, when a source wrote that form."""
    return {"zh-hans": "hans", "zh-hant": "hant"}.get(get_language() or "")


def _note_name_reads(record_ids, lens: Lens) -> None:
    """Tell the lens which records' restricted or secret names it read or withheld, for the audit."""
    from mingdan.store.models import Name

    ids = list(record_ids)
    for start in range(0, len(ids), 5000):
        for record_id, sensitivity in (Name.objects.filter(record_id__in=ids[start:start + 5000],
                                                           claim__superseded_in__isnull=True)
                                       .exclude(claim__sensitivity="public").order_by()
                                       .values_list("record_id", "claim__sensitivity").distinct()):
            lens.note(sensitivity, record_id)


def display_names(record_ids, lens: Lens) -> dict[int, str]:
    """The name each record shows this reader, by the one display rule (no entry when all its names are withheld)."""
    from mingdan.store.names import display_names as chosen

    record_ids = list(record_ids)
    _note_name_reads(record_ids, lens)
    return chosen(record_ids, lens.readable, _script())


def person_name(record_ids, lens: Lens) -> tuple[str, list[str]]:
    """A person's display name chosen from all their records' readable names, and their other written forms."""
    from mingdan.store.names import person_names

    record_ids = list(record_ids)
    _note_name_reads(record_ids, lens)
    found = person_names({"person": record_ids}, lens.readable).get("person")
    if found is None:
        return "", []
    name = found.in_script(_script()) if _script() else found.name
    return name, [form for form in [found.name, *found.others()] if form != name]


def claims_by_field(records, lens: Lens, history: bool = False) -> list[dict]:
    """Per field, every claim of these records with its source and state; conflicts marked."""
    from mingdan.store.models import Claim, Document

    # The records are given (with their sources): each claim points at its own instead of a joined copy, and
    # the few documents are read once (a JSON page of 50 records built 2,000 model instances for 500 claims).
    given = {record.pk: record for record in records}
    base = Claim.objects if history else Claim.objects.current()
    rows = base.filter(record__in=list(given)).order_by("field", "record__source__name", "id")
    if not lens.families:
        rows = rows.exclude(field__in=FAMILY_FIELDS)
    rows = list(without_family_events(rows, lens, "event__"))
    documents = Document.objects.only("original_name").in_bulk({claim.document_id for claim in rows} - {None})
    fields: dict[str, list[dict]] = defaultdict(list)
    for claim in rows:
        claim.record = given[claim.record_id]
        if claim.document_id is not None:
            claim.document = documents[claim.document_id]
        value = lens.value(claim.value, claim.sensitivity, claim.record_id)
        if value is None and not lens.may(claim.sensitivity):
            # Withheld: left out entirely, so that neither its kind, state, source nor how many there are
            # tells the reader anything (the lens has counted it for the audit).
            continue
        fields[claim.field].append({
            "id": claim.pk, "record": claim.record, "value": value,
            "normalized": lens.value(claim.normalized, claim.sensitivity, claim.record_id),
            "kind": claim.kind, "verification": claim.verification, "sensitivity": claim.sensitivity,
            "source": claim.record.source.name, "locator": _locator(claim, lens),
            "current": claim.superseded_in_id is None,
            # What two claims must share to be compared: the event for a harassment detail (a house arrest in
            # 2019 and a police visit in 2020 do not disagree), the statement for a relation, else the field.
            "about": (claim.event_id if claim.field in HARASSMENT_DETAILS else
                      (claim.record_id, claim.document_id, claim.row) if claim.field in RELATION_FIELDS else None),
        })
    ordered = []
    # Every field of the fixed set has its row, whether or not anything (readable or not) stands behind it.
    shown = set(fields) | {f for f in FIELD_ORDER if lens.families or f not in FAMILY_FIELDS}
    for field in sorted(shown, key=lambda f: (FIELD_ORDER.index(f) if f in FIELD_ORDER else 99, f)):
        claims = fields.get(field, [])
        values: dict = defaultdict(set)
        for c in claims:
            if c["current"] and c["kind"] not in _ABSENT:
                values[c["about"]].add(c["normalized"])
        conflict = any(len(v) > 1 for v in values.values()) and field not in ("name", "name_variants", "event", "event_date", "sentence",
                                                      "place", "facility")
        ordered.append({"field": field, "claims": claims, "conflict": conflict})
    return ordered


def reads_everything(lens: Lens) -> bool:
    """True when this reader may read every level (what a page says of withheld values depends on this alone)."""
    return "secret" in lens.readable


def _locator(claim, lens: Lens) -> str:
    """file:row:column; below editor file:column only, since the gaps in a file's row numbers would show
    where rows are that such a reader is not shown (a relative's harassment)."""
    if claim.document_id is not None and claim.entered_at is None and lens.hides_events():
        return f"{claim.document.original_name}:{claim.column}"
    if claim.entered_at is not None:  # an amendment: who and when say more than its small original file
        from django.utils.translation import gettext

        return gettext("entered by %(user)s %(when)s") % {"user": claim.entered_by or "?",
                                                          "when": f"{claim.entered_at:%Y-%m-%d %H:%M}"}
    return claim.locator


def compared_values(record_pks: list[int], lens: Lens) -> dict[int, dict[str, str | None]]:
    """Per record, the values linkage compares (name, sex, age, occupation, place, event) as this reader may see them."""
    from mingdan.linkage.explain import place_text
    from mingdan.linkage.frame import MAIN_EVENTS, place_reader
    from mingdan.store.lens import event_types_q
    from mingdan.store.models import Claim, Event

    from .kept import kept

    values: dict[int, dict[str, str | None]] = {pk: {} for pk in record_pks}
    for pk, name in display_names(record_pks, lens).items():
        values[pk]["name"] = name
    for pk, field, normalized, kind, level in (
            Claim.objects.current().filter(record_id__in=record_pks, field__in=("sex", "age", "occupation"),
                                           sensitivity__in=lens.readable)
            .order_by("id").values_list("record_id", "field", "normalized", "kind", "sensitivity")):
        if kind not in _ABSENT and field not in values[pk]:
            values[pk][field] = lens.value(normalized, level, pk)
    main: dict[int, tuple] = {}
    events = list(Event.objects.filter(event_types_q(lens, MAIN_EVENTS), record_id__in=record_pks,
                                       superseded_in__isnull=True)
                  .values_list("record_id", "event_type", "type_sensitivity", "place", "place_sensitivity",
                               "date_earliest", "date_sensitivity", "id"))
    # In the order linkage's reader frame takes them: by the dates this reader may read (others as unknown, first).
    events.sort(key=lambda e: (lens.may(e[6]) and e[5] is not None, e[5] if lens.may(e[6]) and e[5] else 0, e[7]))
    for pk, kind, level, place, place_level, *_dates in events:
        kind = lens.value(kind, level, pk)
        if pk not in main or MAIN_EVENTS.index(kind) < MAIN_EVENTS.index(main[pk][0]):
            main[pk] = (kind, lens.value(place, place_level, pk))
    # The reader samples the case's distinct places (most of a review page's time): kept until the case changes.
    reader = (kept("place-reader", Lens.everything(), place_reader) if any(place for _, place in main.values())
              else None)
    for pk, (kind, place) in main.items():
        values[pk]["event"] = kind
        # The place as linkage read it (its gazetteer entry), under the name of its comparison.
        values[pk]["place"] = values[pk]["place_key"] = (
            place_text(reader.columns(place)["place_key"], get_language() or "en",
                       _("{reading} (not in the gazetteer)")) if place and reader else None)
    return values
