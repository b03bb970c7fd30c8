"""The review page never offers a pair that the reviewers' decisions already answer (a chain of 'same' decisions joins
its records, or a 'different' decision keeps their chains apart), and does not count it as waiting."""

from __future__ import annotations


def test_a_pair_answered_by_a_chain_of_decisions_is_not_offered(web_case, login):
    from mingdan.linkage.explain import record_decision

    a1, a2, b1 = web_case["a1"], web_case["a2"], web_case["b1"]
    reviewer = login("reviewer")
    page = reviewer.get("/review", secure=True).content.decode()
    assert f'action="/review/{min(a1.pk, a2.pk)}/{max(a1.pk, a2.pk)}/decide"' in page and "1 pair waits" in page
    record_decision(a1.pk, b1.pk, "same", "reviewer")
    record_decision(b1.pk, a2.pk, "different", "reviewer")
    page = reviewer.get("/review", secure=True).content.decode()
    assert "/decide" not in page and "0 pairs wait" in page, page
    # Taking back the 'different' (the latest decision counts) offers the pair again.
    record_decision(b1.pk, a2.pk, "unsure", "reviewer")
    page = reviewer.get("/review", secure=True).content.decode()
    assert f'action="/review/{min(a1.pk, a2.pk)}/{max(a1.pk, a2.pk)}/decide"' in page and "1 pair waits" in page


def test_pairs_between_two_people_come_first_and_a_joined_pair_says_so(web_case, login):
    # A1 and B1 are one person (through other records, as the clustering may join them); their pair waits in the
    # review band at 0.500, more uncertain than A1 ~ A2 at 0.45, yet its answer changes no count unless "different".
    from mingdan.store.models import LinkRun, PairLink

    a1, a2, b1 = web_case["a1"], web_case["a2"], web_case["b1"]
    PairLink.objects.create(run=LinkRun.objects.get(), record_a=a1, record_b=b1, match_probability=0.5,
                            match_weight=0.0, band="review", weights={"name": {"level": 4, "weight": 3.0}})
    reviewer = login("reviewer")
    page = reviewer.get("/review", secure=True).content.decode()
    assert f'action="/review/{min(a1.pk, a2.pk)}/{max(a1.pk, a2.pk)}/decide"' in page and "2 pairs wait" in page
    assert 'id="one-person-now"' not in page
    page = reviewer.get(f"/review/{a1.pk}/{b1.pk}", secure=True).content.decode()
    assert 'id="one-person-now"' in page and "one person now" in page


def test_a_death_before_a_detention_is_said_on_the_review_page_and_a_pair_kept_apart_is_not_called_linked(
        web_case, login, write_rows):
    # A held pair showed 0.944 and "to review" with no reason, and a pair the clustering kept apart "linked" (an
    # outside tester); the reason and the dates are shown to a reader who may read both records whole.
    from mingdan.ingest.importer import import_file
    from mingdan.store.models import LinkRun, PairLink, Record

    import_file(web_case["case"], write_rows([{"record_id": "C1", "name": "陳大文", "event": "detained",
                                               "event_date": "1989-06-06"}], name="custody.csv"), source_name="Custody")
    a1, c1 = web_case["a1"], Record.objects.get(record_id="C1")
    run = LinkRun.objects.get()
    PairLink.objects.create(run=run, record_a=a1, record_b=c1, match_probability=0.9, match_weight=3.2, band="review",
                            weights={"name": {"level": 4, "weight": 9.0}})
    admin = login("admin")
    page = admin.get(f"/review/{a1.pk}/{c1.pk}", secure=True).content.decode()
    assert 'id="death-before"' in page and "Held for a reviewer" in page
    assert "death by 1989-06-04" in page and "alive on 1989-06-06, 2 days after it" in page, page
    PairLink.objects.filter(record_a=a1, record_b=c1).update(band="auto")
    page = admin.get(f"/records/{a1.pk}", secure=True).content.decode()
    assert "scored to link, kept apart" in page
    page = admin.get(f"/review/{a1.pk}/{c1.pk}", secure=True).content.decode()
    assert "Held for a reviewer" not in page and "2 days after it" in page


def test_two_sexes_held_for_a_reviewer_are_said_on_the_review_page(web_case, login, write_rows):
    # rt46: a pair scored at auto-link whose records give different sexes waits for a reviewer; the page says why.
    from mingdan.ingest.importer import import_file
    from mingdan.store.models import LinkRun, PairLink, Record

    import_file(web_case["case"], write_rows([{"record_id": "F1", "name": "陳大文", "sex": "female", "event": "killed",
                                               "event_date": "1989-06-04"}], name="family.csv"), source_name="Family")
    a1, f1 = web_case["a1"], Record.objects.get(record_id="F1")
    run = LinkRun.objects.get()
    PairLink.objects.create(run=run, record_a=a1, record_b=f1, match_probability=0.93, match_weight=3.7, band="review",
                            weights={"name": {"level": 4, "weight": 9.0}, "sex": {"level": 0, "weight": -3.1}})
    admin = login("admin")
    page = admin.get(f"/review/{a1.pk}/{f1.pk}", secure=True).content.decode()
    assert 'id="sexes-held"' in page and "Held for a reviewer" in page and "different sexes" in page, page
    PairLink.objects.filter(record_a=a1, record_b=f1).update(match_probability=0.4)  # a review pair by its score
    page = admin.get(f"/review/{a1.pk}/{f1.pk}", secure=True).content.decode()
    assert 'id="sexes-held"' not in page
