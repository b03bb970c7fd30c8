"""The review queue: uncertain pairs side by side with each field's weight; same / different / unsure.

Compared values come through the request's lens, like every other value: a reviewer sees the
restricted values it may read and never a secret one. A pair whose linkage inputs hold a value the
reviewer may not read is shown scored again from the reviewer's values alone (scores.run_scores),
the hidden values exactly as if they were not recorded: its probability, weights and place in the
queue are those of a pair whose records never held them, so nothing on the page tells that a
value is hidden. (For a run whose model cannot be replayed, such a score is withheld, as before.)
"""

from __future__ import annotations

from django.db.models import Exists, F, OuterRef, Q
from django.db.models.functions import Abs
from django.http import Http404
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from mingdan.linkage.explain import (FREQUENCY_MEANING, MEANINGS, PRIOR_MEANING, level_meanings, prior_weight,
                                     record_decision)
from mingdan.linkage.decisions import settled
from mingdan.linkage.reader_scores import hidden_records
from mingdan.store import audit

from mingdan.store.lens import Lens

from . import present, scores, vocabulary
from .kept import kept
from .roles import lens, requires

def _pending() -> list[tuple[int, int, float, int, int]]:
    """(record a, record b, score, id, run) of the review-band pairs standing now (decisions.review_links: the latest
    full run's and the incremental runs' after it) that no decision answers (decided, or settled by a chain of
    decisions: decisions.settled), most uncertain first (by the runs' scores)."""
    from mingdan.linkage.decisions import review_links
    from mingdan.store.models import ReviewDecision

    decided = ReviewDecision.objects.filter(Q(record_a=OuterRef("record_a"), record_b=OuterRef("record_b"))
                                            | Q(record_a=OuterRef("record_b"), record_b=OuterRef("record_a")))
    pending = list(review_links().exclude(Exists(decided))
                   .order_by(Abs(F("match_probability") - 0.5), "id")
                   .values_list("record_a_id", "record_b_id", "match_probability", "id", "run_id"))
    answered = settled((a, b) for a, b, *_ in pending)
    return [row for row in pending if (min(row[0], row[1]), max(row[0], row[1])) not in answered]


def _first_for(reader) -> tuple[int, int] | None:
    """The pending pair this reader should decide first: the most uncertain by the scores it is shown."""
    from mingdan.store.models import LinkRun

    pending = _pending()
    if not pending:
        return None
    from mingdan.store.models import Record

    # Pairs between two people first: one the clustering already joined through other records changes no count
    # unless the answer is "different" (explain.review_queue orders the CLI's queue so too).
    person = dict(Record.objects.filter(pk__in={pk for a, b, *_ in pending for pk in (a, b)})
                  .values_list("pk", "person_id"))

    def joined(a: int, b: int) -> bool:
        return person.get(a) is not None and person.get(a) == person.get(b)

    # Each pair as the reader sees it from the run that scored it (an incremental run's pairs, and the full run's
    # before it, keep their reader scores with their own run).
    shown: dict | None = {}
    for run in LinkRun.objects.filter(pk__in={row[4] for row in pending}):
        found = scores.run_scores(run, [(a, b) for a, b, _, _, at in pending if at == run.pk], reader)
        if found is None:
            shown = None
            break
        shown.update(found)
    if shown is None:
        # A model that cannot be replayed: pairs scored on values this reader may not read come last, in a
        # fixed order (their place in a queue sorted by uncertainty would tell how their scores compare).
        hidden = hidden_records(reader, [pk for a, b, *_ in pending for pk in (a, b)])

        def rank(i: int, a: int, b: int) -> tuple:
            secret = bool({a, b} & hidden)  # readable pairs in the stored scores' order, the others by their ids
            return (joined(a, b), secret, (a, b) if secret else (i, 0))

        return min((rank(i, a, b), (a, b)) for i, (a, b, *_) in enumerate(pending))[1]

    def uncertainty(row) -> tuple:
        a, b, stored, pk, _ = row
        found = shown.get((min(a, b), max(a, b)))
        return (joined(a, b), abs((found.probability if found else stored) - 0.5), pk)

    a, b, *_ = min(pending, key=uncertainty)
    return a, b


def _links(a: int, b: int):
    """Every run's scored link between the two records, whichever way round a run stored them."""
    from mingdan.store.models import PairLink

    return PairLink.objects.filter(Q(record_a_id=a, record_b_id=b) | Q(record_a_id=b, record_b_id=a))


def _pair_context(request, a: int, b: int) -> dict:
    from mingdan.store.models import Record

    records = {r.pk: r for r in Record.objects.select_related("source", "person").filter(pk__in=[a, b])}
    if len(records) != 2 or a == b:
        raise Http404
    reader = lens(request)
    link = _links(a, b).select_related("run").order_by("-run_id").first()
    values = present.compared_values([a, b], reader)
    # The levels as the run's own model numbers and labels them: a fixed table went out of step when a
    # level was added (a shared pinyin reading was shown as "same characters").
    meanings = level_meanings(link.run.settings) if link else MEANINGS
    probability, weights, score_hidden = (link.match_probability, link.weights, False) if link else (None, {}, False)
    weight = link.match_weight if link else None
    again = scores.run_scores(link.run, [(a, b)], reader) if link else {}
    if again is None:  # the run's model cannot be replayed: a score resting on a hidden value is withheld
        score_hidden = bool(hidden_records(reader, [a, b]))
        probability = None if score_hidden else probability
    elif (min(a, b), max(a, b)) in again:  # absent: the run's own score is this reader's
        found = again[(min(a, b), max(a, b))]
        probability, weights, weight = found.probability, found.fields, found.weight
    rows = []
    for field, scored in weights.items():
        left, right = values[a].get(field), values[b].get(field)
        withheld = score_hidden and scores.field_hidden([a, b], field, reader)
        if field in vocabulary.CODED_FIELDS:  # a code ("male", "killed") in the reader's language; data stays as is
            left, right = (vocabulary.word(v, vocabulary.CODED_FIELDS[field]) if v is not None else None
                           for v in (left, right))
        rows.append({"field": field, "left": left, "right": right, "withheld": withheld,
                     "coded": field in vocabulary.CODED_FIELDS,
                     "weight": None if withheld else scored.get("weight"),
                     "meaning": "" if withheld else meanings.get(field, {}).get(scored.get("level"),
                                                                                 str(scored.get("level")))})
        if scored.get("term_frequency_adjustment") and not withheld:
            rows.append({"field": f"{field} frequency", "left": None, "right": None, "withheld": False, "coded": False,
                         "weight": scored["term_frequency_adjustment"], "meaning": FREQUENCY_MEANING})
    if weight is not None and probability is not None and not score_hidden:  # the rows add up to the shown weight
        rows.append({"field": "prior", "left": None, "right": None, "withheld": False, "coded": False,
                     "weight": prior_weight(weights, weight), "meaning": PRIOR_MEANING})
    alone = (weights.get("one_to_one") or {}).get("probability_alone") if not score_hidden else None
    names = present.display_names([a, b], reader)
    return {"a": records[a], "b": records[b], "name_a": names.get(a, ""), "name_b": names.get(b, ""),
            "death_before": _death_before(records[a], records[b], link, reader),
            "sexes_held": _sexes_held(values[a].get("sex"), values[b].get("sex"), link, reader, [a, b]),
            "probability": probability, "score_withheld": score_hidden, "rows": rows, "alone": alone,
            "one_person_now": records[a].person_id is not None and records[a].person_id == records[b].person_id,
            "fields_a": present.claims_by_field([records[a]], reader),
            "fields_b": present.claims_by_field([records[b]], reader)}


def _death_before(a, b, link, reader) -> dict | None:
    """One record's death and the other's life days after it (what keeps them apart or holds them for a reviewer,
    docs/linkage.md), for a reader who may read every value of both records; else None."""
    from mingdan.linkage.explain import death_before_life

    if hidden_records(reader, [a.pk, b.pk]):
        return None  # the dates, or the events themselves, may be what this reader may not read
    from mingdan.linkage.frame import place_reader

    # The place reader samples the case's places (half a review page's time at 100,000 records): kept until a change.
    found = death_before_life(a, b, kept("place-reader", Lens.everything(), place_reader))
    if found is None:
        return None
    from django.utils.html import format_html

    dead, living, died, alive = found
    # Record labels are data, never translated (their list's name may be in any language).
    label = "<span translate=\"no\">{}:{}</span>"
    return {"dead": format_html(label, dead.source.name, dead.record_id),
            "living": format_html(label, living.source.name, living.record_id),
            "died": died.isoformat(), "alive": alive.isoformat(),
            "days": (alive - died).days,
            "held": bool(link and link.band == "review" and link.match_probability >= link.run.auto_link)}


def _sexes_held(first: str | None, second: str | None, link, reader, pks: list[int]) -> bool:
    """Whether the pair, scored at auto-link, waits for a reviewer because the records give different sexes
    (contradictions.other_sex), said to a reader who may read every value of both records."""
    if not (link and link.band == "review" and link.match_probability >= link.run.auto_link):
        return False
    if hidden_records(reader, pks):
        return False  # the sex may be what this reader may not read
    return first is not None and second is not None and first != second


@requires("review")
def queue_view(request):
    """The undecided pairs of the latest run, most uncertain first; the first is shown to decide."""
    reader = lens(request)
    # Both read every pending pair: kept until the case changes (a decision or a run changes its fingerprint), per
    # reader view, since the order follows the scores that view is shown.
    first = kept("review-first", reader, lambda: _first_for(reader))
    context = {"remaining": kept("review-remaining", Lens.everything(), lambda: len(_pending()))}
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
    note = request.POST.get("note", "")[:2000]
    if decision == "same" and request.POST.get("confirm") != "1":
        conflicts = _conflicts(request, a, b)
        if conflicts:
            # As `mingdan review decide` does: what speaks against "same" is shown, and recorded only when confirmed.
            return render(request, "mingdan/review.html", {**_pair_context(request, a, b), "remaining": None,
                                                           "conflicts": conflicts, "note": note})
    with audit.recording(request.user.username, "review-decide", f"pair {min(a, b)}~{max(a, b)}",
                         {"decision": decision}):  # nothing is decided that its entry could not follow
        record_decision(a, b, decision, request.user.username, note)
    return redirect("/review")


def _conflicts(request, a: int, b: int) -> list[str]:
    """What speaks against calling the pair one person, from the values this reviewer may read only."""
    from django.utils.translation import gettext as _

    from mingdan.linkage.explain import same_list_records
    from mingdan.names import Level, compare_names
    from mingdan.names.placeholders import is_placeholder
    from mingdan.store.models import Record

    reader = lens(request)
    records = {r.pk: r for r in Record.objects.select_related("source").filter(pk__in=[a, b])}
    names = present.display_names([a, b], reader)
    values = present.compared_values([a, b], reader)
    found = []
    if not _links(a, b).exists():
        # Posted for a pair no run offered (an outside tester, rt44, joined a record it could read nothing of).
        found.append(_("no linkage run compared these two records"))
    # A name withheld from this reviewer is as good as none to them: nothing they can read speaks for one person.
    found += [_("%(record)s has no known name: nothing in the names speaks for one person")
              % {"record": f"{records[pk].source.name}:{records[pk].record_id}"}
              for pk in (a, b) if not names.get(pk) or is_placeholder(names[pk])]
    if names.get(a) and names.get(b) and not any(map(is_placeholder, (names[a], names[b]))) and compare_names(names[a], names[b]) == Level.DIFFERENT:
        found.append(_("their names do not read alike in any script or romanization"))
    sexes = [values[pk].get("sex") for pk in (a, b)]
    if all(sexes) and sexes[0] != sexes[1]:
        found.append(_("one is recorded %(one)s, the other %(other)s") % {
            "one": vocabulary.word(sexes[0], vocabulary.CODED_FIELDS["sex"]),
            "other": vocabulary.word(sexes[1], vocabulary.CODED_FIELDS["sex"])})
    for record, other, source, twins in same_list_records(records[a], records[b]):
        found.append(_("%(other)s is already one person with %(records)s of the same list as %(record)s, and a list "
                       "names a person once") % {"other": other, "records": ", ".join(twins), "record": record}
                     if twins else _("both are in %(source)s, and a list names a person once") % {"source": source})
    return found
