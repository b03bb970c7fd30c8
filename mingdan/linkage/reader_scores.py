"""Match scores as each reader level sees them: computed once at the end of a linkage run and stored.

A match probability and its per-field weights are functions of every value linkage read: each name
form, sex, age, occupation and event of both records, at every level of sensitivity, harassment
included. Shown to a reader who may not read one of those values, the run's score tells how that
value compares with the other record's (an outside tester recovered a withheld field's weight from
the probability and the other weights). So a pair whose record holds such a value is scored again
with the run's trained model, its prior and its term frequencies, from the values that reader may
read, every other value as if it were not recorded: the score the pair would have had if the
hidden values had never been recorded. For a pair without one, that score is the run's own.

These scores were first computed in the server, for every pair a page showed and again after every
change to the records: 37 s for the first review page of a 100,000-record case and every page slow
beside it (docs/benchmarks.md). Now the run stores them (ReaderScore) for each reader view, and
records the ids it read up to (LinkRun.marks), so that the server scores again only the pairs of
records changed since (web/scores.py).
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Max

from mingdan.store.lens import LEVELS, Lens, family_events_q

#: The claim fields linkage compares beside the name forms and the events (linkage/frame.py).
COMPARED_FIELDS = ("sex", "age", "occupation")
#: Every reader view below one who reads everything: each level, with or without families (a superset of the
#: roles' views, store/lens.py role_views, so that a stored run still serves a role given another view later).
VIEWS = tuple(Lens(LEVELS[:depth], families=families) for depth in range(1, len(LEVELS) + 1)
              for families in (False, True) if not (depth == len(LEVELS) and families))
#: Pairs scored in one frame: bounds the records named in one query.
BATCH = 5_000


@dataclass
class PairScore:
    """A pair's match probability, total weight (bits) and per-comparison level and weight, from a reader's values."""

    probability: float
    weight: float
    fields: dict[str, dict]


def replayable(model: dict | None) -> bool:
    """True when a run's saved model can score pairs again here (runs of an earlier mingdan may not)."""
    return bool(model) and bool(model.get("comparisons")) and "probability_two_random_records_match" in model \
        and "place_lineage" in str(model)


def reads_everything(reader: Lens) -> bool:
    """True for a reader of every value: the run's own scores are its scores."""
    return set(LEVELS) <= set(reader.readable) and reader.families


def input_marks() -> dict[str, int]:
    """The largest claim, event and name ids now: a record with a newer row changed after this moment."""
    from mingdan.store.models import Claim, Event, Name

    return {name: model.objects.aggregate(top=Max("pk"))["top"] or 0
            for name, model in (("claim", Claim), ("event", Event), ("name", Name))}


def changed_since(marks: dict[str, int], record_pks) -> set[int]:
    """Those of these records that hold a claim, event or name newer than a run's marks (input_marks)."""
    from mingdan.store.models import Claim, Event, Name

    pks = sorted(set(record_pks))
    changed: set[int] = set()
    # Asked of the records a page shows, not of the case: after a large import, every new record's id (millions of
    # claims) took a worker 50 s to list.
    for start in range(0, len(pks), 500):
        chunk = pks[start:start + 500]
        for name, model in (("claim", Claim), ("event", Event), ("name", Name)):
            changed.update(model.objects.filter(record_id__in=chunk, pk__gt=marks.get(name, 0))
                           .values_list("record_id", flat=True).distinct())
    return changed


def hidden_records(reader: Lens, record_pks: list[int] | None = None) -> set[int]:
    """The records (all, or among these) whose linkage inputs hold a value this reader may not read."""
    return hidden_by_view((reader,), record_pks)[0]


def hidden_by_view(views: "tuple[Lens, ...]", record_pks: list[int] | None = None) -> list[set[int]]:
    """hidden_records of each view, from one reading of the values some view may not read (a run asks for every
    reader view at once)."""
    from mingdan.store.models import Claim, CustodyEvent, Event, Name

    if record_pks is not None and len(record_pks) > 500:  # keep each query's parameter list short
        pks = sorted(set(record_pks))
        parts = [hidden_by_view(views, pks[i:i + 500]) for i in range(0, len(pks), 500)]
        return [set().union(*(part[i] for part in parts)) for i in range(len(views))]

    def among(query, field: str = "record_id"):
        return query if record_pks is None else query.filter(**{f"{field}__in": record_pks})

    # What every view may read hides nothing; the rest is read once, each row a record and the sensitivities of one
    # value, hidden from a view that cannot read one of them.
    common = set.intersection(*(set(view.readable) for view in views))
    held = list(among(Claim.objects.current().filter(field__in=COMPARED_FIELDS)).exclude(sensitivity__in=common)
                .values_list("record_id", "sensitivity"))
    # Name forms are asked for themselves: their claims' field is whatever the mapping named.
    held += among(Name.objects.filter(claim__superseded_in__isnull=True)).exclude(
        claim__sensitivity__in=common).values_list("record_id", "claim__sensitivity")
    held += among(Event.objects.filter(superseded_in__isnull=True)).exclude(
        type_sensitivity__in=common, date_sensitivity__in=common, place_sensitivity__in=common).values_list(
        "record_id", "type_sensitivity", "date_sensitivity", "place_sensitivity")
    # Sentences are compared too (linkage/frame.py reads a custody event's sentence at its own sensitivity).
    held += among(CustodyEvent.objects.filter(event__superseded_in__isnull=True).exclude(sentence_kind=""),
                  "event__record_id").exclude(sentence_sensitivity__in=common).values_list(
        "event__record_id", "sentence_sensitivity")
    families = None
    found = []
    for view in views:
        hidden = {record for record, *levels in held if any(level not in view.readable for level in levels)}
        if view.hides_events():
            if families is None:
                families = set(among(Event.objects.filter(family_events_q(), superseded_in__isnull=True))
                               .values_list("record_id", flat=True))
            hidden |= families
        found.append(hidden)
    return found


def score_pairs(pairs: list[tuple[int, int]], reader: Lens, model: dict, frequencies: dict, places,
                linked_on=None) -> dict[tuple[int, int], PairScore]:
    """Each pair (smaller id first) scored with the model, its term frequencies and the place reader, from the
    values this reader may read as they are now (`linked_on`: the case's linkage view, when it reads less)."""
    import numpy as np
    import pyarrow as pa

    from .frame import SCHEMA, record_frame
    from .incremental import match_weights, probability
    from .levels import pair_levels

    pairs = sorted({(min(a, b), max(a, b)) for a, b in pairs})
    if len(pairs) > BATCH:
        found = {}
        for start in range(0, len(pairs), BATCH):
            found.update(score_pairs(pairs[start:start + BATCH], reader, model, frequencies, places, linked_on))
        return found
    if not pairs:
        return {}
    readable, hide_families = reader.readable, reader.hides_events()
    if linked_on is not None:  # a case linked on public values only: no reader's score reads more than the run did
        readable = tuple(level for level in readable if level in linked_on.readable)
        hide_families = hide_families or linked_on.hide_families
    rows = record_frame(sorted({pk for pair in pairs for pk in pair}), places, readable=readable,
                        hide_families=hide_families)
    levels = pair_levels(pa.Table.from_pylist(rows, schema=SCHEMA), model, pairs, frequencies)
    names = [c["output_column_name"] for c in model["comparisons"]]
    gammas = {name: levels[f"gamma_{name}"].to_numpy(zero_copy_only=False).astype(np.int64) for name in names}
    adjustments = {name: np.nan_to_num(levels[f"mw_tf_adj_{name}"].to_numpy(zero_copy_only=False).astype(float))
                   for name in names if f"mw_tf_adj_{name}" in levels.column_names}
    total, parts = match_weights(model, gammas, sum(adjustments.values(), np.zeros(levels.num_rows)))
    chances = probability(total)
    found = {}
    for index, (a, b) in enumerate(zip(levels["unique_id_l"].to_pylist(), levels["unique_id_r"].to_pylist())):
        fields = {name: {"level": int(gammas[name][index]), "weight": round(float(parts[name][index]), 3)}
                  for name in names}
        for name, adjustment in adjustments.items():
            fields[name]["term_frequency_adjustment"] = round(float(adjustment[index]), 3)
        found[(a, b)] = PairScore(float(chances[index]), float(total[index]), fields)
    return found


def case_frequencies(frame, model: dict) -> dict:
    """Each term-frequency column's frequencies over the frame the run read (the run's own figures)."""
    from .frequencies import frequency_tables
    from .levels import tf_columns

    return frequency_tables(frame, tf_columns(model))


def view_frequencies(frame, model: dict, reader: Lens, places, hidden: set[int] | None = None,
                     whole: dict | None = None) -> dict:
    """The term frequencies a reader's values give: the run's frame with each record that holds a value the reader
    may not read built again from the values it may read (frame.record_frame).

    A name's frequency counts a list's records of that name as one person or several by their sex, age and event
    (frequencies.term_frequency_sql): counted from the run's values, a namesake's secret event moved the weight of
    every pair of that name, and a reader's score of A~B told it (an outside tester, 2026-12-03). whole: the
    frame's own frequencies (case_frequencies), if counted already."""
    import pyarrow as pa
    import pyarrow.compute as pc

    from .frame import SCHEMA, record_frame

    hidden = hidden_records(reader) if hidden is None else hidden
    ids = frame["unique_id"]
    inside = sorted(set(ids.to_pylist()) & hidden)
    if not inside:
        return case_frequencies(frame, model) if whole is None else whole
    rows = record_frame(inside, places, readable=reader.readable, hide_families=reader.hides_events())
    again = pa.Table.from_pylist(rows, schema=SCHEMA)
    columns = [c for c in SCHEMA.names if c in frame.column_names]
    kept = frame.select(columns).filter(pc.invert(pc.is_in(ids, value_set=pa.array(inside, pa.int64()))))
    return case_frequencies(pa.concat_tables([kept, again.select(columns).cast(kept.schema)]), model)


def frequency_changes(run_frequencies: dict, reader_frequencies: dict) -> dict[str, set]:
    """Per term-frequency column, the values whose frequency differs between the two (or that only one counts)."""
    changed = {}
    for column, table in run_frequencies.items():
        before = dict(zip(table[column].to_pylist(), table[f"tf_{column}"].to_pylist()))
        other = reader_frequencies.get(column)
        after = dict(zip(other[column].to_pylist(), other[f"tf_{column}"].to_pylist())) if other is not None else {}
        changed[column] = {value for value in before.keys() | after.keys()
                           if abs((before.get(value) or 0.0) - (after.get(value) or 0.0)) > 1e-15}
    return changed


def touched_pairs(frame, pairs: list[tuple[int, int]], changed: dict[str, set]) -> set[tuple[int, int]]:
    """The pairs one of whose records holds a value whose frequency changed."""
    touched: set[int] = set()
    ids = frame["unique_id"].to_pylist()
    for column, values in changed.items():
        if values and column in frame.column_names:
            touched.update(pk for pk, value in zip(ids, frame[column].to_pylist()) if value in values)
    return {pair for pair in pairs if pair[0] in touched or pair[1] in touched}


def stored_for(run) -> bool:
    """True when the run stored its reader scores (runs before them, Spark runs and models the scorer cannot replay
    did not: the web application withholds what rests on a hidden value instead)."""
    return bool(run.marks) and run.marks.get("reader_scores", "stored") == "stored"


def store_reader_scores(run, frame, case, scored=None, frequencies: dict | None = None) -> int:
    """Score again, for every reader view, the run's stored pairs whose records hold a value that view may not read;
    store them (ReaderScore) and return how many were stored (recorded in run.marks as stored or why not).

    scored: the run's scored pairs; where they were weighed against their rivals (one_to_one.py), each view's
    are weighed again from its own scores, and a pair whose rivals' scores changed is stored too: its score
    read the hidden values through theirs. frequencies: the frame's term frequencies, if counted already."""
    from .levels import Unsupported

    if run.engine != "duckdb":  # the saved model is in Spark SQL; this scorer reads DuckDB's
        why = "not for a Spark run"
    elif not replayable(run.settings):
        why = "the model cannot be replayed"
    else:
        try:
            return _store(run, frame, case, scored, frequencies)
        except Unsupported as exc:  # the run's people stand; its scores are withheld where they rest on hidden values
            from mingdan.store.models import ReaderScore

            ReaderScore.objects.filter(run=run).delete()
            why = f"the model cannot be replayed: {exc}"
    run.marks = {**run.marks, "reader_scores": why}
    run.save(update_fields=["marks"])
    return 0


def _store(run, frame, case, scored=None, frequencies: dict | None = None) -> int:
    from django.db import connection

    from mingdan.store.models import PairLink, ReaderScore

    from .frame import linkage_view, place_reader
    from .pair_rows import insert_rows

    linked_on = linkage_view(case)
    if linked_on is not None:
        return 0  # the run read public values only, without families: its scores are every reader's
    pairs = list(PairLink.objects.filter(run=run).values_list("record_a_id", "record_b_id"))
    records = {pk for pair in pairs for pk in pair}
    places = rivals = None
    stored = 0
    weights = ReaderScore._meta.get_field("weights")
    framed = set(frame["unique_id"].to_pylist())
    for view, everywhere in zip(VIEWS, hidden_by_view(VIEWS)):
        hidden = everywhere & records
        if not everywhere & framed:
            continue
        if places is None:
            places = place_reader()
            frequencies = case_frequencies(frame, run.settings) if frequencies is None else frequencies
        own = view_frequencies(frame, run.settings, view, places, everywhere, frequencies)
        # A pair of two readable records is scored again too where the reader's frequencies of its name differ.
        wanted = sorted({pair for pair in pairs if pair[0] in hidden or pair[1] in hidden}
                        | touched_pairs(frame, pairs, frequency_changes(frequencies, own)))
        if not wanted:
            continue
        found = score_pairs(wanted, view, run.settings, own, places)
        if rivals is None and scored is not None and "mw_one_to_one" in scored.column_names:
            from .model import on_priors

            rivals = _Rivals(frame, scored, run.review, on_priors(run))
        if rivals is not None:
            found = rivals.weigh(found)
        insert_rows(ReaderScore, ("run_id", "level", "families", "record_a_id", "record_b_id", "match_probability",
                                  "match_weight", "weights"),
                    [(run.pk, view.level, view.families, a, b, score.probability, score.weight,
                      weights.get_db_prep_save(score.fields, connection)) for (a, b), score in found.items()])
        stored += len(found)
    return stored


class _Rivals:
    """The run's pairs weighed against their rivals again (one_to_one.py) from one reader view's own scores."""

    def __init__(self, frame, scored, floor: float, priors: bool | None = None):
        import numpy as np

        self.scored, self.floor = scored, floor
        self.left, self.right = scored["unique_id_l"].to_numpy(), scored["unique_id_r"].to_numpy()
        self.alone = scored["match_probability_alone"].to_numpy(zero_copy_only=False).astype(np.float64)
        self.final = scored["match_probability"].to_numpy(zero_copy_only=False).astype(np.float64)
        self.bits = scored["mw_one_to_one"].to_numpy(zero_copy_only=False).astype(np.float64)
        self.weight = scored["match_weight"].to_numpy(zero_copy_only=False).astype(np.float64) - self.bits
        self.index = {(min(a, b), max(a, b)): i for i, (a, b) in enumerate(zip(self.left.tolist(), self.right.tolist()))}
        self.source_of = dict(zip(frame["unique_id"].to_pylist(), frame["source"].to_pylist()))
        from .one_to_one import options

        self.options = options(frame, priors)  # as the run weighed them: the list rule's repeats, the small case's gain

    def weigh(self, found: dict) -> dict:
        """The view's scores (pairs scored again from its values) with every pair's rivals weighed from them: the
        pairs scored again, and every other pair whose weighed score differs from the run's."""
        import numpy as np

        from .incremental import probability
        from .one_to_one import adjust
        from .pair_rows import explanation

        alone = self.alone.copy()
        for pair, score in found.items():
            if pair in self.index:
                alone[self.index[pair]] = score.probability
        weighed = adjust(self.left, self.right, alone, self.source_of, self.floor, **self.options)
        result = {}
        changed = np.flatnonzero(np.abs(weighed.probability - self.final) > 1e-9).tolist()
        for i in sorted(set(changed) | {self.index[pair] for pair in found if pair in self.index}):
            pair = (int(min(self.left[i], self.right[i])), int(max(self.left[i], self.right[i])))
            if pair in found:
                own = found[pair]
                fields, weight = dict(own.fields), own.weight
            else:
                fields = explanation(self.scored.slice(i, 1).to_pylist()[0])
                fields.pop("one_to_one", None)
                weight = float(self.weight[i])
            bits = float(weighed.bits[i])
            if bits:
                fields["one_to_one"] = {"weight": round(bits, 3), "level": None,
                                        "probability_alone": round(float(alone[i]), 4)}
            result[pair] = PairScore(float(probability(np.array([weight + bits]))[0]), weight + bits, fields)
        result.update({pair: score for pair, score in found.items() if pair not in self.index})
        return result
