"""Romanization tables: pinyin with surname readings, Wade-Giles, scripts."""

from __future__ import annotations

import pytest

from mingdan.names.romanize import pinyin_name, pinyin_syllables, pinyin_to_wade_giles, split_surname, wade_giles_name
from mingdan.names.script import classify_name

WADE_GILES = {
    "chen": "ch'en", "zhang": "chang", "jiang": "chiang", "xu": "hsü", "zeng": "tseng", "zhou": "chou",
    "qian": "ch'ien", "li": "li", "zhi": "chih", "chi": "ch'ih", "shi": "shih", "ri": "jih", "zi": "tzu",
    "ci": "tz'u", "si": "ssu", "guo": "kuo", "luo": "lo", "xue": "hsüeh", "jun": "chün", "yan": "yen",
    "ye": "yeh", "yong": "yung", "xiong": "hsiung", "dong": "tung", "cao": "ts'ao", "ping": "p'ing",
    "bo": "po", "de": "te", "ge": "ko", "he": "ho", "ke": "k'o", "ren": "jen", "er": "erh", "xie": "hsieh",
    "lian": "lien", "tian": "t'ien", "qiu": "ch'iu", "xiao": "hsiao", "zhuang": "chuang", "cong": "ts'ung",
}


@pytest.mark.parametrize("pinyin,expected", sorted(WADE_GILES.items()))
def test_pinyin_syllables_in_wade_giles(pinyin, expected):
    assert pinyin_to_wade_giles(pinyin) == expected


@pytest.mark.parametrize("name,pinyin,wade_giles", [
    ("陈大文", "Chen Dawen", "Ch'en Ta-wen"), ("陳大文", "Chen Dawen", "Ch'en Ta-wen"),
    ("毛泽东", "Mao Zedong", "Mao Tse-tung"), ("邓小平", "Deng Xiaoping", "Teng Hsiao-p'ing"),
    ("曾国强", "Zeng Guoqiang", "Tseng Kuo-ch'iang"), ("单明", "Shan Ming", "Shan Ming"),
    ("区华", "Ou Hua", "Ou Hua"), ("解文", "Xie Wen", "Hsieh Wen"), ("欧阳修", "Ouyang Xiu", "Ouyang Hsiu"),
    # A compound surname whose first syllable ends in -n or -ng (found by the display name's property test).
    ("上官平", "Shangguan Ping", "Shangkuan P'ing"), ("皇甫强", "Huangfu Qiang", "Huangfu Ch'iang"),
])
def test_names(name, pinyin, wade_giles):
    assert pinyin_name(name) == pinyin
    assert wade_giles_name(name) == wade_giles


def test_compound_surnames_split():
    assert split_surname("司徒华") == ("司徒", "华")
    assert split_surname("诸葛明亮") == ("诸葛", "明亮")
    assert split_surname("王伟") == ("王", "伟")
    assert pinyin_syllables("上官平") == ("shang", "guan", "ping") and pinyin_syllables("澹台明")[:2] == ("tan", "tai")


@pytest.mark.parametrize("text,expected", [
    ("陳大文", ("hant", "none")), ("陈大文", ("hans", "none")), ("Ch'en Ta-wen", ("latin", "wade_giles")),
    ("Chan Tai Man", ("latin", "hk")), ("Chén Dàwén", ("latin", "pinyin_tones")),
])
def test_scripts_are_recognised(text, expected):
    assert classify_name(text) == expected
