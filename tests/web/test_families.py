"""Relations and harassment on the web: both ways on a person's page for editors, nothing below editor, entered as claims."""

from __future__ import annotations

import pytest

from mingdan.store.crypto import is_sealed, reveal
from mingdan.store.models import AuditEntry, Claim, Record, Relation
from mingdan.web.families import relation_token

from .conftest import ROLES

#: Tokens that only relations and harassment details carry: any of them on a page below editor is a leak.
PERPETRATOR = "国保刘某某"
FAMILY_HEADER = ["record_id", "name", "event", "event_date", "harassment", "perpetrator", "tied_to", "duration",
                 "relation", "relation_of"]


@pytest.fixture
def family_case(web_case, write_rows):
    """web_case and a list of relatives: C1 is the mother of List A's A1, and was sent travelling around 4 June."""
    from mingdan.ingest.importer import import_file
    from mingdan.store.models import Record
    from mingdan.store.search import refresh_index

    rows = [{"record_id": "C1", "name": "陈母", "event": "harassed", "event_date": "2019-05-28/2019-06-06",
             "harassment": "被旅游", "perpetrator": PERPETRATOR, "tied_to": "六四", "duration": "10天",
             "relation": "母亲", "relation_of": "List A:A1"}]
    import_file(web_case["case"], write_rows(rows, name="families.csv", header=FAMILY_HEADER), source_name="Families")
    refresh_index()
    return {**web_case, "c1": Record.objects.get(record_id="C1")}


def _pages(case) -> list[str]:
    a1, c1, person = case["a1"], case["c1"], case["person"]
    return [f"/records/{a1.pk}", f"/records/{c1.pk}", f"/people/{person.person_id}", f"/api/records/{c1.pk}",
            f"/api/records/{a1.pk}", "/api/records?q=陈母", "/export/records.csv", "/records?q=陈母"]


@pytest.mark.parametrize("role", ["viewer", "reviewer"])
def test_below_editor_no_page_shows_a_relation_or_a_harassment_detail(family_case, login, role):
    client = login(role)
    for path in _pages(family_case):
        text = client.get(path, secure=True).content.decode("utf-8-sig")
        for token in (PERPETRATOR, "mother of", "forced travel", "forced_travel", "被旅游", "母亲", "(Families:C1)",
                      "(List A:A1)", "relation", "Relation", "harassment details", "P10D", "anniversary"):
            assert token not in text, (role, path, token)
    assert client.get(f"/records/{family_case['a1'].pk}/relations", secure=True).status_code == 403


def test_an_editor_sees_the_relation_both_ways_and_the_harassment(family_case, login):
    client = login("editor")
    a1, c1 = family_case["a1"], family_case["c1"]
    person = client.get(f"/people/{family_case['person'].person_id}", secure=True).content.decode()
    # On the victim's person page, the relative points at this person.
    assert "陈母 (Families:C1)</a> is mother of this person" in person
    mother = client.get(f"/records/{c1.pk}", secure=True).content.decode()
    assert f'mother of <a href="/records/{a1.pk}" translate="no">陳大文 (List A:A1)</a>' in mother
    assert "families.csv:2:relation" in mother  # the locator of the relation's claim
    for shown in ("forced travel", PERPETRATOR, "an anniversary", "10 days", "2019-05-28/2019-06-06"):
        assert shown in mother, shown
    entry = AuditEntry.objects.filter(action="read-restricted").order_by("-id").first()
    assert entry is not None and entry.target == f"GET /records/{c1.pk}" and c1.pk in entry.detail["records"]


def test_the_chinese_person_page_says_the_relation_in_chinese(family_case, login, client):
    login("editor")
    client.post("/language", {"language": "zh-hans"}, secure=True)
    person = client.get(f"/people/{family_case['person'].person_id}", secure=True).content.decode()
    assert "是此人的母亲" in person
    mother = client.get(f"/records/{family_case['c1'].pk}", secure=True).content.decode()
    assert "被旅游" in mother and "10天" in mother


def test_an_editor_enters_a_relation_as_a_claim_and_a_second_supersedes_it(family_case, login):
    client = login("editor")
    a2, b1 = family_case["a2"], family_case["b1"]
    form = {"kind": "father_of", "other": "List B:B1", "cited_source": "interview 2023", "cited_locator": "p. 4",
            "sensitivity": "restricted"}
    response = client.post(f"/records/{a2.pk}/relations", form, secure=True)
    assert response.status_code == 302, response.content[:500]
    first = Relation.objects.get(record=a2)
    assert first.other == b1 and is_sealed(first.kind) and reveal(first.kind) == "father_of"
    assert first.claim.entered_by == "editor" and first.claim.sensitivity == "restricted"
    assert AuditEntry.objects.filter(action="write", target=f"record {a2.pk}").exists()
    response = client.post(f"/records/{a2.pk}/relations", {**form, "kind": "witness_for"}, secure=True)
    assert response.status_code == 302
    relations = list(Relation.objects.filter(record=a2).order_by("id"))
    assert [(reveal(r.kind), r.superseded_in_id is None) for r in relations] == [("father_of", False),
                                                                                  ("witness_for", True)]
    claims = list(Claim.objects.filter(record=a2, field="relation").order_by("id"))
    assert claims[1].supersedes_id == claims[0].id and claims[0].superseded_in_id is not None
    page = client.get(f"/records/{b1.pk}", secure=True).content.decode()
    assert "is witness for this person" in page and "interview 2023 — p. 4" in page


@pytest.mark.parametrize(("change", "reason"), [
    ({"other": "A2"}, "this is the record itself"),
    ({"other": "Nowhere:1"}, "names no record"),
    ({"kind": "uncle_of"}, "not in the vocabulary"),
    ({"cited_locator": ""}, "name the source of this relation"),
    ({"sensitivity": "secret"}, "Choose a sensitivity your role may read"),
])
def test_a_bad_relation_is_refused_and_nothing_is_written(family_case, login, change, reason):
    client = login("editor")
    a2 = family_case["a2"]
    form = {"kind": "father_of", "other": "List B:B1", "cited_source": "interview", "cited_locator": "p. 4",
            "sensitivity": "restricted", **change}
    response = client.post(f"/records/{a2.pk}/relations", form, secure=True)
    assert response.status_code == 400 and reason in response.content.decode()
    assert not Relation.objects.filter(record=a2).exists()


def test_only_editors_and_admins_may_enter_relations(family_case, login, client):
    for role in ROLES:
        login(role)
        status = client.get(f"/records/{family_case['a2'].pk}/relations", secure=True).status_code
        assert status == (200 if role in ("admin", "editor") else 403), role
        client.post("/logout", secure=True)


def test_a_secret_relation_is_withheld_from_an_editor_and_shown_to_an_admin(web_case, write_rows, tmp_path, login,
                                                                              client):
    from mingdan.ingest.importer import import_file

    path = write_rows([{"record_id": "S1", "name": "秘母", "relation": "mother of", "relation_of": "List A:A2"}],
                      name="secret.csv", header=["record_id", "name", "relation", "relation_of"])
    mapping = tmp_path / "secret.yaml"
    mapping.write_text("source: {name: Secret relatives}\ncolumns:\n  record_id: record_id\n  name: name\n"
                       "  relation: {field: relation, sensitivity: secret}\n  relation_of: relation_of\n", "utf-8")
    import_file(web_case["case"], path, mapping_path=mapping)
    a2 = web_case["a2"].pk
    login("editor")
    page = client.get(f"/records/{a2}", secure=True).content.decode()
    # Withheld relations are left out, not marked: not even their level or source is said.
    assert "withheld (" not in page and "秘母" not in page and "Secret relatives" not in page
    client.post("/logout", secure=True)
    login("admin")
    page = client.get(f"/records/{a2}", secure=True).content.decode()
    assert "秘母 (Secret relatives:S1)</a> is mother of this person" in page

    # The editor cannot withdraw what it may not read; the admin can, with a reason.
    relation = Relation.objects.get(record__record_id="S1")
    client.post("/logout", secure=True)
    login("editor")
    assert client.post(f"/records/{a2}/relations/{relation_token(relation.pk)}/withdraw", {"reason": "wrong"},
                       secure=True).status_code == 404
    assert Relation.objects.get(pk=relation.pk).superseded_in_id is None


def test_an_editor_withdraws_a_relation_which_stays_marked_with_its_reason(family_case, login, client):
    editor = login("editor")
    a1, c1 = family_case["a1"], family_case["c1"]
    relation = Relation.objects.get(record=c1)
    token = relation_token(relation.pk)
    url = f"/records/{a1.pk}/relations/{token}/withdraw"
    assert editor.get(url, secure=True).status_code == 405
    # The form is on the pages of both records the relation ties, under an opaque token, not the relation's number.
    page = editor.get(f"/records/{a1.pk}", secure=True).content.decode()
    assert f'action="{url}"' in page and f"/relations/{relation.pk}/" not in page
    assert f'action="/records/{c1.pk}/relations/{token}/withdraw"' in editor.get(
        f"/records/{c1.pk}", secure=True).content.decode()
    assert editor.post(f"/records/{a1.pk}/relations/{relation.pk}/withdraw", {"reason": "x"},
                       secure=True).status_code == 404  # the number is no way in
    assert editor.post(url, {"reason": ""}, secure=True).status_code == 400  # a reason is required
    assert editor.post(f"/records/{family_case['a2'].pk}/relations/{token}/withdraw", {"reason": "x"},
                       secure=True).status_code == 404  # only from a record the relation ties
    response = editor.post(url, {"reason": "the list confused two families"}, secure=True)
    assert response.status_code == 302
    relation.refresh_from_db()
    assert relation.superseded_in_id is not None  # kept, not deleted
    withdrawal = Claim.objects.get(field="relation_withdrawn", record=c1)
    assert withdrawal.supersedes_id == relation.claim_id and withdrawal.entered_by == "editor"
    assert is_sealed(withdrawal.value) and reveal(withdrawal.value) == "the list confused two families"
    assert AuditEntry.objects.filter(action="write", target=f"record {a1.pk}",
                                     detail__action="relation-withdrawn").exists()
    history = editor.get(f"/records/{c1.pk}", secure=True).content.decode()
    assert "withdrawn" in history and "the list confused two families" in history
    person = editor.get(f"/people/{family_case['person'].person_id}", secure=True).content.decode()
    assert "is mother of this person" not in person  # no longer a current relation on the victim's page
    assert editor.post(url, {"reason": "again"}, secure=True).status_code == 404  # nothing current to withdraw
    client.post("/logout", secure=True)
    viewer = login("viewer")
    assert viewer.post(url, {"reason": "x"}, secure=True).status_code == 403
    assert "the list confused" not in viewer.get(f"/records/{c1.pk}", secure=True).content.decode()


def test_harassment_details_of_different_events_are_not_a_conflict(web_case, write_rows, login):
    from mingdan.ingest.importer import import_file
    from mingdan.store.search import refresh_index

    rows = [{"record_id": "C1", "name": "陈母", "event": "harassed", "event_date": "2019-05-28/2019-06-06",
             "harassment": "被旅游", "perpetrator": PERPETRATOR, "tied_to": "六四", "duration": "10天"},
            {"record_id": "C1", "event": "harassed", "event_date": "2020-03-02", "harassment": "约谈",
             "perpetrator": "派出所", "tied_to": "审判"}]
    import_file(web_case["case"], write_rows(rows, name="families.csv", header=FAMILY_HEADER), source_name="Families")
    refresh_index()
    c1 = Record.objects.get(record_id="C1")
    page = login("editor").get(f"/records/{c1.pk}", secure=True).content.decode()
    assert "forced travel" in page and "visit by police" in page
    assert ">conflict</span>" not in page and 'class="conflict"' not in page


@pytest.mark.parametrize("role, rows_shown", [("viewer", False), ("reviewer", False), ("editor", True)])
def test_below_editor_locators_give_no_row_whose_gaps_would_show_hidden_rows(family_case, login, role, rows_shown):
    import re

    client = login(role)
    a1, c1, person = family_case["a1"], family_case["c1"], family_case["person"]
    for path in ("/export/records.csv", f"/records/{a1.pk}", f"/records/{c1.pk}", f"/people/{person.person_id}",
                 f"/api/records/{a1.pk}"):
        text = client.get(path, secure=True).content.decode("utf-8-sig")
        assert bool(re.search(r"\.csv:\d+", text)) is rows_shown, (role, path)
    if not rows_shown:
        export = client.get("/export/records.csv", secure=True).content.decode("utf-8-sig")
        assert "families.csv:name" in export  # the file and column still say where the value is


def test_relation_tokens_say_nothing_of_the_order_relations_were_made(family_case, login, client):
    """Numbers in the withdraw URL followed creation order: an editor seeing 1 and 3 learned of a secret 2."""
    numbers = list(range(1, 40))
    tokens = [relation_token(n) for n in numbers]
    assert len(set(tokens)) == len(tokens) and all(len(t) == 32 and t != str(n) for n, t in zip(numbers, tokens))
    assert sorted(tokens) != tokens  # no order carried over
    editor = login("editor")
    page = editor.get(f"/records/{family_case['a1'].pk}", secure=True).content.decode()
    for relation in Relation.objects.all():
        assert f"/relations/{relation.pk}/withdraw" not in page
