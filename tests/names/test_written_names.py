"""A name cell holding more than the name (rt15 03): what is read safely, and why the rest is kept whole."""

from __future__ import annotations

import pytest

from mingdan.names.brackets import WrittenName, read_name


@pytest.mark.parametrize("text, read", [
    ("李八 / Li Ba", WrittenName("李八", romanizations=("Li Ba",))),
    ("李八／Li Ba", WrittenName("李八", romanizations=("Li Ba",))),
    ("Li Ba / 李八", WrittenName("李八", romanizations=("Li Ba",))),
    ("张三 Zhang San", WrittenName("张三", romanizations=("Zhang San",))),
    ("Chang Chiu (張九)", WrittenName("張九", romanizations=("Chang Chiu",))),
    ("王五（化名）", WrittenName("王五", pseudonym=True)),
    ("张三 (alias)", WrittenName("张三", pseudonym=True)),
    ("张三（Zhang San）（化名）", WrittenName("张三", pseudonym=True, romanizations=("Zhang San",))),
    ("刘十（Liu Shi，又名刘石）", WrittenName("刘十", romanizations=("Liu Shi",), others=(("刘石", "alias"),))),
    ("张三（原名：张山）", WrittenName("张三", others=(("张山", "former"),))),
])
def test_what_can_be_read_safely_is_read(text, read):
    assert read_name(text) == (read, None)


@pytest.mark.parametrize("text, why", [
    ("张四 (Li Si)", "'Li Si' does not read as '张四'"),
    ("李八 / Li Si", "'Li Si' does not read as '李八'"),
    ("张七（Zhang Qi）, 张七七", "its brackets, slash or commas hold more than"),
    ("张三/张山", "'张山' beside the name is neither its romanization"),
    ("王五（某某）", "'某某' beside the name is neither its romanization"),
    ("王五（）", "its brackets, slash or commas hold more than"),
])
def test_what_cannot_is_kept_whole_with_the_reason(text, why):
    read, reason = read_name(text)
    assert read is None and reason.startswith(why), reason


@pytest.mark.parametrize("text", ["张三", "Zhang San", "阿不都・热合曼", "Ch'en Ta-wen", "O'Brien"])
def test_a_plain_name_is_nothing_to_read(text):
    assert read_name(text) == (None, None)
