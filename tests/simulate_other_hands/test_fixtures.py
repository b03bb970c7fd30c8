"""The hand-typed fixtures: truth covers every record, the two roster files agree, everything that
today's importer can read imports, and the 20- and 33-record cases link and evaluate."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import pytest
from oh_helpers import id_column, load_mapping, read_rows, read_truth, run_case

FIX = Path(__file__).resolve().parents[1] / "fixtures" / "other_hands"
SETS = {
    FIX: ["a_roster_untitled.xlsx", "b_english.csv", "c_export.json", "d_custody.csv"],
    FIX / "small20": ["s20_zh.csv", "s20_en.csv"],
    FIX / "small33": ["s33_zh.csv", "s33_en.csv", "s33_custody.csv"],
}


@pytest.mark.parametrize("folder", list(SETS), ids=lambda p: p.name)
def test_truth_covers_every_record_once(folder):
    truth = read_truth(folder / "truth.csv")
    assert len({(t["source"], t["record_id"]) for t in truth}) == len(truth)
    for name in SETS[folder]:
        mapping = load_mapping(folder / f"{name}.yaml")
        _header, rows = read_rows(folder / name, mapping)
        ids = {str(r[id_column(mapping)]) for r in rows}
        assert ids == {t["record_id"] for t in truth if t["source"] == mapping["source"]["name"]}, name
    expected = {FIX: 128, FIX / "small20": 20, FIX / "small33": 33}[folder]
    assert len(truth) == expected


def test_the_titled_roster_is_the_untitled_one_with_a_title():
    import openpyxl
    titled = [list(r) for r in openpyxl.load_workbook(FIX / "a_roster.xlsx").active.iter_rows(values_only=True)]
    plain = [list(r) for r in openpyxl.load_workbook(FIX / "a_roster_untitled.xlsx").active.iter_rows(values_only=True)]
    assert titled[0][0].startswith("“六四”") and titled[1:] == plain
    assert (FIX / "a_roster.xlsx.yaml").read_text() == (FIX / "a_roster_untitled.xlsx.yaml").read_text()


def test_the_hard_cases_are_there():
    truth = read_truth(FIX / "truth.csv")
    per_person = Counter(t["person_id"] for t in truth)
    assert per_person["K01"] == 5 and per_person["D04"] == 4       # Wang Jianhua; 张平 across four records
    text = "".join(p.read_text(encoding="utf-8") for p in FIX.glob("*.csv")) + (FIX / "c_export.json").read_text(encoding="utf-8")
    text += (FIX / "a_roster.master.csv").read_text(encoding="utf-8")
    for needle in ["Wang Jianhua", "Wang Chien-hua", "Wong Kin Wah", "北京市朝阳区", "朝陽區", "长安街", "Chang'an Avenue",
                   "Peking", "宣武区", "西城区", "Mùxīdì", "张立新（Zhang Lixin）", "蕭建", "肖建"]:
        assert needle in text, needle


def _imports(folder: Path, case: str) -> list[list[str]]:
    return [["init", case]] + [["import", str(folder / name), "--mapping", str(folder / f"{name}.yaml"), "--case", case]
                               for name in SETS[folder]]


@pytest.mark.slow
def test_the_128_record_set_imports(tmp_path):
    case = str(tmp_path / "case")
    results = run_case(*_imports(FIX, case), ["records", "--case", case, "--json", "--limit", "1000"])
    assert results[-1]["output"].count('"record_id"') == 128, results[-1]["output"][-500:]


@pytest.mark.slow
@pytest.mark.parametrize("small", ["small20", "small33"])
def test_small_cases_link_and_evaluate(small, tmp_path):
    folder, case = FIX / small, str(tmp_path / "case")
    results = run_case(*_imports(folder, case), ["link", "--case", case],
                       ["evaluate", "--case", case, "--truth", str(folder / "truth.csv")])
    records = {"small20": 20, "small33": 33}[small]
    assert f"{records} records" in results[-1]["output"]
