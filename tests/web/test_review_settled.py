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
