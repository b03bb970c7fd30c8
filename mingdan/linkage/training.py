"""Training the model without labels: Splink's EM passes, or for a large case EM over sampled candidate pairs
(candidate_em.py), and u and the prior re-estimated on random pairs."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import numpy as np
    import pyarrow as pa

    from .model import Trained

#: Most pairs one EM pass compares; beyond it Splink samples by a hash of the ids. 3 million took 9.4 s of an 18 s
#: full run at 10,000 records; a million trains the same model as far as measured (docs/benchmarks.md).
EM_MAX_PAIRS = 1e6
#: Random pairs the u probabilities and the prior are re-estimated on, and how many EM steps.
U_PAIRS = 300_000
U_STEPS = 3
#: Most candidate pairs counted whole when u and the prior are re-estimated; past it, random pairs alone.
CANDIDATES_COUNTED = 5_000_000


def refine_u_and_prior(frame: "pa.Table", model: dict, pairs: int = U_PAIRS, steps: int = U_STEPS,
                       seed: int = 1, candidates: bool = True) -> dict:
    """u and the prior re-estimated by EM over every pair of the case, each pair counted as a non-match by
    1 - its match probability: the candidate pairs counted whole, the other pairs by a random sample of them.

    Splink counts u on random pairs as if none were a match. Where lists overlap heavily and a
    field is often missing, the few random pairs that are one person make up most of the pairs
    that share a rare name, so u for "same characters" came out about 18 times too high on the blind
    generator's lists (1.0e-4 where 6e-6 of different people share characters) and the prior about
    half the truth: names, the field lists always give, counted for too little. This is the EM
    step for u and the prior that Splink leaves out (tf adjustments aside).

    Random pairs alone held about five true pairs at 100,000 records, and the prior came out at 0.53
    to 1.15 of the truth by the seed of the draw, the people found with it. The candidate pairs
    (blocking.py) hold nearly all true pairs, so they are counted whole, and a random pair among them
    is left out of the sample, which stands for the pairs outside them (docs/linkage.md, Training).
    With `candidates` False, or more candidate pairs than CANDIDATES_COUNTED, random pairs alone.
    """
    import numpy as np
    import pyarrow as pa

    from .incremental import match_weights, probability
    from .levels import Unsupported, comparison_levels, numbered

    records = frame.num_rows
    all_pairs = records * (records - 1) / 2
    buckets = max(1, int(all_pairs / pairs))
    chosen = np.random.default_rng(seed).integers(0, buckets, records)
    columns = [c for c in frame.column_names if not c.startswith(("name_small", "name_big", "name_with", "name_typo"))]
    sampled = frame.select(columns).append_column("u_bucket", pa.array(chosen, pa.int64()))
    try:
        levels = comparison_levels(sampled, model, [{"blocking_rule": "l.u_bucket = r.u_bucket"}])
        whole = _candidate_levels(frame, model) if candidates else None
    except Unsupported:
        return model
    if levels.num_rows < 1000:
        return model
    weights = np.ones(levels.num_rows)
    if whole is not None:
        outside = ~np.isin(_pair_keys(levels), _pair_keys(whole))
        levels = levels.filter(pa.array(outside))
        # Each sampled pair outside the candidates stands for its share of all the pairs outside them.
        weights = np.concatenate([np.ones(whole.num_rows),
                                  np.full(levels.num_rows, (all_pairs - whole.num_rows) / max(1, levels.num_rows))])
    tables = [whole, levels] if whole is not None else [levels]
    gammas = {c["output_column_name"]: np.concatenate([t[f"gamma_{c['output_column_name']}"].to_numpy().astype(np.int64)
                                                       for t in tables])
              for c in model["comparisons"]}
    for _ in range(steps):
        weight, _ = match_weights(model, gammas, np.zeros(len(weights)))
        match = probability(weight)
        apart = (1.0 - match) * weights
        for comparison in model["comparisons"]:
            gamma = gammas[comparison["output_column_name"]]
            seen = apart[gamma >= 0].sum()
            values = [(value, level) for value, level in numbered(comparison) if value >= 0]
            for value, level in values:
                if level.get("fix_u_probability"):
                    continue
                # Half a pair added to every level: a level no different pair showed is rare, not impossible.
                level["u_probability"] = float((apart[gamma == value].sum() + 0.5) / (seen + 0.5 * len(values)))
        prior = (match * weights).sum() / (all_pairs if whole is not None else len(weights))
        model["probability_two_random_records_match"] = float(min(max(prior, 1e-9), 0.5))
    return model


def _candidate_levels(frame: "pa.Table", model: dict) -> "pa.Table | None":
    """The levels of every candidate pair, or None when there are more than CANDIDATES_COUNTED of them."""
    from .candidate_em import candidate_pairs_bound
    from .levels import comparison_levels

    if not {"name_small", "name_with"} <= set(frame.column_names) or candidate_pairs_bound(frame) > CANDIDATES_COUNTED:
        return None
    return comparison_levels(frame, model, model["blocking_rules_to_generate_predictions"])


def _pair_keys(levels: "pa.Table") -> "np.ndarray":
    """One integer per pair, the same whichever record comes first."""
    import numpy as np

    left = levels["unique_id_l"].to_numpy().astype(np.int64)
    right = levels["unique_id_r"].to_numpy().astype(np.int64)
    return np.minimum(left, right) * (1 << 32) + np.maximum(left, right)


def train_on_candidates(data, table: "pa.Table", seed: int) -> tuple[dict, Trained]:
    """u and a first prior from random pairs, then m and the prior by EM over sampled candidate pairs
    (candidate_em.py): Splink's EM passes sample records, and at this size keep too few true pairs."""
    from .candidate_em import learn_on_candidates
    from .frequencies import by_frequency
    from .model import Trained, floor_m_probabilities, never_above_u
    from .priors import with_prior_m

    model = with_prior_m(train(data, False, "duckdb", seed, em=False))
    model = refine_u_and_prior(table, floor_m_probabilities(model), seed=seed, candidates=False)
    model, sampled = learn_on_candidates(table, never_above_u(floor_m_probabilities(by_frequency(model)), table),
                                         seed=seed)
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
                # Blocks grow with the square of the records: past EM_MAX_PAIRS a hash sample stands for them
                # (10,000 simulated records gave 5.3 million pairs, 100,000 blind ones 293 million).
                linker.training.estimate_parameters_using_expectation_maximisation(rule, max_pairs=EM_MAX_PAIRS)
            return linker.misc.save_model_to_json()
        except (ValueError, ZeroDivisionError) as error:
            # EM can drive a rarely seen level's m towards zero until Splink refuses it (below 1e-300);
            # fewer iterations stop it earlier; if even 3 fail, the case gets the priors.
            if "below the minimum allowed" not in str(error) and "probability" not in str(error):
                raise
    return None


#: How many pairs the priors' u count as, beside a small case's own pairs (priors.model_with_priors).
PRIOR_PAIRS = 200
#: Comparisons whose u a small case's own pairs cannot tell: a name level is shared by a few pairs in a few dozen
#: records, most of them one person's; how often two records share an event depends on the event (one night's
#: killings against a detention on one day), and one u for all would weaken every agreement: on the six hands'
#: 89 records a custody list's 王伟 detained on one day fell from 0.996 to 0.977 against his own record and joined
#: another 王伟 killed that night.
NOT_FROM_A_SMALL_CASE = frozenset({"name", "event"})


def small_case_u(frame: "pa.Table", model: dict, steps: int = U_STEPS) -> dict:
    """A small case's u of every field but the name from its own pairs, each counted as two people by 1 - its
    match probability, beside the priors' u counted as PRIOR_PAIRS pairs.

    The priors' u are those of the blind generator's lists: one in ten pairs of different people share an
    event and its dates there. On a families' list of one night (killed, 4 June 1989, every record) all
    pairs share them, and the priors weighed that as +2.8 bits for one person: with the name and sex,
    刘志明 against 柳志明 was linked at 0.996 (an outside tester). A case's own pairs say how often its
    records agree by chance; the name's levels stay the priors' (few pairs in a few dozen records share a
    name at all, most of them one person's)."""
    import numpy as np
    import pyarrow as pa

    from .incremental import match_weights, probability
    from .levels import Unsupported, comparison_levels, numbered

    columns = [c for c in frame.column_names if not c.startswith(("name_small", "name_big", "name_with", "name_typo"))]
    every = frame.select(columns).append_column("u_bucket", pa.array(np.zeros(frame.num_rows, np.int64)))
    try:
        levels = comparison_levels(every, model, [{"blocking_rule": "l.u_bucket = r.u_bucket"}])
    except Unsupported:
        return model
    if levels.num_rows == 0:
        return model
    gammas = {c["output_column_name"]: levels[f"gamma_{c['output_column_name']}"].to_numpy().astype(np.int64)
              for c in model["comparisons"]}
    prior_u = {(c["output_column_name"], value): level["u_probability"]
               for c in model["comparisons"] for value, level in numbered(c) if value >= 0}
    for _ in range(steps):
        weight, _ = match_weights(model, gammas, np.zeros(levels.num_rows))
        apart = 1.0 - probability(weight)
        for comparison in model["comparisons"]:
            name = comparison["output_column_name"]
            if name in NOT_FROM_A_SMALL_CASE:
                continue
            gamma = gammas[name]
            seen = apart[gamma >= 0].sum()
            for value, level in numbered(comparison):
                if value >= 0 and not level.get("fix_u_probability"):
                    u = float((apart[gamma == value].sum() + PRIOR_PAIRS * prior_u[name, value]) / (seen + PRIOR_PAIRS))
                    # An agreement the priors count as evidence for one person says next to nothing where every
                    # record shares it, never less than nothing ("same place" showed -0.29 bits: an outside tester).
                    m = level.get("m_probability") or 0.0
                    level["u_probability"] = min(u, m) if prior_u[name, value] < m else u
    return model
