"""A linkage run: score pairs, apply review decisions, cluster into people with stable ids, store."""

from __future__ import annotations

import time
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field

from django.db import connection, transaction

from mingdan.store.case import Case

from .clustering import assign_ids, cluster
from .pair_rows import explanation, insert_rows


@dataclass
class LinkResult:
    """What a run did."""

    run_id: int
    records: int
    people: int
    pairs_scored: int
    auto_links: int
    review_pairs: int
    decisions_applied: int
    seconds: float
    new_ids: int
    kept_ids: int
    thresholds: dict = field(default_factory=dict)
    #: How the model's parameters were found: trained by EM, the priors of a small case, or kept (incremental).
    training: str = ""
    #: What weighing each pair of two lists against its records' other candidates changed (one_to_one.summary).
    weighed: str = ""
    #: Review decisions this run could not honour, each with why (decisions.not_applied).
    decisions_not_applied: list = field(default_factory=list)
    #: Pairs scored at auto-link that the clustering left in two people (one list, or stronger rival links).
    auto_kept_apart: int = 0
    #: Review-band pairs no decision answers yet: what `mingdan review` offers (None where not stored).
    review_waiting: int | None = None
    incremental: bool = False
    #: Pairs scored at auto-link held in the review band, no decision on them yet: a death, then the person alive
    #: days after it.
    held_after_death: int = 0
    #: Pairs scored at auto-link held in the review band, no decision on them yet: the two records' sexes differ.
    held_other_sex: int = 0


def thresholds(case: Case) -> tuple[float, float]:
    """The auto-link and review thresholds from mingdan.toml."""
    auto = float(case.setting("linkage", "auto_link", 0.60))
    review = float(case.setting("linkage", "review", 0.20))
    if not 0 < review <= auto <= 1:
        raise ValueError(f"mingdan.toml [linkage]: need 0 < review ({review}) <= auto_link ({auto}) <= 1")
    return auto, review


def weigh_rivals(case: Case) -> bool:
    """Whether pairs of two lists are weighed against their records' other candidates (mingdan.toml, default on)."""
    value = case.setting("linkage", "weigh_rivals", True)
    if not isinstance(value, bool):
        raise ValueError(f"mingdan.toml [linkage]: weigh_rivals must be true or false, not {value!r}")
    return value


def decisions() -> tuple[set[tuple[int, int]], set[tuple[int, int]], int]:
    """Must-link and cannot-link pairs from the latest review decision on each pair."""
    from .decisions import latest_decisions

    latest = latest_decisions()
    must = {pair for pair, d in latest.items() if d["decision"] == "same"}
    cannot = {pair for pair, d in latest.items() if d["decision"] == "different"}
    return must, cannot, len(must) + len(cannot)


def link_case(case: Case, raw_names: bool = False, progress: Callable[[str], None] | None = None,
              store: bool = True, incremental: bool = False, engine: str = "duckdb") -> LinkResult:
    """Train, predict, cluster and store people for every record of the case (engine: duckdb or spark).

    incremental: keep the last run's trained model and its people, and score only the pairs that
    involve records not yet linked (a newly imported source); far cheaper than a full run.
    """
    import gc
    from contextlib import nullcontext

    from .model import one_database

    # The objects alive before the run (modules, caches, an earlier run's leftovers in a long-lived process) are left
    # out of the collector's full passes: one such pass over a process that had linked before took 0.2 s of a 1.1 s
    # incremental run, in two runs of five; the run's own objects are collected as before.
    gc.freeze()
    try:
        with one_database() if incremental else nullcontext():
            return _link_case(case, raw_names, progress, store, incremental, engine)
    finally:
        gc.unfreeze()


def _link_case(case: Case, raw_names: bool, progress: Callable[[str], None] | None, store: bool, incremental: bool,
               engine: str) -> LinkResult:
    from mingdan.version import code_version
    from mingdan.store.models import LinkRun, Membership, PairLink, Person, Record

    import numpy as np
    import pyarrow as pa

    from .frame import frame_table
    from .frame_cache import KeptFrame
    from .model import train_and_predict

    started = time.perf_counter()
    say = progress or (lambda message: None)
    auto, review = thresholds(case)
    weighing = weigh_rivals(case)  # a wrong value is refused before anything is read or trained
    say("reading records")
    from .reader_scores import case_frequencies, input_marks, store_reader_scores

    marks = input_marks()  # before reading: a change made while the run reads is a change after it
    kept_frame = KeptFrame(case)
    # An incremental run reads the records linked before from the sealed copy the last run kept.
    frame = kept_frame.load() if incremental else frame_table(view=kept_frame.view)
    if frame.num_rows < 2:
        raise ValueError("the case needs at least two records to link")
    previous = LinkRun.objects.order_by("-id").first()
    if incremental and previous is None:
        raise ValueError("no earlier linkage run to add to: run `mingdan link` without --incremental first")
    if incremental and "place_lineage" not in str(previous.settings):
        raise ValueError("the last run's model was made by an earlier mingdan (places as text, blocking on the age "
                         "or the place): run a full `mingdan link` once, then --incremental works again")
    if incremental and previous.engine != engine:
        # The saved model is written in its engine's SQL dialect.
        raise ValueError(f"the last run used the {previous.engine} engine: add --engine {previous.engine}, "
                         f"or run a full `mingdan link --engine {engine}`")
    must, cannot, applied = decisions()
    kept_edges: list[tuple[int, int, float]] = []
    frequencies = None  # the case's term frequencies, counted once for every scoring below that reads them
    if incremental:
        from .incremental import score_new
        from .model import on_priors

        on_priors_now = on_priors(previous)  # the small case's priors, kept with its model

        current_person = dict(Record.objects.values_list("pk", "person__person_id"))
        before = [current_person.get(pk) for pk in frame["unique_id"].to_pylist()]
        is_new = [int(person is None) for person in before]
        frame = frame.append_column("is_new", pa.array(is_new, pa.int64()))
        # Two records of one list that are one person already are each other's repeat, not rivals (one_to_one).
        frame = frame.append_column("person_before", pa.array(before, pa.string()))
        say(f"scoring {sum(is_new):,} new records in a case of {frame.num_rows:,} with the last run's model")
        if engine == "duckdb":
            frequencies = case_frequencies(frame, previous.settings)
        linker, scored = None, score_new(frame, previous.settings, threshold=review, engine=engine,
                                         frequencies=frequencies)
        training = (f"the model of run {previous.pk}, its m refreshed on the new records' pairs" if sum(is_new) else
                    f"the model of run {previous.pk} (no new records to score)")
        # Existing people stay together: their records are chained as certain links.
        members: dict[str, list[int]] = defaultdict(list)
        for record, pid in current_person.items():
            if pid:
                members[pid].append(record)
        for records in members.values():
            kept_edges += [(records[0], other, 1.0) for other in records[1:]]
    else:
        say(f"training and scoring {frame.num_rows:,} records")
        trained: list = []
        linker, scored = train_and_predict(frame, raw_names=raw_names, threshold=review, engine=engine, trained=trained)
        training = trained[0].note
        on_priors_now = trained[0].method == "priors"
        say(training)
    weighed = ""
    if not raw_names and weighing:
        from .one_to_one import weigh_rivals as weigh

        # Splink scores each pair alone; a list names a person once, so a lone candidate gains and a rival loses.
        scored, weighed = weigh(frame, scored, review, on_priors_now if incremental else None)
        if weighed:
            say(weighed)
    probability = scored["match_probability"].to_numpy()
    from .contradictions import other_sex, released_by_reviewers, sealed_sexes, soon_after_death

    # A death and the person alive a few days after it, or two sexes: a date or a sex mistyped, or two people; a
    # reviewer decides.
    left, right = scored["unique_id_l"].to_numpy(), scored["unique_id_r"].to_numpy()
    sealed = None if raw_names else sealed_sexes()
    sexes = other_sex(frame, left, right, sealed) & (probability >= auto)
    framed = set(frame["unique_id"].to_pylist())
    joined = sorted(pair for pair in must if pair[0] in framed and pair[1] in framed)
    across = np.asarray(joined, dtype=np.int64).reshape(-1, 2)
    crossed = {pair for pair, two in zip(joined, other_sex(frame, across[:, 0], across[:, 1], sealed)) if two}
    at = np.flatnonzero(sexes)
    keys = [(int(min(a, b)), int(max(a, b))) for a, b in zip(left[at].tolist(), right[at].tolist())]
    released = released_by_reviewers(set(keys), crossed)
    sexes[at[[key in released for key in keys]]] = False
    sex_pairs = set(keys) - released
    held = (soon_after_death(frame, left, right) & (probability >= auto)) | sexes
    scored = scored.append_column("held_for_review", pa.array(held))
    linked = (probability >= auto) & ~held
    auto_links, review_pairs = int(linked.sum()), int(((probability >= review) & ~linked).sum())
    extra = [(a, b, 1.0) for a, b in must] + kept_edges
    edges = (np.concatenate([scored["unique_id_l"].to_numpy()[linked], np.array([e[0] for e in extra], np.int64)]),
             np.concatenate([scored["unique_id_r"].to_numpy()[linked], np.array([e[1] for e in extra], np.int64)]),
             np.concatenate([probability[linked], np.array([e[2] for e in extra], np.float64)]))
    ids = frame["unique_id"].to_pylist()
    say("clustering")
    model = linker.misc.save_model_to_json() if linker is not None else previous.settings if incremental else None
    apart: set[tuple[int, int]] = set()
    if model is not None and engine == "duckdb" and not raw_names:
        from .contradictions import contradicted_pairs

        # A reviewer's "same" outranks the model. An incremental run too, with the model it scored with: it once
        # checked nothing, and a custody list added so joined every dead namesake (an outside tester).
        # An incremental run: the people of the run before stay as they are, so only a new record's pairs are kept apart.
        frequencies = case_frequencies(frame, model) if frequencies is None else frequencies
        apart = contradicted_pairs(frame, model, edges, new=frame["is_new"].to_numpy() if incremental else None,
                                   frequencies=frequencies) - must
    named = alike = None
    if not raw_names:
        from .lists import alike_pairs, list_names

        named, alike = list_names(frame), alike_pairs(frame, scored)
        from .ties import tied_pairs

        # In a small case, a record torn between two of one list's records joins neither through a third (ties.py).
        if on_priors_now:
            tied = tied_pairs(frame, scored, auto, review, alike)
            if incremental:
                added = {pk for pk, is_new in zip(ids, frame["is_new"].to_pylist()) if is_new}
                tied = {pair for pair in tied if pair[0] in added or pair[1] in added}
            apart |= tied
    held_pairs = {(int(min(a, b)), int(max(a, b))) for a, b in zip(left[held], right[held])}
    from .decisions import across_decisions, not_chained

    apart = not_chained(apart | held_pairs, must)  # a reviewer's "same", or a chain of them, outranks both
    # ... and the model's contradictions of the records linked at auto-link to the records it decided, each on its side
    # of it; never a pair held for a reviewer, two sexes, or a death before the other's life (no one decided those).
    sides = list(zip(left[linked].tolist(), right[linked].tolist()))
    if incremental:
        # An existing person is one already: a decided record's side is all of it, not only this run's new links.
        decided = {record for pair in must for record in pair}
        sides += [(record, other) for record in decided if current_person.get(record)
                  for other in members[current_person[record]] if other != record]
    spanned = sorted(across_decisions(apart - held_pairs, must, sides))
    if spanned:
        from .contradictions import alive_after_death

        ends = np.asarray(spanned, dtype=np.int64).reshape(-1, 2)
        conflict = alive_after_death(frame, ends[:, 0], ends[:, 1]) | other_sex(frame, ends[:, 0], ends[:, 1], sealed)
        apart -= {pair for pair, kept in zip(spanned, conflict) if not kept}
    # A decided pair, or one a chain of "same" joins, no longer waits.
    held_waiting = len((held_pairs & apart) - cannot - sex_pairs)
    sex_waiting = len((sex_pairs & apart) - cannot)
    clusters = cluster(ids, edges, cannot | apart, locked=current_person if incremental else None, named=named,
                       alike=alike)
    from .decisions import not_applied

    # A decision the clustering could not keep is reported, never counted as applied.
    missed = not_applied(must, cannot, clusters, current_person if incremental else None)
    applied -= len(missed)
    for miss in missed:
        say(f"warning: the decision {miss['a']} {'=' if miss['decision'] == 'same' else '≠'} {miss['b']} "
            f"({miss['decision']}) is not applied: {miss['why']}")
    # What the counts leave unsaid: auto-scored pairs the clustering kept apart (a reviewer's "different" is counted
    # among the decisions applied, not here: rt46), review pairs decisions answer.
    kept_apart = sum(clusters[a][0] != clusters[b][0] and (min(a, b), max(a, b)) not in cannot
                     for a, b in zip(*(e[:auto_links].tolist() for e in edges[:2])))
    if not store:
        return LinkResult(0, len(ids), len({root for root, _ in clusters.values()}), scored.num_rows,
                          auto_links, review_pairs, applied, time.perf_counter() - started, 0, 0,
                          {"auto_link": auto, "review": review, "clusters": clusters}, training, weighed, missed,
                          kept_apart, None, incremental, held_waiting, sex_waiting)
    # An incremental run read them already; nothing it does before here writes a record.
    current = current_person if incremental else dict(Record.objects.values_list("pk", "person__person_id"))
    taken = set(Person.objects.values_list("person_id", flat=True))
    person_of, new, kept = assign_ids(clusters, current, taken)
    with transaction.atomic():
        run = LinkRun.objects.create(engine=engine, mode="incremental" if incremental else "full",
                                     settings=previous.settings if incremental else model,
                                     auto_link=auto,
                                     review=review, records=len(ids), pairs_scored=scored.num_rows,
                                     code_version=code_version(), marks=marks)
        wanted = set(person_of.values())
        # Every person's row, not an IN list of thousands of ids: one scan is faster than binding them.
        existing = dict(Person.objects.values_list("person_id", "pk"))
        Person.objects.bulk_create([Person(person_id=pid) for pid in sorted(wanted - set(existing))])
        existing = dict(Person.objects.values_list("person_id", "pk"))
        # Ids are stable, so most records keep theirs: only the changes are written, in one statement.
        changed = [(existing[pid], record) for record, pid in person_of.items() if current.get(record) != pid]
        with connection.cursor() as cursor:
            cursor.executemany(f"UPDATE {connection.ops.quote_name(Record._meta.db_table)} SET person_id = %s "
                               f"WHERE id = %s", changed)
        # Every wanted person now holds a record; a person left without any is gone.
        Person.objects.filter(records__isnull=True).delete()
        # A batch of pairs at a time: a million records score millions of pairs, too many as dicts at once.
        # Plain INSERTs: the ORM builds an object per row, which was most of an incremental run's store.
        weights = PairLink._meta.get_field("weights")
        for batch in scored.to_batches(max_chunksize=20_000):
            insert_rows(PairLink, ("run_id", "record_a_id", "record_b_id", "match_probability", "match_weight", "band",
                                   "weights"), [
                (run.pk, p["unique_id_l"], p["unique_id_r"], p["match_probability"], p["match_weight"],
                 "review" if p["held_for_review"] else run.band_of(p["match_probability"]),
                 weights.get_db_prep_save(explanation(p), connection))
                for p in batch.to_pylist()])
        insert_rows(Membership, ("run_id", "record_id", "person_id", "cluster_probability"),
                    [(run.pk, record, person_of[record], probability) for record, (_, probability) in clusters.items()])
        run.people = len(wanted)
        say("scoring the pairs again for readers who may not read every value")
        store_reader_scores(run, frame, case, scored, frequencies)
        kept_frame.keep(frame)
        run.seconds = time.perf_counter() - started
        run.save(update_fields=["people", "seconds"])
    from .decisions import review_links, unanswered

    # What the queue holds now: this run's review pairs and, after an incremental run, the runs' before it.
    waiting = unanswered(review_links().values_list("record_a", "record_b"))
    return LinkResult(run.pk, len(ids), len(wanted), scored.num_rows, auto_links,
                      review_pairs, applied, run.seconds, new, kept, {"auto_link": auto, "review": review}, training,
                      weighed, missed, kept_apart, waiting, incremental, held_waiting, sex_waiting)
