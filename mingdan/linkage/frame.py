"""The table Splink links: one row per record, its current values normalised for comparison."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from pathlib import Path
from typing import TYPE_CHECKING

from mingdan.names import linkage_columns
from mingdan.store.crypto import reveal

from .fields import ALIVE_EVENTS, DEATH_EVENTS, EVENT_FAMILY, PLACE_COLUMNS, PlaceColumns, age_range
from .frequencies import readings_key

if TYPE_CHECKING:
    import pyarrow as pa

#: The name columns compare_names is computed from in SQL (mingdan.names.linkage_columns).
NAME_COLUMNS = ("name_comparable", "name_deterministic", "name_order_known", "reading_sure", "pinyin_spaced",
                "surname_plain", "given_plain", "surname_known", "given_known", "sound_readings", "name_number",
                "typed_key", "typed_swapped", "mended_readings")
COLUMNS = ("unique_id", "source", "record_id", "name", "characters_key", "pinyin_key", "pinyin_swapped",
           "sound_key", "readings_key", *NAME_COLUMNS, "sex", "age", "age_low", "age_high", *PLACE_COLUMNS, "event_type",
           "event_family", "event_start", "event_end", "event_key", "died_by", "alive_on", "occupation", "occupation_kind",
           "occupation_group", "occupation_at", "sentence")


def _schema():
    import pyarrow as pa

    text = pa.string()
    types = {"unique_id": pa.int64(), "name_comparable": pa.bool_(), "name_deterministic": pa.bool_(),
             "name_order_known": pa.bool_(), "reading_sure": pa.bool_(), "surname_known": pa.bool_(),
             "given_known": pa.bool_(), "sound_readings": pa.list_(text), "mended_readings": pa.list_(text),
             "age": pa.float64(),
             "age_low": pa.float64(), "age_high": pa.float64(), "place_lineage": pa.list_(text),
             "place_district": pa.list_(text), "place_city": pa.list_(text),
             "event_start": pa.int64(), "event_end": pa.int64(), "died_by": pa.int64(), "alive_on": pa.int64()}
    return pa.schema([(column, types.get(column, text)) for column in COLUMNS])


MAIN_EVENTS = ("killed", "disappeared", "detained", "arrested", "sentenced", "died_in_custody", "injured",
               "harassed", "tried", "commuted", "reduced", "paroled", "released", "escaped")


def place_reader(places_file: Path | None = None) -> PlaceColumns:
    """Places read by the gazetteer (and the case's own places file), with the focus of the case's known places."""
    from mingdan.store.case import opened_places_file
    from mingdan.store.models import Event

    # The case's distinct public places (sealed ones are read when their records are): enough to see
    # which province most of the case is in.
    sample = [place for place in Event.objects.filter(superseded_in__isnull=True).exclude(place="")
              .values_list("place", flat=True).distinct()[:20_000] if not place.startswith("enc1:")]
    return PlaceColumns(places_file or opened_places_file(), sample)


def record_frame(records=None, places: PlaceColumns | None = None, readable: tuple[str, ...] | None = None,
                 hide_families: bool = False) -> list[dict]:
    """One dict per current record (all records, or the given record pks) with the linkage columns.

    `readable`: build the rows from the values of these sensitivities only, every other value as
    if it were not recorded (a name form, a sex, an age, an occupation, an event whose type is
    hidden; an event's hidden date or place as unknown); `hide_families`: harassed events too.
    That is the frame a reader of those levels could build: the web application scores a pair
    with it for a reader who may not read every value (web/scores.py).
    """
    from mingdan.store.models import Record

    chosen = Record.objects.all() if records is None else Record.objects.filter(pk__in=records)
    if readable is not None:
        return _rows(chosen, {}, places or place_reader(), _View(tuple(readable), hide_families))
    return _rows(chosen, {}, places or place_reader())


class _View:
    """The sensitivities a reader's frame is built from, and whether it leaves family events out."""

    def __init__(self, readable: tuple[str, ...], hide_families: bool):
        self.readable, self.hide_families = readable, hide_families


#: Records read per chunk when building the whole table: bounds the Python objects alive at once.
CHUNK = 50_000


#: What a case's linkage reads (mingdan.toml, [linkage] values): every value, or public values only.
LINKAGE_VALUES = ("all", "public")


def linkage_view(case) -> "_View | None":
    """The values the case's linkage reads: None for every value, or public values only (a high-risk case whose
    groupings must not depend on a restricted or secret value, nor on a relative's harassment)."""
    values = case.setting("linkage", "values", "all")
    if values not in LINKAGE_VALUES:
        raise ValueError(f'mingdan.toml: [linkage] values = {values!r}; choose "all" (every value, the default) or '
                         '"public" (link on public values only)')
    return None if values == "all" else _View(("public",), True)


def frame_table(chunk: int = CHUNK, after: int | None = None, view: "_View | None" = None) -> "pa.Table":
    """Every current record's linkage columns (or those with ids above `after`) as one Arrow table,
    read a chunk of records at a time; `view`: from the values it reads only (linkage_view).

    A million records as Python dicts would take gigabytes; as Arrow they take a fraction.
    """
    import pyarrow as pa

    from mingdan.store.models import Record

    chosen = Record.objects.all() if after is None else Record.objects.filter(pk__gt=after)
    starts = list(chosen.order_by("pk").values_list("pk", flat=True))[::chunk]
    places = place_reader()
    batches = []
    for low, high in zip(starts, [*starts[1:], None]):
        span = {"gte": low, **({"lt": high} if high is not None else {})}
        rows = _rows(Record.objects.filter(**{f"pk__{op}": pk for op, pk in span.items()}),
                     {f"record_id__{op}": pk for op, pk in span.items()}, places, view)
        batches.append(pa.RecordBatch.from_pylist(rows, schema=SCHEMA))
    return pa.Table.from_batches(batches, schema=SCHEMA)


def event_key(event_type: str | None, start, end) -> str | None:
    """The event and its dates as one value, for how many records share it (the event's term frequency)."""
    if not event_type:
        return None
    return f"{event_type}|{start.isoformat() if start else ''}|{end.isoformat() if end else ''}"


def written_in_characters(text: str) -> bool:
    """Whether a name is written in Chinese characters alone (simplified, traditional or either)."""
    from mingdan.names.script import classify_name

    return classify_name(text)[0] in ("hans", "hant", "hani")


def linkage_name(legal: str | None, variant: str | None, in_characters: str | None) -> str | None:
    """The name a record is compared by: its legal name as written, unless that is a romanization and the
    record also gives the name in characters; a variant only when there is no legal name.

    A name that says the name is not known counts as none (mingdan.names.placeholders).

    A romanization is read from characters and loses what tells names apart (`Wong Wai` is 王伟, 黄伟,
    王卫 and dozens more); a Hong Kong press list gave the characters beside the Cantonese spelling for
    about half its records, an international list for a third, and the linkage read only the spelling.
    """
    from mingdan.names.placeholders import is_placeholder, name_number

    # A name that says it is not known (无名氏, Unknown male 2, 王某) is no name: never evidence for a match; nor is
    # its romanization given beside it (无名氏（Wu Mingshi）, 王某（Wang Mou）).
    unknown = [text for text in (legal, variant, in_characters) if text is not None and is_placeholder(text)]
    legal, variant, in_characters = (None if text is None or is_placeholder(text) or _spells(text, unknown) else text
                                     for text in (legal, variant, in_characters))
    if legal is None:
        chosen = in_characters or variant
    elif in_characters and not written_in_characters(legal):
        chosen = in_characters
    else:
        chosen = legal
    if chosen is not None and name_number(chosen) is None:
        # The number a namesake is written with, on the romanization only ("Wang Gang 1" beside 王刚), goes with
        # the name compared.
        number = next((found for found in map(name_number, (legal, variant, in_characters)) if found), None)
        if number:
            first = number.split("-")[0]
            chosen = f"{chosen} ({first})" if first.isdigit() else f"{chosen} {first.capitalize()}."
    return chosen


def _spells(text: str, placeholders: list[str]) -> bool:
    """Whether a name is another script's spelling of one of the placeholders (无名氏 and Wu Mingshi)."""
    from mingdan.names import Level, compare_names
    from mingdan.names.keys import written_keys

    return any(compare_names(written_keys(text), written_keys(unknown)) >= Level.SAME_SOUND for unknown in placeholders)


def _rows(chosen, related: dict, places: PlaceColumns, view: _View | None = None) -> list[dict]:
    """The frame rows of the chosen records; `related` narrows the lookups of their names, claims and events.

    An empty `related` filters those by the chosen ids (fine for a few records); a pk range keeps
    the queries to index range scans when the whole case is read. `view`: a reader's frame
    (record_frame).
    """
    from mingdan.store.models import Claim, Event, Name

    rows = {pk: {"unique_id": pk, "source": source, "record_id": record_id}
            for pk, source, record_id in chosen.values_list("pk", "source__name", "record_id").iterator()}
    related = related or {"record_id__in": rows}
    seen = {} if view is None else {"claim__sensitivity__in": view.readable}
    legal: dict[int, str] = {}
    other: dict[int, str] = {}
    in_characters: dict[int, str] = {}
    for record_pk, text, name_type in (Name.objects.filter(claim__superseded_in__isnull=True, **related, **seen)
                                       .order_by("id").values_list("record_id", "text", "name_type").iterator()):
        text = reveal(text)
        if name_type == "legal":
            legal.setdefault(record_pk, text)
        else:
            other.setdefault(record_pk, text)
            if name_type == "variant" and written_in_characters(text):
                in_characters.setdefault(record_pk, text)
    names = {pk: linkage_name(legal.get(pk), other.get(pk), in_characters.get(pk)) for pk in legal.keys() | other.keys()}
    values: dict[int, dict] = defaultdict(dict)
    claims = Claim.objects.current().filter(field__in=("sex", "age", "occupation"), **related)
    if view is not None:
        claims = claims.filter(sensitivity__in=view.readable)
    for record_pk, field, raw, normalized, kind, low, high in (
            claims
            .order_by("id").values_list("record_id", "field", "value", "normalized", "kind", "value_min",
                                        "value_max").iterator()):
        if field == "age" and low is None and raw:
            # A secret age is stored sealed, its bounds too (numbers in plain text would tell it): read from the text.
            from mingdan.ingest.ages import AgeError, parse_age

            try:
                _, kind, low, high = parse_age(reveal(raw))
            except AgeError:  # read at import; a value that no longer parses is left out, as an unreadable one
                continue
        if kind in ("exact", "approximate", "uncertain", "range") and field not in values[record_pk]:
            # An age is a range: "约40" allows 35 to 45, "40多岁" 40 to 49 (fields.age_range).
            values[record_pk][field] = (age_range(reveal(raw), kind, low, high) if field == "age"
                                        else reveal(normalized))
    events: dict[int, tuple] = {}
    found = (Event.objects.filter(superseded_in__isnull=True, **related)
             .order_by("date_earliest", "id").values_list("record_id", "event_type", "date_earliest", "date_latest",
                                                          "place", "date_edtf").iterator())
    found = _with_sealed_dates(found) if view is None else _seen_events(related, view)
    # Every dated event, not the one the comparisons read: the latest a record's death can be, and the latest day it
    # has the person alive (detained, tried, released...), for contradictions.after_death.
    died_by: dict[int, int] = {}
    alive_on: dict[int, int] = {}
    for record_pk, event_type, start, end, place in found:
        event_type = reveal(event_type)  # a restricted event type is sealed
        if event_type in DEATH_EVENTS and end:
            died_by[record_pk] = max(died_by.get(record_pk, 0), end.toordinal())
        elif event_type in ALIVE_EVENTS and start:
            alive_on[record_pk] = max(alive_on.get(record_pk, 0), start.toordinal())
        known = events.get(record_pk)
        if known is None or MAIN_EVENTS.index(event_type) < MAIN_EVENTS.index(known[0]):
            events[record_pk] = (event_type, start, end, reveal(place))
    sentences = _sentences(related, view)
    frame = []
    for pk, row in rows.items():
        keys = linkage_columns(names.get(pk, ""))
        event = events.get(pk, (None, None, None, None))
        ages = values[pk].get("age")
        row.update({
            "name": names.get(pk), "characters_key": keys["characters_key"], "pinyin_key": keys["pinyin_key"],
            "pinyin_swapped": keys["surname_given_swapped"], "sound_key": keys["sound_key"],
            "readings_key": readings_key(keys["sound_readings"]),
            **{column: keys[column] for column in NAME_COLUMNS},
            "sex": values[pk].get("sex"), "age": (ages[0] + ages[1]) / 2 if ages else None,
            "age_low": ages[0] if ages else None, "age_high": ages[1] if ages else None,
            "occupation": values[pk].get("occupation"), **_occupation_columns(values[pk].get("occupation")),
            "sentence": sentences.get(pk), "event_type": event[0],
            "event_family": EVENT_FAMILY.get(event[0]) if event[0] else None,
            "event_start": event[1].toordinal() if event[1] else None,
            "event_end": event[2].toordinal() if event[2] else None, **places.columns(event[3]),
            "event_key": event_key(event[0], event[1], event[2]),
            "died_by": died_by.get(pk), "alive_on": alive_on.get(pk),
        })
        frame.append(row)
    return frame


def _sentences(related: dict, view: "_View | None" = None) -> dict[int, str]:
    """record -> its first sentence as "fixed P13Y", "life", "death_reprieve" (a reduction is not a sentence).

    The custody list, the international list and the Taiwan list give sentences; the same person's
    sentence agreed in every pair of the blind generator's lists where both gave one, while two records
    of different people with sentences share one about one time in twenty (100,000 records).
    """
    from mingdan.store.models import CustodyEvent

    found: dict[int, str] = {}
    chosen = CustodyEvent.objects.filter(event__superseded_in__isnull=True,
                                         **{f"event__{key}": value for key, value in related.items()})
    if view is not None:  # a reader's frame: only sentences (of events) it may read
        chosen = chosen.filter(sentence_sensitivity__in=view.readable, event__type_sensitivity__in=view.readable)
    for record_pk, kind, term in (chosen.exclude(sentence_kind="").order_by("event__date_earliest", "event_id")
                                  .values_list("event__record_id", "sentence_kind", "term").iterator()):
        kind = reveal(kind)
        if record_pk not in found and kind != "reduction":
            found[record_pk] = f"{kind} {reveal(term)}".strip()
    return found


def _sealed_date(edtf: str) -> tuple:
    """(earliest, latest) of a date stored sealed (a restricted or secret date keeps no bounds in plain text), else
    (None, None): linkage reads it as the reader of every value does (an outside tester's secret date of a death left
    the person joined to a namesake detained 46 days later)."""
    from mingdan.dates.core import DateError, parse_edtf
    from mingdan.store.crypto import is_sealed

    if not edtf or not is_sealed(edtf):
        return None, None
    try:
        found = parse_edtf(reveal(edtf))
    except (DateError, ValueError):  # read at import; a value that no longer parses is left out, as an unreadable one
        return None, None
    return found.earliest, found.latest


def _with_sealed_dates(found) -> list[tuple]:
    """(record, type, earliest, latest, place) of each event, a sealed date read, in the frame's order (unknown first)."""
    rows = []
    for record_pk, event_type, start, end, place, edtf in found:
        if start is None and end is None:
            start, end = _sealed_date(edtf)
        rows.append((record_pk, event_type, start, end, place))
    return sorted(rows, key=lambda row: (row[2] is not None, row[2] or dt.date.min))


def _seen_events(related: dict, view: _View) -> list[tuple]:
    """The events a reader's frame reads: of a readable type (and not a family event when those are hidden), with a
    date or place it may not read as unknown, in the order the frame takes them (unknown dates first)."""
    from mingdan.store.lens import family_events_q
    from mingdan.store.models import Event

    chosen = Event.objects.filter(superseded_in__isnull=True, type_sensitivity__in=view.readable, **related)
    if view.hide_families:
        chosen = chosen.exclude(family_events_q())
    seen = []
    for pk, record_pk, event_type, start, end, place, dated, placed, edtf in chosen.values_list(
            "pk", "record_id", "event_type", "date_earliest", "date_latest", "place", "date_sensitivity",
            "place_sensitivity", "date_edtf").iterator():
        known = dated in view.readable
        if known and start is None and end is None:
            start, end = _sealed_date(edtf)
        seen.append((start if known else None, pk, (record_pk, event_type, start if known else None,
                                                    end if known else None, place if placed in view.readable else "")))
    seen.sort(key=lambda item: (item[0] is not None, item[0] or 0, item[1]))
    return [event for _, _, event in seen]


SCHEMA = _schema()


def _occupation_columns(text: str | None) -> dict:
    """The occupation's kind of work and place of work (occupations.read_occupation), which the model compares."""
    from .occupations import read_occupation

    read = read_occupation(text)
    return {"occupation_kind": read.kind if read else None, "occupation_group": read.group if read else None,
            "occupation_at": read.at if read else None}
