"""What a search result shows beside a name, so that two people of one name can be told apart: age, events, dates.

Read from the records' current claims with the same visibility as every other value: a value
the reader may not read is marked withheld, never shown.
"""

from __future__ import annotations


from mingdan.store.lens import Lens, without_family_events

#: Events shown per record in a list; the rest are counted.
SHOWN_EVENTS = 3


def record_summaries(records, lens: Lens) -> dict[int, dict]:
    """record pk -> {"age": {...} or None, "events": [{"type", "date", ...}], "more": how many events not shown}."""
    from mingdan.store.models import Claim

    found: dict[int, dict] = {r.pk: {"age": None, "events": {}, "more": 0} for r in records}
    claims = (without_family_events(Claim.objects.current(), lens, "event__")
              .filter(record__in=list(found), field__in=("age", "event", "event_date"))
              .order_by("id").values_list("record_id", "event_id", "field", "normalized", "kind", "value_min",
                                          "value_max", "sensitivity"))
    for record, event, field, normalized, kind, low, high, sensitivity in claims:
        value = lens.value(normalized, sensitivity, record)
        if field == "age":
            if found[record]["age"] is None:
                readable_here = lens.may(sensitivity)  # the bounds are the value too: shown only with it
                found[record]["age"] = {"value": value, "kind": kind,
                                        "low": _whole(low) if readable_here else None,
                                        "high": _whole(high) if readable_here else None,
                                        "withheld": not readable_here}
            continue
        entry = found[record]["events"].setdefault(event, {"type": None, "date": None, "withheld": False})
        if value is None:
            entry["withheld"] = True
        elif field == "event":
            entry["type"] = value
        else:
            entry["date"] = value
    for summary in found.values():
        events = sorted(summary["events"].values(), key=lambda e: (e["date"] is None, e["date"] or ""))
        summary["events"], summary["more"] = events[:SHOWN_EVENTS], max(len(events) - SHOWN_EVENTS, 0)
    return found


def _whole(number: float | None) -> int | None:
    return None if number is None else int(number) if float(number).is_integer() else number
