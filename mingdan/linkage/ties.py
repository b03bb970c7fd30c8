"""A record torn between two records of one list is a reviewer's, not joined to either through a third record.

The weighing of rivals (one_to_one.py) lowers a record's pairs with two equal candidates of one list below
auto-link, but a third record can still carry it to one of them: an outside tester's Hong Kong `Wong Lai` scored
0.48 against both 黄丽 and 王丽 of the mainland list, yet joined 黄丽's person through the international list's
`Huang Li` (0.74), which is 黄丽 romanized and says nothing more (rt45). So where a record's two best candidates in
one list are both in the review band and their odds are within TIE_BITS of each other (and the two are not one
person the list names twice), the record is kept apart from both, unless a record of a third list is linked to it
by more evidence than the tied pair's (its score alone higher by more than TIE_BITS). A reviewer's "same" outranks
this, as it outranks every rule of the clustering.

Only in a small case, linked with the priors (run.py), where a reviewer can read every pair. In trained cases it was
measured and not kept (2026-12-05): our own simulator lost recall and no precision (pairwise F1 0.9881 -> 0.9875,
an incremental run 0.9875 -> 0.9845), the blind generator's 100,000 records F1 0.9217 -> 0.9199 (precision
+0.0016), its 5,000 records unchanged (seeds 1-3, precision +0.0002 to +0.0005).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

if TYPE_CHECKING:
    import pyarrow as pa

#: Two candidates whose odds differ by less than this many bits are a tie.
TIE_BITS = 0.25


def tied_pairs(frame: "pa.Table", scored: "pa.Table", auto: float, review: float,
               alike: set[tuple[int, int]] | None = None) -> set[tuple[int, int]]:
    """(a, b), a < b: each record with its candidates in a list where its best two are tied below auto-link."""
    import pandas as pd

    from .lists import list_codes

    if scored.num_rows == 0:
        return set()
    probability = scored["match_probability"].to_numpy(zero_copy_only=False).astype(np.float64)
    left, right = scored["unique_id_l"].to_numpy(), scored["unique_id_r"].to_numpy()
    source_of = list_codes(frame)
    two_lists = source_of(left) != source_of(right)
    band = two_lists & (probability >= review)
    if not band.any():
        return set()
    views = pd.DataFrame({
        "me": np.concatenate([left[band], right[band]]),
        "other": np.concatenate([right[band], left[band]]),
        "list": np.concatenate([source_of(right[band]), source_of(left[band])]),
        "p": np.concatenate([probability[band], probability[band]])})
    alone = (scored["match_probability_alone"].to_numpy(zero_copy_only=False).astype(np.float64)
             if "match_probability_alone" in scored.column_names else probability)
    views["alone"] = _bits(np.concatenate([alone[band], alone[band]]))
    views["bits"] = _bits(views["p"].to_numpy())
    views = views.sort_values(["me", "list", "bits"], ascending=[True, True, False])
    groups = views.groupby(["me", "list"], sort=False)
    views["best"] = groups["bits"].transform("max")
    contested = views[(views["best"] < _bits(np.array([auto]))[0]) & (views["bits"] >= views["best"] - TIE_BITS)]
    counts = contested.groupby(["me", "list"])["other"].transform("size")
    contested = contested[counts >= 2]
    # A record linked to a record of another list by more than the tied pair's own evidence (its score alone higher by
    # more than TIE_BITS: a sex and an age the tied candidates do not give) is that record's, whichever of the tied
    # it turns out to be: the tie is left to the clustering.
    strongest: dict[int, list[tuple[int, float]]] = {}
    linked = views[(views["p"] >= auto) & views["me"].isin(contested["me"].unique())]
    for me, where, bits in linked.groupby(["me", "list"])["alone"].max().reset_index().itertuples(index=False):
        strongest.setdefault(int(me), []).append((where, bits))
    found: set[tuple[int, int]] = set()
    alike = alike or set()
    for (me, where), group in contested.groupby(["me", "list"], sort=False):
        elsewhere = [bits for other, bits in strongest.get(int(me), ()) if other != where]
        if elsewhere and max(elsewhere) > group["alone"].max() + TIE_BITS:
            continue
        others = [int(o) for o in group["other"]]
        # Two candidates the list names as one person (its repeat) are one candidate, not a tie.
        if all((min(a, b), max(a, b)) in alike for i, a in enumerate(others) for b in others[i + 1:]):
            continue
        found |= {(min(int(me), o), max(int(me), o)) for o in others}
    return found


def _bits(probability: np.ndarray) -> np.ndarray:
    """Log-odds in bits."""
    clipped = np.clip(probability, 1e-12, 1 - 1e-12)
    return np.log2(clipped / (1 - clipped))
