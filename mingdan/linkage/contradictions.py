"""Pairs inside one would-be person that the model itself calls two people.

Linking is transitive: 王伟 of a families' list (killed, no age, no place) is linked to 王伟 killed
in Haidian and, through the name alone, to 王伟 detained in Fengtai a month later, and the three
become one person although the model scores Haidian's and Fengtai's 王伟 as different people.
Before clustering, every pair of records inside each connected group of links is scored with the
trained model; a pair the model scores as a non-match (probability below CONTRADICTED) becomes a
cannot-link, and clustering rebuilds that group strongest link first without joining such a pair
(clustering.cluster).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

if TYPE_CHECKING:
    import pyarrow as pa

#: A pair inside one group scored below this is two people.
CONTRADICTED = 0.1
#: Groups larger than this are checked only on their pairs whose names share a reading (all pairs grow with
#: the square): at 100,000 records of the blind generator one chain of Hong Kong spellings held 4,219 records.
MAX_GROUP = 200
#: Groups larger than this are not checked at all: clustering rebuilds a checked group link by link in Python, and
#: at a million records the over-linked groups of common names hold tens of thousands of records.
MAX_CHECKED = 5_000
#: Days by which an event of the living may follow a death before the two cannot be one person (a date a source
#: gives a few days off, the night of 3-4 June written either day).
AFTER_DEATH_DAYS = 7


def contradicted_pairs(frame: "pa.Table", model: dict, edges: tuple, threshold: float = CONTRADICTED,
                       new: "np.ndarray | None" = None, frequencies: dict | None = None) -> set[tuple[int, int]]:
    """(a, b) pairs, a < b, inside groups of 3 to MAX_CHECKED linked records, that the model scores as two people (in a
    group of more than MAX_GROUP, among its pairs whose names share a reading); and inside groups of 2 to MAX_GROUP,
    a death and an event of the living after it (after_death). `new`: per frame row, whether it is a record an
    incremental run adds; only pairs holding one are looked for (the people before it stay as they are).
    frequencies: the case's term frequencies, counted already (levels.comparison_levels)."""
    from scipy.sparse import coo_matrix
    from scipy.sparse.csgraph import connected_components

    ids = frame["unique_id"].to_numpy()
    left, right = (np.asarray(column, dtype=np.int64) for column in edges[:2])
    if not len(left):
        return set()
    order = np.argsort(ids)
    position = {"l": order[np.searchsorted(ids, left, sorter=order)], "r": order[np.searchsorted(ids, right, sorter=order)]}
    graph = coo_matrix((np.ones(len(left)), (position["l"], position["r"])), shape=(len(ids), len(ids)))
    _, label = connected_components(graph, directed=False)
    sizes = np.bincount(label)
    if new is not None:
        # A group without a new record holds no pair the run may change: counted as too small to check.
        sizes = np.where(np.bincount(label, weights=new.astype(np.float64), minlength=len(sizes)) > 0, sizes, 0)
    found = _scored_apart(frame, model, label, sizes, threshold, new, frequencies) | after_death(frame, label, sizes)
    if new is None:
        return found
    added = set(ids[new.astype(bool)].tolist())
    return {pair for pair in found if pair[0] in added or pair[1] in added}


def after_death(frame: "pa.Table", label: np.ndarray, sizes: np.ndarray) -> set[tuple[int, int]]:
    """(a, b) pairs, a < b, inside linked groups of 2 to MAX_GROUP records, where one record is of a death and the
    other of the living a day or more after it (detained on 20 June, killed on 4 June): one person cannot be both,
    however alike their names. The model weighs "different events" alone (-3.6 bits), and a custody list's 王伟
    detained on 20 June was joined to 王伟 killed on 4 June (an outside tester). Within AFTER_DEATH_DAYS a source's
    date may be off: such a pair scored at auto-link waits for a reviewer (soon_after_death), whose "same" outranks
    this; one scored lower was joined through a third record without anyone deciding (a second tester)."""
    if not {"died_by", "alive_on"} <= set(frame.column_names):
        return set()
    # Every dated event of each record (frame.died_by, alive_on), not only the one its comparisons read: a record
    # detained on 4 June and released on 30 August was joined to a namesake killed on 4 June (an outside tester).
    end = frame["died_by"].to_numpy(zero_copy_only=False).astype(np.float64)
    start = frame["alive_on"].to_numpy(zero_copy_only=False).astype(np.float64)
    grouped = (sizes[label] >= 2) & (sizes[label] <= MAX_GROUP)
    dead = grouped & ~np.isnan(end)
    alive = grouped & ~np.isnan(start)
    ids = frame["unique_id"].to_numpy()
    alive_by_group: dict[int, list[int]] = {}
    for index in np.flatnonzero(alive).tolist():
        alive_by_group.setdefault(int(label[index]), []).append(index)
    found = set()
    for index in np.flatnonzero(dead).tolist():
        for other in alive_by_group.get(int(label[index]), ()):
            if other != index and start[other] >= end[index] + 1:
                a, b = int(ids[index]), int(ids[other])
                found.add((min(a, b), max(a, b)))
    return found


def soon_after_death(frame: "pa.Table", left: np.ndarray, right: np.ndarray) -> np.ndarray:
    """Per pair (left[i], right[i]): whether one record's death comes 1 to AFTER_DEATH_DAYS days before the other's
    event of the living (killed on 4 June, detained on 5 June). A date a few days off or two people: the model weighs
    "different events" alone (-3.6 bits), and a custody list's 张伟 detained on 5 June was auto-linked at 0.936 to
    张伟 killed on 4 June (an outside tester); such a pair waits for a reviewer instead (run.link_case)."""
    return alive_after_death(frame, left, right, AFTER_DEATH_DAYS)


def alive_after_death(frame: "pa.Table", left: np.ndarray, right: np.ndarray, most_days: int | None = None) -> np.ndarray:
    """Per pair (left[i], right[i]): whether one record's death comes a day or more (and at most `most_days`, if
    given) before the other's event of the living (frame.died_by, alive_on)."""
    if not {"died_by", "alive_on"} <= set(frame.column_names) or not len(left):
        return np.zeros(len(left), dtype=bool)
    from .lists import row_finder

    rows = row_finder(frame)
    died = frame["died_by"].to_numpy(zero_copy_only=False).astype(np.float64)
    alive = frame["alive_on"].to_numpy(zero_copy_only=False).astype(np.float64)
    at_left, at_right = rows(left), rows(right)
    most = np.inf if most_days is None else most_days
    with np.errstate(invalid="ignore"):  # NaN (no death, no event of the living) compares False
        gap_right, gap_left = alive[at_right] - died[at_left], alive[at_left] - died[at_right]
        return ((gap_right >= 1) & (gap_right <= most)) | ((gap_left >= 1) & (gap_left <= most))


def other_sex(frame: "pa.Table", left: np.ndarray, right: np.ndarray, sealed: "set[int] | None" = None) -> np.ndarray:
    """Per pair (left[i], right[i]): whether both records give a sex, every reader may read both (none is in
    `sealed`), and the two differ.

    The model weighs a different sex alone (about -3 bits), which a rare name outweighs: a woman 林志远 known by
    nothing but her name and the night was joined to a man 林志远 at 0.934 (an outside tester, rt46). A sex
    mistyped or two people: such a pair scored at auto-link waits for a reviewer (run.link_case), as
    `mingdan review decide ... same` asks to confirm one. Not on a sex some reader may not read: the held pair,
    alone in the queue at a score every value it may read agrees with, told a reviewer the secret sex (rerun46);
    such a pair is weighed by the model alone."""
    if "sex" not in frame.column_names or not len(left):
        return np.zeros(len(left), dtype=bool)
    from .lists import row_finder

    rows = row_finder(frame)
    codes: dict[str, int] = {}
    # Any two sexes the records give (male, female, other), each a code; a sex not given, or sealed, is 0.
    sex = np.array([0 if value is None or (sealed and pk in sealed) else codes.setdefault(value, len(codes) + 1)
                    for pk, value in zip(frame["unique_id"].to_pylist(), frame["sex"].to_pylist())], dtype=np.int64)
    at_left, at_right = sex[rows(left)], sex[rows(right)]
    return (at_left > 0) & (at_right > 0) & (at_left != at_right)


def sealed_sexes() -> set[int]:
    """The records whose sex is given at a sensitivity above public (other_sex leaves them to the model)."""
    from mingdan.store.models import Claim

    return set(Claim.objects.current().filter(field="sex").exclude(sensitivity="public")
               .values_list("record_id", flat=True))


def released_by_reviewers(pairs: set[tuple[int, int]], crossed: set[tuple[int, int]]) -> set[tuple[int, int]]:
    """The pairs of `pairs` (two sexes, held) that touch a record a reviewer's "same" joined across two sexes
    (`crossed`, whatever that pair scored): the reviewer judged its sex mistyped, so its other such pairs are weighed
    as the model scores them. Held, a mistyped sex's "same" with one record of a person split the person: the record
    joined that one and its held pair with the person's other record kept that one out (rerun46)."""
    confirmed = {record for pair in crossed for record in pair}
    return {pair for pair in pairs if pair[0] in confirmed or pair[1] in confirmed}


def _scored_apart(frame: "pa.Table", model: dict, label: np.ndarray, sizes: np.ndarray,
                  threshold: float, new: "np.ndarray | None" = None,
                  frequencies: dict | None = None) -> set[tuple[int, int]]:
    """The pairs inside groups of 3 to MAX_CHECKED linked records that the model scores below the threshold."""
    import pyarrow as pa

    from .incremental import match_weights, probability
    from .levels import Unsupported, comparison_levels, tf_total

    checked = (sizes[label] >= 3) & (sizes[label] <= MAX_CHECKED)
    if not checked.any():
        return set()
    grouped = (frame.filter(pa.array(checked)).append_column("link_group", pa.array(label[checked], pa.int64()))
               .append_column("link_group_size", pa.array(sizes[label[checked]], pa.int64())))
    rule = (f"l.link_group = r.link_group AND (l.link_group_size <= {MAX_GROUP} OR l.pinyin_key = r.pinyin_key "
            f"OR list_has_any(l.sound_readings, r.sound_readings))")
    blocking = {"blocking_rule": rule}
    if new is not None:
        # Only the added records are joined to their groups (levels.comparison_levels).
        grouped = grouped.append_column("is_added", pa.array(new[checked].astype(np.int64)))
        blocking["either_side"] = "is_added = 1"
    try:
        pairs = comparison_levels(grouped, model, [blocking], counted=frame, frequencies=frequencies)
    except Unsupported:
        return set()
    gammas = {c["output_column_name"]: pairs[f"gamma_{c['output_column_name']}"].to_numpy().astype(np.int64)
              for c in model["comparisons"]}
    weight, _ = match_weights(model, gammas, tf_total(pairs))
    apart = probability(weight) < threshold
    a, b = pairs["unique_id_l"].to_numpy()[apart], pairs["unique_id_r"].to_numpy()[apart]
    return {(int(min(x, y)), int(max(x, y))) for x, y in zip(a, b)}
