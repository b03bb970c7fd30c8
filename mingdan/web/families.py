"""What an editor sees of relations between records and of harassment, read through the request's lens.

Below editor (Lens.families false) both functions return nothing at all: not a withheld mark,
not a count, so no page differs between a record that has a relation and one that has none.
"""

from __future__ import annotations

from django.db.models import Q
from django.utils.translation import gettext

from mingdan.store.lens import Lens

from .present import display_names


def relation_token(pk: int) -> str:
    """The opaque id of a relation in URLs and forms: a keyed digest of its number under the web key.

    The numbers follow the order relations were made, so an editor seeing relations 1 and 3 would
    learn that a relation 2 it may not read exists; the digest says nothing of the order.
    """
    from django.utils.crypto import salted_hmac

    return salted_hmac("mingdan.web.relation", str(pk), algorithm="sha256").hexdigest()[:32]


def find_relation(record_pk: int, token: str):
    """The current relation tying this record whose token this is, or None."""
    from django.utils.crypto import constant_time_compare

    from mingdan.store.models import Relation

    ties = Relation.objects.filter(Q(record_id=record_pk) | Q(other_id=record_pk), superseded_in__isnull=True)
    return next((relation for relation in ties if constant_time_compare(relation_token(relation.pk), token)), None)


def _locator(claim) -> str:
    if claim is None:
        return ""
    if claim.entered_at is not None:
        return gettext("entered by %(user)s %(when)s") % {"user": claim.entered_by or "?",
                                                          "when": f"{claim.entered_at:%Y-%m-%d %H:%M}"}
    return claim.locator


def relations(records, lens: Lens, history: bool = False) -> list[dict]:
    """Every relation these records take part in, both ways, each with its source and locator.

    `outgoing`: the record of this page is `kind` the other ("mother of 王二"); else the other is
    `kind` this one ("王一 is mother of this person").
    """
    from mingdan.store.models import Claim, Relation

    if not lens.families:
        return []
    ids = [getattr(r, "pk", r) for r in records]
    found = Relation.objects.filter(Q(record_id__in=ids) | Q(other_id__in=ids)).select_related(
        "record__source", "other__source", "document__source", "claim")
    if not history:
        found = found.filter(superseded_in__isnull=True)
    found = list(found.order_by("id"))
    cited = {(c.document_id, c.record_id, c.row): lens.value(c.value, c.sensitivity, c.record_id)
             for c in Claim.objects.filter(field="relation_cited", document_id__in={r.document_id for r in found})}
    withdrawn = {c.document_id: lens.family(c.value, c.sensitivity, c.record_id) or "" for c in Claim.objects.filter(
        field="relation_withdrawn", document_id__in={r.superseded_in_id for r in found if r.superseded_in_id})}
    rows = []
    for relation in found:
        kind = lens.family(relation.kind, relation.sensitivity, relation.record_id)
        if kind is None:
            continue  # withheld: not even its existence is said (nor its level, source or locator)
        outgoing = relation.record_id in ids
        this, other = (relation.record, relation.other) if outgoing else (relation.other, relation.record)
        rows.append({"outgoing": outgoing, "kind": kind, "this": this, "other": other,
                     "ref": f"{other.source.name}:{other.record_id}", "sensitivity": relation.sensitivity,
                     "source": relation.document.source.name, "locator": _locator(relation.claim),
                     "cited": cited.get((relation.document_id, relation.record_id, relation.row)),
                     "current": relation.superseded_in_id is None, "token": relation_token(relation.pk),
                     "withdrawn": relation.superseded_in_id in withdrawn,
                     "withdrawn_reason": withdrawn.get(relation.superseded_in_id, "")})
    names = display_names({row["other"].pk for row in rows}, lens)
    for row in rows:
        row["name"] = names.get(row["other"].pk) or gettext("name withheld")
    return rows


def harassment(records, lens: Lens, history: bool = False) -> list[dict]:
    """The harassment details of these records' events: kind, perpetrator, tied-to date and duration."""
    from mingdan.store.models import HarassmentEvent

    if not lens.families:
        return []
    ids = [getattr(r, "pk", r) for r in records]
    found = HarassmentEvent.objects.filter(event__record_id__in=ids).select_related(
        "event__record__source", "event__document")
    if not history:
        found = found.filter(event__superseded_in__isnull=True)
    rows = []
    for details in found.order_by("event__date_earliest", "event_id"):
        event = details.event
        kind = lens.family(details.kind, details.kind_sensitivity, event.record_id)
        if lens.family(event.event_type, event.type_sensitivity) is None or (details.kind and kind is None):
            continue  # an event whose type this reader may not read: even its existence stays unsaid
        rows.append({
            "record": event.record, "kind": kind,
            "date": lens.value(event.date_edtf, event.date_sensitivity, event.record_id),
            "perpetrator": lens.family(details.perpetrator, details.perpetrator_sensitivity, event.record_id),
            "perpetrator_withheld": bool(details.perpetrator) and not lens.may(details.perpetrator_sensitivity),
            "tied_to": lens.family(details.tied_to, details.kind_sensitivity, event.record_id),
            "duration": lens.family(details.duration, details.kind_sensitivity, event.record_id),
            "source": event.record.source.name, "locator": f"{event.document.original_name}:{event.row}",
            "current": event.superseded_in_id is None})
    return rows
