"""The accounting page's harassment section: counts for editors and admins, nothing of it below them."""

from __future__ import annotations

import pytest


@pytest.fixture
def families_case(web_case, write_rows):
    """web_case with a mother of A1 harassed around two anniversaries, and a participant harassed once."""
    from mingdan.ingest.importer import import_file
    from mingdan.web.case import use

    header = ["record_id", "name", "event", "event_date", "relation", "relation_of", "harassment", "tied_to",
              "duration"]
    rows = [
        {"record_id": "F1", "name": "李秀英", "event": "harassed", "event_date": "2019-05-28/2019-06-06",
         "relation": "mother_of", "relation_of": "List A:A1", "harassment": "house_arrest", "tied_to": "anniversary"},
        {"record_id": "F1", "event": "harassed", "event_date": "2020-06-01", "harassment": "administrative_detention",
         "duration": "P10D", "tied_to": "anniversary"},
        {"record_id": "F2", "name": "赵强", "event": "harassed", "event_date": "2019-03-02", "harassment": "police_visit"},
    ]
    import_file(web_case["case"], write_rows(rows, name="families.csv", header=header), source_name="Monitors")
    use(web_case["case"])
    return web_case


@pytest.mark.parametrize("role, shown", [("admin", True), ("editor", True), ("reviewer", False),
                                         ("analyst", False), ("viewer", False)])
def test_the_section_is_for_editors_and_admins(client, families_case, login, role, shown):
    login(role)
    page = client.get("/accounting?as_of=2019-06-04", secure=True).content.decode()
    assert ('id="harassment"' in page) is shown
    if shown:
        rows = page.split('id="harassment"')[1]
        # 2019: two people (the mother and the participant), two events, one around 4 June; one relative, one family
        assert '<tr><th>2019</th><td class="num">2</td><td class="num">2</td><td class="num">1 / 1</td>' \
               '<td class="num">1 / 1</td><td class="num"></td></tr>' in rows
        assert "李秀英" not in page and "mother" not in page  # counts only, even for an editor
    else:
        assert "Harassment" not in page and "2019</th>" not in page


def test_the_chinese_page_says_it_in_chinese(client, families_case, login):
    login("editor")
    for language, words in (("zh-hans", ["参与者及遇难者、被捕者家属所受的骚扰", "2019-06-04：1人处于人身自由受限状态"]),
                            ("zh-hant", ["參與者及遇難者、被捕者家屬所受的騷擾", "2019-06-04：1人處於人身自由受限狀態"])):
        client.post("/language", {"language": language}, secure=True)
        page = client.get("/accounting?as_of=2019-06-04", secure=True).content.decode()
        assert all(word in page for word in words) and "Harassment" not in page


def test_a_secret_relation_hides_the_tie_but_not_the_harassment_from_an_editor(client, families_case, login):
    from mingdan.store.models import Record, Relation

    Relation.objects.update(sensitivity="secret")
    login("editor")
    page = client.get("/accounting?as_of=2019-06-04", secure=True).content.decode()
    # 2019: both people and both events, as the mother's page shows them; only the tie (relative, family) is gone
    assert '<tr><th>2019</th><td class="num">2</td><td class="num">2</td><td class="num">1 / 1</td>' \
           '<td class="num">0 / 0</td>' in page.split('id="harassment"')[1]
    mother = Record.objects.get(record_id="F1")
    assert "house arrest" in client.get(f"/records/{mother.pk}", secure=True).content.decode()
    client.post("/logout", secure=True)
    login("admin")
    page = client.get("/accounting?as_of=2019-06-04", secure=True).content.decode()
    assert '<tr><th>2019</th><td class="num">2</td><td class="num">2</td><td class="num">1 / 1</td>' \
           '<td class="num">1 / 1</td>' in page.split('id="harassment"')[1]


def test_an_as_of_that_is_not_a_day_is_refused_not_replaced_by_today(client, families_case, login):
    login("editor")
    response = client.get("/accounting?as_of=garbage", secure=True)
    assert response.status_code == 400
    assert "“garbage” is not a day" in response.content.decode()


def test_one_person_restricted_is_one_person(client, families_case, login):
    login("editor")
    page = client.get("/accounting?as_of=2019-06-04", secure=True).content.decode()
    assert "On 2019-06-04: 1 person under a restriction of liberty" in page


def test_a_relative_of_a_relative_is_no_family_of_a_victim(client, families_case, login, write_rows):
    """F1's grandchild, recorded as her child and harassed in 2019: one more person harassed, not one more family."""
    from mingdan.ingest.importer import import_file

    header = ["record_id", "name", "event", "event_date", "relation", "relation_of", "harassment"]
    import_file(families_case["case"], write_rows(
        [{"record_id": "G1", "name": "李小英", "event": "harassed", "event_date": "2019-06-03", "relation": "child_of",
          "relation_of": "Monitors:F1", "harassment": "surveillance"}], name="grandchildren.csv", header=header),
        source_name="Grandchildren")
    login("editor")
    page = client.get("/accounting?as_of=2019-06-04", secure=True).content.decode()
    assert '<tr><th>2019</th><td class="num">3</td><td class="num">3</td><td class="num">2 / 2</td>' \
           '<td class="num">1 / 1</td>' in page.split('id="harassment"')[1]
