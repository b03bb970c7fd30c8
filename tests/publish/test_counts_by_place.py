"""A release counts people per gazetteer entry: one street written four ways is one row, named in English and
Chinese, and a blank cell says why it is blank (issue 13)."""

from __future__ import annotations

import csv

from mingdan.ingest.importer import import_file
from mingdan.publish.opendata import SUPPRESSED
from mingdan.publish.release import publish

MUXIDI = ["木樨地", "Muxidi", "Mùxīdì", "北京市西城区木樨地", "木樨地", "Muxudi"]


def test_counts_by_place_aggregate_on_gazetteer_entries(case, tmp_path, write_rows):
    rows = [{"record_id": f"M{i}", "name": f"模拟{i}", "event": "killed", "event_date": "1989-06-04", "place": place}
            for i, place in enumerate(MUXIDI)]
    rows += [{"record_id": f"H{i}", "name": f"模拟海{i}", "event": "detained", "event_date": "1989-06-10",
              "place": place} for i, place in enumerate(["海淀区", "Haidian District"])]
    rows += [{"record_id": f"N{i}", "name": f"模拟无{i}", "event": "killed", "event_date": "1989-06-04"} for i in range(5)]
    import_file(case, write_rows(rows), source_name="Places list")
    publish(case, tmp_path / "release")
    with open(tmp_path / "release" / "data" / "counts_by_place.csv", encoding="utf-8") as handle:
        table = {row["place_id"]: row for row in csv.DictReader(handle)}
    muxidi = table["bj:muxidi"]
    assert (muxidi["place"], muxidi["place_zh"], muxidi["killed"]) == ("Muxidi", "木樨地", "6")
    haidian = table["110108"]
    assert (haidian["place"], haidian["place_zh"], haidian["detained"]) == ("Haidian District", "海淀区", SUPPRESSED)
    assert "fewer than 5" in haidian["blank_cells"]
    assert muxidi["died_in_custody"] == "0" and muxidi["missing"] == "0"  # nobody: zero, not "suppressed"
    assert table["(not stated)"]["place"] == "(place not stated)"
    assert not any(key.startswith("~") for key in table)  # every place was known to the gazetteer
    english = (tmp_path / "release" / "report" / "index.html").read_text("utf-8")
    chinese = (tmp_path / "release" / "report" / "index.zh.html").read_text("utf-8")
    assert "Muxidi" in english and "木樨地" in chinese and "fewer than 5 people" in english


def test_a_place_the_gazetteer_does_not_know_is_one_row_per_reading(case, tmp_path, write_rows):
    rows = [{"record_id": f"V{i}", "name": f"模拟村{i}", "event": "killed", "event_date": "1989-06-04", "place": place}
            for i, place in enumerate(["小溪村", "小溪村", "Xiaoxi Village", "小溪村", "Xiǎoxī Village"])]
    import_file(case, write_rows(rows), source_name="Village list")
    publish(case, tmp_path / "release")
    with open(tmp_path / "release" / "data" / "counts_by_place.csv", encoding="utf-8") as handle:
        table = {row["place_id"]: row for row in csv.DictReader(handle)}
    assert table["~xiaoxi"]["place"] == "小溪村" and table["~xiaoxi"]["killed"] == "5"


def test_a_restricted_event_type_is_counted_but_never_published_beside_a_name(case, tmp_path):
    """Outside tester, 2026-12-02: a restricted event column put 'died_in_custody' beside a consenting person's name."""
    data = tmp_path / "restricted.csv"
    data.write_text("record_id,name,event,event_date,place,consent_publish_name\n"
                    "F-1,公开名甲,died_in_custody,1991-03-01,秦城监狱,granted\n"
                    "F-2,公开名乙,sentenced,1990-02-01,北京,granted\n"
                    "F-3,公开名丙,killed,1989-06-04,木樨地,granted\n", "utf-8")
    mapping = tmp_path / "restricted.yaml"
    mapping.write_text('source: {name: "Restricted event list", kind: family}\ncolumns:\n  record_id: record_id\n'
                       "  name: name\n  event: {field: event, sensitivity: restricted}\n"
                       "  event_date: event_date\n  place: place\n  consent_publish_name: consent_publish_name\n",
                       "utf-8")
    import_file(case, data, mapping_path=mapping)
    publish(case, tmp_path / "release", license="CC0-1.0")
    with open(tmp_path / "release" / "data" / "named_people.csv", encoding="utf-8") as handle:
        named = {row["name"]: row for row in csv.DictReader(handle)}
    assert set(named) == {"公开名甲", "公开名乙", "公开名丙"}
    assert all(row["categories"] in ("", "none") for row in named.values()), named
    with open(tmp_path / "release" / "data" / "accounting.csv", encoding="utf-8") as handle:
        counted = {row["category"]: row["named_people"] for row in csv.DictReader(handle)}
    assert counted["killed"] == "suppressed" and counted["detained"] == "suppressed"  # counted, under the threshold
    with open(tmp_path / "release" / "data" / "counts_by_place.csv", encoding="utf-8") as handle:
        places = list(csv.DictReader(handle))
    # Nobody is missing anywhere: a zero, never "suppressed" (which says 1 to 4 people).
    assert places and all(row["missing"] == "0" for row in places), places


def test_a_city_row_says_no_finer_place_was_stated_in_the_readers_language(case, tmp_path, write_rows, no_pdf):
    """Outside tester: a row 'Beijing' beside 'Haidian District' did not say it counts only the people for whom
    no finer place than the city was given (docs/places.md: a place is not added into the places it lies in)."""
    import json

    places = ["北京"] * 5 + ["Peking"] + ["海淀区"] * 5 + ["西城区"] * 5 + ["木樨地"] * 5 + [""] * 5
    rows = [{"record_id": f"B{i}", "name": f"模拟京{i}", "event": "killed", "event_date": "1989-06-04", "place": place}
            for i, place in enumerate(places)]
    import_file(case, write_rows(rows), source_name="City list")
    publish(case, tmp_path / "release")
    with open(tmp_path / "release" / "data" / "counts_by_place.csv", encoding="utf-8") as handle:
        table = {row["place_id"]: row for row in csv.DictReader(handle)}
    assert (table["110000"]["place"], table["110000"]["place_zh"], table["110000"]["killed"]) == (
        "Beijing (no finer place stated)", "北京市（未注明区）", "6")
    # A district with a street of the table inside it says so too; one with nothing finer in the table is its name.
    assert (table["110102"]["place"], table["110102"]["place_zh"]) == (
        "Xicheng District (no finer place stated)", "西城区（未注明更具体的地点）")
    assert (table["110108"]["place"], table["110108"]["place_zh"]) == ("Haidian District", "海淀区")
    assert table["bj:muxidi"]["place"] == "Muxidi"
    report = tmp_path / "release" / "report"
    english, simplified, traditional = ((report / page).read_text("utf-8") for page in
                                        ("index.html", "index.zh.html", "index.zh-hant.html"))
    assert ">Beijing (no finer place stated)<" in english and "counts only the people" in english
    assert ">北京市（未注明区）<" in simplified and ">北京市（未註明區）<" in traditional
    # Our own words are in traditional characters on the 繁體 page, as the rest of it.
    assert ">（地點未註明）<" in traditional and "地点未注明" not in traditional
    package = json.loads((tmp_path / "release" / "data" / "datapackage.json").read_text("utf-8"))
    fields = {f["name"]: f["description"] for r in package["resources"] if r["name"] == "counts_by_place"
              for f in r["schema"]["fields"]}
    assert "no finer place stated" in fields["place"] and "未注明区" in fields["place_zh"]


def test_a_district_two_cities_share_a_name_of_is_the_one_the_text_and_the_list_say(case, tmp_path, write_rows):
    # "Xuanwu District" is the English name the tables give Nanjing's 玄武区; "Xuanwu District, Beijing" was counted in
    # Nanjing in a release, and the web's place filter for Xuanwu matched the text only (an outside tester, rt45).
    from mingdan.store.search import places_within

    xuanwu = ["Xuanwu District, Beijing", "Xuānwǔ District", "宣武区", "北京市宣武区", "宣武區", "Hsuan-wu District, Peking"]
    rows = [{"record_id": f"X{i}", "name": f"模拟宣{i}", "event": "killed", "event_date": "1989-06-04", "place": place}
            for i, place in enumerate(xuanwu)]
    rows += [{"record_id": f"B{i}", "name": f"模拟北{i}", "event": "killed", "event_date": "1989-06-04", "place": place}
             for i, place in enumerate(["北京市海淀区", "西城区", "Fengtai", "南京市玄武区"])]
    import_file(case, write_rows(rows), source_name="Places list")
    case.config["disclosure"]["min_cell"] = 1  # every count shown: the test is where each person is counted
    publish(case, tmp_path / "release")
    with open(tmp_path / "release" / "data" / "counts_by_place.csv", encoding="utf-8") as handle:
        table = {row["place_id"]: row for row in csv.DictReader(handle)}
    assert table["110104"]["killed"] == "6" and table["320102"]["killed"] == "1"  # the one written 南京市玄武区
    assert set(places_within("Xuanwu")) == set(xuanwu)
    assert set(places_within("Xuanwu District, Nanjing")) == {"南京市玄武区"}


def test_the_place_filter_of_a_gazetteer_place_is_not_also_a_text_match(case, write_rows):
    # In a Beijing case holding one Nanjing record, "Xuanwu" also listed "Xuanwu District, Nanjing" as text (an outside
    # tester, rerun45): a place the gazetteer knows finds what lies within it, and only that.
    from mingdan.store.lens import Lens
    from mingdan.store.models import Event
    from mingdan.web.views_people import _place_q

    rows = [{"record_id": f"B{i}", "name": f"模拟北{i}", "event": "killed", "event_date": "1989-06-04", "place": place}
            for i, place in enumerate(["北京市海淀区", "西城区", "Fengtai", "宣武区", "Xuanwu District, Nanjing"])]
    import_file(case, write_rows(rows), source_name="Places list")
    found = set(Event.objects.filter(_place_q(Lens.everything(), "Xuanwu")).values_list("place", flat=True))
    assert found == {"宣武区"}
    assert set(Event.objects.filter(_place_q(Lens.everything(), "Nanjing")).values_list("place", flat=True)) == {
        "Xuanwu District, Nanjing"}
    assert set(Event.objects.filter(_place_q(Lens.everything(), "Hospital")).values_list("place", flat=True)) == set()
