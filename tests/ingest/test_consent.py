"""Consent to publish a name, and risk notes, come in through the import and stay restricted."""

from __future__ import annotations

import pytest

from mingdan.ingest.importer import import_file
from mingdan.ingest.problems import ImportFailed

# Each test runs with the rows validated in this process and by the import worker process.
pytestmark = pytest.mark.usefixtures("import_path")

HEADER = ["record_id", "name", "event", "event_date", "consent_publish_name", "risk"]


def test_consent_and_risk_are_restricted_claims_and_consents_are_recorded(case, write_rows):
    from mingdan.store.models import Claim, Consent

    path = write_rows([
        {"record_id": "F1", "name": "陈大文", "event": "killed", "event_date": "1989-06-04", "consent_publish_name": "同意"},
        {"record_id": "F2", "name": "王伟", "event": "killed", "event_date": "1989-06-04", "consent_publish_name": "withdrawn",
         "risk": "family under surveillance"},
        {"record_id": "F3", "name": "李强", "event": "detained", "event_date": "1989-06-10"},
    ], header=HEADER)
    import_file(case, path, source_name="Families")
    consents = {c.record.record_id: c.status for c in Consent.objects.select_related("record")}
    assert consents == {"F1": "granted", "F2": "withdrawn"}
    assert all(c.purpose == "publish_name" and "list.csv" in c.given_by for c in Consent.objects.all())
    sensitive = Claim.objects.filter(field__in=("consent_publish_name", "risk"))
    assert sensitive.count() == 3 and set(sensitive.values_list("sensitivity", flat=True)) == {"restricted"}


def test_an_unreadable_consent_names_row_and_column_and_imports_nothing(case, write_rows, snapshot):
    before = snapshot()
    path = write_rows([{"record_id": "F1", "name": "陈大文", "event": "killed", "consent_publish_name": "maybe"}],
                      header=HEADER)
    with pytest.raises(ImportFailed) as failure:
        import_file(case, path)
    problem = failure.value.problems[0]
    assert (problem.row, problem.column) == (2, "consent_publish_name")
    assert "granted, refused, withdrawn" in problem.reason
    assert snapshot() == before


def test_two_rows_of_one_record_cannot_disagree_on_consent(case, write_rows):
    path = write_rows([
        {"record_id": "F1", "name": "陈大文", "event": "detained", "consent_publish_name": "granted"},
        {"record_id": "F1", "event": "released", "consent_publish_name": "refused"},
    ], header=HEADER)
    with pytest.raises(ImportFailed) as failure:
        import_file(case, path)
    assert failure.value.problems[0].column == "consent_publish_name"


@pytest.mark.parametrize("written, status", [("agreed, later refused", "refused"), ("同意后拒绝", "refused"),
                                             ("refused, then agreed", "refused"), ("同意，后来撤回", "withdrawn")])
def test_a_value_stating_a_grant_and_a_refusal_is_a_refusal(case, write_rows, written, status):
    from mingdan.store.models import Consent

    path = write_rows([{"record_id": "F1", "name": "陈大文", "event": "killed", "consent_publish_name": written}],
                      header=HEADER)
    import_file(case, path, source_name="Families")
    assert list(Consent.objects.values_list("status", flat=True)) == [status]


def test_a_new_version_that_drops_a_grant_makes_consent_unknown_with_a_warning(case, write_rows):
    from mingdan.publish.disclosure import consent_by_record, nameable_people
    from mingdan.store.models import Record

    first = write_rows([
        {"record_id": "F1", "name": "陈大文", "event": "killed", "consent_publish_name": "同意"},
        {"record_id": "F2", "name": "王伟", "event": "killed", "consent_publish_name": "同意"},
    ], name="v1.csv", header=HEADER)
    import_file(case, first, source_name="Families")
    assert set(nameable_people()[0]) == {"Families:F1", "Families:F2"}
    second = write_rows([
        {"record_id": "F1", "name": "陈大文", "event": "killed"},
        {"record_id": "F2", "name": "王伟", "event": "killed", "consent_publish_name": "同意"},
    ], name="v2.csv", header=HEADER)
    result = import_file(case, second, source_name="Families")
    status = {Record.objects.get(pk=pk).record_id: value for pk, value in consent_by_record().items()}
    assert status == {"F1": "unknown", "F2": "granted"}
    assert any("1 record granted consent" in warning and "F1" in warning and "now unknown" in warning
               for warning in result.warnings)
    assert set(nameable_people()[0]) == {"Families:F2"}
