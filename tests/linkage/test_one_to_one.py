"""A list names a person once: a pair's score weighed against its records' other candidates in the two lists."""

from __future__ import annotations

import numpy as np
import pyarrow as pa
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from mingdan.linkage.one_to_one import COVERAGE, MOST_GAIN_BITS, adjust, weigh_rivals

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


def test_a_rival_that_may_be_the_candidates_repeat_counts_as_far_as_it_may_be_another_person():
    apart = _adjusted([(1, 11, 0.8), (1, 12, 0.8), (3, 13, 0.9)])
    maybe = _adjusted([(1, 11, 0.8), (1, 12, 0.8), (11, 12, 0.3), (3, 13, 0.9)])
    surely = _adjusted([(1, 11, 0.8), (1, 12, 0.8), (11, 12, 0.999), (3, 13, 0.9)])
    alone = _adjusted([(1, 11, 0.8), (3, 13, 0.9)])
    assert apart.probability[0] < maybe.probability[0] < surely.probability[0]
    assert surely.probability[0] == pytest.approx(alone.probability[0], abs=0.01)  # one person twice: no rival
    assert maybe.probability[2] == pytest.approx(0.3)  # a pair of one list is left as it was scored


def test_two_records_of_one_list_whose_names_the_list_keeps_apart_are_never_each_others_repeat():
    # `Wang Jianhua` (1, list A) against 王剑华 (11) and 王建华 (12) of list B, which score as one person together but
    # are two names in characters: the clustering never joins them, so each stays the other's rival.
    names = {1: (None, "wangjianhua", "r"), 11: ("王剑华", "wangjianhua", "r"), 12: ("王建华", "wangjianhua", "r"),
             3: ("李明", "liming", "l"), 13: ("李明", "liming", "l")}
    pairs = [(1, 11, 0.999), (1, 12, 0.999), (11, 12, 0.999), (3, 13, 0.9)]
    left, right, p = (np.array(column) for column in zip(*pairs))
    kept_apart = adjust(left, right, p, LISTS, 0.2, names=names)
    repeat = adjust(left, right, p, LISTS, 0.2)
    assert repeat.probability[0] > 0.99, "without the names the two are one candidate written twice"
    # A tie: each is the match with even odds, below auto-link (0.625 before the lone side's gain was bounded).
    assert kept_apart.probability[0] == pytest.approx(0.5, abs=0.01)
    assert kept_apart.probability[0] == pytest.approx(kept_apart.probability[1])
    # The same characters twice in one list may be one person entered twice: still one candidate.
    names[12] = ("王剑华", "wangjianhua", "r")
    assert adjust(left, right, p, LISTS, 0.2, names=names).probability[0] > 0.99


def test_a_contested_pair_keeps_of_the_other_sides_lone_gain_only_what_the_contest_leaves():
    # 1 of A has two even candidates in B, each of which has only 1: bipartite matching gives each one half.
    tie = _adjusted([(1, 11, 0.99), (1, 12, 0.99)])
    assert tie.probability == pytest.approx([0.5, 0.5], abs=0.01)
    # One candidate far ahead of a weak rival: linked still, below the lone pair but above its contested side alone.
    ahead = _adjusted([(1, 11, 0.99), (1, 12, 0.05)])
    lone = _adjusted([(1, 11, 0.99)])
    one_view = 99 / ((1 - COVERAGE) + 0.05 / 0.95)
    assert one_view / (1 + one_view) < ahead.probability[0] < lone.probability[0]
    # A rival as likely as not: the lone side's gain counts in part, between the contested view and the product.
    contested = _adjusted([(1, 11, 0.99), (1, 12, 0.5)])
    view, product = 99 / ((1 - COVERAGE) + 1), 99 / ((1 - COVERAGE) + 1) / (1 - COVERAGE)
    assert view / (1 + view) < contested.probability[0] < product / (1 + product)
    # Uncontested on both sides: the two views' gains multiply as before.
    assert lone.bits[0] == pytest.approx(2 * np.log2(1 / (1 - COVERAGE)))


def test_a_lone_candidate_gains_at_most_what_the_coverage_and_the_cap_allow():
    found = _adjusted([(1, 11, 0.2), (2, 12, 0.99), (3, 13, 0.99)])
    assert found.bits[0] == pytest.approx(2 * np.log2(1 / (1 - COVERAGE)))
    assert found.probability[0] < 0.6  # a lone pair at the review threshold stays for a reviewer
    # However much of each other the lists are said to name, the odds rise at most MOST_GAIN_BITS.
    left, right = np.array([1, 2]), np.array([11, 12])
    capped = adjust(left, right, np.array([0.2, 0.99]), LISTS, 0.2, np.full((2, 2), 0.95))
    assert capped.bits[0] == pytest.approx(MOST_GAIN_BITS)


def test_no_score_of_another_pair_changes_a_lone_pairs_weighing():
    """The lists' coverage is a constant: a rival's (possibly hidden) value elsewhere cannot move this pair."""
    one = _adjusted([(1, 11, 0.5), (2, 12, 0.9), (3, 13, 0.3)])
    two = _adjusted([(1, 11, 0.5), (2, 12, 0.2), (3, 13, 0.99)])
    assert one.probability[0] == pytest.approx(two.probability[0])


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
    weighed, said = weigh_rivals(frame, scored, 0.2)
    assert said.startswith("pairs of two lists weighed") and "2 raised, 0 lowered" in said and "40%" in said
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
    scored, _ = weigh_rivals(frame, pa.table({"unique_id_l": [1, 1, 2], "unique_id_r": [11, 12, 13],
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


@pytest.mark.django_db
def test_a_run_weighs_rivals_and_explain_names_them(case, write_rows):
    """End to end: `mingdan link` stores the change beside the score alone; explain names the row and the rivals."""
    from mingdan.ingest.importer import import_file
    from mingdan.linkage.explain import explain_pair
    from mingdan.linkage.run import link_case
    from mingdan.store.models import PairLink, Record

    common = {"sex": "male", "place": "Beijing", "event": "detained", "event_date": "1989-06-10"}
    import_file(case, write_rows([
        {"record_id": "M1", "name": "李建国", "age": "45", **common},
        {"record_id": "M2", "name": "张志强", "age": "30", **common},
        # A namesake of one list, by all else another person: A2, who gives the name alone, could be either.
        {"record_id": "M3", "name": "张志强", "sex": "female", "age": "52", "place": "Shanghai", "event": "killed",
         "event_date": "1989-06-04"},
        {"record_id": "M4", "name": "陈光明", "age": "61", **common},
    ], name="mainland.csv"), source_name="Mainland")
    import_file(case, write_rows([
        {"record_id": "A1", "name": "Li Jianguo", "age": "", **common},
        {"record_id": "A2", "name": "Zhang Zhiqiang"},
        {"record_id": "A3", "name": "Chen Guangming", "age": "61", **common},
    ], name="abroad.csv"), source_name="Abroad")
    result = link_case(case)
    assert "weighed against their records' other candidates" in result.weighed
    ids = {r.record_id: r for r in Record.objects.select_related("source")}

    def link(a: str, b: str):
        first, second = sorted((ids[a].pk, ids[b].pk))
        return PairLink.objects.get(run_id=result.run_id, record_a_id=first, record_b_id=second)

    lone, rival, other = link("M1", "A1"), link("M2", "A2"), link("M3", "A2")
    assert lone.weights["one_to_one"]["weight"] > 0
    alone = lone.match_weight - lone.weights["one_to_one"]["weight"]
    assert lone.match_probability > 1 / (1 + 2 ** -alone)
    # A2 fits both namesakes equally; two people of one list hold the name, so its frequency leaves each pair weak,
    # and the weighing does not lift either to a link (their equal rival takes the other side's lone gain away).
    assert rival.match_probability == pytest.approx(other.match_probability, abs=1e-6)
    assert rival.band != "auto" and rival.match_probability < 0.5
    # The stored weight is the probability's, the change included.
    assert rival.match_probability == pytest.approx(1 / (1 + 2 ** -rival.match_weight), rel=1e-6)
    explained = explain_pair(ids["M2"], ids["A2"])
    assert "scored alone" in explained["summary"]
    assert any(row["field"] == "other candidates" for row in explained["fields"])
    # Every row, the prior's too, adds up to the pair's weight.
    assert sum(row["weight"] for row in explained["fields"]) == pytest.approx(rival.match_weight, abs=0.01)
    assert explained["rivals"] == [f"Abroad:A2 ~ Mainland:M3: {other.weights['one_to_one']['probability_alone']:.3f} "
                                   f"scored alone"]
    assert explain_pair(ids["M1"], ids["A1"])["rivals"] == []


@pytest.mark.django_db
def test_a_case_can_turn_the_weighing_off_and_a_wrong_value_is_refused(case, write_rows):
    from mingdan.ingest.importer import import_file
    from mingdan.linkage.run import link_case
    from mingdan.store.models import PairLink

    common = {"sex": "male", "place": "Beijing", "event": "detained", "event_date": "1989-06-10"}
    import_file(case, write_rows([{"record_id": "M1", "name": "李建国", "age": "45", **common},
                                  {"record_id": "M2", "name": "陈光明", "age": "61", **common}], name="m.csv"),
                source_name="Mainland")
    import_file(case, write_rows([{"record_id": "A1", "name": "Li Jianguo", **common}], name="a.csv"),
                source_name="Abroad")
    config = case.root / "mingdan.toml"
    text = config.read_text("utf-8")
    config.write_text(text + "\n[linkage]\nweigh_rivals = false\n" if "[linkage]" not in text
                      else text.replace("[linkage]", "[linkage]\nweigh_rivals = false"), "utf-8")
    case.config.setdefault("linkage", {})["weigh_rivals"] = False
    result = link_case(case)
    assert result.weighed == ""
    assert all("one_to_one" not in link.weights for link in PairLink.objects.filter(run_id=result.run_id))
    case.config["linkage"]["weigh_rivals"] = "no"
    with pytest.raises(ValueError, match="weigh_rivals must be true or false"):
        link_case(case)


@pytest.mark.django_db
def test_linkage_reads_a_secret_age(case, tmp_path):
    """A secret age is stored sealed, its bounds too; linkage reads it all the same (an outside tester saw it
    shown as missing by `link explain` while a secret sex was read)."""
    from mingdan.ingest.importer import import_file
    from mingdan.linkage.frame import frame_table

    (tmp_path / "secret.csv").write_text("record_id,name,age\nS1,李建国,约40\nS2,王伟,33\n", "utf-8")
    (tmp_path / "secret.yaml").write_text("source: {name: Secret ages}\ncolumns:\n  record_id: record_id\n"
                                          "  name: name\n  age: {field: age, sensitivity: secret}\n", "utf-8")
    import_file(case, tmp_path / "secret.csv", mapping_path=tmp_path / "secret.yaml")
    ages = {row["record_id"]: (row["age_low"], row["age_high"]) for row in frame_table().to_pylist()}
    assert ages["S2"] == (33, 33)
    assert ages["S1"][0] < 40 < ages["S1"][1]
