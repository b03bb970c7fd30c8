"""The documented priors a case too small to train on is linked with (docs/linkage.md, "Small cases").

m is how often a level is seen between two records of one person, u between two records of
different people. They are set from what the trained model learns on larger cases (rounded, and
made no more certain than that model), so a 20-record case is judged as a 10,000-record case
would judge it, never by EM on a few dozen pairs. The chance that two records of the case are one
person is taken as 1 / (records - 1): about one other record per person.
"""

from __future__ import annotations

#: Per comparison, (m, u) of each level in the model's order, best level first, null level excluded.
PRIORS = {
    # numbered apart (fixed: model.NUMBERED_APART_M, _U), same characters, same pinyin reading (one side not in
    # characters), same pinyin reading in other characters (mostly two people: +3.3 bits, with the same sex, two
    # lists and no rival beside it, leaves two such records of a small case to a reviewer; +4.3 did while a shared
    # event could weigh below nothing), same pinyin, same sound, same sound of an ambiguous spelling, one letter
    # apart (a misspelling: +2 bits, so with only the sex and a night's event beside it a reviewer decides, as
    # Wang Xiaoping and Wang Xiaobing may be two people; trained at 5,000 records it weighs +6.5), close (looser
    # still, and between two names in characters another name: -1 bit, so that 王晓平 and 王晓兵 of one age and place
    # wait for a reviewer, joined at 0.81 with +1 (an outside tester, rt41); trained it weighs about 0), different
    "name": [(1e-8, 1e-2), (0.50, 2e-4), (0.12, 1e-4), (0.005, 5e-4), (0.08, 1e-4), (0.12, 1e-4), (0.10, 1e-3),
             (0.02, 5e-3), (0.01, 2e-2), (0.025, 0.9631)],
    # same, different
    "sex": [(0.96, 0.55), (0.04, 0.45)],
    # ages within a year, within 5 years, further apart
    "age": [(0.80, 0.06), (0.14, 0.22), (0.06, 0.72)],
    # same place, one within the other, same district, same city, different
    "place": [(0.55, 0.08), (0.25, 0.15), (0.07, 0.07), (0.07, 0.45), (0.06, 0.25)],
    # same event and dates, same event with dates close, one history with dates close, one history with a date not
    # given (no evidence either way), one history with dates apart, different
    "event": [(0.68, 0.10), (0.10, 0.05), (0.10, 0.05), (0.05, 0.05), (0.04, 0.15), (0.03, 0.60)],
    # same occupation, different
    "occupation": [(0.90, 0.15), (0.10, 0.85)],
    # same sentence, different (two different people's sentences agree about one time in twenty)
    "sentence": [(0.90, 0.06), (0.10, 0.94)],
    # one list names both, two lists (a list rarely names a person twice; a fifth of random pairs share a list)
    "list": [(0.03, 0.20), (0.97, 0.80)],
}


def model_with_priors(model: dict, records: int) -> dict:
    """A saved Splink model (untrained) with every m and u set from PRIORS and the prior chance of a match."""
    for level, (m, u) in _with_priors(model):
        level["m_probability"], level["u_probability"] = m, u
        if level.get("label_for_charts") in ("same pinyin reading", "same pinyin reading, other characters"):
            # A romanized name's key that is only the likelier of its readings (Ming CHANG: 张明 or 常明) is not "the
            # same pinyin reading" here: beside 常明 it joined 张明 at 0.992 (an outside tester, rt40); it meets both at
            # "same sound". Only in a small case: trained, a level of its own cost the blind generator's 5,000
            # records up to 0.03 of F1 and folding it into "same sound" 0.0005 on average (docs/benchmarks.md).
            level["sql_condition"] = f"({level['sql_condition']}) AND reading_sure_l AND reading_sure_r"
    model["probability_two_random_records_match"] = 1.0 / max(records - 1, 2)
    return model


def with_prior_m(model: dict) -> dict:
    """A saved model whose untrained m (u estimated, EM not yet run) are taken from PRIORS, as EM's start."""
    for level, (m, _) in _with_priors(model):
        if level.get("m_probability") is None:
            level["m_probability"] = m
    return model


def _with_priors(model: dict):
    """Each non-null level of the model with its (m, u) from PRIORS; a comparison without priors is refused."""
    for comparison in model["comparisons"]:
        values = PRIORS.get(comparison["output_column_name"])
        levels = [level for level in comparison["comparison_levels"] if not level.get("is_null_level")]
        if values is None or len(values) != len(levels):
            raise ValueError(f"no prior for the comparison {comparison['output_column_name']!r} "
                             f"with {len(levels)} levels")
        yield from zip(levels, values)


#: The frame's column of an event with its dates (frame.event_key), whose frequency weighs a small case's
#: "same event, same dates".
EVENT_KEY = "event_key"


def by_event_frequency(model: dict) -> dict:
    """A small case's "same event, same dates" weakened by how many other people's records share that event and
    those dates (frequencies.term_frequency_sql over event_key), never made stronger than the priors' u.

    The priors' u say one pair of different people in ten shares an event and its dates, as on the blind
    generator's lists; on a list of one night (everyone killed on 4 June 1989) every pair shares them, and the
    priors weighed that as +2.8 bits for one person: with the name and sex alone, two people whose names read
    alike were joined (an outside tester). A detention on one day that no one else shares keeps the priors'
    weight, which one u for every event, read from the case's own pairs, did not (training.small_case_u)."""
    for comparison in model["comparisons"]:
        if comparison["output_column_name"] != "event":
            continue
        first = next(level for level in comparison["comparison_levels"] if not level.get("is_null_level"))
        first.update({"tf_adjustment_column": EVENT_KEY, "tf_adjustment_weight": 1.0,
                      "disable_tf_exact_match_detection": True})
    return model

