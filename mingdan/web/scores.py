"""A pair's match score as a reader may see it: the run's own score when it rests on values the reader may read,
else the pair scored again from the reader's values alone.

A match probability and its per-field weights are functions of the values linkage read: every
name form, sex, age, occupation and event (type, dates, place) of both records, at every level of
sensitivity, harassment included. Shown to a reader who may not read one of those values, the
run's score tells how that value compares with the other record's (an outside tester recovered a
withheld field's weight from the probability and the other weights, and saw a viewer's
probabilities change when only a relative's harassment did); withholding it instead said that a
hidden value was there. So such a pair is scored again with the run's model from the values the
reader may read (run_scores, below): the score it would have if the hidden values were not
recorded at all; a record page lists its scored links with those scores too (shown_links).
"""

from __future__ import annotations

import threading
from dataclasses import dataclass

from django.db.models import Q

from mingdan.store.lens import Lens, family_events_q


#: The claim fields linkage compares beside the name forms and the events (linkage/frame.py).
COMPARED_FIELDS = ("sex", "age", "occupation")
CHUNK = 500


def hidden_inputs(record_pks: list[int], reader: Lens) -> set[int]:
    """The records among these whose linkage inputs hold a value this reader may not read."""
    from mingdan.store.models import Claim, Event, Name

    pks = sorted(set(record_pks))
    if len(pks) > CHUNK:  # a whole review queue: keep each query's parameter list short
        return set().union(*(hidden_inputs(pks[i:i + CHUNK], reader) for i in range(0, len(pks), CHUNK)))
    if not pks:
        return set()
    hidden = set(Claim.objects.current().filter(record_id__in=pks, field__in=COMPARED_FIELDS)
                 .exclude(sensitivity__in=reader.readable).values_list("record_id", flat=True))
    # Name forms are asked for themselves: their claims' field is whatever the mapping named.
    hidden |= set(Name.objects.filter(record_id__in=pks, claim__superseded_in__isnull=True)
                  .exclude(claim__sensitivity__in=reader.readable).values_list("record_id", flat=True))
    unreadable = (~Q(type_sensitivity__in=reader.readable) | ~Q(date_sensitivity__in=reader.readable)
                  | ~Q(place_sensitivity__in=reader.readable))
    if reader.hides_events():
        unreadable |= family_events_q()
    hidden |= set(Event.objects.filter(unreadable, record_id__in=pks, superseded_in__isnull=True)
                  .values_list("record_id", flat=True))
    return hidden


def field_hidden(record_pks: list[int], field: str, reader: Lens) -> bool:
    """True when either record holds a value of this compared field (as linkage names it) the reader may not read."""
    from mingdan.store.models import Claim, Event, Name

    if field in ("event", "event_type", "event_family", "dates", "event_date", "place", "place_key"):
        # The event comparison reads the type and the days; the place comparison the place.
        columns = (("place_sensitivity",) if field.startswith("place")
                   else ("date_sensitivity",) if field in ("dates", "event_date")
                   else ("type_sensitivity", "date_sensitivity"))
        condition = Q(pk__in=[])
        for column in columns:
            condition |= ~Q(**{f"{column}__in": reader.readable})
        if reader.hides_events():
            condition |= family_events_q()
        return Event.objects.filter(condition, record_id__in=record_pks, superseded_in__isnull=True).exists()
    if field in COMPARED_FIELDS:
        return Claim.objects.current().filter(record_id__in=record_pks, field=field).exclude(
            sensitivity__in=reader.readable).exists()
    # Every other comparison is of the names.
    return Name.objects.filter(record_id__in=record_pks, claim__superseded_in__isnull=True).exclude(
        claim__sensitivity__in=reader.readable).exists()


def readable_links(links: list, reader: Lens) -> list:
    """The scored links whose score rests only on values this reader may read.

    The others are left out whole, not listed as withheld: which pairs were scored at all, their
    band and their order all follow from the score (and blocking read the hidden values too).
    """
    hidden = hidden_inputs([pk for link in links for pk in (link.record_a_id, link.record_b_id)], reader)
    return [link for link in links if link.record_a_id not in hidden and link.record_b_id not in hidden]


# --- A pair's score as a reader's own values give it ---------------------------------------------------------
#
# Withholding a score whose inputs hold a hidden value made the review page differ between a record that has one and
# a record that has not ("Match probability withheld" said that something was hidden). Instead, a reader who does not
# read every level is shown each pair scored again with the run's trained model (its m and u, its prior, the case's
# term frequencies) from the values it may read, every other value exactly as if it were not recorded
# (linkage.frame.record_frame with `readable`): the score of a pair whose records never held those values. The band,
# and whether the pair was scored at all, remain the run's (inherent: docs/web.md).


@dataclass
class ReaderScore:
    """A pair's match probability, total weight (bits) and per-comparison level and weight, from a reader's values."""

    probability: float
    weight: float
    fields: dict[str, dict]


def replayable(model: dict | None) -> bool:
    """True when a run's saved model can score pairs again here (runs of an earlier mingdan may not)."""
    return bool(model) and bool(model.get("comparisons")) and "probability_two_random_records_match" in model \
        and "place_lineage" in str(model)


_CASE_LENS = Lens(("public", "restricted", "secret"), families=True)  # keys of figures of the whole case


def _frequencies(model: dict) -> tuple[dict, tuple]:
    """Each term-frequency column's frequencies over the whole case (a figure of the case, like the model), and
    the fingerprint they were counted at.

    Counting reads the whole case's frame, seconds on a large case: after a change the frequencies
    from before are used while one background thread counts again (they are a case-wide figure; a
    record more or less moves no pair's score in a way that tells anything of that pair).
    """
    from mingdan.linkage.frequencies import frequency_table
    from mingdan.linkage.levels import tf_columns

    columns = tuple(tf_columns(model))

    def compute() -> dict:
        from mingdan.linkage.frame_cache import KeptFrame

        from .case import current

        frame = KeptFrame(current()).load()
        return {column: frequency_table(frame, column) for column in columns}

    return _case_figure("term-frequencies", compute, columns, stale_ok=True) if columns else ({}, ())


def _places():
    from mingdan.linkage.frame import place_reader

    return _case_figure("linkage-places", place_reader, stale_ok=True)[0]


_FIGURES: dict[tuple, tuple[tuple, object]] = {}
_REFRESHING: set[tuple] = set()
_GUARD = threading.Lock()


def forget() -> None:
    """Drop every kept figure and score (the served case changed: tests)."""
    _FIGURES.clear()
    _RUN_SCORES.clear()


def warm() -> None:
    """Count the latest run's frequencies now (at the server's start), not in the first reader's request."""
    from mingdan.store.models import LinkRun

    run = LinkRun.objects.order_by("-id").first()
    if run is not None and replayable(run.settings):
        _frequencies(run.settings)
        _places()


def _records_fingerprint() -> tuple:
    """The case's fingerprint less its review decisions (a decision changes no value, frequency or score)."""
    from mingdan.store.revision import TABLES, fingerprint

    return tuple(value for name, value in zip(TABLES, fingerprint()) if name != "ReviewDecision")


def _case_figure(name: str, compute, *extra, stale_ok: bool = False) -> tuple:
    """(a figure of the whole case, not of a reader; the fingerprint it was computed at), kept until the records
    change; with `stale_ok`, the figure from before a change while a background thread computes it again."""
    key = (name, *extra)
    now = _records_fingerprint()
    known = _FIGURES.get(key)
    if known is not None and known[0] != now and stale_ok:
        _refresh(key, compute, now)
    elif known is None or known[0] != now:
        known = (now, compute())
        _FIGURES[key] = known
    return known[1], known[0]


def _refresh(key: tuple, compute, now: tuple) -> None:
    from django.db import connections

    with _GUARD:
        if key in _REFRESHING:
            return
        _REFRESHING.add(key)

    def work() -> None:
        try:
            _FIGURES[key] = (now, compute())
        finally:
            with _GUARD:
                _REFRESHING.discard(key)
            connections.close_all()

    threading.Thread(target=work, name=f"mingdan-{key[0]}", daemon=True).start()


def score_pairs(pairs: list[tuple[int, int]], reader: Lens, model: dict,
                frequencies: dict | None = None) -> dict[tuple[int, int], ReaderScore]:
    """Each pair (smaller id first) scored with the model from the values this reader may read (`frequencies`:
    the term frequencies to use, else the case's)."""
    import numpy as np
    import pyarrow as pa

    from mingdan.linkage.frame import SCHEMA, linkage_view, record_frame
    from mingdan.linkage.incremental import match_weights, probability
    from mingdan.linkage.levels import pair_levels

    from .case import current

    pairs = sorted({(min(a, b), max(a, b)) for a, b in pairs})
    if not pairs:
        return {}
    if frequencies is None:
        frequencies = _frequencies(model)[0]
    readable, hide_families = reader.readable, reader.hides_events()
    linked_on = linkage_view(current())
    if linked_on is not None:  # a case linked on public values only: no reader's score reads more than the run did
        readable = tuple(level for level in readable if level in linked_on.readable)
        hide_families = hide_families or linked_on.hide_families
    rows = record_frame(sorted({pk for pair in pairs for pk in pair}), _places(), readable=readable,
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
        found[(a, b)] = ReaderScore(float(chances[index]), float(total[index]), fields)
    return found


_RUN_SCORES: dict[tuple, tuple[tuple, dict]] = {}


def run_scores(run, pairs: list[tuple[int, int]], reader: Lens) -> dict[tuple[int, int], ReaderScore] | None:
    """The scores this reader is shown of the run's pairs: {} for a reader of every value (the run's own scores are
    its), else every pair scored again from the reader's values; None when the run's model cannot be replayed.

    Every pair, not only those with a hidden value: the run's stored scores were computed with the
    term frequencies of the case as it was then, these with the case as it is, and a reader who saw
    both kinds could tell from the difference which pairs hold a hidden value. Kept per run and
    reader level until the records change (a review decision changes no score).
    """
    if "secret" in reader.readable and reader.families:
        return {}
    if not replayable(run.settings):
        return None
    wanted = {(min(a, b), max(a, b)) for a, b in pairs}
    frequencies, counted_at = _frequencies(run.settings)
    # Scores of one reader level are all of one state of the records and one count of the frequencies.
    now = (_records_fingerprint(), counted_at)
    key = (run.pk, reader.level, reader.families)
    known = _RUN_SCORES.get(key)
    scored = known[1] if known is not None and known[0] == now else {}
    missing = sorted(wanted - set(scored))
    if missing:
        scored = {**scored, **score_pairs(missing, reader, run.settings, frequencies)}
        _RUN_SCORES[key] = (now, scored)
    return {pair: scored[pair] for pair in wanted if pair in scored}


def shown_links(links: list, reader: Lens) -> list:
    """The scored links a record page shows this reader, each with the probability it is shown (`shown`), in the
    order of those: the reader's own scores (run_scores), or for a run whose model cannot be replayed, the run's
    scores of the links that rest on readable values only (the others left out whole, as readable_links)."""
    shown = []
    for run_pk in sorted({link.run_id for link in links}, reverse=True):
        group = [link for link in links if link.run_id == run_pk]
        found = run_scores(group[0].run, [(link.record_a_id, link.record_b_id) for link in group], reader)
        if found is None:
            group = readable_links(group, reader)
        for link in group:
            again = (found or {}).get((min(link.record_a_id, link.record_b_id), max(link.record_a_id, link.record_b_id)))
            link.shown = again.probability if again else link.match_probability
        shown.extend(sorted(group, key=lambda link: (-link.shown, link.pk)))
    return shown
