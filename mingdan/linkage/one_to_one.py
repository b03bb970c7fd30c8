"""One list names a person once: a pair's score weighed against the other candidates in the two lists.

Splink scores each pair alone, as if any number of one list's records could be the person a record
of another list names. But a list names a person once (or, now and then, twice in the same way), so
a record of list A has at most one match in list B, and the lists cover each other only in part.
Given a record a of A, its candidates b1..bk in B with posterior odds w_i (Splink's, each pair
alone) and the share pi of A's people that B also names, the chance that b_i is a's match is

    w_i / ((1 - pi) + w_1 + ... + w_k)

(the record-level model of Jaro (1989) and Sadinle (2017), bipartite matching: each record matches
at most one of the other list). A lone candidate gains (its odds over 1 - pi instead of 1); one
among several rivals loses. Both directions are read (a's candidates in B, b's candidates in A)
and combined as two views of one pair: odds(a->b) * odds(b->a) / w, the pair's own odds counted
once. A rival that may be the candidate's repeat in its own list (a list names someone twice now
and then) counts only as far as it may be another person: its odds times one minus the chance
that the two are one, their own pair's score. pi is taken as COVERAGE (0.4) for every two lists.
It was first estimated from the scores (a few rounds of summing each list's adjusted scores over
its size): the estimate read every value, so one record's secret value moved every pair's score a
hair for readers who may not read it (an outside tester saw 46% against 47%, and the digits move);
a constant reads nothing, and measured as well (docs/linkage.md).

A lone candidate may be a stranger: a's true match may lie outside the candidates (blocking, a
badly misspelt name). With pi at 0.4 a lone candidate's odds rise 1 / 0.6^2 = 2.8 times (1.5
bits): a pair scored 0.20 alone (the review threshold) ends at 0.41, still for a reviewer, and one
must score 0.35 alone to be linked by the weighing. A pair's odds never rise more than
MOST_GAIN_BITS (2 bits), whatever coverage a caller gives. An outside tester's lone strangers,
scored 0.43-0.51 alone, had risen to 0.83-0.89 with pi estimated (eight times their odds); now
0.68-0.74. A case can turn the weighing off (`weigh_rivals = false` under [linkage] in
mingdan.toml).

Measured on the blind generator (docs/linkage.md, "A pair weighed against its records' other
candidates"): at 100,000 records pairwise F1 0.847 -> 0.894 with precision 0.963 -> 0.966; at
5,000 records (seeds 1-3) 0.973 / 0.968 / 0.975 -> 0.976 / 0.972 / 0.977; our own simulator
0.9883 -> 0.9877.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np

if TYPE_CHECKING:
    import pyarrow as pa

#: The share of one list's people another list is taken to name (pi; see the module's docstring).
COVERAGE = 0.4
#: Most a pair's weight may rise by the weighing, in bits (see the module's docstring).
MOST_GAIN_BITS = 2.0
#: Most it may rise in a case linked with the priors (too small to train on): the gain of one view, the bipartite
#: answer for a lone pair. The product of both views' gains was measured better only on trained cases of thousands
#: of records; with it, 柳志明 of a families' list against 刘志明 (other characters read alike; the same sex and the
#: night's killing, the priors' model saying 0.46) was linked at 0.70 in a 54-record case (an outside tester).
SMALL_CASE_GAIN_BITS = float(np.log2(1 / (1 - COVERAGE)))


@dataclass
class Adjusted:
    """The pairs' adjusted probabilities, the change in bits, and the coverage of one list by another used."""

    probability: np.ndarray
    bits: np.ndarray
    coverage: np.ndarray  # [list a, list b]: share of a's people that b is taken to name


def adjust(left: np.ndarray, right: np.ndarray, probability: np.ndarray, source_of: dict[int, str],
           alike_floor: float, coverage: np.ndarray | None = None, names: dict | None = None,
           most_gain_bits: float = MOST_GAIN_BITS, together: tuple[np.ndarray, np.ndarray] | None = None) -> Adjusted:
    """Each pair of two lists' probability weighed against its records' other candidates (module docstring).

    left, right: the pairs' record ids; probability: Splink's, each pair alone; source_of: record -> list;
    alike_floor: pairs of one list scored at least this may be a list's repeat (the review threshold); coverage: the
    share of one list's people another names, by list (COVERAGE for every pair of lists if not given); names:
    record -> its name keys as written (lists.NAME_KEYS), where given two records of one list whose names differ
    (lists.same_name: 王剑华 and 王建华) are never each other's repeat, however they score (a record without a name
    may be); most_gain_bits: the most a pair's weight may rise (options); together: pairs of records (left ids,
    right ids) of one list that are one person already, each the other's repeat whatever they scored (options).
    Pairs of one list are returned unchanged.
    """
    left, right = np.asarray(left, dtype=np.int64), np.asarray(right, dtype=np.int64)
    p = np.clip(np.asarray(probability, dtype=np.float64), 1e-12, 1 - 1e-12)
    lists = sorted({source_of[int(r)] for r in np.concatenate([left, right]).tolist()} - {None}, key=str)
    code = {name: i for i, name in enumerate(lists)}
    records = np.unique(np.concatenate([left, right]))
    listed = np.array([code.get(source_of[int(r)], -1) for r in records.tolist()], dtype=np.int64)
    at_l, at_r = np.searchsorted(records, left), np.searchsorted(records, right)
    sl, sr = listed[at_l], listed[at_r]
    n = len(lists)
    cross = np.flatnonzero((sl != sr) & (sl >= 0) & (sr >= 0))
    if coverage is None:
        coverage = np.full((n, n), COVERAGE)
    if len(cross) == 0:
        return Adjusted(p.copy(), np.zeros(len(p)), coverage)
    w = p[cross] / (1 - p[cross])
    within = np.flatnonzero((sl == sr) & (sl >= 0) & (p >= alike_floor))
    if names is not None and len(within):
        from .lists import same_name

        # Clustering never makes one person of them, so each stays the other's rival (an outside tester: `Wang
        # Jianhua` against 王剑华 and 王建华 of one list was linked to whichever came first, at 1.000).
        within = within[[int(left[i]) not in names or int(right[i]) not in names
                         or same_name(names[int(left[i])], names[int(right[i])]) for i in within.tolist()]]
    x, y, same = at_l[within], at_r[within], p[within]
    if together is not None and len(together[0]):
        x, y, same = _with_people(records, (x, y, same), together)
    sides = []
    for me, other, mine, theirs in ((at_l[cross], at_r[cross], sl[cross], sr[cross]),
                                    (at_r[cross], at_l[cross], sr[cross], sl[cross])):
        # One row per (record, other list): its candidates there.
        _, key = np.unique(me * n + theirs, return_inverse=True)
        key = key.ravel()
        sides.append((key, _repeats(me, other, w, x, y, same), mine, theirs))
    odds = []
    for key, repeat, mine, theirs in sides:
        # A rival that may be this candidate's repeat in its list counts only as far as it may be another person.
        others = np.bincount(key, weights=w)[key] - w - repeat
        odds.append(w / ((1 - coverage[mine, theirs]) + np.maximum(others, 0.0)))
    combined = np.minimum(_combine(w, odds[0] / w, odds[1] / w), w * 2.0 ** most_gain_bits)
    q = p.copy()
    q[cross] = combined / (1 + combined)
    bits = np.zeros(len(p))
    bits[cross] = np.log2(combined / w)
    return Adjusted(q, bits, coverage)


def _with_people(records: np.ndarray, repeats: tuple, together: tuple[np.ndarray, np.ndarray]) -> tuple:
    """The repeats (positions in `records` and their chance of being one) with the pairs of `together` whose two
    records are both candidates here added as certain repeats; a pair among the repeats already is not added twice.

    An incremental run scores only pairs with a new record, so two records of one list that a run before made one
    person were each other's rival: 邓志刚 and `Deng Zhigang` of a families' list, one person, tied for a custody
    list's `Deng Zhigang` (0.991 each alone, 0.500 weighed), which joined neither; a full run joined all three
    (an outside tester, rt47)."""
    x, y, same = repeats
    a, b = (np.asarray(side, dtype=np.int64) for side in together)
    inside = np.isin(a, records) & np.isin(b, records)
    a, b = np.searchsorted(records, a[inside]), np.searchsorted(records, b[inside])
    known = set(zip(np.minimum(x, y).tolist(), np.maximum(x, y).tolist()))
    new = np.array([(min(i, j), max(i, j)) not in known for i, j in zip(a.tolist(), b.tolist())], dtype=bool)
    return (np.concatenate([x, a[new]]), np.concatenate([y, b[new]]),
            np.concatenate([same, np.full(int(new.sum()), 1 - 1e-12)]))


def _combine(w: np.ndarray, one: np.ndarray, other: np.ndarray) -> np.ndarray:
    """The pair's odds from its two views' factors (each view's odds over w): their product, except that a view
    where rivals contest the pair (factor below 1) lets the other view's lone-candidate gain count only as far as
    the contest leaves it (the gain raised to the contested factor).

    The product counts the gain of being a lone candidate in a view that knows nothing of the other view's
    rivals: `Wang Jianhua` against 王剑华 and 王建华 of one list, each scored 1.000 alone, came out at 0.625 for
    both (a tie, 1/(1 - COVERAGE) over even odds), above auto-link, and was linked to whichever came first (an
    outside tester). Bipartite matching gives each 0.5, which this gives; where neither view is contested the
    product stands unchanged."""
    low, high = np.minimum(one, other), np.maximum(one, other)
    return w * low * high ** np.clip(low, 0.0, 1.0)


def _repeats(me: np.ndarray, other: np.ndarray, w: np.ndarray, x: np.ndarray, y: np.ndarray,
             same: np.ndarray) -> np.ndarray:
    """For each pair (me, other): the sum over me's other candidates c in other's list of w(me, c) times the chance
    that c is other's repeat in that list (their own pair's score; 0 where not scored), to take out of the rivals."""
    import pandas as pd

    repeat = np.zeros(len(me))
    if len(x) == 0:
        return repeat
    pairs = pd.DataFrame({"me": me, "other": other, "row": np.arange(len(me)), "w": w})
    alike = pd.DataFrame({"other": np.concatenate([x, y]), "rival": np.concatenate([y, x]),
                          "same": np.concatenate([same, same])})
    joined = pairs[["me", "other", "row"]].merge(alike, on="other").merge(
        pairs[["me", "other", "w"]].rename(columns={"other": "rival"}), on=["me", "rival"])
    np.add.at(repeat, joined["row"].to_numpy(), (joined["w"] * joined["same"]).to_numpy())
    return repeat


def weigh_rivals(frame: "pa.Table", scored: "pa.Table", alike_floor: float,
                 priors: bool | None = None) -> tuple["pa.Table", str]:
    """The scored pairs with each two-list pair's probability and weight adjusted (adjust), the change in bits as
    `mw_one_to_one` and the probability scored alone as `match_probability_alone` (for the explanation); and a
    sentence saying what changed (for the run's output). priors: whether the model is a small case's (options)."""
    import pyarrow as pa

    if scored.num_rows == 0:
        return scored, ""
    source_of = dict(zip(frame["unique_id"].to_pylist(), frame["source"].to_pylist()))
    alone = scored["match_probability"].to_numpy(zero_copy_only=False).astype(np.float64)
    found = adjust(scored["unique_id_l"].to_numpy(), scored["unique_id_r"].to_numpy(), alone, source_of, alike_floor,
                   **options(frame, priors))
    weight = scored["match_weight"].to_numpy(zero_copy_only=False).astype(np.float64) + found.bits
    table = scored.set_column(scored.schema.get_field_index("match_probability"), "match_probability",
                              pa.array(found.probability))
    table = table.set_column(table.schema.get_field_index("match_weight"), "match_weight", pa.array(weight))
    table = table.append_column("mw_one_to_one", pa.array(found.bits, pa.float32())).append_column(
        "match_probability_alone", pa.array(alone))
    return table, summary(found)


def options(frame: "pa.Table", priors: bool | None = None) -> dict:
    """adjust's names and most_gain_bits for a case's frame, the same for the run and every reader's view.

    priors: whether the pairs were scored with a small case's priors (None: whether the frame is that small). An
    incremental run keeps its full run's model, priors included, when the case has grown past the size to train."""
    from .lists import NAME_KEYS
    from .model import MIN_RECORDS_TO_TRAIN

    # The names as written, not the list rule's keys (lists.list_names), which give each record of a name a list
    # holds three times keys of its own: 張平明 three times in one of our simulator's lists, two of them one person
    # entered twice (scored 0.86 together), were then each other's rival, and a third list's 張平明 tied between
    # them went to review (72 true pairs and 13 false ones on that simulator, pairwise F1 0.9876 -> 0.9860).
    names = ({uid: tuple(keys) for uid, *keys in zip(*(frame[c].to_pylist() for c in ("unique_id", *NAME_KEYS)))
              if any(keys)} if set(NAME_KEYS) <= set(frame.column_names) else None)
    return {"names": names,
            "most_gain_bits": SMALL_CASE_GAIN_BITS if (frame.num_rows < MIN_RECORDS_TO_TRAIN if priors is None
                                                       else priors) else MOST_GAIN_BITS,
            "together": one_person_pairs(frame)}


def one_person_pairs(frame: "pa.Table") -> tuple[np.ndarray, np.ndarray] | None:
    """Pairs of records of one list that are one person already (the frame's `person_before`, an incremental run's
    people before it; None without it): ids left and right."""
    if "person_before" not in frame.column_names:
        return None
    import pyarrow.compute as pc

    kept = frame.select(["unique_id", "source", "person_before"]).filter(pc.is_valid(frame["person_before"]))
    groups = kept.group_by(["source", "person_before"]).aggregate([("unique_id", "list"), ("unique_id", "count")])
    several = groups.filter(pc.greater(groups["unique_id_count"], 1))["unique_id_list"].to_pylist()
    pairs = [(a, b) for members in several for i, a in enumerate(members) for b in members[i + 1:]]
    return (np.array([a for a, _ in pairs], dtype=np.int64), np.array([b for _, b in pairs], dtype=np.int64))


def summary(found: Adjusted) -> str:
    """How many pairs the weighing raised and lowered, in a sentence."""
    raised, lowered = int(np.sum(found.bits > 0.001)), int(np.sum(found.bits < -0.001))
    return (f"pairs of two lists weighed against their records' other candidates: {raised:,} raised, {lowered:,} "
            f"lowered (each list taken to name {COVERAGE:.0%} of another's people)")
