"""The romanization tables ship as data: they must be what the installed dictionaries give."""

from __future__ import annotations

import json

from mingdan.names import table_build, tables


def test_shipped_tables_are_what_the_dictionaries_build():
    shipped = json.loads(tables.SHIPPED.read_text(encoding="utf-8"))
    built = json.loads(json.dumps(table_build.build(), ensure_ascii=False))
    assert shipped["versions"] == tables.dictionary_versions()
    for name in ("pinyin_inventory", "pinyin_surnames", "hk_to_pinyin", "surname_sounds", "surname_romanizations"):
        assert shipped[name] == built[name], f"{name}: run `.venv/bin/python -m mingdan.names.table_build`"
    # Spot checks of what the tables say, so a file and a builder that went wrong together still fail.
    assert {"zhang", "lü", "xian"} <= set(shipped["pinyin_inventory"])
    assert {"wang", "huang"} <= set(shipped["hk_to_pinyin"]["wong"][:2])
    assert "chen" in shipped["surname_romanizations"]["chan"] and shipped["surname_romanizations"]["chan"][0] == "chen"
    assert "situ" in shipped["surname_romanizations"]["szeto"]


def test_tables_of_other_dictionaries_are_built_afresh(monkeypatch, tmp_path):
    # A file built from other dictionary versions is not read: its readings would key names unlike this install's.
    stale = json.loads(tables.SHIPPED.read_text(encoding="utf-8"))
    stale["versions"] = {"pypinyin": "0.0", "ToJyutping": "0.0"}
    stale["hk_to_pinyin"] = {"wong": ["nothing"]}
    (tmp_path / "stale.json").write_text(json.dumps(stale), encoding="utf-8")
    current = dict(stale, versions=tables.dictionary_versions())
    (tmp_path / "current.json").write_text(json.dumps(current), encoding="utf-8")
    try:
        for name, first in (("stale.json", "huang"), ("absent.json", "huang"), ("current.json", "nothing")):
            monkeypatch.setattr(tables, "SHIPPED", tmp_path / name)
            tables._shipped.cache_clear()
            tables.hk_to_pinyin.cache_clear()
            assert tables.hk_to_pinyin()["wong"][0] == first, name
    finally:
        tables._shipped.cache_clear()
        tables.hk_to_pinyin.cache_clear()
