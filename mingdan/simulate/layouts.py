"""Each source's file layout: its columns, how it writes a person, and its mapping file."""

from __future__ import annotations

import csv
import json
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from .population import TruePerson
from .sources import SourceStyle, blur_date, place_for, reported_age, written_name

CANONICAL = ["record_id", "name", "name_variants", "sex", "age", "birth", "occupation", "place",
             "event", "event_date", "facility", "sentence", "notes"]


@dataclass
class Row:
    """One written row and the true person behind it."""

    record_id: str
    person_id: str
    cells: list[str]


@dataclass
class Layout:
    """Columns, event words and sex words of one source."""

    key: str
    header: list[str]
    fields: dict  # column -> canonical field, for the mapping file
    events: dict  # canonical event -> the source's word
    sexes: dict
    extra: dict  # column -> mapping options (separator, romanization, sensitivity, ...)

    def rows(self, rng: np.random.Generator, person: TruePerson, record_id: str, main_event_only: bool = False) -> list[Row]:
        """The rows this source writes for a person."""
        events = person.events if (self.key == "a" and not main_event_only) else person.events[:1]
        out = []
        for number, event in enumerate(events):
            first = number == 0
            values = {
                "record_id": record_id,
                "name": written_name(rng, person, self.key) if first else "",
                "name_variants": person.hk_name if (first and self.key == "b") else "",
                "sex": self.sexes[person.sex] if first and rng.random() > 0.05 else "",
                "age": reported_age(rng, person, self.key) if first else "",
                "occupation": person.occupation if first and self.key in ("a", "e") else "",
                "place": place_for(person, self.key),
                "event": self.events[event.event],
                "event_date": blur_date(rng, event.date, self.key),
                "facility": event.facility,
                "sentence": event.sentence,
                "notes": "证人：邻居" if (first and self.key in ("a", "e") and rng.random() < 0.1) else "",
                "birth": "",
                "consent_publish_name": "",
                "risk": "",
            }
            if first and self.key == "e":
                # Families decide whether the name may be published; a few are under pressure.
                values["consent_publish_name"] = str(rng.choice(["同意", "同意", "同意", "不同意", "撤回", ""]))
                values["risk"] = "家属受到监视" if rng.random() < 0.05 else ""
            cells = [values[self.fields[column]] if self.fields[column] else "" for column in self.header]
            out.append(Row(record_id, person.person_id, cells))
        return out

    def write(self, path: Path, rows: list[Row], style: SourceStyle) -> None:
        """Write the file in the source's format and encoding."""
        if style.file_format == "csv":
            with open(path, "w", encoding=style.encoding, newline="") as handle:
                writer = csv.writer(handle)
                writer.writerow(self.header)
                writer.writerows(row.cells for row in rows)
        elif style.file_format == "json":
            items = [dict(zip(self.header, row.cells)) for row in rows]
            path.write_text(json.dumps(items, ensure_ascii=False, indent=1) + "\n", style.encoding)
        else:
            import openpyxl

            book = openpyxl.Workbook()
            sheet = book.active
            sheet.title = "list"
            sheet.append(self.header)
            for row in rows:
                sheet.append(row.cells)
            _save_deterministic(book, path)

    def mapping(self, style: SourceStyle) -> dict:
        """The YAML mapping that imports this layout (docs/import.md)."""
        columns = {}
        reverse_events = {word: event for event, word in self.events.items() if word != event}
        reverse_sexes = {word: sex for sex, word in self.sexes.items() if word != sex}
        for column in self.header:
            field = self.fields[column]
            spec = {"field": field} if field else "ignore"
            if field == "event" and reverse_events:
                spec["values"] = reverse_events
            if field == "sex" and reverse_sexes:
                spec["values"] = reverse_sexes
            if isinstance(spec, dict):
                spec.update(self.extra.get(column, {}))
            columns[column] = spec if spec == "ignore" or len(spec) > 1 else field
        document = {"source": {"name": style.name, "kind": style.kind}}
        if style.encoding:
            document["file"] = {"encoding": style.encoding}
        document["columns"] = columns
        if self.key == "e":
            document["missing_values"] = ["不详"]
        return document


_SAME_EVENTS = {e: e for e in ("killed", "injured", "detained", "arrested", "tried", "sentenced", "commuted",
                               "reduced", "paroled", "released", "died_in_custody", "disappeared", "harassed")}
LAYOUTS = {
    "a": Layout("a", CANONICAL, {c: c for c in CANONICAL}, _SAME_EVENTS, {"male": "male", "female": "female"}, {}),
    "b": Layout("b", ["編號", "姓名", "英文姓名", "性別", "年齡", "事件", "日期", "地點"],
                {"編號": "record_id", "姓名": "name", "英文姓名": "name_variants", "性別": "sex", "年齡": "age",
                 "事件": "event", "日期": "event_date", "地點": "place"},
                {"killed": "遇難", "detained": "被捕", "disappeared": "失蹤"}, {"male": "男", "female": "女"},
                {"英文姓名": {"romanization": "hk"}}),
    "c": Layout("c", ["ID", "Name", "Gender", "Age", "What", "When", "Where"],
                {"ID": "record_id", "Name": "name", "Gender": "sex", "Age": "age", "What": "event",
                 "When": "event_date", "Where": "place"},
                {"killed": "killed", "detained": "detained", "disappeared": "missing"}, {"male": "M", "female": "F"}, {}),
    "d": Layout("d", ["id", "name", "sex", "age", "event", "date", "place"],
                {"id": "record_id", "name": "name", "sex": "sex", "age": "age", "event": "event",
                 "date": "event_date", "place": "place"},
                _SAME_EVENTS, {"male": "male", "female": "female"}, {"name": {"romanization": "wade_giles"}}),
    "e": Layout("e", ["序号", "姓名", "性别", "年龄", "遭遇", "时间", "地点", "职业", "备注", "同意公开姓名", "风险"],
                {"序号": "record_id", "姓名": "name", "性别": "sex", "年龄": "age", "遭遇": "event",
                 "时间": "event_date", "地点": "place", "职业": "occupation", "备注": "notes",
                 "同意公开姓名": "consent_publish_name", "风险": "risk"},
                {"killed": "遇难", "detained": "被抓", "disappeared": "失踪"}, {"male": "男", "female": "女"},
                {"备注": {"sensitivity": "secret"}}),
}


def _save_deterministic(book, path: Path) -> None:
    """Save an XLSX whose bytes depend only on its content (fixed timestamps in the zip)."""
    import datetime as dt
    import io
    import re
    import zipfile

    book.properties.created = book.properties.modified = dt.datetime(2000, 1, 1)
    buffer = io.BytesIO()
    book.save(buffer)
    with zipfile.ZipFile(io.BytesIO(buffer.getvalue())) as source, zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            fixed = zipfile.ZipInfo(info.filename, date_time=(2000, 1, 1, 0, 0, 0))
            fixed.compress_type = zipfile.ZIP_DEFLATED
            data = source.read(info.filename)
            if info.filename == "docProps/core.xml":
                # openpyxl stamps "modified" with the clock at save time, whatever we set.
                data = re.sub(rb"(<dcterms:modified[^>]*>)[^<]*", rb"\g<1>2000-01-01T00:00:00Z", data)
            target.writestr(fixed, data)
