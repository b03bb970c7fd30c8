"""The hand-made tables and romanization rules of the second generator."""

from __future__ import annotations

import pytest

from mingdan.simulate.other_hands.places import BY_ID, PLACES, ancestors, district_of
from mingdan.simulate.other_hands.render_names import hong_kong, pinyin, wade_giles_name
from mingdan.simulate.other_hands.romanize import ascii_pinyin, join_pinyin, strip_tones, wade_giles
from mingdan.simulate.other_hands.tables import given_chars, surnames


@pytest.mark.parametrize("py,wg", [
    ("chen", "ch'en"), ("zhang", "chang"), ("xu", "hsü"), ("xie", "hsieh"), ("zhou", "chou"), ("zeng", "tseng"),
    ("cai", "ts'ai"), ("zhao", "chao"), ("guo", "kuo"), ("si", "ssu"), ("zi", "tzu"), ("ri", "jih"), ("re", "je"),
    ("er", "erh"), ("xue", "hsüeh"), ("qun", "ch'ün"), ("yi", "i"), ("you", "yu"), ("yu", "yü"), ("ke", "k'o"),
    ("zhong", "chung"), ("xiong", "hsiung"), ("gui", "kuei"), ("dui", "tui"), ("luo", "lo"), ("shuo", "shuo"),
    ("jian", "chien"), ("qiang", "ch'iang"), ("lü", "lü"), ("ren", "jen"), ("cong", "ts'ung"), ("de", "te"),
])
def test_wade_giles_follows_the_textbook(py, wg):
    assert wade_giles(py) == wg


def test_pinyin_helpers():
    assert strip_tones("Lǚ Mùxīdì Chén") == "Lü Muxidi Chen"
    assert ascii_pinyin("lǚ", "v") == "lv" and ascii_pinyin("lǚ") == "lu"
    assert join_pinyin(["xī", "ān"]) == "xī'ān" and join_pinyin(["jiàn", "guó"]) == "jiànguó"


def test_tables_are_complete_and_consistent():
    surs, chars = surnames(), given_chars()
    assert len(surs) >= 150 and len(chars) >= 200
    for s in surs:
        assert len(s.hans) == len(s.hant) == len(s.pinyin) == len(s.hk)
        assert all(strip_tones(p).isalpha() for p in s.pinyin)
    for c in chars:
        assert len(c.hans) == len(c.hant) == 1 and c.sex in "mfn" and c.hk[0].isupper()
    by = {s.hans: s for s in surs}
    for hans, right, naive in [("曾", "zēng", "céng"), ("单", "shàn", "dān"), ("区", "ōu", "qū"),
                               ("解", "xiè", "jiě"), ("仇", "qiú", "chóu"), ("查", "zhā", "chá")]:
        assert by[hans].pinyin == (right,) and by[hans].naive == naive
    for compound in ("欧阳", "司徒", "诸葛", "上官"):
        assert len(by[compound].pinyin) == 2
    assert by["陈"].hk == ("Chan",) and by["张"].hant == "張" and by["肖"].hant == "蕭"
    for text in [c.hant for c in chars] + [s.hant for s in surs] + [p.hant for p in PLACES]:
        text.encode("big5")                   # the Taiwan list is written in Big5


def test_places_know_their_parents_and_the_2010_merger():
    assert [p.id for p in ancestors("muxidi")] == ["muxidi", "xicheng", "bj"]
    assert district_of("zhushikou").id == "xuanwu" and BY_ID["xuanwu"].merged_into == "xicheng"
    assert BY_ID["chongwen"].merged_into == "dongcheng"
    assert "Peking" in BY_ID["bj"].postal and BY_ID["muxidi"].pinyin == "Mùxīdì"
    assert BY_ID["changan"].english[0] == "Chang'an Avenue" and BY_ID["chongqing"].parent == "sichuan"


class _Rng:
    """A stand-in for random.Random that always takes the first branch."""

    def random(self):
        return 0.0

    def choice(self, seq):
        return seq[0]


def _person(hans):
    from mingdan.simulate.other_hands.population import Person
    sur = max((s for s in surnames() if hans.startswith(s.hans)), key=lambda s: len(s.hans))
    chars = {c.hans: c for c in given_chars()}
    return Person("P0000001", sur, tuple(chars[c] for c in hans[len(sur.hans):]), "m", 1960, "killed", "worker", -1, "muxidi")


def test_names_in_each_system():
    p = _person("陈大文")
    rng = _Rng()
    assert wade_giles_name(rng, p, apostrophes=True, umlauts=True).replace("\u2018", "'") == "Ch'en Ta-wen"
    assert wade_giles_name(rng, p, apostrophes=False, umlauts=False) == "Chen Ta-wen"
    assert hong_kong(rng, p, "spaced") == "Chan Tai Man" and hong_kong(rng, p, "hyphen") == "Chan Tai-man"
    assert pinyin(rng, p, "gs", tones=True) == "Dàwén Chén"
    assert pinyin(rng, _person("王建华"), "SG", tones=True) == "WÁNG Jiànhuá"
    assert hong_kong(rng, _person("王建华"), "spaced") == "Wong Kin Wah"
    assert wade_giles_name(rng, _person("王建华"), apostrophes=False, umlauts=False) == "Wang Chien-hua"
    assert pinyin(rng, _person("欧阳明"), "sg", tones=True) == "Ōuyáng Míng"
