"""Why two records were never compared, or why they scored low, and what the user can do.

`mingdan link explain A B` on a pair the last run did not keep: the blocking rules are run again
on the two records (with the case's name-key counts, so a common name is as common as it was), and
each rule says which field kept them apart; a pair that was a candidate is scored again with the
run's model, and the fields that weigh against it are named.
"""

from __future__ import annotations

import shlex

ADVICE_SAME = ("if they are one person, record it (`mingdan review decide {a} {b} same`, as you; `--by` names "
               "another reviewer); every later run "
               "keeps them together.")


def why_not_linked(a, b, case=None) -> dict:
    """{'compared': bool, 'reasons': [...], 'advice': str, 'fields': [...], 'match_probability': float|None}."""
    from mingdan.store.models import LinkRun

    run = LinkRun.objects.order_by("-id").first()
    label_a, label_b = f"{a.source.name}:{a.record_id}", f"{b.source.name}:{b.record_id}"
    # Quoted as a shell needs them: a source may be called "HRW: 1990 report" or "Amnesty (HK)".
    advice = ADVICE_SAME.format(a=shlex.quote(label_a), b=shlex.quote(label_b))
    if run is None:
        return {"compared": False, "reasons": ["no linkage run yet"], "advice": "run `mingdan link` first",
                "fields": [], "match_probability": None}
    if "place_lineage" not in str(run.settings):
        return {"compared": False, "reasons": [f"run {run.pk} was made by an earlier mingdan, whose reasons this one "
                                               "cannot replay"], "advice": "run `mingdan link` again, then ask again",
                "fields": [], "match_probability": None}
    frame = _frame(case)
    from .blocking import WITH_FIELDS, add_blocking_columns

    frame, limit = add_blocking_columns(frame)
    rows = {row["unique_id"]: row for row in frame.filter(_among(frame, (a.pk, b.pk))).to_pylist()}
    if a.pk not in rows or b.pk not in rows:
        return {"compared": False, "reasons": ["one of the records was not in the last run (imported since?)"],
                "advice": "run `mingdan link` (or `mingdan link --incremental`) to link it", "fields": [],
                "match_probability": None}
    left, right = rows[a.pk], rows[b.pk]
    keys = lambda row: set(row["name_small"] or []) | set(row["name_big"] or [])  # noqa: E731
    shared = keys(left) & keys(right)
    small = shared & set(left["name_small"] or [])
    reasons = []
    nameless = [label for label, row in ((label_a, left), (label_b, right)) if not row["name"]]
    if nameless:
        reasons.append(f"never compared: {' and '.join(nameless)} {'have' if len(nameless) > 1 else 'has'} no name to "
                       "compare (none given, or one that says the name is not known: 无名氏, 男尸3号, Unknown male, "
                       "王某, 张**); records without a known name are linked only by a review decision")
        return {"compared": False, "reasons": reasons, "fields": [], "match_probability": None,
                "advice": "if the name has become known, add it to the record; " + advice}
    if set(left.get("name_typo") or []) & set(right.get("name_typo") or []):
        if not shared:
            reasons.append("their names share no reading, but their pinyin (or a romanized name's letters as typed) "
                           "has the same letters give or take one (a misspelling, or the same letters cut into "
                           "surname and given name another way), or a Wade-Giles or Hong Kong spelling one keystroke "
                           "from one of the name's (Hsaio for Hsiao) reads as the other, so they were compared")
        return _scored(run, frame, a.pk, b.pk, reasons, advice)
    if not shared:
        from mingdan.names import explain_names

        from .blocking import TYPO_BLOCK, TYPO_SHORTEST

        reasons.append(f"never compared: their names share no reading in any script or romanization, nor is their "
                       f"pinyin, nor a romanized name's letters as typed, nor a Wade-Giles or Hong Kong spelling with "
                       f"one part mended by one keystroke, one letter apart (read so only with at least "
                       f"{TYPO_SHORTEST} letters, and where at most "
                       f"{TYPO_BLOCK} records are spelt so) "
                       f"({explain_names(left['name'] or '', right['name'] or '')})")
        return {"compared": False, "reasons": reasons, "fields": [], "match_probability": None,
                "advice": "if one name is misspelt, correct it or add the other spelling as a name variant; "
                          + advice}
    if not small:
        common = (f"their shared reading ({', '.join(sorted(shared)[:3])}) is common: more than {limit:,} records "
                  "hold it")
        if set(left["name_with"] or []) & set(right["name_with"] or []):
            # Compared all the same: say so, not why a common name is often not (the score follows).
            reasons.append(f"{common}; they also share a district, age band or event window, so they were compared")
        else:
            reasons.append(f"{common}, so such a name is compared only when the two records also share a district (or "
                           "a city, when no district is given), a 5-year age band, or an event history within a "
                           "30-day window")
            agree = []
            for family in WITH_FIELDS:
                apart = _family_reason(family, left, right)
                if apart:
                    reasons.append(apart)
                else:
                    agree.append(family)
            if agree:
                reasons.append(f"they share the {' and the '.join(agree)}, but more than {limit:,} records of this "
                               "name share it too, so a second of these fields must agree as well")
            return {"compared": False, "reasons": list(dict.fromkeys(reasons)), "fields": [], "match_probability": None,
                    "advice": "add the missing age, place or date where a source gives it; " + advice}
    return _scored(run, frame, a.pk, b.pk, reasons, advice)


def _frame(case):
    from .frame import frame_table
    from .frame_cache import KeptFrame

    if case is None:
        from mingdan.store.case import _OPENED

        case = _OPENED[0] if _OPENED else None
    return KeptFrame(case).load() if case is not None else frame_table()


def _among(frame, ids):
    import pyarrow as pa
    import pyarrow.compute as pc

    return pc.is_in(frame["unique_id"], value_set=pa.array(ids, pa.int64()))


def _family_reason(family: str, left: dict, right: dict) -> str | None:
    """Why a field a common name is blocked with (place, age, date) did not pair the records, or None if it did."""
    from .blocking import WITH_FIELDS

    if family == "date":
        history = _field_reason("event_family", left, right)
        if history:
            return history
    reasons = [_field_reason(column, left, right) for column in WITH_FIELDS[family]]
    return None if not all(reasons) else reasons[0]


def _field_reason(field: str, left: dict, right: dict) -> str | None:
    """Why a blocking field did not pair the two records, or None when it did."""
    words = {"place_block": "place", "age_band": "age", "age_band_shift": "age", "event_family": "event",
             "date_band": "event date", "date_band_shift": "event date"}[field]
    shown = {"place_block": "place_key", "age_band": "age", "age_band_shift": "age", "event_family": "event_type",
             "date_band": "event_start", "date_band_shift": "event_start"}[field]
    if left[field] is None or right[field] is None:
        side = "both" if left[field] is None and right[field] is None else ("the first" if left[field] is None
                                                                              else "the second")
        return f"{words} missing on {side}"
    if left[field] != right[field]:
        return f"{words} differs ({_show(shown, left)} vs {_show(shown, right)})"
    return None


def _show(column: str, row: dict):
    import datetime as dt

    value = row.get(column)
    if column == "event_start" and value is not None:
        return dt.date.fromordinal(int(value)).isoformat()
    return value


def _scored(run, frame, a: int, b: int, reasons: list[str], advice: str) -> dict:
    """The pair scored again with the run's model: its probability and each field's weight."""
    import numpy as np

    from .explain import FREQUENCY_MEANING, PRIOR_MEANING, level_meanings
    from .incremental import match_weights, probability
    from .levels import comparison_levels, tf_adjustments

    model = run.settings
    pair = comparison_levels(frame, model, [{"blocking_rule": f"l.unique_id = {min(a, b)} AND r.unique_id = {max(a, b)}"}])
    gammas = {c["output_column_name"]: pair[f"gamma_{c['output_column_name']}"].to_numpy().astype(np.int64)
              for c in model["comparisons"]}
    adjustments = tf_adjustments(pair)
    weight, parts = match_weights(model, gammas, sum(adjustments.values(), np.zeros(1)))
    chance = float(probability(weight)[0])
    meanings = level_meanings(model)
    fields = [{"field": name, "weight": round(float(part[0]), 3), "level": int(gammas[name][0]),
               "meaning": meanings.get(name, {}).get(int(gammas[name][0]), str(int(gammas[name][0])))}
              for name, part in parts.items()]
    # The rows add up to the score, as a stored pair's do (explain.py): the name's frequency and the prior too.
    frequency = 0.0
    for name, adjustment in adjustments.items():
        if adjustment[0]:
            frequency += float(adjustment[0])
            fields.append({"field": f"{name} frequency", "weight": round(float(adjustment[0]), 3), "level": None,
                           "meaning": FREQUENCY_MEANING})
    prior = round(float(weight[0]) - sum(float(part[0]) for part in parts.values()) - frequency, 3)
    fields.append({"field": "prior", "weight": prior, "level": None, "meaning": PRIOR_MEANING})
    against = [f"{f['field']} ({f['meaning']}, {f['weight']:+.1f} bits)" for f in sorted(fields, key=lambda f: f["weight"])
               if f["weight"] < 0 and f["field"] != "prior"]
    scored = (f"compared, and scored {chance:.3f}, below the review threshold {run.review:.2f}" if chance < run.review
              # An incremental run scores new pairs with m refreshed on them; the saved model is the run before's.
              else f"compared, and scored below the review threshold {run.review:.2f} by this incremental run (its "
                   f"model refreshed on the new records' pairs); the saved model scores it {chance:.3f}: a full "
                   f"`mingdan link` scores it afresh")
    reasons.append(scored
                   + (f"; what weighs against: {', '.join(against)}" if against else
                      f"; no field weighs against them, but what agrees ({weight[0] - prior:+.1f} bits) does not "
                      f"outweigh the prior ({prior:+.1f} bits: two records at random are seldom one person)")
                   + "; not weighed against the two lists' other candidates (only pairs at or above review are)")
    return {"compared": True, "reasons": reasons, "fields": fields, "match_probability": chance,
            "match_weight": round(float(weight[0]), 3),
            "advice": "check the fields that weigh against them (a misread value, a wrong date); " + advice}
