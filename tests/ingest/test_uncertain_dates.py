"""Uncertain ('?': 可能, 据说, reportedly) is kept apart from approximate ('~': 约, about), as EDTF does,
in the date, in the claim's kind, and in the words the web shows for it."""

from __future__ import annotations

import pytest

from mingdan.dates import parse_date


@pytest.mark.parametrize("written, edtf, uncertain, approximate", [
    ("可能1989年6月4日", "1989-06-04?", True, False),
    ("据说1989年6月", "1989-06?", True, False),
    ("據說1989年6月4日", "1989-06-04?", True, False),
    ("reportedly 4 June 1989", "1989-06-04?", True, False),
    ("possibly June 1989", "1989-06?", True, False),
    ("1989-06-04?", "1989-06-04?", True, False),
    ("约1989年6月", "1989-06~", False, True),
    ("about June 1989", "1989-06~", False, True),
    ("circa 1990", "1990~", False, True),
    ("1990~", "1990~", False, True),
    ("约1989年6月?", "1989-06%", True, True),
    ("1989-06-04%", "1989-06-04%", True, True),
])
def test_uncertain_and_approximate_are_told_apart(written, edtf, uncertain, approximate):
    parsed = parse_date(written)
    assert (parsed.text, parsed.uncertain, parsed.approximate) == (edtf, uncertain, approximate)


@pytest.mark.usefixtures("import_path")
def test_the_claim_kind_is_uncertain_or_approximate(case, write_rows):
    from mingdan.ingest.importer import import_file
    from mingdan.store.models import Claim

    path = write_rows([
        {"record_id": "U1", "name": "陈大文", "event": "killed", "event_date": "据说1989年6月4日"},
        {"record_id": "U2", "name": "王伟", "event": "killed", "event_date": "约1989年6月"},
        {"record_id": "U3", "name": "李强", "event": "killed", "event_date": "reportedly 4 June 1989"},
        {"record_id": "U4", "name": "张三", "event": "killed", "event_date": "1989-06-04%"},
    ])
    import_file(case, path)
    kinds = dict(Claim.objects.filter(field="event_date").values_list("record__record_id", "kind"))
    assert kinds == {"U1": "uncertain", "U2": "approximate", "U3": "uncertain", "U4": "uncertain"}


@pytest.mark.parametrize("language, uncertain, approximate", [
    ("en", "uncertain", "approximate"), ("zh-hans", "存疑", "约数"), ("zh-hant", "存疑", "約數")])
def test_the_web_names_the_uncertain_kind_in_the_readers_language(language, uncertain, approximate):
    from django.utils import translation

    from mingdan.web.vocabulary import word

    with translation.override(language):
        assert (word("uncertain", "kind"), word("approximate", "kind")) == (uncertain, approximate)


@pytest.mark.parametrize("language, expected", [
    ("en", "released on 2010-05-01 ("), ("zh-hans", "2010-05-01的获释"), ("zh-hant", "2010-05-01的獲釋")])
def test_the_release_before_reduction_flag_reads_in_the_readers_language(language, expected):
    from django.utils import translation

    from mingdan.web.vocabulary import flag

    detail = {"code": "release_before_reduction", "release": "released", "release_date": "2010-05-01",
              "release_source": "Families list.csv:4", "reduction": "P1Y", "reduction_date": "2012-06-12",
              "reduction_source": "Court court.csv:6"}
    with translation.override(language):
        text = str(flag(detail))
    assert expected in text and "2012-06-12" in text and "P1Y" in text
    assert '<span translate="no">Families list.csv:4</span>' in text
