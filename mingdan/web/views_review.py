"""The review queue: uncertain pairs side by side with each field's weight; same / different / unsure."""

from __future__ import annotations

from django.http import Http404
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from mingdan.linkage.explain import MEANINGS, review_queue
from mingdan.store import audit

from . import present
from .roles import readable, requires


def _pair_context(request, a: int, b: int) -> dict:
    from mingdan.store.models import PairLink, Record

    records = {r.pk: r for r in Record.objects.select_related("source", "person").filter(pk__in=[a, b])}
    if len(records) != 2:
        raise Http404
    link = (PairLink.objects.filter(record_a_id__in=[a, b], record_b_id__in=[a, b]).order_by("-run_id").first())
    user_reads = readable(request.user)
    rows = []
    if link is not None:
        for field, values in link.weights.items():
            level = values.get("level")
            left, right = values.get("left"), values.get("right")
            if "restricted" not in user_reads and field == "name":
                left = right = None  # names in the weights are stored revealed; show them only to those who may
            rows.append({"field": field, "left": left, "right": right, "weight": values.get("weight"),
                         "meaning": MEANINGS.get(field, {}).get(level, str(level))})
    names = present.display_names([a, b], user_reads)
    return {"a": records[a], "b": records[b], "name_a": names.get(a, ""), "name_b": names.get(b, ""),
            "link": link, "rows": rows,
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
    ReviewDecision.objects.create(record_a_id=min(a, b), record_b_id=max(a, b), decision=decision,
                                  decided_by=request.user.username, note=request.POST.get("note", "")[:2000])
    audit.record(request.user.username, "review-decide", f"pair {min(a, b)}~{max(a, b)}", {"decision": decision})
    return redirect("/review")
