"""Name cells that hold more than a name (rt15 03): split where safe, warned of where kept whole, and the
release's name_characters holds CJK characters only; a person known only by a pseudonym is not named."""

from __future__ import annotations

import csv
import re

from mingdan.ingest.importer import import_file
from mingdan.publish.release import publish

NAMES = ["Zhang San (张三)", "陳大文 [Chan Tai Man]", "王五（化名）", "张四 (Li Si)", "张三（Zhang San）（化名）",
         "阿不都・热合曼", "张六　", "张七（Zhang Qi）, 张七七", "李八 / Li Ba", "Chang Chiu (張九)",
         "刘十（Liu Shi，又名刘石）", "周十一（Zhōu Shíyī）", "吴十二(Wu Shi'er)"]
CJK = re.compile(r"^[\u3400-\u9fff\U00020000-\U0002ffff·・‧•〇]+$")


def test_names_are_split_warned_of_and_published_in_characters_only(case, write_rows, tmp_path, monkeypatch):
    from mingdan.store.models import Name

    rows = [{"record_id": f"N{i}", "name": name, "event": "killed", "event_date": "1989-06-04",
             "consent_publish_name": "yes"} for i, name in enumerate(NAMES, start=1)]
    path = write_rows(rows, header=["record_id", "name", "event", "event_date", "consent_publish_name"])
    result = import_file(case, path, source_name="names")
    assert [w.split(" is kept")[0] for w in result.warnings if "kept as written" in w] == [
        f"{path}:5:name: name '张四 (Li Si)'", f"{path}:9:name: name '张七（Zhang Qi）, 张七七'"]
    assert [(n["row"], n["column"]) for n in result.names_kept_whole] == [(5, "name"), (9, "name")]
    forms = {(r, t, k) for r, t, k in Name.objects.values_list("record__record_id", "text", "name_type")}
    assert {("N9", "李八", "legal"), ("N9", "Li Ba", "romanized"), ("N3", "王五", "alias"), ("N5", "张三", "alias"),
            ("N5", "Zhang San", "alias"), ("N11", "刘十", "legal"), ("N11", "Liu Shi", "romanized"),
            ("N11", "刘石", "alias"), ("N4", "张四 (Li Si)", "legal")} <= forms
    assert not any(t in ("王五（化名）", "李八 / Li Ba") for _, t, _ in forms)

    monkeypatch.setenv("MINGDAN_CHROMIUM", str(tmp_path / "no-pdf-needed"))
    publish(case, tmp_path / "r", license="CC0-1.0")
    with open(tmp_path / "r" / "data" / "named_people.csv", encoding="utf-8") as handle:
        named = {row["name"]: row for row in csv.DictReader(handle)}
    for row in named.values():
        assert row["name_characters"] == "none" or all(CJK.match(form) for form in row["name_characters"].split(" | ")), row
    # Known only by a pseudonym: counted, never named (neither 王五 nor 张三 of N5 stands as a name).
    assert not any("王五" in name for name in named) and sum(name.startswith("张三") for name in named) == 1
    assert named["李八"]["name_characters"] == "李八" and named["刘十"]["name_characters"] == "刘十"
    assert named["张四 (Li Si)"]["name_characters"] == "none"  # kept whole: published as written, not as characters
    assert named["阿不都・热合曼"]["name_characters"] == "阿不都・热合曼"


COLUMN = {"pinyin": "name_pinyin", "pinyin_tones": "name_pinyin", "wade_giles": "name_wade_giles",
          "hk": "name_cantonese", "jyutping": "name_cantonese", "unknown": "name_latin", "none": "name_latin"}


def test_show_and_the_release_agree_on_each_romanization(case, write_rows, tmp_path, monkeypatch):
    """rt15 07: Lam Ka Yan (Hong Kong) was 'unknown'; Lin Xiaodong was 'unknown' in show but pinyin in the release."""
    from mingdan.api import show_record

    names = {"H1": "Lam Ka Yan", "H2": "Wong Siu Fong", "P1": "Lin Xiaodong", "P2": "Luo Zhigang",
             "N1": "Zhang San (张三)", "W1": "Chou Feng-chi", "L1": "Anna Maria"}
    rows = [{"record_id": r, "name": n, "event": "killed", "consent_publish_name": "yes"} for r, n in names.items()]
    import_file(case, write_rows(rows, header=["record_id", "name", "event", "consent_publish_name"]), source_name="s")
    shown = {r: {n["text"]: n["romanization"] for n in show_record(case, r, "s")["names"] if n["script"] == "latin"}
             for r in names}
    assert shown == {"H1": {"Lam Ka Yan": "hk"}, "H2": {"Wong Siu Fong": "hk"}, "P1": {"Lin Xiaodong": "pinyin"},
                     "P2": {"Luo Zhigang": "pinyin"}, "N1": {"Zhang San": "pinyin"},
                     "W1": {"Chou Feng-chi": "unknown"}, "L1": {"Anna Maria": "unknown"}}
    monkeypatch.setenv("MINGDAN_CHROMIUM", str(tmp_path / "no-pdf-needed"))
    publish(case, tmp_path / "r", license="CC0-1.0")
    with open(tmp_path / "r" / "data" / "named_people.csv", encoding="utf-8") as handle:
        published = list(csv.DictReader(handle))
    for forms in shown.values():
        for text, system in forms.items():
            [row] = [row for row in published if text in row.values()]
            assert [column for column, value in row.items() if value == text and column != "name"] == [COLUMN[system]]
