"""A list names a person once: a pair's score weighed against its records' other candidates in the two lists."""

from __future__ import annotations

import numpy as np
import pyarrow as pa
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from mingdan.linkage.one_to_one import MOST_COVERAGE, adjust, weigh_rivals

#: Records 1-4 in list A, 11-14 in list B (ids are what the frame gives; lists are its sources).
LISTS = {**{i: "A" for i in range(1, 5)}, **{i: "B" for i in range(11, 15)}}


def _adjusted(pairs: list[tuple[int, int, float]], lists=LISTS, floor: float = 0.2):
    left, right, p = (np.array(column) for column in zip(*pairs))
    return adjust(left, right, p, lists, floor)


def test_a_lone_candidate_gains_and_one_among_rivals_loses():
    lone = _adjusted([(1, 11, 0.5), (2, 12, 0.9), (3, 13, 0.9)])
    assert lone.probability[0] > 0.5 and lone.bits[0] > 0
    rival = _adjusted([(1, 11, 0.5), (1, 12, 0.5), (3, 13, 0.9)])
    assert rival.probability[0] < lone.probability[0]
    # A rival of b's side counts as one of a's does.
    other_side = _adjusted([(1, 11, 0.5), (2, 11, 0.5), (3, 13, 0.9)])
    assert other_side.probability[0] == pytest.approx(rival.probability[0])
    # Rivals on both sides: below what each pair scored alone.
    contested = _adjusted([(1, 11, 0.5), (1, 12, 0.5), (2, 11, 0.5), (2, 12, 0.5)])
    assert np.all(contested.probability < 0.5) and np.all(contested.bits < 0)


def test_a_lists_repeat_of_one_person_is_one_candidate_not_a_rival():
    apart = _adjusted([(1, 11, 0.8), (1, 12, 0.8), (3, 13, 0.9)])
    together = _adjusted([(1, 11, 0.8), (1, 12, 0.8), (11, 12, 0.7), (3, 13, 0.9)])
    assert together.probability[0] > 0.8 > apart.probability[0]
    assert together.probability[2] == pytest.approx(0.7)  # a pair of one list is left as it was scored


def test_the_gain_is_bounded_by_the_largest_coverage():
    # Every record of A has its one candidate in B, so the coverage is estimated high and capped.
    found = _adjusted([(1, 11, 0.99), (2, 12, 0.99), (3, 13, 0.99), (4, 14, 0.01)])
    assert found.coverage.max() <= MOST_COVERAGE
    assert found.bits.max() <= 2 * np.log2(1 / (1 - MOST_COVERAGE)) + 1e-9


def test_a_coverage_given_is_used_as_it_is():
    first = _adjusted([(1, 11, 0.5), (2, 12, 0.9)])
    left, right = np.array([1, 2]), np.array([11, 12])
    again = adjust(left, right, np.array([0.5, 0.2]), LISTS, 0.2, first.coverage)
    assert np.array_equal(again.coverage, first.coverage)
    assert again.probability[0] == pytest.approx(first.probability[0])  # no rival changed: the same score


@settings(max_examples=60, deadline=None)
@given(st.lists(st.tuples(st.sampled_from([1, 2, 3, 4]), st.sampled_from([11, 12, 13, 14]),
                          st.floats(0.2, 0.999)), min_size=1, max_size=12, unique_by=lambda t: (t[0], t[1])))
def test_scores_stay_probabilities_and_do_not_depend_on_which_record_is_left(pairs):
    found = _adjusted(pairs)
    assert np.all((found.probability > 0) & (found.probability < 1))
    swapped = _adjusted([(b, a, p) for a, b, p in pairs])
    assert np.allclose(found.probability, swapped.probability)


def test_the_scored_table_keeps_the_score_alone_and_the_change_in_bits():
    frame = pa.table({"unique_id": list(LISTS), "source": list(LISTS.values())})
    p = np.array([0.5, 0.9])
    scored = pa.table({"unique_id_l": [1, 2], "unique_id_r": [11, 12], "match_probability": p,
                       "match_weight": np.log2(p / (1 - p))})
    weighed = weigh_rivals(frame, scored, 0.2)
    assert weighed["match_probability_alone"].to_pylist() == [0.5, 0.9]
    probability = weighed["match_probability"].to_numpy()
    weight = weighed["match_weight"].to_numpy()
    assert np.allclose(probability, 1 / (1 + np.exp2(-weight)))  # the weight in bits is the probability's
    assert np.allclose(weight - weighed["mw_one_to_one"].to_numpy(), np.log2(p / (1 - p)), atol=1e-5)


def test_a_readers_view_weighs_a_pair_from_its_rivals_as_that_reader_scores_them():
    """A rival's hidden value moved a pair's score: the view that cannot read it stores that pair too, weighed from
    the rival's score in that view (reader_scores._Rivals)."""
    from mingdan.linkage.reader_scores import PairScore, _Rivals

    frame = pa.table({"unique_id": list(LISTS), "source": list(LISTS.values())})
    p = np.array([0.7, 0.3, 0.9])  # (1, 12) is weak in the run: a value some reader may not read tells them apart
    scored = weigh_rivals(frame, pa.table({"unique_id_l": [1, 1, 2], "unique_id_r": [11, 12, 13],
                                           "match_probability": p, "match_weight": np.log2(p / (1 - p)),
                                           "mw_name": [1.0, 1.0, 1.0], "gamma_name": [4, 4, 4]}), 0.2)
    rivals = _Rivals(frame, scored, 0.2)
    assert rivals.weigh({}) == {}  # the run's own view: nothing differs
    seen = rivals.weigh({(1, 12): PairScore(0.9, float(np.log2(9)), {"name": {"level": 4, "weight": 1.0}})})
    run = dict(zip(zip(scored["unique_id_l"].to_pylist(), scored["unique_id_r"].to_pylist()),
                   scored["match_probability"].to_pylist()))
    assert (1, 11) in seen and seen[(1, 11)].probability < run[(1, 11)]
    assert seen[(1, 11)].fields["one_to_one"]["probability_alone"] == pytest.approx(0.7)
    assert seen[(1, 12)].fields["one_to_one"]["probability_alone"] == pytest.approx(0.9)
    assert (2, 13) not in seen  # its rivals are the run's: its score is every reader's
