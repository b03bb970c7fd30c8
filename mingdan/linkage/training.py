"""Training the model without labels: Splink's EM passes, or for a large case EM over sampled candidate pairs
(candidate_em.py), and u and the prior re-estimated on random pairs."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import pyarrow as pa

    from .model import Trained

#: Most pairs one EM pass compares; beyond it Splink samples records by a hash of their id.
EM_MAX_PAIRS = 3e6
#: Random pairs the u probabilities and the prior are re-estimated on, and how many EM steps.
U_PAIRS = 300_000
U_STEPS = 3
#: Random pairs per record for a case trained by Splink's EM (at least U_PAIRS).
U_PAIRS_PER_RECORD = 30


def u_pairs(records: int) -> int:
    """Random pairs to count u and the prior on: about as many true pairs among them whatever the case's size.

    One person's pairs are a share of all pairs that falls as the case grows: at 100,000 records of the blind
    generator 300,000 random pairs held about five, and the prior came out at 0.53 to 1.15 of the truth by the
    draw (pairwise F1 0.850 to 0.885 by the seed); 3,000,000 gave 0.84 to 1.12 (F1 0.882 to 0.891)."""
    return max(U_PAIRS, U_PAIRS_PER_RECORD * records)


def refine_u_and_prior(frame: "pa.Table", model: dict, pairs: int = U_PAIRS, steps: int = U_STEPS,
                       seed: int = 1) -> dict:
    """u and the prior re-estimated by EM on random pairs, each pair counted as a non-match by 1 - its
    match probability.

    Splink counts u on random pairs as if none were a match. Where lists overlap heavily and a
    field is often missing, the few random pairs that are one person make up most of the pairs
    that share a rare name, so u for "same characters" came out about 18 times too high on the blind
    generator's lists (1.0e-4 where 6e-6 of different people share characters) and the prior about
    half the truth: names, the field lists always give, counted for too little. This is the EM
    step for u and the prior that Splink leaves out (tf adjustments aside).
    """
    import numpy as np
    import pyarrow as pa

    from .incremental import match_weights, probability
    from .levels import Unsupported, comparison_levels, numbered

    records = frame.num_rows
    buckets = max(1, int(records * (records - 1) / 2 / pairs))
    chosen = np.random.default_rng(seed).integers(0, buckets, records)
    columns = [c for c in frame.column_names if not c.startswith(("name_small", "name_big", "name_with"))]
    sampled = frame.select(columns).append_column("u_bucket", pa.array(chosen, pa.int64()))
    try:
        levels = comparison_levels(sampled, model, [{"blocking_rule": "l.u_bucket = r.u_bucket"}])
    except Unsupported:
        return model
    if levels.num_rows < 1000:
        return model
    gammas = {c["output_column_name"]: levels[f"gamma_{c['output_column_name']}"].to_numpy().astype(np.int64)
              for c in model["comparisons"]}
    for _ in range(steps):
        weight, _ = match_weights(model, gammas, np.zeros(levels.num_rows))
        match = probability(weight)
        apart = 1.0 - match
        for comparison in model["comparisons"]:
            gamma = gammas[comparison["output_column_name"]]
            seen = apart[gamma >= 0].sum()
            values = [(value, level) for value, level in numbered(comparison) if value >= 0]
            for value, level in values:
                if level.get("fix_u_probability"):
                    continue
                # Half a pair added to every level: a level no different pair showed is rare, not impossible.
                level["u_probability"] = float((apart[gamma == value].sum() + 0.5) / (seen + 0.5 * len(values)))
        model["probability_two_random_records_match"] = float(min(max(match.mean(), 1e-9), 0.5))
    return model


def train_on_candidates(data, table: "pa.Table", seed: int) -> tuple[dict, Trained]:
    """u and a first prior from random pairs, then m and the prior by EM over sampled candidate pairs
    (candidate_em.py): Splink's EM passes sample records, and at this size keep too few true pairs."""
    from .candidate_em import learn_on_candidates
    from .frequencies import by_frequency
    from .model import Trained, floor_m_probabilities, never_above_u
    from .priors import with_prior_m

    model = with_prior_m(train(data, False, "duckdb", seed, em=False))
    model = refine_u_and_prior(table, floor_m_probabilities(model), seed=seed)
    model, sampled = learn_on_candidates(table, never_above_u(floor_m_probabilities(by_frequency(model))), seed=seed)
    return model, Trained("em", f"trained without labels (EM) on {sampled:,} sampled candidate pairs of "
                                f"{table.num_rows:,} records")


def train(data, raw_names: bool, engine: str, seed: int, em: bool = True) -> dict | None:
    """The model trained by EM, or None when EM cannot estimate it from these records."""
    from splink import Linker, block_on

    from .model import settings

    name_key = "pinyin_key" if not raw_names else "name"
    for max_iterations in (25, 8, 3):
        creator = settings(raw_names, dialect=engine)
        creator.max_iterations = max_iterations
        linker = Linker(data, creator, log_level=40)
        try:
            linker.training.estimate_probability_two_random_records_match(
                [block_on("characters_key", "event_family") if not raw_names else block_on("name", "event_type"),
                 block_on(name_key, "place_key")], recall=0.8)
            # Every sampled pair counts, in one chunk: Splink's early stop after a few chunks picks the
            # chunks by an engine's own hash, so DuckDB and Spark would learn different u.
            linker.training.estimate_u_using_random_sampling(max_pairs=3e5, seed=seed, min_count_per_level=None,
                                                             num_chunks=1)
            if not em:
                return linker.misc.save_model_to_json()
            # Each EM pass blocks on one feature and so trains the others: names first fixed, then free.
            for rule in (block_on(name_key), block_on("place_key", "event_type", "sex")):
                # Blocks grow with the square of the records: past EM_MAX_PAIRS a hash sample of records
                # stands for them (10,000 records stay whole; 100,000 gave 293 million pairs here).
                linker.training.estimate_parameters_using_expectation_maximisation(rule, max_pairs=EM_MAX_PAIRS)
            return linker.misc.save_model_to_json()
        except (ValueError, ZeroDivisionError) as error:
            # EM can drive a rarely seen level's m towards zero until Splink refuses it (below 1e-300);
            # fewer iterations stop it earlier; if even 3 fail, the case gets the priors.
            if "below the minimum allowed" not in str(error) and "probability" not in str(error):
                raise
    return None
