"""The people of the accounting's categories in a case: who counts as a victim for families and for naming."""

from __future__ import annotations

from mingdan.store.categories import CATEGORY_EVENTS
from mingdan.store.lens import Lens, event_types_q


def accounting_people(lens: Lens) -> set[str]:
    """Person keys (person id once linked, else SOURCE:RECORD_ID) with a current event of an accounting category.

    Read through the lens, as the accounting counts them: an event whose type the reader may not read
    makes no one a victim for that reader (a family count would otherwise tell of the sealed event).
    """
    from mingdan.store.models import Event, Record, Source

    wanted = [event for events in CATEGORY_EVENTS.values() for event in events]
    records = set(Event.objects.filter(event_types_q(lens, wanted), superseded_in__isnull=True)
                  .order_by().values_list("record_id", flat=True).distinct().iterator(chunk_size=10_000))
    sources = dict(Source.objects.values_list("pk", "name"))
    return {person or f"{sources[source]}:{record_id}" for pk, source, record_id, person in
            Record.objects.order_by().values_list("pk", "source_id", "record_id", "person__person_id")
            .iterator(chunk_size=10_000) if pk in records}
