"""The table Splink links: one row per record, its current values normalised for comparison."""

from __future__ import annotations

import re
from collections import defaultdict
from typing import TYPE_CHECKING

from mingdan.names import linkage_columns
from mingdan.names.romanize import pinyin_syllables, to_simplified
from mingdan.names.script import is_han
from mingdan.store.crypto import reveal

if TYPE_CHECKING:
    import pyarrow as pa

#: The name columns compare_names is computed from in SQL (mingdan.names.linkage_columns).
NAME_COLUMNS = ("name_comparable", "name_deterministic", "name_order_known", "pinyin_spaced", "surname_plain",
                "given_plain", "sound_readings")
COLUMNS = ("unique_id", "source", "record_id", "name", "characters_key", "pinyin_key", "pinyin_swapped",
           "sound_key", *NAME_COLUMNS, "sex", "age", "place_key", "event_type", "event_start", "event_end",
           "occupation")


def _schema():
    import pyarrow as pa

    text = pa.string()
    types = {"unique_id": pa.int64(), "name_comparable": pa.bool_(), "name_deterministic": pa.bool_(),
             "name_order_known": pa.bool_(), "sound_readings": pa.list_(text), "age": pa.float64(),
             "event_start": pa.int64(), "event_end": pa.int64()}
    return pa.schema([(column, types.get(column, text)) for column in COLUMNS])


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
    from mingdan.store.models import Record

    chosen = Record.objects.all() if records is None else Record.objects.filter(pk__in=records)
    return _rows(chosen, {})


#: Records read per chunk when building the whole table: bounds the Python objects alive at once.
CHUNK = 50_000


def frame_table(chunk: int = CHUNK, after: int | None = None) -> "pa.Table":
    """Every current record's linkage columns (or those with ids above `after`) as one Arrow table,
    read a chunk of records at a time.

    A million records as Python dicts would take gigabytes; as Arrow they take a fraction.
    """
    import pyarrow as pa

    from mingdan.store.models import Record

    chosen = Record.objects.all() if after is None else Record.objects.filter(pk__gt=after)
    starts = list(chosen.order_by("pk").values_list("pk", flat=True))[::chunk]
    batches = []
    for low, high in zip(starts, [*starts[1:], None]):
        span = {"gte": low, **({"lt": high} if high is not None else {})}
        rows = _rows(Record.objects.filter(**{f"pk__{op}": pk for op, pk in span.items()}),
                     {f"record_id__{op}": pk for op, pk in span.items()})
        batches.append(pa.RecordBatch.from_pylist(rows, schema=SCHEMA))
    return pa.Table.from_batches(batches, schema=SCHEMA)


def _rows(chosen, related: dict) -> list[dict]:
    """The frame rows of the chosen records; `related` narrows the lookups of their names, claims and events.

    An empty `related` filters those by the chosen ids (fine for a few records); a pk range keeps
    the queries to index range scans when the whole case is read.
    """
    from mingdan.store.models import Claim, Event, Name

    rows = {pk: {"unique_id": pk, "source": source, "record_id": record_id}
            for pk, source, record_id in chosen.values_list("pk", "source__name", "record_id").iterator()}
    related = related or {"record_id__in": rows}
    legal: set[int] = set()
    names: dict[int, str] = {}
    # The legal name as written; a variant only when the record has no legal name.
    for record_pk, text, name_type in (Name.objects.filter(claim__superseded_in__isnull=True, **related)
                                       .order_by("id").values_list("record_id", "text", "name_type").iterator()):
        if name_type == "legal" and record_pk not in legal:
            legal.add(record_pk)
            names[record_pk] = reveal(text)
        elif record_pk not in names:
            names[record_pk] = reveal(text)
    values: dict[int, dict] = defaultdict(dict)
    for record_pk, field, normalized, kind, low in (
            Claim.objects.current().filter(field__in=("sex", "age", "occupation"), **related)
            .order_by("id").values_list("record_id", "field", "normalized", "kind", "value_min").iterator()):
        if kind in ("exact", "approximate", "range") and field not in values[record_pk]:
            values[record_pk][field] = low if field == "age" else reveal(normalized)
    events: dict[int, tuple] = {}
    for record_pk, event_type, start, end, place in (
            Event.objects.filter(superseded_in__isnull=True, **related)
            .order_by("date_earliest", "id").values_list("record_id", "event_type", "date_earliest", "date_latest",
                                                         "place").iterator()):
        event_type = reveal(event_type)  # a restricted event type is sealed
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
            **{column: keys[column] for column in NAME_COLUMNS},
            "sex": values[pk].get("sex"), "age": values[pk].get("age"),
            "occupation": values[pk].get("occupation"), "event_type": event[0],
            "event_start": event[1].toordinal() if event[1] else None,
            "event_end": event[2].toordinal() if event[2] else None, "place_key": place_key(event[3]),
        })
        frame.append(row)
    return frame


SCHEMA = _schema()
