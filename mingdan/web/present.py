"""What a user may see of records and people: values by sensitivity, conflicts, names for lists."""

from __future__ import annotations

from collections import defaultdict

from django.db.models import Q

from mingdan.store.crypto import PREFIX, reveal

WITHHELD = "withheld"
#: The order fields are shown in on record and person pages.
FIELD_ORDER = ["name", "name_variants", "sex", "age", "birth", "occupation", "place", "event", "event_date",
               "facility", "sentence", "consent_publish_name", "risk", "notes"]


def shown(value: str | None, sensitivity: str, readable: tuple[str, ...]) -> str | None:
    """The value if this reader may see it, else None (the page says 'withheld')."""
    if sensitivity not in readable:
        return None
    return reveal(value)


def _script() -> str | None:
    """The script names are shown in for the interface language, when a source wrote that form."""
    from django.utils.translation import get_language

    return {"zh-hans": "hans", "zh-hant": "hant"}.get(get_language() or "")


def display_names(record_ids, readable: tuple[str, ...]) -> dict[int, str]:
    """The name each record shows this reader, by the one display rule ('' when all its names are withheld)."""
    from mingdan.store.names import display_names as chosen

    return chosen(record_ids, readable, _script())


def person_name(record_ids, readable: tuple[str, ...]) -> tuple[str, list[str]]:
    """A person's display name chosen from all their records' readable names, and their other written forms."""
    from mingdan.store.names import person_names

    found = person_names({"person": list(record_ids)}, readable).get("person")
    if found is None:
        return "", []
    name = found.in_script(_script()) if _script() else found.name
    return name, [form for form in [found.name, *found.others()] if form != name]


def claims_by_field(records, readable: tuple[str, ...], history: bool = False) -> list[dict]:
    """Per field, every claim of these records with its source and state; conflicts marked."""
    from mingdan.store.models import Claim

    base = Claim.objects if history else Claim.objects.current()
    rows = (base.filter(record__in=records).select_related("record__source", "document")
            .order_by("field", "record__source__name", "id"))
    fields: dict[str, list[dict]] = defaultdict(list)
    for claim in rows:
        value = shown(claim.value, claim.sensitivity, readable)
        fields[claim.field].append({
            "id": claim.pk, "record": claim.record, "value": value, "withheld": value is None,
            "normalized": shown(claim.normalized, claim.sensitivity, readable),
            "kind": claim.kind, "verification": claim.verification, "sensitivity": claim.sensitivity,
            "source": claim.record.source.name, "locator": _locator(claim),
            "current": claim.superseded_in_id is None,
        })
    ordered = []
    for field in sorted(fields, key=lambda f: (FIELD_ORDER.index(f) if f in FIELD_ORDER else 99, f)):
        claims = fields[field]
        values = {c["normalized"] for c in claims if c["current"] and not c["withheld"]
                  and c["kind"] not in ("unknown", "not_collected", "withheld", "refused")}
        conflict = len(values) > 1 and field not in ("name", "name_variants", "event", "event_date", "sentence",
                                                      "place", "facility")
        ordered.append({"field": field, "claims": claims, "conflict": conflict})
    return ordered


def _locator(claim) -> str:
    if claim.entered_at is not None:  # an amendment: who and when say more than its small original file
        from django.utils.translation import gettext

        return gettext("entered by %(user)s %(when)s") % {"user": claim.entered_by or "?",
                                                          "when": f"{claim.entered_at:%Y-%m-%d %H:%M}"}
    return claim.locator


def has_sealed(records) -> bool:
    """True when any current value of these records is restricted or secret (its reads are audited)."""
    from mingdan.store.models import Claim, Event

    return (Claim.objects.current().filter(record__in=records).exclude(sensitivity="public").exists()
            or Event.objects.filter(Q(date_edtf__startswith=PREFIX) | Q(place__startswith=PREFIX)
                                    | Q(custody__facility__startswith=PREFIX), record__in=records).exists())
