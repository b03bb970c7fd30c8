"""A pair's match score as a reader may see it: the run's own score when it rests on values the reader may read,
else the pair scored from the reader's values alone (stored by the run: linkage/reader_scores.py).

Withholding a score whose inputs hold a hidden value said that a hidden value was there; showing
the run's score told how that value compares (an outside tester recovered a withheld field's
weight from the probability and the other weights). So a reader is shown such a pair scored with
the run's model from the values it may read: the score it would have if the hidden values were
not recorded at all (run_scores); a record page lists its scored links with those scores too
(shown_links). The band, and whether the pair was scored at all, remain the run's (docs/web.md).
"""

from __future__ import annotations

import threading

from django.db.models import Q

from mingdan.linkage.reader_scores import (COMPARED_FIELDS, PairScore, case_frequencies, changed_since,
                                           hidden_records, reads_everything, replayable, score_pairs, view_frequencies,
                                           stored_for)
from mingdan.store.lens import Lens, family_events_q


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
    if field == "sentence":
        from mingdan.store.models import CustodyEvent

        return CustodyEvent.objects.filter(event__record_id__in=record_pks, event__superseded_in__isnull=True).exclude(
            sentence_kind="").exclude(sentence_sensitivity__in=reader.readable).exists()
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
    hidden = hidden_records(reader, [pk for link in links for pk in (link.record_a_id, link.record_b_id)])
    return [link for link in links if link.record_a_id not in hidden and link.record_b_id not in hidden]


# --- A pair's score as a reader's own values give it ---------------------------------------------------------
#
# The run stores, for each reader view, the pairs whose records hold a value that view may not read, scored again from
# the values it may read (linkage/reader_scores.py); every other pair's score is the run's own for every reader. What
# the server still scores is the pairs of records changed since the run (an edit, an import adding a claim to a
# record): from their values as they are now, with the run's model and the term frequencies of the frame it kept.


_STORED: dict[tuple, dict] = {}
_CHANGED: dict[int, tuple[tuple, dict[int, bool]]] = {}
_AGAIN: dict[tuple, tuple[tuple, dict]] = {}
_TOOLS: dict[int, tuple] = {}
_GUARD = threading.Lock()


def forget() -> None:
    """Drop every kept score and figure (the served case changed: tests)."""
    for kept in (_STORED, _CHANGED, _AGAIN, _TOOLS):
        kept.clear()


def _records_fingerprint() -> tuple:
    """The case's fingerprint less its review decisions (a decision changes no value, frequency or score)."""
    from mingdan.store.revision import TABLES, fingerprint

    return tuple(value for name, value in zip(TABLES, fingerprint()) if name != "ReviewDecision")


def _stored(run, reader: Lens) -> dict[tuple[int, int], PairScore]:
    """The reader scores the run stored for this reader's view (a run never changes them: kept for good)."""
    from mingdan.store.models import ReaderScore

    key = (run.pk, reader.level, reader.families)
    found = _STORED.get(key)
    if found is None:
        rows = ReaderScore.objects.filter(run=run, level=reader.level, families=reader.families).values_list(
            "record_a_id", "record_b_id", "match_probability", "match_weight", "weights")
        found = _STORED[key] = {(a, b): PairScore(p, w, fields) for a, b, p, w, fields in rows}
    return found


def _changed(run, now: tuple, records: set[int]) -> set[int]:
    """Those of these records changed since the run read the case (answers kept until the case changes)."""
    known = _CHANGED.get(run.pk)
    if known is None or known[0] != now:
        known = _CHANGED[run.pk] = (now, {})
    answers = known[1]
    ask = records - answers.keys()
    if ask:
        found = changed_since(run.marks, ask)
        answers.update({pk: pk in found for pk in ask})
    return {pk for pk in records if answers[pk]}


def _tools(run, reader: Lens) -> tuple[dict, object]:
    """The term frequencies the reader's values give over the frame the latest run kept, and the place reader,
    counted once per run and reader view."""
    from mingdan.linkage.frame import linkage_view, place_reader
    from mingdan.linkage.frame_cache import KeptFrame
    from mingdan.store.models import LinkRun

    latest = LinkRun.objects.order_by("-id").values_list("pk", flat=True).first()
    key = (latest, reader.level, reader.families)
    with _GUARD:  # one thread counts (seconds on a large case) while the others wait for it
        found = _TOOLS.get(key)
        if found is None:
            from .case import current

            frame, places = KeptFrame(current()).load(), place_reader()
            if reads_everything(reader) or linkage_view(current()) is not None:
                frequencies = case_frequencies(frame, run.settings)
            else:  # a namesake's hidden value must not move this reader's weights (reader_scores.view_frequencies)
                frequencies = view_frequencies(frame, run.settings, reader, places)
            found = _TOOLS[key] = (frequencies, places)
    return found


def run_scores(run, pairs: list[tuple[int, int]], reader: Lens) -> dict[tuple[int, int], PairScore] | None:
    """The scores of the run's pairs this reader is shown where they differ from the run's own: None when the run
    stored no reader scores (its model cannot be replayed, or an older or Spark run) and the reader does not read every
    value; else the run's stored scores of the reader's view (none for a reader of every value) and the pairs of
    records changed since the run, scored again from the values as they are now (a pair absent: the run's score).
    """
    from mingdan.linkage.frame import linkage_view

    from .case import current

    if not replayable(run.settings) or not stored_for(run):
        if reads_everything(reader):
            return {}
        # A run made before reader scores were stored, or one that could not store them (a Spark run): what rests on
        # a hidden value is withheld instead.
        return None
    wanted = {(min(a, b), max(a, b)) for a, b in pairs}
    # A reader of every value is shown the run's own scores, save for pairs changed since (below).
    stored = {} if reads_everything(reader) else _stored(run, reader)
    found = {pair: stored[pair] for pair in wanted if pair in stored}
    now = _records_fingerprint()
    changed = _changed(run, now, {pk for pair in wanted for pk in pair})
    again = {pair for pair in wanted if pair[0] in changed or pair[1] in changed}
    if again:
        key = (run.pk, reader.level, reader.families)
        known = _AGAIN.get(key)
        scored = known[1] if known is not None and known[0] == now else {}
        missing = sorted(again - set(scored))
        if missing:
            frequencies, places = _tools(run, reader)  # seconds once per run and view: only after records changed
            scored = {**scored, **score_pairs(missing, reader, run.settings, frequencies, places,
                                              linkage_view(current()))}
            _AGAIN[key] = (now, scored)
        found.update({pair: scored[pair] for pair in again if pair in scored})
    return found


def shown_links(links: list, reader: Lens) -> list:
    """The scored links a record page shows this reader, each with the probability it is shown (`shown`), in the
    order of those: the reader's own scores (run_scores), or for a run whose model cannot be replayed, the run's
    scores of the links that rest on readable values only (the others left out whole, as readable_links)."""
    shown, seen = [], set()
    for run_pk in sorted({link.run_id for link in links}, reverse=True):
        # A pair scored again by a later run is shown with that run's score only (once, not once per run).
        group = [link for link in links if link.run_id == run_pk
                 and (min(link.record_a_id, link.record_b_id), max(link.record_a_id, link.record_b_id)) not in seen]
        seen.update((min(link.record_a_id, link.record_b_id), max(link.record_a_id, link.record_b_id))
                    for link in group)
        if not group:
            continue
        found = run_scores(group[0].run, [(link.record_a_id, link.record_b_id) for link in group], reader)
        if found is None:
            group = readable_links(group, reader)
        for link in group:
            again = (found or {}).get((min(link.record_a_id, link.record_b_id), max(link.record_a_id, link.record_b_id)))
            link.shown = again.probability if again else link.match_probability
            # The band beside the score is the shown score's: the run's band of a pair scored again would tell how
            # the hidden value moved it (a 0.056 "to review" below the review threshold).
            # A pair not scored again rests on values this reader reads: the run's band stands (a pair at auto-link held
            # for a reviewer is in the review band, contradictions.soon_after_death).
            link.shown_band = link.run.band_of(link.shown) if again else link.band
            if link.shown_band == "auto" and link.record_a.person_id != link.record_b.person_id:
                link.shown_band = "apart"  # "linked" beside two people misled a tester
        shown.extend(sorted(group, key=lambda link: (-link.shown, link.pk)))
    return shown
