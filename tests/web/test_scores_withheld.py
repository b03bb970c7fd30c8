"""A match score resting on a hidden value does not move a record page, nor (for a run whose saved model cannot be
replayed, as here: these runs have no model) a review page or the queue's order.

An outside tester saw a viewer's probabilities change when only a hidden value changed, and
recovered a withheld field's weight on the review page from the probability and the other
weights. Here the score of a pair is changed as linkage would change it when a hidden value
changes: the pages of a reader who may not read that value must not change at all. With a model
that can be replayed, the review page shows the reader's own score: test_scores_per_reader.py.
"""

from __future__ import annotations

import re

import pytest

SECRET_NAME = "诸葛秘名"  # no real person


def _secret_record(case, tmp_path):
    from mingdan.ingest.importer import import_file
    from mingdan.store.models import Record

    path = tmp_path / "secret.csv"
    path.write_text(f"record_id,name,event\nS1,{SECRET_NAME},detained\n", "utf-8")
    mapping = tmp_path / "secret.yaml"
    mapping.write_text("source:\n  name: Secret list\ncolumns:\n  record_id: record_id\n"
                       "  name: {field: name, sensitivity: secret}\n  event: event\n", "utf-8")
    import_file(case, path, mapping_path=mapping)
    return Record.objects.get(record_id="S1")


def _page(client, url: str) -> str:
    response = client.get(url, secure=True)
    assert response.status_code == 200, url
    return re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', "", response.content.decode())


def _rescore(link, probability: float, weight: float) -> None:
    link.match_probability = probability
    link.weights = {"name": {"level": 3, "weight": weight}, "sex": {"level": 1, "weight": 0.5}}
    link.save()


@pytest.mark.django_db
def test_a_score_resting_on_a_hidden_value_is_withheld_and_does_not_move(web_case, login):
    from mingdan.store.models import LinkRun, PairLink

    a1, hidden = web_case["a1"], web_case["hidden"]  # hidden: its name is restricted
    link = PairLink.objects.create(run=LinkRun.objects.get(), record_a=a1, record_b=hidden, match_probability=0.3,
                                   match_weight=-1.2, band="review", weights={})
    client = login("viewer")
    pages = []
    for probability, weight in ((0.31, -4.0), (0.87, 6.5)):
        _rescore(link, probability, weight)
        pages.append(_page(client, f"/records/{a1.pk}"))
    assert pages[0] == pages[1]
    assert "Hidden list:H1" not in pages[0], "a pair scored on a hidden value is left out, band and all"
    # The pair of A1 and A2 compared public values only: its score stays shown.
    assert "0.450" in pages[0]
    # A reader who may read the restricted name sees the score.
    assert "0.870" in _page(login("reviewer"), f"/records/{a1.pk}")
    assert "0.450" in _page(login("reviewer"), f"/records/{a1.pk}")


@pytest.mark.django_db
def test_review_page_withholds_the_probability_that_would_give_a_weight_away(web_case, login, tmp_path):
    from mingdan.store.models import LinkRun, PairLink

    secret, a2 = _secret_record(web_case["case"], tmp_path), web_case["a2"]
    link = PairLink.objects.create(run=LinkRun.objects.get(), record_a=secret, record_b=a2, match_probability=0.5,
                                   match_weight=0.0, band="review", weights={})
    url = f"/review/{secret.pk}/{a2.pk}"
    pages = []
    for probability, weight in ((0.42, -2.0), (0.77, 3.0)):
        _rescore(link, probability, weight)
        pages.append(_page(login("reviewer"), url))
    assert pages[0] == pages[1]
    assert "Match probability withheld" in pages[0]
    assert "0.50" in pages[0], "the sex weight compares public values: still shown"
    admin = _page(login("admin"), url)
    assert "Match probability 0.770" in admin and "3.00" in admin


@pytest.mark.django_db
def test_a_relatives_harassment_withholds_the_score_below_editor(web_case, login, tmp_path):
    """Linkage compares harassed events too; below editor they are hidden as if absent."""
    from mingdan.ingest.importer import import_file
    from mingdan.store.models import LinkRun, PairLink, Record

    path = tmp_path / "family.csv"
    path.write_text("record_id,name,event,event_date\nF1,家属乙,harassed,2019-06-01\n", "utf-8")
    import_file(web_case["case"], path, source_name="Families list")
    relative = Record.objects.get(record_id="F1")
    a2 = web_case["a2"]
    PairLink.objects.create(run=LinkRun.objects.get(), record_a=a2, record_b=relative, match_probability=0.66,
                            match_weight=1.0, band="review", weights={})
    assert "0.660" not in _page(login("reviewer"), f"/records/{a2.pk}")
    assert "0.660" in _page(login("editor"), f"/records/{a2.pk}")


@pytest.mark.django_db
def test_review_queue_order_does_not_follow_hidden_scores(web_case, login, tmp_path):
    from mingdan.store.models import LinkRun, PairLink

    secret = _secret_record(web_case["case"], tmp_path)
    link = PairLink.objects.create(run=LinkRun.objects.get(), record_a=secret, record_b=web_case["b1"],
                                   match_probability=0.5, match_weight=0.0, band="review", weights={})
    pages = []
    for probability in (0.5, 0.21):  # most uncertain of all, then least
        link.match_probability = probability
        link.save()
        pages.append(_page(login("reviewer"), "/review"))
    assert pages[0] == pages[1]
    assert "List A:A1" in pages[0], "the pair the reviewer may read comes first"
    link.match_probability = 0.5
    link.save()
    assert "Secret list:S1" in _page(login("admin"), "/review"), "a reader of every value gets the most uncertain"
