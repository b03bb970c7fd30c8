"""Every page rendered in 简体中文 and 繁體中文 holds no English word but names and data.

Data (names, source names, record ids, values as recorded, file locators) is marked
translate="no" in the templates, which browsers' translators honour too; everything else a
reader sees, text and the attributes shown to a reader, must be in the page's language. The
case holds English data on purpose ("male", "List A", "official toll"), so that data shown
unmarked, or a label left in English, fails the test.
"""

from __future__ import annotations

import datetime as dt
import re

import pytest
from page_words import english_words

from .conftest import PASSWORD

def test_the_checker_finds_labels_and_leaves_marked_data_alone():
    assert english_words('<p>记录 <span translate="no">List A</span> JSON</p>') == []
    assert english_words('<p>记录 <b>withheld</b></p>') == ["'withheld' in b: 'withheld'"]
    assert english_words('<input placeholder="Search here">')[0].startswith("'Search' in <input placeholder>")
    assert english_words('<div translate="no"><p>Chen <i>Dawen</i></p></div><p>名单</p>') == []


@pytest.fixture
def full_case(case, write_rows, tmp_path):
    """A case with every kind of thing a page can show: custody, sentences, flags, links, reviews, claims, estimates."""
    from mingdan.ingest.amend import amend
    from mingdan.ingest.count_claims import import_count_claims
    from mingdan.ingest.importer import import_file
    from mingdan.store.models import Estimate, LinkRun, PairLink, Person, Record, ReviewDecision
    from mingdan.store.search import refresh_index
    from mingdan.web.accounts import add_user
    from mingdan.web.case import use

    court = write_rows([
        {"record_id": "A1", "name": "林小平", "sex": "male", "age": "约30", "place": "Beijing", "event": "detained",
         "event_date": "1989-06-10", "facility": "Qincheng", "notes": "seen by a witness"},
        {"record_id": "A1", "event": "sentenced", "event_date": "1989-08-07", "sentence": "death-reprieve P2Y"},
        {"record_id": "A1", "event": "commuted", "event_date": "1991", "sentence": "life"},
        {"record_id": "A1", "event": "commuted", "event_date": "1998-09-15", "sentence": "P20Y"},
        {"record_id": "A1", "event": "reduced", "event_date": "2012-06-12", "sentence": "P1Y"},
        {"record_id": "A2", "name": "Wang Wei", "sex": "female", "age": "unknown", "event": "died_in_custody",
         "event_date": "1990-02"},
        {"record_id": "A10", "name": "赵明", "event": "killed", "event_date": "1989-06-04", "place": "Muxidi"},
    ], name="court.csv")
    import_file(case, court, source_name="List A")
    families = write_rows([
        {"record_id": "F1", "name": "Lin Xiaoping", "sex": "M", "age": "31", "event": "sentenced",
         "event_date": "1989-09-02", "sentence": "P13Y6M"},
    ], name="families.csv")
    import_file(case, families, source_name="Families' list")
    # A relative harassed around an anniversary, in English words, so that each label of it is checked.
    relatives = write_rows([
        {"record_id": "R1", "name": "Lin's mother", "event": "harassed", "event_date": "2019-05-28/2019-06-11",
         "harassment": "forced travel", "perpetrator": "State Security", "tied_to": "anniversary",
         "duration": "15 days", "relation": "mother of", "relation_of": "List A:A1"},
    ], name="relatives.csv", header=["record_id", "name", "event", "event_date", "harassment", "perpetrator",
                                     "tied_to", "duration", "relation", "relation_of"])
    import_file(case, relatives, source_name="Relatives")
    claims = tmp_path / "claims.csv"
    claims.write_text("metric,scope,as_of,min,best,max,source,verification,source_kind,includes\n"
                      "killed,episode,1989-06-06,,200,,Ministry,unverified,official,official toll\n"
                      "killed,episode,1989-06,,2600,,Red Cross,retracted,ngo,attributed\n", "utf-8")
    import_count_claims(case, claims)
    lin = Person.objects.create(person_id="P000001")
    Record.objects.filter(record_id__in=("A1", "F1")).update(person=lin)
    a1, a2, f1 = (Record.objects.get(record_id=r) for r in ("A1", "A2", "F1"))
    run = LinkRun.objects.create(auto_link=0.6, review=0.2, records=4, people=3)
    weights = {field: {"level": level, "weight": 1.5} for field, level in
               (("name", 3), ("sex", 1), ("age", 2), ("place_key", -1), ("event", 1), ("occupation", 0))}
    PairLink.objects.create(run=run, record_a=a1, record_b=a2, match_probability=0.45, match_weight=-0.3,
                            band="review", weights=weights)
    PairLink.objects.create(run=run, record_a=a1, record_b=f1, match_probability=0.97, match_weight=8.0,
                            band="auto", weights=weights)
    ReviewDecision.objects.create(record_a=a1, record_b=f1, decision="same", decided_by="admin")
    Estimate.objects.create(category="killed", method="lcmcr", settings={}, input_sha256="ab" * 32, table={},
                            code_version="test", observed=1, estimate=3.0, lower=1.0, upper=9.0, summary={})
    amend(case, a2, "occupation", "worker", "admin", "told by the family")
    refresh_index()
    use(case)
    add_user("admin", "admin", PASSWORD)
    return {"a1": a1, "a2": a2, "person": lin, "r1": Record.objects.get(record_id="R1")}


PAGES = ["/records", "/records?q=lin+xiaoping", "/records?event=killed", "/records/{a1}", "/records/{a2}",
         "/records/{r1}", "/records/{a1}/relations", "/records/{a2}/edit", "/records/new", "/people/P000001", "/review", "/review/{a1}/{a2}", "/import",
         "/claims", "/accounting?as_of=2012-06-04", "/estimates", "/publish", "/audit", "/users", "/account",
         "/no-such-page"]


@pytest.mark.django_db
@pytest.mark.parametrize("language", ["zh-hans", "zh-hant"])
def test_every_page_in_chinese_has_no_english_word_but_data(client, full_case, language):
    client.post("/login", {"username": "admin", "password": PASSWORD}, secure=True)
    client.post("/language", {"language": language}, secure=True)
    problems = {}
    for template in PAGES:
        url = template.format(a1=full_case["a1"].pk, a2=full_case["a2"].pk, r1=full_case["r1"].pk)
        response = client.get(url, secure=True)
        assert response.status_code in (200, 404), (url, response.status_code)
        found = english_words(response.content.decode())
        if found:
            problems[url] = found
    assert problems == {}, problems


@pytest.mark.django_db
def test_vocabulary_and_sentences_read_in_chinese(client, full_case):
    client.post("/login", {"username": "admin", "password": PASSWORD}, secure=True)
    client.post("/language", {"language": "zh-hans"}, secure=True)
    person = client.get("/people/P000001", secure=True).content.decode()
    for words in ("死刑缓期2年执行", "无期徒刑", "有期徒刑20年", "减刑1年", "被判刑", "改判"):
        assert words in person, words
    status = re.search(r"今日状态.*?<strong>(.*?)</strong>", person, re.S)
    assert status and status.group(1) in ("在押", "已获释", "已死亡", "状况不明"), person[:3000]
    # The overdue release is counted from the day the page reports on (today here), in Chinese.
    assert f"至{dt.date.today().isoformat()}已过" in person
    record = client.get(f"/records/{full_case['a1'].pk}", secure=True).content.decode()
    for words in ("性别", "确切", "未核实", "约数", "男"):
        assert words in record, words
    relative = client.get(f"/records/{full_case['r1'].pk}", secure=True).content.decode()
    for words in ("被旅游", "周年纪念日", "15天", "骚扰类别", "实施者", "关系", "母亲"):
        assert words in relative, words
    client.post("/language", {"language": "zh-hant"}, secure=True)
    person = client.get("/people/P000001", secure=True).content.decode()
    for words in ("死刑緩期2年執行", "無期徒刑", "有期徒刑20年", "減刑1年"):
        assert words in person, words


@pytest.mark.django_db
def test_the_claims_page_names_each_metric_in_the_readers_language(client, case, full_case, tmp_path):
    """Outside tester: /claims showed 'killed', 'detained' in English on the Chinese pages (marked as data)."""
    from mingdan.ingest.count_claims import import_count_claims

    claims = tmp_path / "more_claims.csv"
    claims.write_text("metric,scope,as_of,min,best,max,source,verification,source_kind\n"
                      "detained (students),episode,1990,,300,,NGO,unverified,ngo\n"
                      "injured,episode,1989-06,,1000,,Hospitals,unverified,press\n", "utf-8")
    import_count_claims(case, claims)
    client.post("/login", {"username": "admin", "password": PASSWORD}, secure=True)
    for language, killed, detained in (("zh-hans", "遇难", "被拘押"), ("zh-hant", "遇難", "被拘押"),
                                       ("en", "Killed", "Detained")):
        client.post("/language", {"language": language}, secure=True)
        page = client.get("/claims", secure=True).content.decode()
        metrics = re.findall(r'<tr class="[^"]*"><td>(.*?)</td><td class="num">', page)
        quote = ("原文：“", "”") if language != "en" else ("as written: “", "”")
        assert sorted(metrics) == sorted([
            killed, killed, '<span translate="no">injured</span>',
            f'{detained} <span class="written">({quote[0]}<span translate="no">detained (students)</span>'
            f'{quote[1]})</span>']), (language, metrics)
        if language != "en":
            assert english_words(page) == [], language
