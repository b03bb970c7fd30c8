"""Names that say the name is unknown, and numbers that keep namesakes apart."""

from __future__ import annotations

import pytest

from mingdan.names import Level, compare_names, linkage_columns, name_keys
from mingdan.names.placeholders import is_placeholder, name_number, without_number


@pytest.mark.parametrize("text", [
    "无名氏", "无名氏1", "無名氏2", "佚名", "不详", "姓名不详", "身份不明者", "无名男尸", "男尸1号", "無名男屍3號", "女尸",
    "某某", "王某", "欧阳某某", "张**", "李X", "陈○○", "一名学生", "Unknown", "unknown male 1", "Unidentified body #4",
    "UNNAMED", "Anonymous", "John Doe", "Jane Doe 2", "N/A", "n/a", "?", "—", "#12", "Name withheld", "Zhang ***",
    # An outside tester's forms: with a note, with a romanization, unlisted wordings, other languages, a surname alone.
    "无名氏（男）", "無名氏（女）", "佚名（学生）", "不详（男）", "Unknown male (about 30)", "无名氏（Wu Mingshi）",
    "男尸3号（Nanshi 3 hao）", "Unknown (无名氏)", "张**（Zhang）", "不明男子", "一具男尸", "无名烈士", "孙姓男子",
    "某大学学生", "N.A.", "UNK", "Unknown 王", "Zhang X.", "Wang X", "Mr. Chan", "Mr X", "Body #3", "Inconnu",
    "Desconocido", "Неизвестный", "X Lan", "NA", "王", "Wang", "Man", "王某（男，23岁）", "男尸（3号）", "3号男尸",
])
def test_a_name_that_says_it_is_unknown_is_not_compared(text):
    assert is_placeholder(text)
    keys = linkage_columns(text)
    assert not keys["name_comparable"] and keys["characters_key"] is None and keys["pinyin_key"] is None
    assert compare_names(text, text) == Level.DIFFERENT


@pytest.mark.parametrize("text", [
    "张三", "王小明", "陈大文", "Chan Tai Man", "Wu Ming", "Na Ying", "Li Ming 1", "李明2", "Li3 Ming2",
    "Nan Li", "Ho Kwok Wai", "Doe Lin", "Doe Wai", "Na Na", "NA Na", "Nan Na", "那娜", "南娜", "Li Nana", "张无忌", "李名扬",
    "王男", "陈素女", "Mou Mou", "Cheung1 Kwok3 Wing4", "王伟1965", "周强(23岁)", "王伟（1965年生）", "李战士", "Zhangsan",
    # A second outside pass: a single word that is no Chinese surname, other scripts, initials.
    "Tenzin", "Ilham", "Dolkar", "Tashi Dolkar", "བསྟན་འཛིན", "이순신", "J. Wong", "K. M. Chan", "Chan K.M.", "Wong, J.",
    "Malcolm X", "W. Ming",
])
def test_a_real_name_is_not_a_placeholder(text):
    assert not is_placeholder(text)
    assert linkage_columns(text)["name_comparable"]


@pytest.mark.parametrize("text,number,rest", [
    ("Li Ming 1", "1", "Li Ming"), ("李明2", "2", "李明"), ("李明（2）", "2", "李明"), ("Li Ming #02", "2", "Li Ming"),
    ("No. 5 Li Ming", "5", "Li Ming"), ("男尸3号", "3", "男尸"), ("李明２", "2", "李明"),
    ("Li3 Ming2", None, "Li3 Ming2"), ("Chan4 Tai5", None, "Chan4 Tai5"), ("王伟", None, "王伟"),
    ("林涛一号", "1", "林涛"), ("冯刚(一)", "1", "冯刚"), ("谭鹏三号", "3", "谭鹏"), ("Liang Hui II", "2", "Liang Hui"),
    ("胡斌Ⅰ", "1", "胡斌"), ("周明 No1", "1", "周明"), ("Li Qiang Jr.", "jr", "Li Qiang"), ("唐亮（二）", "2", "唐亮"),
    ("周强(23岁)", None, "周强"), ("王伟（1965年生）", None, "王伟"), ("周强 23岁", None, "周强"), ("周强，24岁", None, "周强"),
    ("曹勇 1989-06-04", None, "曹勇"), ("刘军 19岁 学生", None, "刘军"), ("高峰 1965年", None, "高峰"),
    ("孙立（孙小立）", None, "孙立"), ("黄强先生", None, "黄强"), ("李明 2", "2", "李明"),
])
def test_the_number_a_name_is_written_with(text, number, rest):
    assert name_number(text) == number
    assert without_number(text) == rest


def test_namesakes_numbered_apart_are_different_and_the_same_number_is_not():
    assert compare_names("Li Ming 1", "Li Ming 2") == Level.DIFFERENT
    assert compare_names("李明1", "李明2") == Level.DIFFERENT
    assert compare_names("李明1", "李明1") == Level.SAME_CHARACTERS
    assert compare_names("李明1", "Li Ming 1") == Level.SAME_SOUND
    # One side unnumbered: the number says nothing against it.
    assert compare_names("李明1", "李明") == Level.SAME_CHARACTERS
    assert name_keys("Li Ming 2").pinyin_key == name_keys("Li Ming").pinyin_key == "li ming"


def test_a_number_or_a_note_in_brackets_and_numerals_of_every_kind():
    assert compare_names("林涛一号", "林涛二号") == Level.DIFFERENT
    assert compare_names("林涛一号", "林涛") == Level.SAME_CHARACTERS
    assert compare_names("谭鹏三号", "谭鹏3") == Level.SAME_CHARACTERS
    assert compare_names("Liang Hui I", "Liang Hui II") == Level.DIFFERENT
    assert compare_names("Li Qiang Sr.", "Li Qiang Jr.") == Level.DIFFERENT
    assert compare_names("周明 No1", "周明 No2") == Level.DIFFERENT
    assert compare_names("周强(23岁)", "周强") == Level.SAME_CHARACTERS
    assert compare_names("王伟（1965年生）", "王伟") == Level.SAME_CHARACTERS


def test_the_name_compared_keeps_a_number_written_on_its_romanization_and_drops_a_placeholders():
    from mingdan.linkage.frame import linkage_name

    assert compare_names(linkage_name("Wang Gang 1", None, "王刚"), linkage_name("Wang Gang 2", None, "王刚")) == 0
    assert linkage_name("无名氏", "Wu Mingshi", None) is None and linkage_name("王某", "Wang Mou", None) is None
    assert linkage_name("无名氏", "张三", None) == "张三"  # a real name beside the placeholder is used
