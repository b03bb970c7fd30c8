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
that the two are one, their own pair's score. pi is estimated from the scores themselves, a few
rounds of re-estimating it from the adjusted ones, capped at MOST_COVERAGE.

A lone candidate may be a stranger: a's true match may lie outside the candidates (blocking, a
badly misspelt name). So a pair's odds rise at most MOST_GAIN_BITS (2 bits, 4 times): a pair
scored 0.2 alone (the review threshold) stays below auto-link (0.5), and one must score 0.27 alone
to be linked by the weighing. The cap cost nothing measured (below); an outside tester's lone
strangers scored 0.43-0.51 alone had risen to 0.83-0.89 without it (0.75-0.81 with it). A case
can turn the weighing off (`weigh_rivals = false` under [linkage] in mingdan.toml).

Measured on the blind generator (docs/linkage.md, "A pair weighed against its records' other
candidates"): at 100,000 records pairwise F1 0.847 -> 0.885 with precision 0.963 -> 0.969; at
5,000 records (seeds 1-3) 0.973 / 0.968 / 0.975 -> 0.977 / 0.974 / 0.978; our own simulator
0.9883 -> 0.9877.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np

if TYPE_CHECKING:
    import pyarrow as pa

#: Largest share of one list's people another list is taken to name (see the module's docstring).
MOST_COVERAGE = 0.8
#: Most a pair's weight may rise by the weighing, in bits (see the module's docstring).
MOST_GAIN_BITS = 2.0
#: Rounds of re-estimating the lists' coverage from the adjusted scores (it settles in three or four).
ROUNDS = 5


@dataclass
class Adjusted:
    """The pairs' adjusted probabilities, the change in bits, and each list's estimated coverage of another."""

    probability: np.ndarray
    bits: np.ndarray
    coverage: np.ndarray  # [list a, list b]: share of a's records that b names (estimated)
    lists: list[str]


def adjust(left: np.ndarray, right: np.ndarray, probability: np.ndarray, source_of: dict[int, str],
           alike_floor: float, coverage: np.ndarray | None = None) -> Adjusted:
    """Each pair of two lists' probability weighed against its records' other candidates (module docstring).

    left, right: the pairs' record ids; probability: Splink's, each pair alone; source_of: record -> list;
    alike_floor: pairs of one list scored at least this may be a list's repeat (the review threshold); coverage: the
    lists' coverage of each other as an earlier call estimated it (kept, not estimated again). Pairs of one list
    are returned unchanged.
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
    size = np.bincount(np.array([code[s] for s in source_of.values() if s in code], dtype=np.int64), minlength=n)
    cross = np.flatnonzero((sl != sr) & (sl >= 0) & (sr >= 0))
    q = p.copy()
    fixed = coverage is not None
    if len(cross) == 0:
        return Adjusted(q, np.zeros(len(p)), coverage if fixed else np.zeros((n, n)), lists)
    w = p[cross] / (1 - p[cross])
    within = np.flatnonzero((sl == sr) & (sl >= 0) & (p >= alike_floor))
    sides = []
    for me, other, mine, theirs in ((at_l[cross], at_r[cross], sl[cross], sr[cross]),
                                    (at_r[cross], at_l[cross], sr[cross], sl[cross])):
        # One row per (record, other list): its candidates there.
        _, key = np.unique(me * n + theirs, return_inverse=True)
        key = key.ravel()
        sides.append((key, _repeats(me, other, w, at_l[within], at_r[within], p[within]), mine, theirs))
    for _ in range(1 if fixed else ROUNDS):
        if not fixed:
            found = np.zeros((n, n))
            np.add.at(found, (sl[cross], sr[cross]), q[cross])
            np.add.at(found, (sr[cross], sl[cross]), q[cross])
            coverage = np.clip(found / np.maximum(size, 1)[:, None], 0.0, MOST_COVERAGE)
        odds = []
        for key, repeat, mine, theirs in sides:
            # A rival that may be this candidate's repeat in its list counts only as far as it may be another person.
            others = np.bincount(key, weights=w)[key] - w - repeat
            odds.append(w / ((1 - coverage[mine, theirs]) + np.maximum(others, 0.0)))
        combined = np.minimum(odds[0] * odds[1] / w, w * 2.0 ** MOST_GAIN_BITS)
        q = p.copy()
        q[cross] = combined / (1 + combined)
    bits = np.zeros(len(p))
    bits[cross] = np.log2(combined / w)
    return Adjusted(q, bits, coverage, lists)


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


def weigh_rivals(frame: "pa.Table", scored: "pa.Table", alike_floor: float) -> tuple["pa.Table", str]:
    """The scored pairs with each two-list pair's probability and weight adjusted (adjust), the change in bits as
    `mw_one_to_one` and the probability scored alone as `match_probability_alone` (for the explanation); and a
    sentence saying what changed, with each list's estimated coverage of another (for the run's output)."""
    import pyarrow as pa

    if scored.num_rows == 0:
        return scored, ""
    source_of = dict(zip(frame["unique_id"].to_pylist(), frame["source"].to_pylist()))
    alone = scored["match_probability"].to_numpy(zero_copy_only=False).astype(np.float64)
    found = adjust(scored["unique_id_l"].to_numpy(), scored["unique_id_r"].to_numpy(), alone, source_of, alike_floor)
    weight = scored["match_weight"].to_numpy(zero_copy_only=False).astype(np.float64) + found.bits
    table = scored.set_column(scored.schema.get_field_index("match_probability"), "match_probability",
                              pa.array(found.probability))
    table = table.set_column(table.schema.get_field_index("match_weight"), "match_weight", pa.array(weight))
    table = table.append_column("mw_one_to_one", pa.array(found.bits, pa.float32())).append_column(
        "match_probability_alone", pa.array(alone))
    return table, summary(found)


def summary(found: Adjusted) -> str:
    """How many pairs the weighing raised and lowered, and the coverage it estimated, in a sentence."""
    raised, lowered = int(np.sum(found.bits > 0.001)), int(np.sum(found.bits < -0.001))
    pairs = [f"{a} in {b} {found.coverage[i, j]:.0%}" for i, a in enumerate(found.lists)
             for j, b in enumerate(found.lists) if i != j and found.coverage[i, j] > 0]
    return (f"pairs of two lists weighed against their records' other candidates: {raised:,} raised, {lowered:,} "
            f"lowered" + (f"; each list's people estimated named by another: {', '.join(pairs)}" if pairs else ""))
