"""The table Splink links: one row per record, its current values normalised for comparison."""

from __future__ import annotations

import re
from collections import defaultdict

from mingdan.names import linkage_columns
from mingdan.names.romanize import pinyin_syllables, to_simplified
from mingdan.names.script import is_han
from mingdan.store.crypto import reveal

COLUMNS = ("unique_id", "source", "record_id", "name", "characters_key", "pinyin_key", "pinyin_swapped",
           "sound_key", "sex", "age", "place_key", "event_type", "event_start", "event_end", "occupation")
MAIN_EVENTS = ("killed", "disappeared", "detained", "arrested", "sentenced", "died_in_custody", "injured",
               "harassed", "tried", "commuted", "reduced", "paroled", "released", "escaped")


def place_key(text: str | None) -> str | None:
    """A place in characters or pinyin as one comparable key ('丰台区', 'Fengtai District' -> 'fengtai')."""
    if not text:
        return None
    han = "".join(ch for ch in text if is_han(ch))
    if han:
        han = re.sub("(区|县|市|镇|乡|街道)$", "", to_simplified(han))
        return "".join(pinyin_syllables(han)) if han else None
    letters = re.sub(r"(?i)\b(district|county|city|town|qu|xian|shi)\b", "", text.lower())
    return re.sub(r"[^a-z]", "", letters) or None


def record_frame(records=None) -> list[dict]:
    """One dict per current record (all records, or the given record pks) with the linkage columns."""
    from mingdan.store.models import Claim, Event, Name, Record

    chosen = Record.objects.all() if records is None else Record.objects.filter(pk__in=records)
    rows = {pk: {"unique_id": pk, "source": source, "record_id": record_id}
            for pk, source, record_id in chosen.values_list("pk", "source__name", "record_id").iterator()}
    legal: set[int] = set()
    names: dict[int, str] = {}
    # The legal name as written; a variant only when the record has no legal name.
    for record_pk, text, name_type in (Name.objects.filter(record_id__in=rows, claim__superseded_in__isnull=True)
                                       .order_by("id").values_list("record_id", "text", "name_type").iterator()):
        if name_type == "legal" and record_pk not in legal:
            legal.add(record_pk)
            names[record_pk] = reveal(text)
        elif record_pk not in names:
            names[record_pk] = reveal(text)
    values: dict[int, dict] = defaultdict(dict)
    for record_pk, field, normalized, kind, low in (
            Claim.objects.current().filter(record_id__in=rows, field__in=("sex", "age", "occupation"))
            .order_by("id").values_list("record_id", "field", "normalized", "kind", "value_min").iterator()):
        if kind in ("exact", "approximate", "range") and field not in values[record_pk]:
            values[record_pk][field] = low if field == "age" else reveal(normalized)
    events: dict[int, tuple] = {}
    for record_pk, event_type, start, end, place in (
            Event.objects.filter(record_id__in=rows, superseded_in__isnull=True)
            .order_by("date_earliest", "id").values_list("record_id", "event_type", "date_earliest", "date_latest",
                                                         "place").iterator()):
        known = events.get(record_pk)
        if known is None or MAIN_EVENTS.index(event_type) < MAIN_EVENTS.index(known[0]):
            events[record_pk] = (event_type, start, end, reveal(place))
    frame = []
    for pk, row in rows.items():
        keys = linkage_columns(names.get(pk, ""))
        event = events.get(pk, (None, None, None, None))
        row.update({
            "name": names.get(pk), "characters_key": keys["characters_key"], "pinyin_key": keys["pinyin_key"],
            "pinyin_swapped": keys["surname_given_swapped"], "sound_key": keys["sound_key"],
            "sex": values[pk].get("sex"), "age": values[pk].get("age"),
            "occupation": values[pk].get("occupation"), "event_type": event[0],
            "event_start": event[1].toordinal() if event[1] else None,
            "event_end": event[2].toordinal() if event[2] else None, "place_key": place_key(event[3]),
        })
        frame.append(row)
    return frame
