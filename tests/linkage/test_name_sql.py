"""The SQL the linkage engine grades names with gives exactly mingdan.names.compare_names, pair by pair."""

from __future__ import annotations

import duckdb
import numpy as np
import pyarrow as pa
from hypothesis import given, settings
from hypothesis import strategies as st

from mingdan.linkage.frame import NAME_COLUMNS
from mingdan.linkage.model import NUMBERED_APART, name_level_sql
from mingdan.names import compare_names, linkage_columns
from mingdan.names.keys import jaro_winkler
from mingdan.simulate import SimulationSettings, simulate_case
from mingdan.simulate.sources import written_name

KEYS = ("characters_key", "pinyin_key", "surname_given_swapped", "sound_key", *NAME_COLUMNS)


def sql_levels(pairs: list[tuple[str, str]]) -> list[int]:
    """The level DuckDB gives each pair, from the linkage columns and name_level_sql as Splink uses them."""
    index: dict[str, int] = {}
    for pair in pairs:
        for name in pair:
            index.setdefault(name, len(index))
    names = []
    for name, number in index.items():
        columns = linkage_columns(name)
        names.append({"id": number, **{("pinyin_swapped" if k == "surname_given_swapped" else k): columns[k] for k in KEYS}})
    connection = duckdb.connect()
    connection.register("names", pa.Table.from_pylist(names))
    connection.register("pairs", pa.table({"n": range(len(pairs)), "a": [index[a] for a, _ in pairs],
                                           "b": [index[b] for _, b in pairs]}))
    # Splink writes the levels as one CASE, best first, over l/r columns named *_l and *_r; the same here, with the
    # level "numbered apart" first as in the model.
    side = ", ".join(f"{t}.{c} AS {c}_{t}" for t in "lr" for c in names[0] if c != "id")
    case = f"WHEN {NUMBERED_APART} THEN 0 " + " ".join(
        f"WHEN {condition} THEN {level}" for level, condition in sorted(name_level_sql().items(), reverse=True))
    return [level for (level,) in connection.execute(
        f"WITH p AS (SELECT n, {side} FROM pairs JOIN names l ON l.id = pairs.a JOIN names r ON r.id = pairs.b) "
        f"SELECT CASE {case} ELSE 0 END FROM p ORDER BY n").fetchall()]


def simulated_names(people: int = 150) -> list[str]:
    """Every way the simulator's five sources and the Hong Kong list write a few people's names."""
    case = simulate_case(SimulationSettings(seed=3, people=people))
    rng = np.random.default_rng(3)
    names = set()
    for person in case.people:
        names.add(person.hk_name)
        for style in "abcde":
            for _ in range(2):
                names.add(written_name(rng, person, style))
    return sorted(n for n in names if n)


def test_every_pair_of_simulated_names_gets_the_same_level_in_sql():
    names = simulated_names()
    pairs = [(a, b) for i, a in enumerate(names) for b in names[i + 1:]]
    assert len(pairs) > 100_000
    expected = [int(compare_names(a, b)) for a, b in pairs]
    got = sql_levels(pairs)
    wrong = [(a, b, e, g) for (a, b), e, g in zip(pairs, expected, got) if e != g]
    assert not wrong, wrong[:10]
    # The comparison is not trivially "different": every level occurs.
    assert set(expected) == {0, 1, 2, 3, 4}


@settings(max_examples=200, deadline=None)
@given(st.lists(st.text(alphabet="陈陳王李曾欧阳大文伟某无名氏ChenDawWangLiTa-' 'ōéü12#", max_size=12), min_size=2, max_size=6))
def test_any_text_gets_the_same_level_in_sql(texts):
    pairs = [(a, b) for a in texts for b in texts]
    assert sql_levels(pairs) == [int(compare_names(a, b)) for a, b in pairs]


@settings(max_examples=500, deadline=None)
@given(st.text(alphabet="abcdeg hn", max_size=14), st.text(alphabet="abcdeg hn", max_size=14))
def test_jaro_winkler_is_duckdbs(a, b):
    duck = duckdb.execute("SELECT jaro_winkler_similarity(?, ?)", [a, b]).fetchone()[0]
    assert abs(jaro_winkler(a, b) - duck) < 1e-12
