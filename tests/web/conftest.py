"""A small case with public and restricted values, users of every role, a person and a pair to review."""

from __future__ import annotations

import pytest

PASSWORD = "correct horse battery staple"
ROLES = ("admin", "editor", "reviewer", "analyst", "viewer")
SECRET_NOTE = "RESTRICTED-NOTE-7Q3Z"
HIDDEN_NAME = "欧阳秘密"  # a restricted name (no real person)


@pytest.fixture
def web_case(case, write_rows, tmp_path):
    """Two lists; one record's name and every note are restricted; two records linked into one person."""
    from mingdan.ingest.importer import import_file
    from mingdan.store.models import LinkRun, PairLink, Person, Record
    from mingdan.store.search import refresh_index
    from mingdan.web.accounts import add_user
    from mingdan.web.case import use

    first = write_rows([
        {"record_id": "A1", "name": "陳大文", "sex": "male", "age": "21", "place": "Beijing", "event": "killed",
         "event_date": "1989-06-04", "notes": SECRET_NOTE},
        {"record_id": "A2", "name": "王伟", "sex": "male", "age": "30", "place": "Beijing", "event": "detained",
         "event_date": "1989-06", "notes": "<script>alert('x')</script>"},
    ], name="list_a.csv")
    import_file(case, first, source_name="List A")
    second = write_rows([
        {"record_id": "B1", "name": "Chen Dawen", "sex": "male", "age": "22", "place": "Beijing", "event": "killed",
         "event_date": "1989-06-04"},
    ], name="list_b.csv")
    import_file(case, second, source_name="List B")
    hidden = tmp_path / "hidden.csv"
    hidden.write_text("record_id,name,event\nH1," + HIDDEN_NAME + ",disappeared\n", "utf-8")
    mapping = tmp_path / "hidden.yaml"
    mapping.write_text("source:\n  name: Hidden list\ncolumns:\n  record_id: record_id\n"
                       "  name: {field: name, sensitivity: restricted}\n  event: event\n", "utf-8")
    import_file(case, hidden, mapping_path=mapping)
    a1, b1 = Record.objects.get(record_id="A1"), Record.objects.get(record_id="B1")
    person = Person.objects.create(person_id="P000001")
    Record.objects.filter(pk__in=[a1.pk, b1.pk]).update(person=person)
    run = LinkRun.objects.create(auto_link=0.6, review=0.2, records=4, people=3)
    a2 = Record.objects.get(record_id="A2")
    PairLink.objects.create(run=run, record_a=a1, record_b=a2, match_probability=0.45, match_weight=-0.3,
                            band="review", weights={"name": {"level": 0, "weight": -5.0}})
    refresh_index()
    use(case)
    for role in ROLES:
        add_user(role, role, PASSWORD)
    return {"case": case, "a1": a1, "a2": a2, "b1": b1, "hidden": Record.objects.get(record_id="H1"),
            "person": person}


@pytest.fixture
def login(client):
    """Log the test client in as a role's user."""

    def as_role(role: str):
        response = client.post("/login", {"username": role, "password": PASSWORD}, secure=True)
        assert response.status_code == 302, response.content[:400]
        return client

    return as_role
