"""The data model keeps provenance per value and refuses to lose it."""

from __future__ import annotations

from datetime import datetime, timezone

import pytest
from django.db import IntegrityError, transaction
from django.db.models.deletion import ProtectedError

from mingdan.store.models import Claim, CountClaim, Document, Record, Source


@pytest.fixture
def document(db):
    source = Source.objects.create(name="S", kind="ngo")
    return Document.objects.create(source=source, version=1, original_name="f.csv", sha256="a" * 64,
                                   stored_as="originals/x.csv", size=1, file_format="csv",
                                   imported_at=datetime.now(timezone.utc))


def test_a_record_id_is_unique_within_its_source(document):
    Record.objects.create(source=document.source, record_id="r1", first_document=document)
    with pytest.raises(IntegrityError), transaction.atomic():
        Record.objects.create(source=document.source, record_id="r1", first_document=document)


def test_claims_cannot_be_deleted_by_deleting_what_they_rest_on(document):
    record = Record.objects.create(source=document.source, record_id="r1", first_document=document)
    Claim.objects.create(record=record, field="age", value="21", normalized="21", document=document, row=2, column="age")
    with pytest.raises(ProtectedError):
        document.source.delete()
    with pytest.raises(ProtectedError):
        record.delete()


def test_a_claim_says_where_it_comes_from(document):
    record = Record.objects.create(source=document.source, record_id="r1", first_document=document)
    claim = Claim.objects.create(record=record, field="age", value="21", document=document, row=7, column="年齡")
    assert claim.locator == "f.csv:7:年齡"
    typed = Claim.objects.create(record=record, field="age", value="22", entered_by="ana",
                                 entered_at=datetime(2026, 1, 2, tzinfo=timezone.utc))
    assert typed.locator.startswith("entered by ana at 2026-01-02")


def test_count_claim_figures_read_as_published(document):
    def figure(**numbers):
        return CountClaim(metric="killed", scope="x", as_of="1989", source=document.source, document=document, row=1, **numbers).figure

    assert figure(best=727) == "727"
    assert figure(minimum=400, maximum=800) == "400–800"
    assert figure(minimum=8) == "at least 8"
    assert figure(maximum=11) == "at most 11"


def test_record_ids_sort_as_people_read_them():
    from mingdan.store.sortkey import natural_key

    ids = ["A-10", "a-2", "A-1", "B1", "10", "9", "A-02", "A-2b", "2024-001", "2024-10", "X", "A-100000000000000"]
    assert sorted(ids, key=lambda i: (natural_key(i), i)) == [
        "9", "10", "2024-001", "2024-10", "A-1", "A-02", "a-2", "A-2b", "A-10", "A-100000000000000", "B1", "X"]


@pytest.mark.django_db
def test_records_keep_their_natural_key(document):
    from mingdan.store.models import Record

    for record_id in ("r10", "r2", "r1"):
        Record.objects.create(source=document.source, record_id=record_id, first_document=document)
    assert list(Record.objects.order_by("sort_key").values_list("record_id", flat=True)) == ["r1", "r2", "r10"]
