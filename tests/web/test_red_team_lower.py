"""Lower findings of the outside red team: an unknown field is refused rather than taken for the name; blank
passwords and the user name reversed or in digits are refused; search filters are sealed in the audit; a NUL byte
is a file:row:column refusal; a pair is scored once per run."""

from __future__ import annotations

import pytest
from django.db import IntegrityError, transaction

from .conftest import PASSWORD


@pytest.mark.django_db
def test_amending_an_unknown_field_is_refused_and_amends_nothing(client, web_case, login):
    from mingdan.store.models import Claim

    login("editor")
    a1 = web_case["a1"]
    before = list(Claim.objects.filter(record=a1).values_list("id", flat=True))
    for field in ("nmae", "record_id", "risk_level"):
        response = client.post(f"/records/{a1.pk}/edit", {"field": field, "value": "李小龙"}, secure=True)
        assert response.status_code == 400, field
        assert "cannot be amended" in response.content.decode()
    assert list(Claim.objects.filter(record=a1).values_list("id", flat=True)) == before
    assert client.get(f"/records/{a1.pk}/edit", {"field": "nmae"}, secure=True).status_code == 400


@pytest.mark.django_db
@pytest.mark.parametrize(("name", "password", "reason"), [
    ("carol", " " * 12, "only spaces"), ("carol", "\t \u3000 " * 4, "only spaces"),
    ("walter", "retlaw-horse-battery", "too close"), ("carol", "c4r0l-horse-battery", "too close"),
    ("dana7", "battery-dana-staple", "too close"), ("lindqvist", "tsivqdnil-2024!", "too close")])
def test_blank_passwords_and_the_name_in_disguise_are_refused(web_case, name, password, reason):
    from mingdan.web.accounts import AccountError, add_user

    with pytest.raises(AccountError, match=reason):
        add_user(name, "viewer", password)


@pytest.mark.django_db
def test_search_filters_are_sealed_in_the_audit_log(client, web_case, login):
    from mingdan.store.crypto import reveal
    from mingdan.store.models import AuditEntry

    login("admin")
    filters = {"place": "Haidian-QZ7", "event": "disappeared", "source": "Hidden list", "from": "1989-06-01",
               "to": "1989-06-30", "status": "held"}
    for url in ("/records", "/api/records", "/export/records.csv"):
        client.get(url, filters, secure=True)
    entries = list(AuditEntry.objects.filter(action__in=["search", "search-json", "export"]))
    assert len(entries) == 3
    for entry in entries:
        text = str(entry.detail)
        assert not any(value in text for value in filters.values()), entry.action
        assert entry.detail["filters"].startswith("enc1:")
        assert "Hidden list" in reveal(entry.detail["filters"])


def test_a_nul_byte_in_a_cell_is_refused_with_file_row_and_column(case, tmp_path):
    from mingdan.ingest.importer import import_file
    from mingdan.ingest.problems import ImportFailed
    from mingdan.store.models import Record

    for header, row, column in (("record_id,name,event", "S1,王\x00小明,killed", "name"),
                                ("record_id,name,event", "S\x001,王小明,killed", "record_id")):
        path = tmp_path / f"nul-{column}.csv"
        path.write_text(f"{header}\n{row}\n", "utf-8")
        with pytest.raises(ImportFailed) as refused:
            import_file(case, path, source_name="NUL list")
        assert [str(p) for p in refused.value.problems] == [
            f"{path}:2:{column}: the cell holds a NUL character (\\x00), which no value may contain; "
            "remove it and import again"]
    assert not Record.objects.exists()


@pytest.mark.django_db
def test_a_nul_byte_typed_into_an_amendment_is_refused(client, web_case, login):
    from mingdan.store.models import Claim

    login("editor")
    a1 = web_case["a1"]
    before = Claim.objects.filter(record=a1).count()
    response = client.post(f"/records/{a1.pk}/edit", {"field": "occupation", "value": "wor\x00ker"}, secure=True)
    assert response.status_code == 200 and "NUL character" in response.content.decode()
    assert Claim.objects.filter(record=a1).count() == before


@pytest.mark.django_db
def test_a_pair_is_scored_once_per_run_either_way_round(web_case):
    from mingdan.store.models import LinkRun, PairLink

    a1, a2, b1 = web_case["a1"], web_case["a2"], web_case["b1"]
    run = PairLink.objects.get(record_a=a1, record_b=a2).run
    for first, second in ((a1, a2), (a2, a1)):
        with pytest.raises(IntegrityError), transaction.atomic():
            PairLink.objects.create(run=run, record_a=first, record_b=second, match_probability=0.9, match_weight=3,
                                    band="auto")
    PairLink.objects.create(run=run, record_a=a1, record_b=b1, match_probability=0.9, match_weight=3, band="auto")
    other = LinkRun.objects.create(auto_link=0.6, review=0.2, records=4, people=3)
    PairLink.objects.create(run=other, record_a=a1, record_b=a2, match_probability=0.5, match_weight=0, band="review")
    assert PairLink.objects.filter(record_a=a1, record_b=a2).count() == 2  # one per run
