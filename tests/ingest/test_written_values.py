"""Ages, sentences and bracketed names as lists write them: table and property tests (no database)."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from mingdan.ingest.ages import AgeError, parse_age
from mingdan.ingest.mapping import canonical_mapping
from mingdan.ingest.sentences import SentenceError, parse_sentence
from mingdan.ingest.validate import RowValidator
from mingdan.names.brackets import split_bracketed


@pytest.mark.parametrize("text, normalized, kind, low, high", [
    ("19", "19", "exact", 19, 19),
    ("19岁", "19", "exact", 19, 19),
    ("19歲", "19", "exact", 19, 19),
    ("19周岁", "19", "exact", 19, 19),
    ("１９岁", "19", "exact", 19, 19),
    ("二十三", "23", "exact", 23, 23),
    ("二十三岁", "23", "exact", 23, 23),
    ("aged 40", "40", "exact", 40, 40),
    ("40 years old", "40", "exact", 40, 40),
    ("约40", "~40", "approximate", 40, 40),
    ("约40岁", "~40", "approximate", 40, 40),
    ("40岁左右", "~40", "approximate", 40, 40),
    ("40来岁", "~40", "approximate", 40, 40),
    ("about 40", "~40", "approximate", 40, 40),
    ("c. 40", "~40", "approximate", 40, 40),
    ("~30", "~30", "approximate", 30, 30),
    ("40?", "~40", "approximate", 40, 40),
    ("40多岁", "40-49", "range", 40, 49),
    ("四十多岁", "40-49", "range", 40, 49),
    ("40余岁", "40-49", "range", 40, 49),
    ("40s", "40-49", "range", 40, 49),
    ("in her 40s", "40-49", "range", 40, 49),
    # 几 counts a few more whole years (rt15 07: 十几岁 was read as 10-19).
    ("十几岁", "11-19", "range", 11, 19),
    ("二十几岁", "21-29", "range", 21, 29),
    ("40几岁", "41-49", "range", 41, 49),
    ("四十幾歲", "41-49", "range", 41, 49),
    ("十多岁", "10-19", "range", 10, 19),
    ("30-35", "30-35", "range", 30, 35),
    ("30至35岁", "30-35", "range", 30, 35),
    ("三十至三十五岁", "30-35", "range", 30, 35),
    ("30 to 35", "30-35", "range", 30, 35),
    ("虚岁19", "17-18", "range", 17, 18),
    ("不详", "", "unknown", None, None),
    ("不詳", "", "unknown", None, None),
    ("unknown", "", "unknown", None, None),
    ("Unknown", "", "unknown", None, None),
    ("?", "", "unknown", None, None),
    ("？", "", "unknown", None, None),
])
def test_ages_read_as_exact_approximate_range_or_unknown(text, normalized, kind, low, high):
    assert parse_age(text) == (normalized, kind, low if low is None else float(low), high if high is None else float(high))


@pytest.mark.parametrize("text, reason", [
    ("121", "above 120"), ("35-30", "runs backwards"), ("41多岁", "follow a whole ten"), ("abc", "is not an age"),
    ("百岁", "not a Chinese number"), ("", "is not an age"),
])
def test_ages_that_cannot_be_read_say_why(text, reason):
    with pytest.raises(AgeError, match=reason):
        parse_age(text)


@given(st.integers(0, 120))
def test_every_written_form_of_an_age_has_its_number(age):
    assert parse_age(str(age))[1:] == parse_age(f"{age}岁")[1:] == ("exact", age, age)
    assert parse_age(f"约{age}")[1:] == parse_age(f"about {age}")[1:] == ("approximate", age, age)


@given(st.integers(1, 11))
def test_decades_are_ranges_of_ten(tens):
    expected = ("range", tens * 10, tens * 10 + 9)
    if tens * 10 + 9 > 120:
        with pytest.raises(AgeError):
            parse_age(f"{tens * 10}多岁")
        return
    assert parse_age(f"{tens * 10}多岁")[1:] == parse_age(f"{tens * 10}s")[1:] == expected


@settings(max_examples=400, deadline=None)
@given(st.one_of(st.text(max_size=10), st.lists(st.sampled_from(list("0123456789岁多约左右至-~?十二三四百s ")), max_size=8).map("".join)))
def test_any_age_text_is_an_age_or_a_clear_reason(text):
    try:
        normalized, kind, low, high = parse_age(text)
    except AgeError as error:
        assert str(error)
    else:
        assert kind in ("exact", "approximate", "range", "unknown")
        assert (low is None) == (kind == "unknown") and (low is None or 0 <= low <= high <= 120)


@pytest.mark.parametrize("text, expected", [
    ("13年", ("P13Y", "fixed", "P13Y", "")),
    ("十三年", ("P13Y", "fixed", "P13Y", "")),
    ("有期徒刑20年", ("P20Y", "fixed", "P20Y", "")),
    ("判处有期徒刑十三年，剥夺政治权利三年", ("P13Y", "fixed", "P13Y", "")),
    ("12年6个月", ("P12Y6M", "fixed", "P12Y6M", "")),
    ("一年零六个月", ("P1Y6M", "fixed", "P1Y6M", "")),
    ("减刑1年", ("P1Y", "fixed", "P1Y", "")),
    ("减刑十一个月", ("P11M", "fixed", "P11M", "")),
    ("减为有期徒刑20年", ("P20Y", "fixed", "P20Y", "")),
    ("无期徒刑", ("life", "life", "", "")),
    ("無期徒刑", ("life", "life", "", "")),
    ("死刑", ("death", "death", "", "")),
    ("死缓", ("death-reprieve P2Y", "death_reprieve", "", "P2Y")),
    ("死刑缓期二年执行", ("death-reprieve P2Y", "death_reprieve", "", "P2Y")),
    ("死刑，缓期两年执行", ("death-reprieve P2Y", "death_reprieve", "", "P2Y")),
    ("P20Y", ("P20Y", "fixed", "P20Y", "")),
    ("p13y6m", ("P13Y6M", "fixed", "P13Y6M", "")),
    ("death-reprieve", ("death-reprieve", "death_reprieve", "", "")),
    ("death-reprieve P2Y", ("death-reprieve P2Y", "death_reprieve", "", "P2Y")),
    ("20 years", ("P20Y", "fixed", "P20Y", "")),
    ("13 years 6 months", ("P13Y6M", "fixed", "P13Y6M", "")),
    ("life imprisonment", ("life", "life", "", "")),
    ("death with a two-year reprieve", ("death-reprieve P2Y", "death_reprieve", "", "P2Y")),
])
def test_sentences_as_written(text, expected):
    assert parse_sentence(text) == expected


@settings(max_examples=300, deadline=None)
@given(st.one_of(st.text(max_size=12), st.lists(st.sampled_from(
    ["有期徒刑", "无期", "死刑", "缓期", "减刑", "减为", "年", "个月", "零", "二", "十", "1", "3", "P", "Y", "M", " years"]),
    max_size=6).map("".join)))
def test_any_sentence_text_is_a_sentence_or_a_clear_reason(text):
    try:
        normalized, kind, term, reprieve = parse_sentence(text)
    except SentenceError as error:
        assert str(error)
    else:
        assert kind in ("fixed", "life", "death", "death_reprieve") and (kind != "fixed" or term == normalized)


@pytest.mark.parametrize("text, expected", [
    ("张三（Zhang San）", ("张三", "Zhang San")),
    ("张三 (Zhang San)", ("张三", "Zhang San")),
    ("Zhang San (张三)", ("张三", "Zhang San")),
    ("陳大文（Chan Tai Man）", ("陳大文", "Chan Tai Man")),
    ("陳大文 (Ch'en Ta-wen)", ("陳大文", "Ch'en Ta-wen")),
    ("王五（化名）", None),  # a note, not a romanization
    ("张三 (alias)", None),
    ("张三 (Li Si)", None),  # Latin letters that do not read as the characters
    ("张三", None),
    ("Zhang San", None),
])
def test_a_romanization_in_brackets_is_split_only_when_it_reads_as_the_characters(text, expected):
    assert split_bracketed(text) == expected


def test_a_bracketed_romanization_becomes_a_variant_with_its_system():
    header = ["record_id", "name", "name_variants"]
    validator = RowValidator(canonical_mapping(header, [], "f.csv"), header, "f.csv")
    valid, problems = validator.validate(2, ["1", "陳大文（Chan Tai Man）", "Ch'en Ta-wen (陳大文)"])
    assert problems == []
    forms = [(v.field, v.normalized, v.extra, v.raw) for v in valid.record_values]
    assert forms == [
        ("name", "陳大文", ("hant", "none"), "陳大文（Chan Tai Man）"),
        ("name_variants", "Chan Tai Man", ("latin", "hk"), "陳大文（Chan Tai Man）"),
        ("name_variants", "陳大文", ("hant", "none"), "Ch'en Ta-wen (陳大文)"),
        ("name_variants", "Ch'en Ta-wen", ("latin", "wade_giles"), "Ch'en Ta-wen (陳大文)"),
    ]
    # A later row of the record may write the name without its romanization: it is the same name.
    valid, problems = validator.validate(3, ["1", "陳大文", ""])
    assert problems == [] and valid.record_values == []
