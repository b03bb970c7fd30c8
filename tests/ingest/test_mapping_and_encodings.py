"""Other layouts through mapping files, and the encodings lists come in."""

from __future__ import annotations

import pytest

from mingdan.ingest.importer import import_file
from mingdan.ingest.problems import ImportFailed
from mingdan.ingest.text_encoding import detect_encoding
from mingdan.store.models import Event, Record, Source

# Each test runs with the rows validated in this process and by the import worker process.
pytestmark = pytest.mark.usefixtures("import_path")

HK_MAPPING = """\
source:
  name: 香港名單
  kind: ngo
  description: compiled from press reports
columns:
  編號: record_id
  姓名: name
  英文姓名: {field: name_variants, separator: ";", romanization: hk}
  性別: {field: sex, values: {男: male, 女: female}}
  年齡: age
  事件: {field: event, values: {遇難: killed, 失蹤: disappeared}}
  日期: {field: event_date, date_format: "%d/%m/%Y"}
  備註: {field: notes, sensitivity: secret}
  內部編號: ignore
"""
HK_ROWS = "編號,姓名,英文姓名,性別,年齡,事件,日期,備註,內部編號\n1,陳大文,Chan Tai Man,男,21,遇難,04/06/1989,鄰居目擊,x9\n2,黃麗,Wong Lai,女,30,失蹤,05/06/1989,,x10\n"


def write_hk(tmp_path, encoding: str):
    data = tmp_path / "hk.csv"
    data.write_bytes(HK_ROWS.encode(encoding))
    mapping = tmp_path / "hk.yaml"
    mapping.write_text(HK_MAPPING, "utf-8")
    return data, mapping


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "utf-16", "big5", "gb18030"])
def test_mapping_import_in_every_encoding(case, tmp_path, encoding):
    data, mapping = write_hk(tmp_path, encoding)
    result = import_file(case, data, mapping_path=mapping)
    assert result.rows_imported == 2
    assert Source.objects.get(name="香港名單").kind == "ngo"
    first = Record.objects.get(record_id="1")
    assert first.claims.get(field="notes").sensitivity == "secret"
    assert first.claims.get(field="name").normalized == "陳大文"
    assert {n.romanization for n in first.names.all()} == {"none", "hk"}
    event = Event.objects.get(record=first)
    assert (event.event_type, event.date_edtf) == ("killed", "1989-06-04")
    assert not first.claims.filter(column="內部編號").exists()


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "utf-16", "utf-16-le", "utf-16-be", "big5", "gb18030"])
def test_encoding_is_detected(tmp_path, encoding):
    data, _ = write_hk(tmp_path, encoding)
    detected = detect_encoding(data)
    assert data.read_bytes().decode(detected) .lstrip("\ufeff") == HK_ROWS


@pytest.mark.parametrize("order", ["utf-16-le", "utf-16-be"])
def test_utf16_without_a_mark_imports_as_told_and_the_wrong_order_says_so(case, tmp_path, order):
    data, mapping = write_hk(tmp_path, order)
    # "utf-16" given: the order its NUL bytes tell (Python's own stream reader refused such a file, a traceback).
    assert import_file(case, data, mapping_path=mapping, encoding="utf-16").rows_imported == 2
    wrong = "utf-16-be" if order == "utf-16-le" else "utf-16-le"
    plain = tmp_path / "plain.csv"
    plain.write_bytes("record_id,name,event,event_date\n1,Wang Wei,killed,1989-06-04\n".encode(order))
    with pytest.raises(ImportFailed) as caught:
        import_file(case, plain, encoding=wrong)
    assert f"read as {wrong}: if that is not the file's encoding, give the right one" in str(caught.value.problems[0])


def test_simplified_text_is_detected_as_gb18030(tmp_path):
    path = tmp_path / "gb.csv"
    path.write_bytes("record_id,name,place\n1,陈大文,北京市西城区\n2,王伟,长安街\n3,刘国强,广州\n".encode("gb18030"))
    assert detect_encoding(path) == "gb18030"


def test_unmapped_column_is_an_error_not_dropped(case, tmp_path):
    data, mapping = write_hk(tmp_path, "utf-8")
    mapping.write_text(HK_MAPPING.replace("  內部編號: ignore\n", ""), "utf-8")
    with pytest.raises(ImportFailed) as caught:
        import_file(case, data, mapping_path=mapping)
    assert [str(p) for p in caught.value.problems] == [
        f"{data}:1:內部編號: column '內部編號' is neither mapped nor ignored in {mapping}; add '內部編號: ignore' to import without it"
    ]


def test_bad_mapping_file_names_the_key(case, tmp_path):
    data, mapping = write_hk(tmp_path, "utf-8")
    mapping.write_text(HK_MAPPING.replace("field: sex,", "field: gender,").replace("kind: ngo", "kind: blog"), "utf-8")
    with pytest.raises(ImportFailed) as caught:
        import_file(case, data, mapping_path=mapping)
    problems = [str(p) for p in caught.value.problems]
    assert f"{mapping}:source.kind: 'blog' is not one of official, court, ngo, press, family, other" in problems
    assert any(p.startswith(f"{mapping}:columns.性別: field 'gender' is not one of record_id") for p in problems)


def test_ambiguous_date_without_format_is_refused(case, tmp_path):
    data, mapping = write_hk(tmp_path, "utf-8")
    mapping.write_text(HK_MAPPING.replace('{field: event_date, date_format: "%d/%m/%Y"}', "event_date"), "utf-8")
    with pytest.raises(ImportFailed) as caught:
        import_file(case, data, mapping_path=mapping)
    problems = caught.value.problems
    assert [(p.row, p.column) for p in problems] == [(2, "日期"), (3, "日期")]
    assert "date_format" in problems[0].reason


def test_constants_fill_a_field_the_file_lacks(case, tmp_path):
    data = tmp_path / "names.csv"
    data.write_text("id,name\n1,王伟\n", "utf-8")
    mapping = tmp_path / "names.yaml"
    mapping.write_text("source: {name: S}\ncolumns: {id: record_id, name: name}\nconstants: {event: killed}\n", "utf-8")
    import_file(case, data, mapping_path=mapping)
    claim = Event.objects.get().claims.get(field="event")
    assert (claim.normalized, claim.column) == ("killed", "(constant)")


def test_a_declared_script_the_names_contradict_is_warned_of(case, tmp_path, import_path):
    data = tmp_path / "names.csv"
    data.write_text("id,name\n1,张志明\n2,陳大文\n3,王伟\n", "utf-8")
    mapping = tmp_path / "names.yaml"
    mapping.write_text("source: {name: S}\ncolumns: {id: record_id, name: {field: name, script: hant}}\n"
                       "constants: {event: killed}\n", "utf-8")
    result = import_file(case, data, mapping_path=mapping)
    warning = next(w for w in result.warnings if w.startswith("column 'name'"))
    assert "in traditional characters, but 2 look otherwise (e.g. '张志明', '王伟')" in warning
    assert "陳大文" not in warning


@pytest.mark.parametrize("encoding", ["utf-8", "utf-16"])
def test_a_tab_separated_text_file_and_a_column_headed_no_import_as_written(case, tmp_path, encoding):
    # Excel's "Unicode text" is a tab-separated .txt in UTF-16: it was read as one column, and the message said the file
    # lacked column 'Name' while listing it; a mapping key `No` (a running number) was read by YAML as False and named
    # a column 'False' (an outside tester, rt45).
    data = tmp_path / "hk.txt"
    data.write_bytes("No\tName\tSex\tEvent\n1\tChan Tai Man\tM\tkilled\n2\tWong Lai, Mary\tF\tkilled\n".encode(encoding))
    mapping = tmp_path / "hk.yaml"
    mapping.write_text("source:\n  name: HK press\ncolumns:\n  No: record_id\n  Name: name\n"
                       "  Sex: {field: sex, values: {M: male, F: female}}\n  Event: event\n", "utf-8")
    result = import_file(case, data, mapping_path=mapping)
    assert result.rows_imported == 2
    assert Record.objects.get(record_id="2").claims.get(field="name").normalized == "Wong Lai, Mary"
