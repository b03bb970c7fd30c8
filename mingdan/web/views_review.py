"""The review queue: uncertain pairs side by side with each field's weight; same / different / unsure.

Compared values come through the request's lens, like every other value: a reviewer sees the
restricted values it may read and never a secret one; a field with a value withheld on either
side shows no weight either (the weight tells whether the two hidden values agree), and then
the probability is withheld too (it is the sum of the weights: scores.py).
"""

from __future__ import annotations

from django.db.models import Exists, F, OuterRef, Q
from django.db.models.functions import Abs
from django.http import Http404
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from mingdan.linkage.explain import MEANINGS, level_meanings, record_decision
from mingdan.store import audit

from . import present, scores, vocabulary
from .roles import lens, requires

def _pending():
    """The undecided review-band pairs of the latest linkage run, most uncertain first."""
    from mingdan.store.models import LinkRun, PairLink, ReviewDecision

    run = LinkRun.objects.order_by("-id").values_list("pk", flat=True).first()
    if run is None:
        return PairLink.objects.none()
    decided = ReviewDecision.objects.filter(Q(record_a=OuterRef("record_a"), record_b=OuterRef("record_b"))
                                            | Q(record_a=OuterRef("record_b"), record_b=OuterRef("record_a")))
    return (PairLink.objects.filter(run_id=run, band="review").exclude(Exists(decided))
            .order_by(Abs(F("match_probability") - 0.5), "id"))


def _pair_context(request, a: int, b: int) -> dict:
    from mingdan.store.models import PairLink, Record

    records = {r.pk: r for r in Record.objects.select_related("source", "person").filter(pk__in=[a, b])}
    if len(records) != 2 or a == b:
        raise Http404
    reader = lens(request)
    link = (PairLink.objects.filter(Q(record_a_id=a, record_b_id=b) | Q(record_a_id=b, record_b_id=a))
            .order_by("-run_id").first())
    values = present.compared_values([a, b], reader)
    # The levels as the run's own model numbers and labels them: a fixed table went out of step when a
    # level was added (a shared pinyin reading was shown as "same characters").
    meanings = level_meanings(link.run.settings) if link else MEANINGS
    rows = []
    for field, scored in (link.weights if link else {}).items():
        left, right = values[a].get(field), values[b].get(field)
        withheld = scores.field_hidden([a, b], field, reader)
        if field in vocabulary.CODED_FIELDS:  # a code ("male", "killed") in the reader's language; data stays as is
            left, right = (vocabulary.word(v, vocabulary.CODED_FIELDS[field]) if v is not None else None
                           for v in (left, right))
        rows.append({"field": field, "left": left, "right": right, "withheld": withheld,
                     "coded": field in vocabulary.CODED_FIELDS,
                     "weight": None if withheld else scored.get("weight"),
                     "meaning": "" if withheld else meanings.get(field, {}).get(scored.get("level"),
                                                                                 str(scored.get("level")))})
    score_hidden = bool(scores.hidden_inputs([a, b], reader))
    names = present.display_names([a, b], reader)
    return {"a": records[a], "b": records[b], "name_a": names.get(a, ""), "name_b": names.get(b, ""),
            # The probability sums every field's weight: shown beside the others it would give a withheld one away.
            "probability": link.match_probability if link and not score_hidden else None,
            "score_withheld": bool(link) and score_hidden, "rows": rows,
            "fields_a": present.claims_by_field([records[a]], reader),
            "fields_b": present.claims_by_field([records[b]], reader)}


@requires("review")
def queue_view(request):
    """The undecided pairs of the latest run, most uncertain first; the first is shown to decide."""
    pending = list(_pending().values_list("record_a_id", "record_b_id"))
    # Pairs scored on values this reviewer may not read come last, in a fixed order: their place in
    # a queue sorted by uncertainty would tell how their scores compare.
    hidden = scores.hidden_inputs([pk for pair in pending for pk in pair], lens(request))
    readable = [pair for pair in pending if not set(pair) & hidden]
    first = (readable or sorted(pending))[0] if pending else None
    context = {"remaining": len(pending)}
    if first:
        context.update(_pair_context(request, *first))
        audit.record(request.user.username, "review-read", f"pair {first[0]}~{first[1]}", {})
    return render(request, "mingdan/review.html", context)


@requires("review")
def pair_view(request, a: int, b: int):
    """One pair, decided or not."""
    context = _pair_context(request, a, b)
    audit.record(request.user.username, "review-read", f"pair {a}~{b}", {})
    return render(request, "mingdan/review.html", {**context, "remaining": None})


@require_POST
@requires("review")
def decide_view(request, a: int, b: int):
    """Store a decision; the next linkage run turns it into a must-link or cannot-link."""
    from mingdan.store.models import Record, ReviewDecision

    decision = request.POST.get("decision")
    if decision not in ReviewDecision.Decision.values or a == b or Record.objects.filter(pk__in=[a, b]).count() != 2:
        return render(request, "mingdan/error.html", {"status": 400, "message": "unknown pair or decision"}, status=400)
    record_decision(a, b, decision, request.user.username, request.POST.get("note", "")[:2000])
    audit.record(request.user.username, "review-decide", f"pair {min(a, b)}~{max(a, b)}", {"decision": decision})
    return redirect("/review")
