"""The second generator: deterministic, truth consistent with the files, every style present."""

from __future__ import annotations

import csv
import hashlib
import json
import re
from collections import Counter
from pathlib import Path

import pytest
from oh_helpers import column_of, id_column, load_mapping, read_rows, read_truth

from mingdan.simulate.other_hands import simulate, write
from mingdan.simulate.other_hands.__main__ import main as cli_main

SOURCES = ["a_mainland.xlsx", "b_taiwan.csv", "c_international.json", "d_hongkong.txt", "e_custody.csv",
           "f_families.json"]


def _digest(folder: Path) -> dict[str, str]:
    return {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in sorted(folder.iterdir())}


def _all_rows(folder: Path) -> dict[str, tuple[dict, list[str], list[dict]]]:
    out = {}
    for name in SOURCES:
        mapping = load_mapping(folder / f"{name}.yaml")
        header, rows = read_rows(folder / name, mapping)
        out[name] = (mapping, header, rows)
    return out


def test_same_seed_same_bytes_other_seed_other_files(tmp_path):
    for plain in (False, True):
        a, b, c = tmp_path / f"a{plain}", tmp_path / f"b{plain}", tmp_path / f"c{plain}"
        write(simulate(5, 400, plain_values=plain), a)
        write(simulate(5, 400, plain_values=plain), b)
        write(simulate(6, 400, plain_values=plain), c)
        assert _digest(a) == _digest(b)
        assert _digest(a)["truth.csv"] != _digest(c)["truth.csv"]


def test_command_line_writes_the_case(tmp_path, capsys):
    assert cli_main(["--seed", "3", "--people", "150", "--out", str(tmp_path / "x"), "--plain-values"]) == 0
    assert "records in 6 lists about 150 people (plain values)" in capsys.readouterr().out
    manifest = json.loads((tmp_path / "x" / "manifest.json").read_text(encoding="utf-8"))
    assert manifest["plain_values"] is True and manifest["people"] == 150
    assert sorted(s["file"] for s in manifest["sources"]) == SOURCES


@pytest.mark.parametrize("mode", ["written", "plain"])
def test_truth_is_exactly_the_records_of_the_files(mode, request):
    folder = request.getfixturevalue(mode)
    truth = read_truth(folder / "truth.csv")
    people = {row["person_id"]: row for row in csv.DictReader(open(folder / "people.csv", encoding="utf-8"))}
    manifest = json.loads((folder / "manifest.json").read_text(encoding="utf-8"))
    by_source = {s["file"]: s["source"] for s in manifest["sources"]}
    for name, (mapping, _header, rows) in _all_rows(folder).items():
        assert mapping["source"]["name"] == by_source[name]
        ids = [str(r[id_column(mapping)]) for r in rows]
        in_truth = [t["record_id"] for t in truth if t["source"] == by_source[name]]
        assert len(in_truth) == len(set(in_truth)), f"{name}: a record id twice in truth"
        assert set(ids) == set(in_truth), name
        # rows of one record are contiguous and the name is stated on the first
        name_col = column_of(mapping, "name")
        first_row = {}
        for r in rows:
            first_row.setdefault(str(r[id_column(mapping)]), r)
        assert all(row[name_col] not in (None, "") for row in first_row.values()), name
    assert all(t["person_id"] in people for t in truth)
    counts = Counter(t["person_id"] for t in truth)
    assert all(int(people[p]["records"]) == n for p, n in counts.items())
    assert sum(1 for p in people.values() if p["records"] == "0") > 0, "some people are on no list"
    for p in people.values():
        if p["relative_of"]:
            assert people[p["relative_of"]]["category"] in ("killed", "missing")


_CJK = re.compile(r"[\u4e00-\u9fff]+")


def test_names_in_characters_belong_to_their_person(written):
    """Every record written in characters carries its person's surname (either script)."""
    people = {row["person_id"]: row for row in csv.DictReader(open(written / "people.csv", encoding="utf-8"))}
    truth = {(t["source"], t["record_id"]): t["person_id"] for t in read_truth(written / "truth.csv")}
    exact = checked = 0
    for _name, (mapping, _header, rows) in _all_rows(written).items():
        name_col = column_of(mapping, "name")
        for r in rows:
            value = r[name_col]
            if not value or not _CJK.search(str(value)):
                continue
            chars = _CJK.search(str(value)).group(0)
            person = people[truth[(mapping["source"]["name"], str(r[id_column(mapping)]))]]
            checked += 1
            exact += chars in (person["name_hans"], person["name_hant"])
            hans, hant = person["name_hans"], person["name_hant"]
            assert chars[:1] in (hans[:1], hant[:1]), (value, hans)
    assert checked > 1000 and 0.9 < exact / checked < 1.0   # typos and 王某 exist, and are rare


def _cells(folder: Path, name: str, column: str) -> list[str]:
    mapping, _header, rows = _all_rows(folder)[name]
    return [str(r[column]) for r in rows if r.get(column) not in (None, "")]


def test_every_style_is_present(written):
    mainland = _cells(written, "a_mainland.xlsx", "遇难地点")
    assert any(v.startswith("北京市海淀区") for v in mainland) and any("宣武区" in v for v in mainland)
    assert any(v.startswith("西城区") or "北京市西城区" in v for v in mainland)
    dates = _cells(written, "a_mainland.xlsx", "遇难时间")
    assert any(v.endswith("凌晨") for v in dates) and any(re.fullmatch(r"6月3日[夜晚].*", v) for v in dates)
    ages = _cells(written, "a_mainland.xlsx", "年龄")
    assert any(v.endswith("岁") for v in ages) and any(v.startswith("约") for v in ages) and any("多岁" in v for v in ages)
    names = _cells(written, "a_mainland.xlsx", "姓名")
    assert any("（" in v for v in names) and any(" (" in v for v in names)

    tw_names = _cells(written, "b_taiwan.csv", "英文姓名")
    assert any("'" in v or "\u2018" in v for v in tw_names) and any("-" in v and "'" not in v for v in tw_names)
    assert any(v.startswith("民國78年") for v in _cells(written, "b_taiwan.csv", "日期"))
    assert any("區" in v for v in _cells(written, "b_taiwan.csv", "地點"))

    en = _cells(written, "c_international.json", "name")
    assert any(re.fullmatch(r"[A-Z]{2,} [A-Z][a-z]+", v) for v in en)             # CHEN Dawen
    assert any(re.fullmatch(r"[A-Z][a-z]+-[a-z]+ [A-Z][a-z]+", v) is None and "-" in v for v in en)
    assert any(re.search(r"[āáǎàēéěèīíǐìōóǒòūúǔù]", v) for v in en)               # tone marks
    assert any(v.startswith(("Dan ", "Ceng ", "Qu ", "Jie ", "Chou ", "Cha ")) for v in en)  # naive readings
    places = _cells(written, "c_international.json", "location")
    assert any("District" in v for v in places) and any("Chang'an Avenue" in v for v in places)
    assert any(re.search(r"[āáǎàīíǐìūúǔù]", v) for v in places)
    en_dates = _cells(written, "c_international.json", "date")
    for pattern in (r"\d{1,2} June 1989", r"\d-\d June 1989", r"June 1989", r"early June 1989"):
        assert any(re.fullmatch(pattern, v) for v in en_dates), pattern
    assert any(v.startswith("about ") for v in _cells(written, "c_international.json", "age"))

    hk = _cells(written, "d_hongkong.txt", "Name")
    assert any(v.startswith(("Chan ", "Wong ", "Cheung ", "Lau ")) for v in hk)
    assert any("Peking" in v for v in _cells(written, "d_hongkong.txt", "Place"))

    _mapping, header, _rows = _all_rows(written)["e_custody.csv"]
    assert header == ["编号", "姓名", "事件", "日期", "刑期", "关押场所"]          # no age, no place, no sex
    words = set(_cells(written, "e_custody.csv", "事件"))
    assert {"逮捕", "释放"} <= words and words & {"拘留", "收容审查", "被拘"}
    assert any(v.startswith("有期徒刑") for v in _cells(written, "e_custody.csv", "刑期"))

    informants = _cells(written, "f_families.json", "报告人")
    assert any(" " in v for v in informants)                                      # a relative named


def test_duplicates_within_lists_and_compound_surnames(written):
    truth = read_truth(written / "truth.csv")
    per = Counter((t["source"], t["person_id"]) for t in truth)
    assert sum(1 for n in per.values() if n > 1) >= 5
    people = list(csv.DictReader(open(written / "people.csv", encoding="utf-8")))
    assert any(p["name_hans"][:2] in ("欧阳", "司徒", "诸葛", "上官", "司马") for p in people)


def test_missing_fields_differ_by_source(written):
    data = _all_rows(written)
    def share_empty(name, column):
        _mapping, _header, rows = data[name]
        firsts = {}
        for r in rows:
            firsts.setdefault(str(r[id_column(data[name][0])]), r)
        return sum(1 for r in firsts.values() if r.get(column) in (None, "")) / len(firsts)
    assert 0.05 < share_empty("a_mainland.xlsx", "性别") < 0.3
    assert 0.3 < share_empty("b_taiwan.csv", "年齡") < 0.5
    assert 0.5 < share_empty("d_hongkong.txt", "Age") < 0.7


_EDTF = re.compile(r"\d{4}(-\d{2}(-(\d{2}|0X))?)?(/\d{4}-\d{2}-\d{2})?")
_AGE = re.compile(r"\d{1,3}|~\d{1,3}|\d{1,3}-\d{1,3}")
_ISO = re.compile(r"P(\d+Y)?(\d+M)?|life|death-reprieve")


def test_plain_values_are_edtf_and_numbers_with_all_other_variation_kept(plain, written):
    data = _all_rows(plain)
    for name, (mapping, _header, rows) in data.items():
        for field, pattern in (("event_date", _EDTF), ("age", _AGE), ("sentence", _ISO)):
            col = column_of(mapping, field)
            if col is None:
                continue
            for r in rows:
                if r.get(col) not in (None, ""):
                    assert pattern.fullmatch(str(r[col])), (name, field, r[col])
    header_row = read_rows(plain / "a_mainland.xlsx", {})[0]
    assert header_row[0] == "序号"
    import openpyxl
    assert openpyxl.load_workbook(plain / "a_mainland.xlsx").active["A1"].value == "序号"
    assert openpyxl.load_workbook(written / "a_mainland.xlsx").active["A1"].value.startswith("“六四”")
    # names, places and the event words are the same draws in both modes
    assert _cells(plain, "d_hongkong.txt", "Name")[:50] == _cells(written, "d_hongkong.txt", "Name")[:50]
    assert _cells(plain, "c_international.json", "location")[:50] == _cells(written, "c_international.json", "location")[:50]
