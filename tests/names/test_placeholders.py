"""Names that say the name is unknown, and numbers that keep namesakes apart."""

from __future__ import annotations

import pytest

from mingdan.names import Level, compare_names, linkage_columns, name_keys
from mingdan.names.placeholders import is_placeholder, name_number, without_number


@pytest.mark.parametrize("text", [
    "无名氏", "无名氏1", "無名氏2", "佚名", "不详", "姓名不详", "身份不明者", "无名男尸", "男尸1号", "無名男屍3號", "女尸",
    "某某", "王某", "欧阳某某", "张**", "李X", "陈○○", "一名学生", "Unknown", "unknown male 1", "Unidentified body #4",
    "UNNAMED", "Anonymous", "John Doe", "Jane Doe 2", "N/A", "n/a", "?", "—", "#12", "Name withheld", "Zhang ***",
])
def test_a_name_that_says_it_is_unknown_is_not_compared(text):
    assert is_placeholder(text)
    keys = linkage_columns(text)
    assert not keys["name_comparable"] and keys["characters_key"] is None and keys["pinyin_key"] is None
    assert compare_names(text, text) == Level.DIFFERENT


@pytest.mark.parametrize("text", [
    "张三", "王小明", "陈大文", "Chan Tai Man", "Wu Ming", "Na Ying", "Man", "Li Ming 1", "李明2", "Li3 Ming2",
    "Mr X", "Nan Li", "Ho Kwok Wai", "Doe Lin",
])
def test_a_real_name_is_not_a_placeholder(text):
    assert not is_placeholder(text)
    assert linkage_columns(text)["name_comparable"]


@pytest.mark.parametrize("text,number,rest", [
    ("Li Ming 1", "1", "Li Ming"), ("李明2", "2", "李明"), ("李明（2）", "2", "李明"), ("Li Ming #02", "2", "Li Ming"),
    ("No. 5 Li Ming", "5", "Li Ming"), ("男尸3号", "3", "男尸"), ("李明２", "2", "李明"),
    ("Li3 Ming2", None, "Li3 Ming2"), ("Chan4 Tai5", None, "Chan4 Tai5"), ("王伟", None, "王伟"),
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
