"""A record typed twice with the same values under two source names is two reports: both are stored, each with an
original saying who entered it, when and for which source (the second answered 500: its identical typed file was
"already imported" under the first source)."""

from __future__ import annotations

import pytest


@pytest.mark.django_db
def test_the_same_typed_record_under_two_sources_is_stored_twice(client, web_case, login):
    from mingdan.ingest.importer import case_keyring
    from mingdan.store.models import Record

    login("editor")
    typed = {"record_id": "NR-1", "name": "郑十一", "sex": "male", "event": "killed", "event_date": "1989-06-04"}
    for source in ("Typed A", "Typed B"):
        response = client.post("/records/new", {**typed, "source": source}, secure=True)
        assert response.status_code == 302, response.content[:500]
    records = list(Record.objects.filter(record_id="NR-1").select_related("source").order_by("source__name"))
    assert [r.source.name for r in records] == ["Typed A", "Typed B"]
    documents = [r.claims.get(field="name").document for r in records]
    assert documents[0].sha256 != documents[1].sha256
    keyring = case_keyring(web_case["case"])
    original = keyring.reveal_bytes((web_case["case"].root / documents[1].stored_as).read_bytes()).decode()
    assert original.splitlines()[0].startswith("Entered in mingdan by editor at ")
    assert "for the source Typed B" in original.splitlines()[0]
    assert records[1].claims.get(field="name").row == 3  # the title row, the header, then the record
    again = client.post("/records/new", {**typed, "source": "Typed B"}, secure=True)
    assert again.status_code == 200 and "already has a record with that identifier" in again.content.decode()
