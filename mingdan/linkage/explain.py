"""Readable reasons for a link, the queue of pairs a human should decide, and their decisions."""

from __future__ import annotations

from django.db.models import Q

from mingdan.names import explain_names
from mingdan.store.crypto import reveal

MEANINGS = {
    "name": {5: "same characters", 4: "same pinyin reading", 3: "same pinyin", 2: "same sound in another romanization",
             1: "close", 0: "different", -1: "missing on one side or both"},
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
    "sentence": {1: "same sentence", 0: "different sentences", -1: "missing"},
    "list": {1: "one list names both", 0: "two lists", -1: "missing"},
    # Not a field: the score weighed against both records' other candidates in the two lists (one_to_one.py).
    "one_to_one": {None: "weighed against the other candidates of the two lists (a list names a person once)"},
}


#: Rows of an explanation that are not a compared field, by what they are called where shown.
FIELD_LABELS = {"one_to_one": "other candidates"}
#: What the rows beside the compared fields mean (so that the rows add up to the pair's weight).
FREQUENCY_MEANING = "how many records share it"
PRIOR_MEANING = "two records at random being one person"


def prior_weight(weights: dict, total: float) -> float:
    """The prior's weight in bits: the pair's total weight less every row's (fields, name frequency, rivals)."""
    counted = sum((values.get("weight") or 0.0) + (values.get("term_frequency_adjustment") or 0.0)
                  for values in weights.values())
    return round(total - counted, 3)


def level_meanings(model: dict | None) -> dict[str, dict[int, str]]:
    """Each comparison's levels as the run's model labels them (MEANINGS for models without labels)."""
    from .levels import numbered

    found = {name: dict(values) for name, values in MEANINGS.items()}
    for comparison in (model or {}).get("comparisons", []):
        labels = found.setdefault(comparison["output_column_name"], {})
        for value, level in numbered(comparison):
            label = level.get("label_for_charts")
            if value == -1:
                labels[value] = "missing on one side or both" if comparison["output_column_name"] != "place" else \
                    "missing, or only one known to the gazetteer"
            elif label:
                labels[value] = "different" if label == "All other comparisons" else \
                    label.replace("Exact match on ", "same ")
    return found


def with_values(weights: dict, left: dict | None, right: dict | None) -> dict:
    """The stored weights with each field's compared values filled in from the two records' linkage rows."""
    filled = {}
    for field, values in weights.items():
        column = {"event": "event_type", "place": "place_key"}.get(field, field)
        filled[field] = {**values, "left": (left or {}).get(column), "right": (right or {}).get(column)}
    return filled


def _rows(record_pks, places=None) -> dict[int, dict]:
    from .frame import record_frame

    rows = {row["unique_id"]: row for row in record_frame(list(record_pks), places)}
    for row in rows.values():
        row["place_key"] = place_text(row.get("place_key"))
    return rows


def place_text(key: str | None, language: str | None = None, unknown: str = "{reading} (not in the gazetteer)") -> str | None:
    """A place key as a reader sees it: the gazetteer's name (in `language`, else English / Chinese), or the
    reading of a place it does not know, put in `unknown`."""
    if not key:
        return None
    if key.startswith("~"):
        return unknown.format(reading=key[1:])
    from mingdan.places import load_gazetteer
    from mingdan.store.case import opened_places_file

    entry = load_gazetteer(*filter(None, [opened_places_file()])).get(key)
    if entry is None:
        return key
    return entry.display(language) if language else f"{entry.display('en')} / {entry.display('zh')}"


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


def _with_model_level(names: str, meaning: str | None) -> str:
    """The names' line headed by the model's level for the pair (the table's word), not the names module's own
    grading: a reviewer read "same pinyin" above a table saying "same pinyin reading, other characters"."""
    word, _, rest = names.partition(": ")
    if meaning and rest and word in {"same characters", "same pinyin", "same sound", "close", "different"}:
        return f"{meaning}: {rest}"
    return names


def explain_pair(a, b) -> dict:
    """The latest score of the pair with each field's weight, or why it was not scored."""
    from mingdan.store.models import PairLink, ReviewDecision

    from .decisions import current_runs, not_in_effect

    # Only the runs standing now: a score an earlier full run stored, that the last one no longer scores, was shown as
    # "auto" while the two were apart.
    link = (PairLink.objects.filter(Q(record_a=a, record_b=b) | Q(record_a=b, record_b=a), run_id__in=current_runs())
            .order_by("-run_id").first())
    decided = (ReviewDecision.objects.filter(record_a_id=min(a.pk, b.pk), record_b_id=max(a.pk, b.pk))
               .order_by("-decided_at").first())
    names = explain_names(_name(a), _name(b))
    result = {"a": _label(a), "b": _label(b), "names": names, "fields": [],
              "decision": {"decision": decided.decision, "by": decided.decided_by,
                           "at": decided.decided_at.isoformat()} if decided else None}
    if link is None:
        from .why import why_not_linked

        why = why_not_linked(a, b)
        result.update({"compared": why["compared"], "reasons": why["reasons"], "advice": why["advice"],
                       "match_probability": why["match_probability"], "match_weight": why.get("match_weight")})
        result["fields"] = [{"field": f["field"], "left": None, "right": None, "weight": f["weight"],
                             "meaning": f["meaning"]} for f in why["fields"]]
        if why["fields"]:
            rows = _rows([a.pk, b.pk])
            for row in result["fields"]:
                column = {"event": "event_type", "place": "place_key"}.get(row["field"], row["field"])
                row["left"], row["right"] = (rows.get(a.pk) or {}).get(column), (rows.get(b.pk) or {}).get(column)
        result["summary"] = "not linked: " + "; ".join(why["reasons"])
        # What the pair's own score leaves unsaid: the people made of it, and a death before the other's life (rerun47).
        notes = [_after_death(a, b), "one person now, through other records"
                 if not decided and a.person_id is not None and a.person_id == b.person_id else None]
        for note in filter(None, notes):
            result["reasons"] = [*result["reasons"], note]
            result["summary"] += f"; {note}"
        if decided:
            # A reviewer's decision outranks the scores: say it first, and whether the people now agree with it.
            together = a.person_id is not None and a.person_id == b.person_id
            pending = not_in_effect(a, b, result["decision"] | {"at": decided.decided_at})
            result["summary"] = (f"decided {decided.decision} by {decided.decided_by} on {decided.decided_at:%Y-%m-%d}; "
                                 + ("one person now" if together else "two people now")
                                 + (f" ({pending})" if pending else "")
                                 + "; the model alone: " + "; ".join(why["reasons"]))
            result["advice"] = pending or "nothing to do: the decision is kept by every later run"
        return result
    result.update({"match_probability": link.match_probability, "match_weight": link.match_weight, "band": link.band,
                   "run": link.run_id})
    rows = _rows([a.pk, b.pk])
    # Left is the first record asked about, whichever way round the run stored the pair (an outside tester read
    # each value against the other record).
    weights = with_values(link.weights, rows.get(a.pk), rows.get(b.pk))
    meanings = level_meanings(link.run.settings)
    for field, values in weights.items():
        level = values.get("level")
        result["fields"].append({"field": FIELD_LABELS.get(field, field), "left": values.get("left"),
                                 "right": values.get("right"),
                                 "weight": values.get("weight"),
                                 "meaning": meanings.get(field, {}).get(level, str(level))})
        if values.get("term_frequency_adjustment"):
            result["fields"].append({"field": f"{field} frequency", "left": None, "right": None,
                                     "weight": values["term_frequency_adjustment"], "meaning": FREQUENCY_MEANING})
    result["fields"].append({"field": "prior", "left": None, "right": None,
                             "weight": prior_weight(link.weights, link.match_weight), "meaning": PRIOR_MEANING})
    names = _with_model_level(names, next((row["meaning"] for row in result["fields"] if row["field"] == "name"), None))
    result["names"] = names
    alone = (link.weights.get("one_to_one") or {}).get("probability_alone")
    alone_text = f"; {alone:.3f} scored alone, before weighing the other candidates of the two lists" \
        if alone is not None else ""
    result["summary"] = (f"match probability {link.match_probability:.3f} (weight {link.match_weight:+.2f} bits, "
                         f"{link.band}{alone_text}); {names}"
                         + (f"; decided {decided.decision} by {decided.decided_by}" if decided else ""))
    if decided:
        pending = not_in_effect(a, b, result["decision"] | {"at": decided.decided_at})
        if pending:
            result["summary"] += f" ({pending})"
            result["advice"] = pending
    if "one_to_one" in (link.weights or {}):
        result["rivals"] = _rivals(a, b, link.run_id) + _rivals(b, a, link.run_id)
    if link.band == "review" and link.match_probability >= link.run.auto_link and not decided:
        held = _after_death(a, b, soon=True) or _other_sex(a, b)
        if held:
            result["held"] = held
            result["summary"] += f"; {held}"
    elif link.band == "review" and not decided:
        dated = _after_death(a, b)
        if dated:
            result["summary"] += f"; {dated}"
    apart = _kept_apart(a, b, link)
    if apart:
        result["kept_apart"] = apart
        result["summary"] += f"; {apart}"
    return result


def _rivals(record, other, run_id: int, most: int = 5) -> list[str]:
    """The record's other candidates in the other record's list that the run scored, best first (the pair's rivals)."""
    from mingdan.store.models import PairLink

    links = (PairLink.objects.filter(Q(record_a=record) | Q(record_b=record), run_id=run_id)
             .select_related("record_a__source", "record_b__source"))
    found = []
    for link in links:
        candidate = link.record_b if link.record_a_id == record.pk else link.record_a
        if candidate.pk != other.pk and candidate.source_id == other.source_id:
            alone = (link.weights.get("one_to_one") or {}).get("probability_alone", link.match_probability)
            # Two records of one list in one person: the weighing reads one as the other's repeat (one_to_one).
            repeat = (f" (one person with {_label(other)}: weighed as its repeat in that list, not a rival)"
                      if candidate.person_id is not None and candidate.person_id == other.person_id else "")
            found.append((-alone, f"{_label(record)} ~ {_label(candidate)}: {alone:.3f} scored alone{repeat}"))
    return [text for _, text in sorted(found)[:most]]


def _kept_apart(a, b, link) -> str | None:
    """Why a pair linked by its score is in two people, or None when it is in one (or was not linked)."""
    if link.band != "auto" or a.person_id is None or a.person_id == b.person_id:
        return None
    dated = _after_death(a, b)
    if dated:
        return f"kept apart by the clustering: {dated}"
    if a.source_id == b.source_id:
        return ("kept apart by the clustering: one list names both, and a list names a person once (two of its "
                "records are one person only under one name, linked to each other, at most two; docs/linkage.md)")
    if link.run.mode == "incremental":
        return ("kept apart by an incremental run, which adds new records to the people of the run before but never "
                "joins two of those people: a full `mingdan link` may join them; or each is linked more strongly to "
                "records that cannot be one person with the other (docs/linkage.md)")
    return ("kept apart by the clustering: each is linked more strongly to records that cannot be one person with "
            "the other (two names of one list, a pair the model scores as two people, a death and the person "
            "alive after it, or a record whose two best candidates in one list are tied, which joins neither; "
            "docs/linkage.md)")


def death_before_life(a, b, places=None, rows: dict | None = None) -> tuple | None:
    """(record of the death, record of the living, the latest day of the death, the day alive) where one record's
    death comes a day or more before the other's event of the living (contradictions.after_death); else None.
    `places`: a place reader already built (frame.place_reader reads the case's places); `rows`: the records'
    linkage rows already read (_rows), so that none is built again."""
    from datetime import date

    rows = _rows([a.pk, b.pk], places) if rows is None else rows
    for dead, living in ((a, b), (b, a)):
        died, alive = (rows.get(dead.pk) or {}).get("died_by"), (rows.get(living.pk) or {}).get("alive_on")
        if died and alive and alive - died >= 1:
            return dead, living, date.fromordinal(died), date.fromordinal(alive)
    return None


def _after_death(a, b, soon: bool = False) -> str | None:
    """The pair's own dates where one record's death comes before the other's event of the living
    (contradictions.after_death), in words; else None. soon: only 1 to AFTER_DEATH_DAYS days before it, a pair held
    for a reviewer (contradictions.soon_after_death)."""
    return _death_words(death_before_life(a, b), soon)


def _other_sex(a, b) -> str | None:
    """Why a pair scored at auto-link waits for a reviewer when the two records give different sexes
    (contradictions.other_sex), in words; else None."""
    return _sex_words(a, b, _rows([a.pk, b.pk]))


def _sex_words(a, b, rows: dict) -> str | None:
    """_other_sex from the records' rows read already."""
    sexes = [(rows.get(record.pk) or {}).get("sex") for record in (a, b)]
    if None in sexes or sexes[0] == sexes[1]:
        return None
    return (f"held for a reviewer: {_label(a)} says {sexes[0]}, {_label(b)} {sexes[1]}; a sex mistyped or two "
            f"people, which a reader decides (docs/linkage.md)")


def _death_words(found: tuple | None, soon: bool) -> str | None:
    """death_before_life's finding in words (_after_death)."""
    from .contradictions import AFTER_DEATH_DAYS

    if found is None:
        return None
    dead, living, died, alive = found
    days = (alive - died).days
    facts = (f"{_label(dead)} records a death by {died} and {_label(living)} the person alive (detained, tried, "
             f"released or injured) on {alive}, {days} day{'s' if days > 1 else ''} after it")
    if days <= AFTER_DEATH_DAYS:
        return (f"held for a reviewer though scored at auto-link: {facts}: a date a few days off, or two people "
                "(docs/linkage.md)" if soon else
                f"{facts}: a date a few days off, or two people, kept apart until a reviewer says 'same' "
                "(docs/linkage.md)")
    return None if soon else f"{facts}: never one person (a reviewer's 'same' outranks it; docs/linkage.md)"


def _queue_note(link, rows: dict) -> str | None:
    """Why a queued pair waits where a death comes before the person alive, or, scored at auto-link, where the two
    records give different sexes (from the queue's rows, read once)."""
    found = death_before_life(link.record_a, link.record_b, rows=rows)
    held = link.match_probability >= link.run.auto_link
    return (_death_words(found, soon=held) or _death_words(found, soon=False)
            or (_sex_words(link.record_a, link.record_b, rows) if held else None))


def review_queue(limit: int = 20) -> list[dict]:
    """Review-band pairs standing now (decisions.review_links: the latest full run's and the incremental runs' after
    it) that no decision answers yet (decisions.settled), most uncertain first."""
    from .decisions import latest_decisions, review_links, settled

    latest = latest_decisions()
    links = list(review_links().select_related("record_a__source", "record_b__source", "run"))
    keys = [(min(link.record_a_id, link.record_b_id), max(link.record_a_id, link.record_b_id)) for link in links]
    answered = set(latest) | settled(keys, latest)
    pending = [link for link, key in zip(links, keys) if key not in answered]
    # A pair whose records the clustering already made one person (through a third record) changes no count unless
    # its answer is "different": the pairs between two people come first (an outside tester was asked about such
    # pairs before the open ones).
    pending.sort(key=lambda link: (_one_person(link), abs(link.match_probability - 0.5)))
    pending = pending[:limit]
    rows = _rows({pk for link in pending for pk in (link.record_a_id, link.record_b_id)})
    return [{"record_a": link.record_a_id, "record_b": link.record_b_id, "a": _label(link.record_a),
             "b": _label(link.record_b), "name_a": _name(link.record_a), "name_b": _name(link.record_b),
             "match_probability": link.match_probability, "one_person_now": _one_person(link),
             # A death, then the person alive days after it: why a pair scored at auto-link waits here.
             "note": _queue_note(link, rows),
             "weights": with_values(link.weights, rows.get(link.record_a_id), rows.get(link.record_b_id))}
            for link in pending]


def _one_person(link) -> bool:
    """Whether the pair's two records are one person now (joined through other records)."""
    return link.record_a.person_id is not None and link.record_a.person_id == link.record_b.person_id


def nothing_pending() -> str:
    """What to tell a reviewer when the queue is empty."""
    from mingdan.store.models import LinkRun

    run = LinkRun.objects.order_by("-id").first()
    if run is None:
        return "nothing to review: no linkage run yet (run `mingdan link` first)"
    return (f"nothing to review: the latest run (#{run.pk}, {run.started:%Y-%m-%d %H:%M}) left no pair between the "
            f"review threshold {run.review:.2f} and auto-link {run.auto_link:.2f} without a decision")


def decision_conflicts(a, b, decision: str) -> list[str]:
    """What in the two records speaks against calling them one person (only a "same" decision is checked)."""
    from mingdan.names import Level, compare_names, explain_names

    from .decisions import contradicting_decisions

    if a.pk == b.pk:
        return ["a record with itself: a decision is on two records"]
    if decision != "same":
        return contradicting_decisions(a.pk, b.pk, decision)
    rows = _rows([a.pk, b.pk])
    left, right = rows.get(a.pk) or {}, rows.get(b.pk) or {}
    conflicts = []
    if left.get("name") and right.get("name") and compare_names(left["name"], right["name"]) == Level.DIFFERENT:
        conflicts.append(f"their names do not read alike in any script or romanization "
                         f"({explain_names(left['name'], right['name'])})")
    for record, row in ((a, left), (b, right)):
        if row and not row.get("name"):
            conflicts.append(f"{record.source.name}:{record.record_id} has no known name (none given, or one that says "
                             "the name is not known): nothing in the names speaks for one person")
    if left.get("sex") and right.get("sex") and left["sex"] != right["sex"]:
        conflicts.append(f"one is recorded {left['sex']}, the other {right['sex']}")
    conflicts += _same_list_conflicts(a, b)
    return conflicts + contradicting_decisions(a.pk, b.pk, decision)


def same_list_records(a, b) -> list[tuple[str, str, str, list[str]]]:
    """A list names a person once: (record, other record, the record's list, the list's records already in the other's
    person) for each side where joining them would put two records of one list in a person; for a pair of one list,
    one entry with no such records."""
    from mingdan.store.models import Record

    if a.source_id == b.source_id:
        return [(_label(a), _label(b), a.source.name, [])]
    found = []
    for record, other in ((a, b), (b, a)):
        if other.person_id is None:
            continue
        twins = (Record.objects.filter(person_id=other.person_id, source_id=record.source_id)
                 .exclude(pk__in=(record.pk, other.pk)).values_list("record_id", flat=True)[:3])
        if twins:
            found.append((_label(record), _label(other), record.source.name,
                          [f"{record.source.name}:{rid}" for rid in twins]))
    return found


def _same_list_conflicts(a, b) -> list[str]:
    return [f"{other} is already one person with {', '.join(twins)} of the same list as {record}, and a list names a "
            "person once" if twins else f"both are in {source}, and a list names a person once"
            for record, other, source, twins in same_list_records(a, b)]
