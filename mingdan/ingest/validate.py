"""Row validation: every cell, every row, and the rows of one record against each other."""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass, field

from mingdan.names.brackets import read_name
from mingdan.names.script import classify_name
from mingdan.harassment.counts import duration_conflict

from .footers import not_a_record
from .footers import reason as footer_reason
from .fields import HARASSMENT_FIELDS, SENTENCE_EVENTS, CellError, Value, clean, contradicts, parse_cell
from .mapping import ColumnSpec, Mapping
from .problems import Problem
from .sentences import names_whole_sentence, stated_change

# Person fields that hold one value per record; a second, different value is a contradiction.
SINGLE_VALUED = ("name", "sex", "age", "birth", "occupation", "consent_publish_name")
_SLOT = {name: position for position, name in enumerate(SINGLE_VALUED)}
CONSTANT_COLUMN = "(constant)"
#: Events whose date, when a row leaves it out, is recorded as unknown: an undated release ends custody on
#: some day nobody stated, and the claim says so rather than leaving the date to be read as missing or as today.
UNDATED_UNKNOWN = frozenset({"released", "paroled"})
# Cells of these fields repeat (sexes, dates, places), so each distinct text is parsed once.
CACHED_FIELDS = frozenset({"sex", "age", "birth", "occupation", "place", "event", "event_date", "consent_publish_name",
                           "facility", "sentence", "harassment", "perpetrator", "tied_to", "duration",
                           "relation"})
CACHE_LIMIT = 200_000
_NONE: frozenset[str] = frozenset()


@dataclass(slots=True)
class ValidRow:
    """A row that passed validation, with only the values not already stated for its record.

    Its Values may be shared with other rows that had the same cell text: never mutate them.
    """

    row: int
    record_id: str
    record_values: list[Value] = field(default_factory=list)
    event: Value | None = None
    event_values: list[Value] = field(default_factory=list)
    relation: tuple[Value, Value] | None = None  # (relation, relation_of), resolved after the last row
    new_sentence: bool = False  # a 'reduced' row whose sentence is the term it became (mapping: reduced_as)


@dataclass(slots=True)
class _RecordState:
    first_row: int
    single: list  # per SINGLE_VALUED slot: (kind, normalized, row) or None
    seen: tuple | None  # (field, kind, normalized) of multi-valued fields already stated; a tuple, as
    # a record has few of them and a million records' sets would cost the import ~150 MB


_FULL_WIDTH = {code: code + 0xFEE0 for code in range(0x21, 0x7F)}


def absent_forms(token: str) -> set[str]:
    """The forms of an absent-value token a cell may take: as written, lower case, full width (？, ｕｎｋｎｏｗｎ)."""
    plain = " ".join(unicodedata.normalize("NFKC", token).split())
    return {token, plain, plain.lower(), plain.translate(_FULL_WIDTH), plain.lower().translate(_FULL_WIDTH)}


#: A NUL character is no part of any text (PostgreSQL cannot store it; it hides what follows in most tools).
NUL_REASON = "the cell holds a NUL character (\\x00), which no value may contain; remove it and import again"


class RowValidator:
    """Validates the rows of one file in order; keeps what it needs to compare a record's rows."""

    def __init__(self, mapping: Mapping, header: list[str], file: str):
        self.mapping = mapping
        self.file = file
        #: column -> distinct names that look written in another script than the mapping declares (warned of)
        self.script_doubts: dict[str, list[str]] = {}
        #: (row, column, name, why) of name cells holding more than a name that are kept as written (warned of)
        self.kept_whole: list[tuple[int, str, str, str]] = []
        self._kept: list[tuple[str, str]] = []
        self.columns: list[tuple[int, ColumnSpec]] = [
            (position, mapping.columns[name]) for position, name in enumerate(header)
            if mapping.columns[name].field is not None
        ]
        self.record_column, self.record_spec = next(
            (pos, spec) for pos, spec in self.columns if spec.field == "record_id")
        self.records: dict[str, _RecordState] = {}
        #: Record ids of rows with problems: a relation may name them (the file holds them, once corrected).
        self.rejected_ids: set[str] = set()
        #: (row, record id, None, None, relation_of Value) of refused rows: checked for naming a record all the same.
        self.refused_relations: list[tuple] = []
        self.field_of = {spec.column: spec.field for _, spec in self.columns}
        #: The record id and name columns, where a totals row or a note is recognised.
        self.footer_columns = [(pos, spec) for pos, spec in self.columns if spec.field in ("record_id", "name")]
        # Matched whatever the case and width: "Unknown", "UNKNOWN" and "？" are "unknown" and "?". Each token is
        # stored in its forms (as written, lower case, full width) so that a cell costs a lookup and a lower().
        self.absent = {}
        for tokens, kind in ((mapping.unknown_values, "unknown"), (mapping.withheld_values, "withheld"),
                             (mapping.refused_values, "refused")):
            self.absent.update({form: kind for token in tokens if token for form in absent_forms(token)})
        self.caches = {id(spec): {} for _, spec in self.columns if spec.field in CACHED_FIELDS}
        self.constants = [
            (ColumnSpec(column=CONSTANT_COLUMN, field=name), text) for name, text in mapping.constants.items()
        ]
        self.caches.update({id(spec): {} for spec, _ in self.constants})

    def validate(self, row: int, cells: list[str]) -> tuple[ValidRow | None, list[Problem]]:
        """The row's values and no problems, or None and every problem of the row.

        A cell that cannot be read does not stop the row's other checks: every problem of the row is
        told in one run (those that follow from the unread cell itself are not, as no value was read).
        """
        problems: list[Problem] = []
        for position, spec in self.footer_columns:
            kind = not_a_record(cells[position])
            if kind is not None:
                # A totals row or a note: its other cells' problems would only be echoes of that.
                return None, [Problem(self.file, row, spec.column, footer_reason(kind, cells[position], row))]
        record_cell = cells[self.record_column]
        record_id = clean(record_cell)
        record_spec = self.record_spec
        if "\x00" in record_cell:
            problems.append(Problem(self.file, row, record_spec.column, NUL_REASON))
        elif not record_id:
            problems.append(Problem(self.file, row, record_spec.column, "record_id is empty; every row needs the source's id of its record"))
        elif len(record_id) > 200:
            problems.append(Problem(self.file, row, record_spec.column, f"record_id is {len(record_id)} characters long; the limit is 200"))
        values: list[Value] = []
        for position, spec in self.columns:
            if position != self.record_column:
                self._read_cell(row, spec, cells[position], values, problems)
        for spec, text in self.constants:
            self._read_cell(row, spec, text, values, problems)
        # Fields whose cell could not be read: what depends on them is not checked (it would only echo them).
        failed = {self.field_of.get(p.column, p.column) for p in problems} if problems else _NONE
        result = ValidRow(row=row, record_id=record_id)
        event = next((value for value in values if value.field == "event"), None)
        result.event = event
        relation = [value for value in values if value.field in ("relation", "relation_of")]
        for value in values:
            if value.field in ("event", "relation", "relation_of"):
                continue
            if value.field in HARASSMENT_FIELDS and value.kind == "exact" and (event is None or event.normalized != "harassed"):
                if "event" not in failed:
                    problems.append(Problem(self.file, row, value.column, (
                        f"{value.field} is given but the row's event is {event.normalized if event else 'missing'!r}; "
                        "harassment, perpetrator, tied_to and duration belong to 'harassed' rows")))
                continue
            if value.field in ("event_date", "facility", "sentence", *HARASSMENT_FIELDS) or (value.field == "place" and event):
                if event is None and "event" not in failed:
                    problems.append(Problem(self.file, row, value.column, f"{value.field} is given but the row has no event"))
                result.event_values.append(value)
            else:
                result.record_values.append(value)
        if event is not None and event.normalized in UNDATED_UNKNOWN and \
                not any(value.field == "event_date" for value in result.event_values) and "event_date" not in failed:
            result.event_values.append(self._unknown_date())
        result.new_sentence = self._check_sentence(row, event, result.event_values, problems)
        self._check_duration(row, result.event_values, problems)
        result.relation = self._check_relation(row, record_id, relation, problems, failed)
        if "record_id" not in failed:
            self._check_record(row, result, problems, failed)
        if not problems:
            return result, []
        if record_id:
            self.rejected_ids.add(record_id)
            other = next((v for v in relation if v.field == "relation_of" and v.kind == "exact"), None)
            if other is not None and other.normalized != record_id:
                # Not written (the row is refused), but whether it names a record is told with its other problems.
                self.refused_relations.append((row, record_id, None, None, other))
        return None, problems

    def _unknown_date(self) -> Value:
        """The date of a release the row does not date: stated as unknown, so no reader takes it for another day."""
        spec = next((spec for _, spec in self.columns if spec.field == "event_date"), None)
        return Value(field="event_date", column=spec.column if spec else "event_date", raw="", normalized="",
                     kind="unknown", sensitivity=spec.sensitivity if spec else "public")

    def _read_cell(self, row: int, spec: ColumnSpec, cell: str, values: list[Value], problems: list[Problem]) -> None:
        cache = self.caches.get(id(spec))
        parsed = cache.get(cell) if cache is not None else None
        if parsed is None:
            parsed = self._parse(spec, cell)
            if cache is not None and len(cache) < CACHE_LIMIT:
                cache[cell] = parsed
        found, reasons = parsed
        if self._kept:
            self.kept_whole += [(row, spec.column, text, why) for text, why in self._kept]
            self._kept.clear()
        values.extend(found)
        for reason in reasons:
            problems.append(Problem(self.file, row, spec.column, reason))

    def _parse(self, spec: ColumnSpec, cell: str) -> tuple[tuple[Value, ...], tuple[str, ...]]:
        """The values of one cell and the reasons it is wrong; shared by identical cells."""
        if "\x00" in cell:
            return (), (NUL_REASON,)
        text = cell.strip()
        if not text:
            return (), ()
        text = spec.values.get(text, text)
        absent = self.absent.get(text) or self.absent.get(text.lower())
        if absent and spec.field != "event":
            return (Value(field=spec.field, column=spec.column, raw=cell, normalized="", kind=absent,
                          sensitivity=spec.sensitivity),), ()
        parts = text.split(spec.separator) if spec.field == "name_variants" else [text]
        found, reasons = [], []
        for part in parts:
            if not part.strip():
                reasons.append(f"an empty name between separators {spec.separator!r}")
                continue
            raw = cell if len(parts) == 1 else part
            pieces = [(spec.field, part.strip(), spec.script, spec.romanization, None)]
            if spec.field in ("name", "name_variants"):
                pieces = self._name_pieces(spec.field, part.strip()) or pieces
            for field, piece, script, romanization, name_type in pieces:
                try:
                    value = parse_cell(
                        field, spec.column, piece, date_format=spec.date_format, dates=spec.dates,
                        sensitivity=spec.sensitivity, script=script, romanization=romanization,
                        plausible=spec.plausible,
                    )
                except CellError as exc:
                    reasons.append(str(exc))
                    continue
                value.raw = raw
                if name_type is not None:
                    value.extra = (*value.extra, name_type)
                if script and field in ("name", "name_variants") and contradicts(script, classify_name(piece)[0]):
                    self.script_doubts.setdefault(spec.column, []).append(piece)
                found.append(value)
        return tuple(found), tuple(reasons)

    def _name_pieces(self, field: str, text: str) -> list[tuple] | None:
        """The forms one name cell holds (field, text, script, romanization, name type), or None for the cell as
        it is; a cell kept whole though it holds more than a name is noted in `kept_whole` for a warning.

        张三（Zhang San）: the characters are the name, the romanization a variant of it. 王五（化名）: a
        pseudonym, kept as an alias (never published as the person's name). 刘十（又名刘石）: 刘石 is an alias.
        """
        read, why = read_name(text)
        if why is not None:
            self._kept.append((text, why))
        if read is None:
            return None
        own = "alias" if read.pseudonym else None
        return [(field, read.name, None, None, own),
                *(("name_variants", form, None, None, own) for form in read.romanizations),
                *(("name_variants", other, None, None, kind) for other, kind in read.others)]

    def _check_duration(self, row: int, values: list[Value], problems: list[Problem]) -> None:
        """An interval and a duration on one harassed row must agree; neither silently wins over the other."""
        duration = next((v for v in values if v.field == "duration" and v.kind == "exact"), None)
        date = next((v for v in values if v.field == "event_date" and v.kind in ("exact", "range", "approximate")), None)
        if duration is not None and date is not None:
            reason = duration_conflict(date.normalized, duration.normalized)
            if reason:
                problems.append(Problem(self.file, row, duration.column, reason))

    def _check_sentence(self, row: int, event: Value | None, values: list[Value], problems: list[Problem]) -> bool:
        """Check the sentence against the row's event; True when a 'reduced' row states the new sentence."""
        sentence = next((value for value in values if value.field == "sentence"), None)
        if sentence is None or event is None or sentence.kind != "exact":
            return False
        spec = self.mapping.columns.get(sentence.column)
        if event.normalized == "reduced" and spec is not None and spec.reduced_as == "new_sentence":
            if stated_change(sentence.raw) == "reduction":
                problems.append(Problem(self.file, row, sentence.column, (
                    f"{sentence.raw!r} is the amount of a cut (减刑), but the mapping says this column holds the "
                    "sentence a 'reduced' row's term became (reduced_as: new_sentence)")))
            return True
        if event.normalized not in SENTENCE_EVENTS:
            problems.append(Problem(self.file, row, sentence.column, (
                f"a sentence is given for event {event.normalized!r}; sentences belong to "
                "sentenced, commuted and reduced rows")))
        elif event.normalized == "reduced" and (sentence.extra[0] != "fixed" or stated_change(sentence.raw) == "new sentence"
                                                or names_whole_sentence(sentence.raw)):
            problems.append(Problem(self.file, row, sentence.column, (
                f"for 'reduced', sentence is the reduction (P11M, 减刑1年, 1 year), not {sentence.raw!r}, which reads "
                "as a whole sentence: write the amount the term was cut by (减刑1年), or, if the term became this "
                "sentence (减为有期徒刑15年), make the row's event 'commuted' (or, when every 'reduced' row of the "
                "column states the new sentence, give reduced_as: new_sentence for it in the mapping)")))
        elif event.normalized != "reduced" and stated_change(sentence.raw) == "reduction":
            problems.append(Problem(self.file, row, sentence.column, (
                f"{sentence.raw!r} is a reduction (减刑); its row's event must be 'reduced', not {event.normalized!r}")))
        return False

    def _check_relation(self, row: int, record_id: str, values: list[Value], problems: list[Problem],
                        failed: set[str] | frozenset[str] = frozenset()) -> tuple[Value, Value] | None:
        """relation and relation_of come together, stated (not unknown), and not naming the row's own record."""
        stated = {value.field: value for value in values if value.kind == "exact"}
        absent = False
        for value in values:
            if value.kind != "exact":
                absent = True
                problems.append(Problem(self.file, row, value.column, (
                    f"{value.field} is {value.kind}; leave the cell empty when the source states no relation")))
        if absent or not stated or {"relation", "relation_of"} & failed:
            return None
        kind, other = stated.get("relation"), stated.get("relation_of")
        if kind is None or other is None:
            given, missing = ("relation", "relation_of") if other is None else ("relation_of", "relation")
            column = next((spec.column for _, spec in self.columns if spec.field == missing), missing)
            problems.append(Problem(self.file, row, column, (
                f"{given} is given without {missing}; a relation needs both: what this person is "
                "(relation) and to whose record (relation_of)")))
            return None
        if other.normalized == record_id:
            problems.append(Problem(self.file, row, other.column, (
                f"relation_of {other.normalized!r} is this row's own record; a relation ties two records")))
            return None
        return kind, other

    def _check_record(self, row: int, result: ValidRow, problems: list[Problem],
                      failed: set[str] | frozenset[str] = frozenset()) -> None:
        """The row against the record's earlier rows; the record's state is kept only from a row with no problem."""
        state = self.records.get(result.record_id)
        if state is None:
            if "name" in failed:
                return
            if not any(value.field == "name" for value in result.record_values):
                column = next((spec.column for _, spec in self.columns if spec.field == "name"), "name")
                problems.append(Problem(self.file, row, column, (
                    f"record {result.record_id!r} has no name on its first row; write 'unknown' "
                    "if the source does not name the person")))
                return
            state = _RecordState(first_row=row, single=[None] * len(SINGLE_VALUED), seen=None)
        new_values = []
        for value in result.record_values:
            slot = _SLOT.get(value.field)
            if slot is not None:
                earlier = state.single[slot]
                if earlier is None:
                    new_values.append(value)
                elif earlier[:2] != (value.kind, value.normalized):
                    problems.append(Problem(self.file, row, value.column, (
                        f"{value.field} {value.raw.strip()!r} contradicts row {earlier[2]} of record "
                        f"{result.record_id!r}, which says {earlier[3]!r}")))
            elif state.seen is None or (value.field, value.kind, value.normalized) not in state.seen:
                new_values.append(value)
        if problems:
            return
        for value in new_values:
            slot = _SLOT.get(value.field)
            if slot is not None:
                state.single[slot] = (value.kind, value.normalized, row, value.raw.strip())
            else:
                state.seen = (*(state.seen or ()), (value.field, value.kind, value.normalized))
        result.record_values = new_values
        self.records[result.record_id] = state
