"""Readable reasons for a link, the queue of pairs a human should decide, and their decisions."""

from __future__ import annotations

from django.db.models import Q

from mingdan.names import explain_names
from mingdan.store.crypto import reveal

MEANINGS = {
    "name": {5: "same characters", 4: "same pinyin reading", 3: "same pinyin", 2: "same sound in another romanization",
             1: "close", 0: "different", -1: "missing on one side"},
    "sex": {1: "same", 0: "different", -1: "missing"},
    "age": {2: "within a year", 1: "within 5 years", 0: "further apart", -1: "missing"},
    "place": {5: "same place", 4: "one within the other", 3: "same district", 2: "same city", 1: "different places",
              -1: "missing, or only one known to the gazetteer"},
    # Links stored before places were read by the gazetteer.
    "place_key": {1: "same place", 0: "different place", -1: "missing"},
    "event": {4: "same event, same dates", 3: "same event, dates close", 2: "one history, dates close",
              1: "one history (e.g. detained, then sentenced), dates apart or unknown", 0: "different events",
              -1: "missing"},
    "occupation": {1: "same", 0: "different", -1: "missing"},
}


def with_values(weights: dict, left: dict | None, right: dict | None) -> dict:
    """The stored weights with each field's compared values filled in from the two records' linkage rows."""
    filled = {}
    for field, values in weights.items():
        column = {"event": "event_type", "place": "place_key"}.get(field, field)
        filled[field] = {**values, "left": (left or {}).get(column), "right": (right or {}).get(column)}
    return filled


def _rows(record_pks) -> dict[int, dict]:
    from .frame import record_frame

    return {row["unique_id"]: row for row in record_frame(list(record_pks))}


def record_decision(a: int, b: int, decision: str, who: str, note: str = ""):
    """Store a human decision on a pair; the next `mingdan link` applies it as must-link or cannot-link."""
    from mingdan.store.models import ReviewDecision

    return ReviewDecision.objects.create(record_a_id=min(a, b), record_b_id=max(a, b), decision=decision,
                                         decided_by=who, note=note)


def _label(record) -> str:
    return f"{record.source.name}:{record.record_id}"


def _name(record) -> str:
    legal = record.names.filter(claim__superseded_in__isnull=True).order_by("name_type", "id").first()
    return reveal(legal.text) if legal else ""


def explain_pair(a, b) -> dict:
    """The latest score of the pair with each field's weight, or why it was not scored."""
    from mingdan.store.models import PairLink, ReviewDecision

    link = (PairLink.objects.filter(Q(record_a=a, record_b=b) | Q(record_a=b, record_b=a))
            .order_by("-run_id").first())
    decided = (ReviewDecision.objects.filter(record_a_id=min(a.pk, b.pk), record_b_id=max(a.pk, b.pk))
               .order_by("-decided_at").first())
    names = explain_names(_name(a), _name(b))
    result = {"a": _label(a), "b": _label(b), "names": names, "fields": [],
              "decision": {"decision": decided.decision, "by": decided.decided_by,
                           "at": decided.decided_at.isoformat()} if decided else None}
    if link is None:
        result["summary"] = (f"not linked: the pair was never a candidate, or scored below the review threshold. "
                             f"Names: {names}")
        return result
    result.update({"match_probability": link.match_probability, "match_weight": link.match_weight, "band": link.band,
                   "run": link.run_id})
    rows = _rows([link.record_a_id, link.record_b_id])
    weights = with_values(link.weights, rows.get(link.record_a_id), rows.get(link.record_b_id))
    for field, values in weights.items():
        level = values.get("level")
        result["fields"].append({"field": field, "left": values.get("left"), "right": values.get("right"),
                                 "weight": values.get("weight"),
                                 "meaning": MEANINGS.get(field, {}).get(level, str(level))})
    result["summary"] = (f"match probability {link.match_probability:.3f} (weight {link.match_weight:+.2f} bits, "
                         f"{link.band}); {names}" + (f"; decided {decided.decision} by {decided.decided_by}" if decided else ""))
    return result


def review_queue(limit: int = 20) -> list[dict]:
    """Review-band pairs of the latest run with no decision yet, most uncertain first."""
    from mingdan.store.models import LinkRun, PairLink, ReviewDecision

    run = LinkRun.objects.order_by("-id").first()
    if run is None:
        return []
    decided = set(ReviewDecision.objects.values_list("record_a", "record_b"))
    pending = []
    for link in PairLink.objects.filter(run=run, band="review").select_related("record_a__source", "record_b__source"):
        if (min(link.record_a_id, link.record_b_id), max(link.record_a_id, link.record_b_id)) in decided:
            continue
        pending.append(link)
    pending.sort(key=lambda link: abs(link.match_probability - 0.5))
    pending = pending[:limit]
    rows = _rows({pk for link in pending for pk in (link.record_a_id, link.record_b_id)})
    return [{"record_a": link.record_a_id, "record_b": link.record_b_id, "a": _label(link.record_a),
             "b": _label(link.record_b), "name_a": _name(link.record_a), "name_b": _name(link.record_b),
             "match_probability": link.match_probability,
             "weights": with_values(link.weights, rows.get(link.record_a_id), rows.get(link.record_b_id))}
            for link in pending]
