"""Scoring the records a new source added against a linked case, with the trained model refreshed.

A new source agrees with the others in its own ways (fields it lacks, how it writes names), so
the trained model's m probabilities are refreshed by EM on pairs that involve new records before
those pairs are scored (see docs/linkage.md). Every pair's comparison levels are computed once,
in one pass (one DuckDB query, levels.py; Splink's predict on Spark): the prediction pairs (a blocking rule and a new record) and the training pairs
(same place, event and sex; about TRAINING_RECORDS new records). EM and the scores then run in NumPy
over those levels, following Splink's own EM (u and the prior fixed, m of the comparisons the
training rule does not block on re-estimated), without one SQL query per iteration.
"""

from __future__ import annotations

import copy
from typing import TYPE_CHECKING

import numpy as np

from .levels import Unsupported, comparison_levels, numbered, tf_adjustments
from .model import floor_m_probabilities, scored_pairs

if TYPE_CHECKING:
    import pyarrow as pa

#: The refresh's training pairs: these three fields agree, so the other comparisons are trained.
TRAINING_COLUMNS = ("place_key", "event_type", "sex")
#: New records whose training pairs refresh m: one in every n, by record id so a run is reproducible.
#: Each brings every old record of its place, event and sex: 50 gave ~18,000 pairs from a 1,671-record
#: list against 8,497 (F1 0.9854; one in 8, ~95,000 pairs, 0.9853, five times the scoring time). 25 gave
#: the same people as 50 on the simulator's 1,000 records into 10,285 (0.9877) and on seven lists of the
#: blind generator added to the other five (5,000 records, seeds 1 and 2), half the training pairs.
TRAINING_RECORDS = 25


#: The training pairs' fields, agreeing; and which records bring them (one of a pair is a sampled new record).
TRAINING_AGREE = "l.place_key = r.place_key AND l.event_type = r.event_type AND l.sex = r.sex"


def training_side(sample: int, alias: str = "") -> str:
    """The records whose pairs train m: one new record in `sample`, by id (columns of `alias`, if given)."""
    of = f"{alias}." if alias else ""
    return f"{of}is_new = 1 AND {of}unique_id % {sample} = 0"


def training_rule(sample: int) -> str:
    """The training pairs as one Splink rule: place, event and sex agree, and one record is a sampled new one."""
    return f"{TRAINING_AGREE} AND (({training_side(sample, 'l')}) OR ({training_side(sample, 'r')}))"


def new_pair_rules(rules: list[dict], sample: int, dialect: str, one_sided: bool) -> list[dict]:
    """The model's prediction rules limited to pairs with a new record, then the training rule.

    one_sided: as levels.comparison_levels reads them (`either_side`, a condition on one record), so only the
    new records are joined to the case; otherwise as one Splink rule each (Splink's own scoring, Spark). Written
    into the join condition, DuckDB paired every old record with every old one of its block first and dropped
    those pairs after: 5 million training pairs at 10,000 records, to keep 30,000."""
    limited = []
    for rule in copy.deepcopy(rules):
        if one_sided:
            rule["either_side"] = "is_new = 1"
        else:
            rule["blocking_rule"] = f"({rule['blocking_rule']}) AND (l.is_new = 1 OR r.is_new = 1)"
        limited.append(rule)
    if one_sided:
        limited.append({"blocking_rule": TRAINING_AGREE, "sql_dialect": dialect, "either_side": training_side(sample)})
    else:
        limited.append({"blocking_rule": training_rule(sample), "sql_dialect": dialect})
    return limited


def training_sample(frame: "pa.Table") -> int:
    """n such that one new record in n, about TRAINING_RECORDS of them, trains m."""
    import pyarrow.compute as pc

    return max(1, round(pc.sum(frame["is_new"]).as_py() / TRAINING_RECORDS))
MAX_ITERATIONS = 10  # it starts from the trained values, so a few steps suffice


def levels(comparison: dict) -> list[tuple[int, dict]]:
    """(comparison vector value, level) of a comparison's non-null levels, as Splink numbers them."""
    return [(value, level) for value, level in numbered(comparison) if value >= 0]


def splink_defaults(count: int) -> tuple[list[float], list[float]]:
    """Splink's m and u of a comparison's levels that no training estimated (a saved model leaves them out):
    by comparison vector value, 0.95 of m on the top level, the rest shared, u set for weights from -5 to 10."""
    m = [0.05 / (count - 1)] * (count - 1) + [0.95] if count > 1 else [0.95]
    weights = ([-5.0] if count == 2 else list(np.linspace(-5, 3, count - 1))) + [10.0] if count > 1 else [10.0]
    return m, [mv / 2 ** w for mv, w in zip(m, weights)]


def level_weights(comparison: dict, gamma: np.ndarray) -> np.ndarray:
    """Each pair's match weight (log2 m/u) for one comparison; 0 where a value is missing (level -1).

    A level whose m or u the saved model leaves out weighs what Splink gives it, its default
    (splink_defaults): an untrained "different sex" level weighs -3 bits in Splink's predictions."""
    found = levels(comparison)
    default_m, default_u = splink_defaults(len(found))
    table = np.zeros(max((value for value, _ in found), default=0) + 2)
    for value, level in found:
        m, u = level.get("m_probability"), level.get("u_probability")
        m = default_m[value] if m is None else m
        u = default_u[value] if u is None else u
        table[value] = np.log2(m / u) if m and u else 0.0
    return np.where(gamma < 0, 0.0, table[np.where(gamma < 0, 0, gamma)])


def match_weights(model: dict, gammas: dict[str, np.ndarray], tf_adjustment: np.ndarray) -> tuple[np.ndarray, dict]:
    """Total match weight per pair and each comparison's part, as Splink's predict computes them."""
    prior = model["probability_two_random_records_match"]
    parts = {c["output_column_name"]: level_weights(c, gammas[c["output_column_name"]]) for c in model["comparisons"]}
    total = np.log2(prior / (1 - prior)) + tf_adjustment + sum(parts.values())
    return total, parts


def probability(weight: np.ndarray) -> np.ndarray:
    """Match probability from a match weight in bits."""
    return 1.0 / (1.0 + np.exp2(-weight))


#: How many pairs of one person the trained m counts as beside the new records' training pairs: a new list with few
#: such pairs (a custody list against lists of the dead: few share place, event and sex) re-estimated m from a
#: handful, and an age within a year weighed -3.4 bits in an incremental run against +3.2 in a full one (an outside
#: tester). With thousands of matched training pairs the refresh is as before.
TRAINED_PAIRS = 50


def m_step(comparisons: list[dict], gammas: dict[str, np.ndarray], match: np.ndarray,
           trained: dict[tuple[str, int], float] | None = None) -> float:
    """EM's step for m: each level's m from the pairs' chances of being one person, beside the trained m counted as
    TRAINED_PAIRS pairs (`trained`: (comparison, level) -> m); returns the largest change."""
    change = 0.0
    for comparison in comparisons:
        name = comparison["output_column_name"]
        gamma = gammas[name]
        known = match[gamma >= 0].sum()
        for value, level in levels(comparison):
            shows = gamma == value
            before = (trained or {}).get((name, value))
            weight = TRAINED_PAIRS if before is not None else 0.0
            # As Splink does, a level no pair shows keeps its trained m (floored and renormalised later); never
            # exactly 0, which the weights would read as "untrained" (no evidence).
            if shows.any() and known > 0 and not level.get("fix_m_probability"):
                new = max(float((match[shows].sum() + weight * (before or 0.0)) / (known + weight)), 1e-6)
                change = max(change, abs(new - (level.get("m_probability") or 0.0)))
                level["m_probability"] = new
    return change


def refresh_m(model: dict, gammas: dict[str, np.ndarray], tf_adjustment: np.ndarray) -> dict:
    """The model with m re-estimated by EM on the given pairs; u and the prior kept."""
    refreshed = copy.deepcopy(model)
    trained = [c for c in refreshed["comparisons"] if not _reads_training_column(c)]
    before = {(c["output_column_name"], value): level["m_probability"] for c in trained
              for value, level in levels(c) if level.get("m_probability")}
    prior = refreshed["probability_two_random_records_match"]
    if len(tf_adjustment) == 0:
        return refreshed
    for _ in range(MAX_ITERATIONS):
        session = {**refreshed, "probability_two_random_records_match": prior, "comparisons": trained}
        weight, _ = match_weights(session, gammas, tf_adjustment)
        match = probability(weight)
        change = max(m_step(trained, gammas, match, before), abs(float(match.mean()) - prior))
        prior = float(match.mean())
        if change < refreshed.get("em_convergence", 1e-4):
            break
    return floor_m_probabilities(refreshed)


def _reads_training_column(comparison: dict) -> bool:
    """Splink's rule for EM: a comparison of a column the training pairs agree on is not re-estimated."""
    conditions = " ".join(level["sql_condition"] for level in comparison["comparison_levels"])
    return any(f"{column}_l" in conditions for column in TRAINING_COLUMNS)


def score_new(frame: "pa.Table", model: dict, threshold: float, engine: str = "duckdb",
              frequencies: dict | None = None) -> "pa.Table":
    """The pairs (>= threshold) that involve a new record (is_new = 1), scored by the model with m refreshed
    (frequencies: the case's term frequencies, if counted already)."""
    import pyarrow as pa

    from .blocking import add_blocking_columns

    frame, _ = add_blocking_columns(frame)
    settings = copy.deepcopy(model)
    # New records against everyone; old pairs were scored by earlier runs and stay as they are.
    predicting = len(settings["blocking_rules_to_generate_predictions"])
    sample = training_sample(frame)
    dialect = settings.get("sql_dialect", engine)
    pairs = None
    if engine == "duckdb":
        try:
            rules = new_pair_rules(settings["blocking_rules_to_generate_predictions"], sample, dialect, True)
            pairs = comparison_levels(frame, settings, rules, frequencies=frequencies)
        except Unsupported:
            pairs = None  # Splink scores it, as for Spark
    if pairs is None:
        from splink import Linker

        from .engines import database_api

        settings["blocking_rules_to_generate_predictions"] = new_pair_rules(
            settings["blocking_rules_to_generate_predictions"], sample, dialect, False)
        linker = Linker(database_api(engine).register(frame), settings, log_level=40)
        pairs = scored_pairs(linker.inference.predict(), extra=("match_key",))
    gammas = {c["output_column_name"]: pairs[f"gamma_{c['output_column_name']}"].to_numpy(zero_copy_only=False)
              .astype(np.int64) for c in model["comparisons"]}
    adjustments = tf_adjustments(pairs)
    tf_adjustment = sum(adjustments.values(), np.zeros(pairs.num_rows))
    training = _training_pairs(frame, pairs, sample)
    refreshed = refresh_m(model, {k: v[training] for k, v in gammas.items()}, tf_adjustment[training])
    weight, parts = match_weights(refreshed, gammas, tf_adjustment)
    chance = probability(weight)
    key = np.asarray(pairs["match_key"].to_numpy(zero_copy_only=False)).astype(np.int64)
    keep = (key < predicting) & (chance >= threshold)
    columns = {"unique_id_l": pairs["unique_id_l"].filter(pa.array(keep)),
               "unique_id_r": pairs["unique_id_r"].filter(pa.array(keep)),
               "match_probability": pa.array(chance[keep]), "match_weight": pa.array(weight[keep])}
    for name, part in parts.items():
        columns[f"gamma_{name}"] = pa.array(gammas[name][keep].astype(np.int8))
        columns[f"mw_{name}"] = pa.array(part[keep].astype(np.float32))
    for name, adjustment in adjustments.items():
        columns[f"mw_tf_adj_{name}"] = pa.array(adjustment[keep].astype(np.float32))
    return pa.table(columns)


def _training_pairs(frame: "pa.Table", pairs: "pa.Table", sample: int) -> np.ndarray:
    """Which scored pairs the training rule holds for (it may share pairs with the prediction rules)."""
    import pyarrow.compute as pc

    ids = frame["unique_id"].to_numpy()
    order = np.argsort(ids)
    left = order[np.searchsorted(ids, pairs["unique_id_l"].to_numpy(), sorter=order)]
    right = order[np.searchsorted(ids, pairs["unique_id_r"].to_numpy(), sorter=order)]
    holds = np.ones(pairs.num_rows, dtype=bool)
    for column in TRAINING_COLUMNS:
        # As in SQL, a missing value equals nothing.
        holds &= pc.equal(frame[column].take(left), frame[column].take(right)).fill_null(False).to_numpy(
            zero_copy_only=False)
    new = frame["is_new"].to_numpy()
    sampled = (new == 1) & (ids % sample == 0)
    return holds & (sampled[left] | sampled[right])
