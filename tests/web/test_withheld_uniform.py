"""A withheld value says nothing: not its kind, not how many claims, not whether a field holds anything at all."""

from __future__ import annotations

import re

import pytest

from .conftest import PASSWORD, ROLES

HEADER = ["record_id", "name", "age", "notes", "risk", "consent_publish_name"]
MAPPING = ("source: {name: Uneven list}\ncolumns:\n  record_id: record_id\n  name: name\n"
           "  age: {field: age, sensitivity: restricted}\n  notes: {field: notes, sensitivity: restricted}\n"
           "  risk: {field: risk, sensitivity: restricted}\n"
           "  consent_publish_name: {field: consent_publish_name, sensitivity: restricted}\n")


@pytest.fixture
def uneven(case, write_rows, tmp_path):
    """Three records alike in their public values: one with restricted age (approximate), notes, risk and
    consent; one whose restricted age is unknown; one with nothing restricted at all."""
    from mingdan.ingest.importer import import_file
    from mingdan.store.models import Record
    from mingdan.web.accounts import add_user
    from mingdan.web.case import use

    path = write_rows([
        {"record_id": "X1", "name": "李同", "age": "about 40", "notes": "RNOTE-UNEVEN", "risk": "high",
         "consent_publish_name": "no"},
        {"record_id": "X2", "name": "李同", "age": "unknown", "notes": "", "risk": "", "consent_publish_name": ""},
        {"record_id": "X3", "name": "李同", "age": "", "notes": "", "risk": "", "consent_publish_name": ""},
    ], name="uneven.csv", header=HEADER)
    mapping = tmp_path / "uneven.yaml"
    mapping.write_text(MAPPING, "utf-8")
    import_file(case, path, mapping_path=mapping)
    use(case)
    for role in ROLES:
        add_user(role, role, PASSWORD)
    return {r.record_id: r.pk for r in Record.objects.filter(record_id__in=["X1", "X2", "X3"])}


def _page(client, url: str, record_id: str, pk: int) -> str:
    text = client.get(url, secure=True).content.decode()
    text = re.sub(r'name="csrfmiddlewaretoken" value="[^"]*"', "", text)
    text = re.sub(r"uneven\.csv:\d+:", "uneven.csv:ROW:", text)
    return text.replace(f"/records/{pk}", "/records/PK").replace(record_id, "RID").replace(f'"id": {pk}', '"id": PK')


@pytest.mark.parametrize("role", ["viewer"])
def test_a_withheld_value_shows_neither_its_kind_nor_whether_it_exists(uneven, client, role):
    from django.test import Client

    from mingdan.store.models import Claim

    # The three records really differ behind the viewer's back.
    kinds = {r: sorted(Claim.objects.filter(record_id=pk, field="age").values_list("kind", flat=True))
             for r, pk in uneven.items()}
    assert kinds["X1"] == ["approximate"] and kinds["X2"] == ["unknown"] and kinds["X3"] == []
    assert Claim.objects.filter(record_id=uneven["X1"], field__in=["risk", "notes", "consent_publish_name"]).count() == 3
    assert not Claim.objects.filter(record_id=uneven["X3"], field__in=["risk", "notes", "consent_publish_name"]).exists()

    viewer = Client()
    assert viewer.post("/login", {"username": role, "password": PASSWORD}, secure=True).status_code == 302
    for url in ("/records/{pk}", "/api/records/{pk}"):
        pages = {r: _page(viewer, url.format(pk=pk), r, pk) for r, pk in uneven.items()}
        assert pages["X1"] == pages["X2"] == pages["X3"], url
    page = pages["X1"]
    assert "approximate" not in page and "restricted" not in page
    # In a search's results too, the three rows read alike: no "withheld" where an age stands behind.
    results = viewer.get("/records?q=%E6%9D%8E%E5%90%8C", secure=True).content.decode()
    rows = [re.sub(r"X\d", "RID", re.sub(r"/records/\d+", "/records/PK", row))
            for row in re.findall(r"<tr>.*?</tr>", results, re.S) if "李同" in row]
    assert len(rows) == 3 and rows[0] == rows[1] == rows[2], rows
    assert "withheld" not in results


def test_the_admin_sees_every_claim_and_the_same_rows(uneven, login):
    client = login("admin")
    x1 = client.get(f"/records/{uneven['X1']}", secure=True).content.decode()
    x3 = client.get(f"/records/{uneven['X3']}", secure=True).content.decode()
    assert "RNOTE-UNEVEN" in x1 and "approximate" in x1
    # The same field rows on both pages; where nothing is recorded, the row says so.
    rows = [re.findall(r'<th rowspan="\d+">([^<]*)</th>|<tr class="none"><th>([^<]*)</th>', page) for page in (x1, x3)]
    assert [a or b for a, b in rows[0]] == [a or b for a, b in rows[1]]
    assert "not recorded" in x3


def test_a_custody_step_reads_alike_with_a_withheld_date_and_with_none(case, write_rows, tmp_path, login):
    from mingdan.ingest.importer import import_file
    from mingdan.store.models import Person, Record
    from mingdan.web.accounts import add_user
    from mingdan.web.case import use

    path = write_rows([{"record_id": "Y1", "name": "周同", "event": "detained", "event_date": "1989-06-09"},
                       {"record_id": "Y2", "name": "周同", "event": "detained", "event_date": ""}],
                      name="dates.csv", header=["record_id", "name", "event", "event_date"])
    mapping = tmp_path / "dates.yaml"
    mapping.write_text("source: {name: Dates list}\ncolumns:\n  record_id: record_id\n  name: name\n  event: event\n"
                       "  event_date: {field: event_date, sensitivity: restricted}\n", "utf-8")
    import_file(case, path, mapping_path=mapping)
    use(case)
    add_user("viewer", "viewer", PASSWORD)
    for record_id, person_id in (("Y1", "P000001"), ("Y2", "P000002")):
        Record.objects.filter(record_id=record_id).update(person=Person.objects.create(person_id=person_id))
    client = login("viewer")
    timelines = []
    for record_id, person_id in (("Y1", "P000001"), ("Y2", "P000002")):
        page = client.get(f"/people/{person_id}", secure=True).content.decode()
        custody = page[page.index("<h2>Custody</h2>"):page.index("<h2>Review history</h2>")]
        timelines.append(re.sub(r"dates\.csv:\d+", "dates.csv:ROW", custody).replace(record_id, "RID"))
    assert timelines[0] == timelines[1] and "withheld" not in timelines[0] and "1989" not in timelines[0]
