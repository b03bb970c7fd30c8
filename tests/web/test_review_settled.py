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
