"""What a search result shows beside a name, so that two people of one name can be told apart: age, events, dates.

Read from the records' current claims with the same visibility as every other value: a value
the reader may not read is left out as if it were not recorded (an age, a date), and so is an
event whose type it may not read, so that a list tells nothing of what is withheld behind it.
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
        if not lens.may(sensitivity):
            continue  # withheld: as if not recorded (its kind and bounds are the value too)
        if field == "age":
            if found[record]["age"] is None:
                found[record]["age"] = {"value": value, "kind": kind, "low": _whole(low), "high": _whole(high)}
            continue
        entry = found[record]["events"].setdefault(event, {"type": None, "date": None})
        if field == "event":
            entry["type"] = value
        else:
            entry["date"] = value
    for summary in found.values():
        # An event whose type is withheld is left out whole, its date with it.
        events = sorted((e for e in summary["events"].values() if e["type"]),
                        key=lambda e: (e["date"] is None, e["date"] or ""))
        summary["events"], summary["more"] = events[:SHOWN_EVENTS], max(len(events) - SHOWN_EVENTS, 0)
    return found


def _whole(number: float | None) -> int | None:
    return None if number is None else int(number) if float(number).is_integer() else number
