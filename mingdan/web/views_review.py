"""The review queue: uncertain pairs side by side with each field's weight; same / different / unsure."""

from __future__ import annotations

from django.http import Http404
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from mingdan.linkage.explain import explain_pair, record_decision, review_queue
from mingdan.store import audit

from . import present
from .roles import readable, requires


def _pair_context(request, a: int, b: int) -> dict:
    from mingdan.store.models import Record

    records = {r.pk: r for r in Record.objects.select_related("source", "person").filter(pk__in=[a, b])}
    if len(records) != 2:
        raise Http404
    explained = explain_pair(records[a], records[b])
    user_reads = readable(request.user)
    rows = explained["fields"]
    if "restricted" not in user_reads:
        # The compared values come unsealed from the records; this reader sees the weights only.
        rows = [{**row, "left": None, "right": None} for row in rows]
    names = present.display_names([a, b], user_reads)
    return {"a": records[a], "b": records[b], "name_a": names.get(a, ""), "name_b": names.get(b, ""),
            "probability": explained.get("match_probability"), "rows": rows,
            "fields_a": present.claims_by_field([records[a]], user_reads),
            "fields_b": present.claims_by_field([records[b]], user_reads)}


@requires("review")
def queue_view(request):
    """The undecided pairs of the latest run, most uncertain first; the first is shown to decide."""
    queue = review_queue(limit=200)
    context = {"queue": queue, "remaining": len(queue)}
    if queue:
        context.update(_pair_context(request, queue[0]["record_a"], queue[0]["record_b"]))
        audit.record(request.user.username, "review-read", f"pair {queue[0]['record_a']}~{queue[0]['record_b']}", {})
    return render(request, "mingdan/review.html", context)


@requires("review")
def pair_view(request, a: int, b: int):
    """One pair, decided or not."""
    context = _pair_context(request, a, b)
    audit.record(request.user.username, "review-read", f"pair {a}~{b}", {})
    return render(request, "mingdan/review.html", {**context, "queue": [], "remaining": None})


@require_POST
@requires("review")
def decide_view(request, a: int, b: int):
    """Store a decision; the next linkage run turns it into a must-link or cannot-link."""
    from mingdan.store.models import Record, ReviewDecision

    decision = request.POST.get("decision")
    if decision not in ReviewDecision.Decision.values or Record.objects.filter(pk__in=[a, b]).count() != 2:
        return render(request, "mingdan/error.html", {"status": 400, "message": "unknown pair or decision"}, status=400)
    record_decision(a, b, decision, request.user.username, request.POST.get("note", "")[:2000])
    audit.record(request.user.username, "review-decide", f"pair {min(a, b)}~{max(a, b)}", {"decision": decision})
    return redirect("/review")
