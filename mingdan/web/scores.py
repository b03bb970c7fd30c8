"""Whether a reader may see a pair's match score: only when every value linkage compared is readable to it.

A match probability and its per-field weights are functions of the values linkage read: every
name form, sex, age, occupation and event (type, dates, place) of both records, at every level of
sensitivity, harassment included. Shown to a reader who may not read one of those values, the
score tells how that value compares with the other record's (an outside tester recovered a
withheld field's weight from the probability and the other weights, and saw a viewer's
probabilities change when only a relative's harassment did). So a score, its band and its
weights are withheld from a reader as soon as either record holds a compared value it may not
read; the link itself (which records make a person) stays, as the case's own conclusion.
"""

from __future__ import annotations

from django.db.models import Q

from mingdan.store.lens import Lens, family_events_q

#: The claim fields linkage compares beside the name forms and the events (linkage/frame.py).
COMPARED_FIELDS = ("sex", "age", "occupation")
CHUNK = 500


def hidden_inputs(record_pks: list[int], reader: Lens) -> set[int]:
    """The records among these whose linkage inputs hold a value this reader may not read."""
    from mingdan.store.models import Claim, Event, Name

    pks = sorted(set(record_pks))
    if len(pks) > CHUNK:  # a whole review queue: keep each query's parameter list short
        return set().union(*(hidden_inputs(pks[i:i + CHUNK], reader) for i in range(0, len(pks), CHUNK)))
    if not pks:
        return set()
    hidden = set(Claim.objects.current().filter(record_id__in=pks, field__in=COMPARED_FIELDS)
                 .exclude(sensitivity__in=reader.readable).values_list("record_id", flat=True))
    # Name forms are asked for themselves: their claims' field is whatever the mapping named.
    hidden |= set(Name.objects.filter(record_id__in=pks, claim__superseded_in__isnull=True)
                  .exclude(claim__sensitivity__in=reader.readable).values_list("record_id", flat=True))
    unreadable = (~Q(type_sensitivity__in=reader.readable) | ~Q(date_sensitivity__in=reader.readable)
                  | ~Q(place_sensitivity__in=reader.readable))
    if reader.hides_events():
        unreadable |= family_events_q()
    hidden |= set(Event.objects.filter(unreadable, record_id__in=pks, superseded_in__isnull=True)
                  .values_list("record_id", flat=True))
    return hidden


def field_hidden(record_pks: list[int], field: str, reader: Lens) -> bool:
    """True when either record holds a value of this compared field (as linkage names it) the reader may not read."""
    from mingdan.store.models import Claim, Event, Name

    if field in ("event", "event_type", "event_family", "dates", "event_date", "place", "place_key"):
        # The event comparison reads the type and the days; the place comparison the place.
        columns = (("place_sensitivity",) if field.startswith("place")
                   else ("date_sensitivity",) if field in ("dates", "event_date")
                   else ("type_sensitivity", "date_sensitivity"))
        condition = Q(pk__in=[])
        for column in columns:
            condition |= ~Q(**{f"{column}__in": reader.readable})
        if reader.hides_events():
            condition |= family_events_q()
        return Event.objects.filter(condition, record_id__in=record_pks, superseded_in__isnull=True).exists()
    if field in COMPARED_FIELDS:
        return Claim.objects.current().filter(record_id__in=record_pks, field=field).exclude(
            sensitivity__in=reader.readable).exists()
    # Every other comparison is of the names.
    return Name.objects.filter(record_id__in=record_pks, claim__superseded_in__isnull=True).exclude(
        claim__sensitivity__in=reader.readable).exists()


def readable_links(links: list, reader: Lens) -> list:
    """The scored links whose score rests only on values this reader may read.

    The others are left out whole, not listed as withheld: which pairs were scored at all, their
    band and their order all follow from the score (and blocking read the hidden values too).
    """
    hidden = hidden_inputs([pk for link in links for pk in (link.record_a_id, link.record_b_id)], reader)
    return [link for link in links if link.record_a_id not in hidden and link.record_b_id not in hidden]
