"""Importing a canonical list: what is stored, with provenance per value."""

from __future__ import annotations

from datetime import date

import pytest

from mingdan.ingest.importer import import_file
from mingdan.store.models import Claim, CustodyEvent, Document, Event, Name, Record, Source

# Each test runs with the rows validated in this process and by the import worker process.
pytestmark = pytest.mark.usefixtures("import_path")


def test_canonical_list_imports_every_value_with_its_locator(case, write_rows):
    path = write_rows([
        {"record_id": "A1", "name": "陈大文", "name_variants": "Chen Dawen|陳大文", "sex": "男", "age": "约21",
         "birth": "1968", "occupation": "学生", "place": "木樨地", "event": "killed", "event_date": "1989-06-0X",
         "notes": "witness: a neighbour"},
        {"record_id": "A2", "name": "王伟", "sex": "male", "event": "detained", "event_date": "1989年6月10日",
         "facility": "秦城监狱"},
        {"record_id": "A2", "event": "sentenced", "event_date": "1989-08-07", "sentence": "death-reprieve P2Y"},
        {"record_id": "A2", "event": "reduced", "event_date": "2012-06-12", "sentence": "P1Y"},
    ])
    result = import_file(case, path, source_name="Families list")
    assert (result.status, result.rows, result.rows_imported, result.records_new) == ("imported", 4, 4, 2)
    document = Document.objects.get()
    assert document.source.name == "Families list" and document.version == 1 and document.row_count == 4
    from mingdan.store.crypto import load_keyring

    stored = (case.root / document.stored_as).read_bytes()
    assert path.read_bytes() not in stored  # sealed at rest
    assert load_keyring(case.root).reveal_bytes(stored) == path.read_bytes()

    a1 = Record.objects.get(record_id="A1")
    age = a1.claims.get(field="age")
    assert (age.value, age.normalized, age.kind, age.value_min, age.value_max) == ("约21", "~21", "approximate", 21, 21)
    assert (age.document_id, age.row, age.column) == (document.id, 2, "age")
    assert a1.claims.get(field="sex").normalized == "male"
    notes = a1.claims.get(field="notes")
    assert notes.sensitivity == "restricted"
    assert a1.claims.exclude(field="notes").values_list("sensitivity", flat=True).distinct().get() == "public"
    names = {(n.text, n.script, n.name_type) for n in Name.objects.filter(record=a1)}
    assert names == {("陈大文", "hans", "legal"), ("Chen Dawen", "latin", "romanized"), ("陳大文", "hant", "variant")}
    killed = Event.objects.get(record=a1)
    assert (killed.event_type, killed.date_edtf, killed.date_earliest, killed.date_latest, killed.place) == (
        "killed", "1989-06-0X", date(1989, 6, 1), date(1989, 6, 9), "木樨地")
    assert killed.claims.get(field="event_date").kind == "range"

    a2 = Record.objects.get(record_id="A2")
    types = list(Event.objects.filter(record=a2).order_by("date_earliest").values_list("event_type", flat=True))
    assert types == ["detained", "sentenced", "reduced"]
    detained = Event.objects.get(record=a2, event_type="detained")
    assert detained.date_earliest == date(1989, 6, 10) and detained.custody.facility == "秦城监狱"
    sentenced = CustodyEvent.objects.get(event__record=a2, event__event_type="sentenced")
    assert (sentenced.sentence_kind, sentenced.reprieve) == ("death_reprieve", "P2Y")
    reduced = CustodyEvent.objects.get(event__record=a2, event__event_type="reduced")
    assert (reduced.sentence_kind, reduced.term) == ("reduction", "P1Y")
    # The person fields of A2 are stated once, on the row that gave them.
    assert a2.claims.filter(field="name").count() == 1
    assert result.claims == Claim.objects.count()


def test_absence_is_explicit(case, write_rows):
    path = write_rows([{"record_id": "A1", "name": "unknown", "sex": "不详", "age": "withheld", "event": "disappeared"}])
    import_file(case, path, source_name="S")
    record = Record.objects.get()
    kinds = dict(record.claims.values_list("field", "kind"))
    assert kinds == {"name": "unknown", "sex": "unknown", "age": "withheld", "event": "exact"}
    assert not Name.objects.exists()  # an unknown name is not a written form


def test_source_defaults_to_the_file_name_and_says_so(case, write_rows):
    path = write_rows([{"record_id": "1", "name": "王伟"}], name="hk_list.csv")
    result = import_file(case, path)
    assert result.source == "hk_list"
    assert any("using 'hk_list'" in warning for warning in result.warnings)
    assert Source.objects.get().name == "hk_list"


def test_json_and_xlsx_layouts(case, tmp_path):
    import json

    import openpyxl

    json_path = tmp_path / "list.json"
    json_path.write_text(json.dumps({"records": [{"record_id": "J1", "name": "李明", "age": 30, "event": "killed"}]},
                                    ensure_ascii=False), "utf-8")
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(["record_id", "name", "age", "event", "event_date"])
    sheet.append(["X1", "張三", 25.0, "detained", "1989-06-05"])
    xlsx_path = tmp_path / "list.xlsx"
    book.save(xlsx_path)
    import_file(case, json_path, source_name="J")
    import_file(case, xlsx_path, source_name="X")
    assert Record.objects.get(record_id="J1").claims.get(field="age").normalized == "30"
    x1 = Record.objects.get(record_id="X1")
    assert x1.claims.get(field="age").value == "25"
    assert Event.objects.get(record=x1).date_earliest == date(1989, 6, 5)
