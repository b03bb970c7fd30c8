"""The one display rule: characters where any source wrote characters; every other form kept in its column."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from mingdan.names.display import NameForm, choose, spelled_in_pinyin
from mingdan.names.tables import pinyin_inventory


def test_characters_win_over_any_romanization_however_many_sources_wrote_it():
    forms = [NameForm("Cheung Chi Ming", "latin", "hk", "legal", "HK list"),
             NameForm("Cheung Chi Ming", "latin", "hk", "legal", "Press"),
             NameForm("张志明", "hans", "none", "legal", "Families")]
    chosen = choose(forms)
    assert chosen.name == "张志明"
    assert chosen.romanizations == {"cantonese": ("Cheung Chi Ming",)}
    assert chosen.others() == ["Cheung Chi Ming"]


def test_among_character_forms_the_most_written_wins_then_a_legal_name_then_the_first():
    forms = [NameForm("張斌傑", "hant", "none", "legal", "HK list"), NameForm("张斌杰", "hans", "none", "legal", "Court"),
             NameForm("张斌杰", "hans", "none", "legal", "Families")]
    assert choose(forms).name == "张斌杰" and choose(forms).characters == ("张斌杰", "張斌傑")
    tie = [NameForm("張斌傑", "hant", "none", "variant", "A"), NameForm("张斌杰", "hans", "none", "legal", "B")]
    assert choose(tie).name == "张斌杰"
    first = [NameForm("張斌傑", "hant", "none", "legal", "A"), NameForm("张斌杰", "hans", "none", "legal", "B")]
    assert choose(first).name == "張斌傑"
    # One source writing a form twice (two records) counts once.
    repeated = [NameForm("张斌杰", "hans", "none", "legal", "A"), NameForm("张斌杰", "hans", "none", "legal", "A"),
                NameForm("張斌傑", "hant", "none", "legal", "B"), NameForm("張斌傑", "hant", "none", "legal", "C")]
    assert choose(repeated).name == "張斌傑"


def test_the_reader_script_is_used_only_when_a_source_wrote_it():
    chosen = choose([NameForm("张斌杰", "hans", "none", "legal", "A"), NameForm("張斌傑", "hant", "none", "legal", "B"),
                     NameForm("张斌杰", "hans", "none", "legal", "C")])
    assert chosen.in_script("hant") == "張斌傑" and chosen.in_script("hans") == "张斌杰"
    only_simplified = choose([NameForm("王伟", "hans", "none", "legal", "A")])
    assert only_simplified.in_script("hant") == "王伟"  # never converted: 王偉 was written by no one


def test_romanizations_go_to_their_own_columns_and_without_characters_the_most_written_spelling_wins():
    forms = [NameForm("Chang Pin-chieh", "latin", "wade_giles", "legal", "Diaspora"),
             NameForm("Zhāng Bīnjié", "latin", "pinyin_tones", "legal", "Press"),
             NameForm("Zhang Binjie", "latin", "unknown", "legal", "Press 2"),
             NameForm("Zhang Binjie", "latin", "unknown", "legal", "Press 3"),
             NameForm("Cheung Bun Kit", "latin", "hk", "romanized", "HK list"),
             NameForm("Peter Chang", "latin", "unknown", "variant", "Press 3")]
    chosen = choose(forms)
    assert chosen.name == "Zhang Binjie" and chosen.characters == ()
    # Toneless pinyin is pinyin (every word splits into pinyin syllables); "Peter" is not, so that form stays "latin".
    assert chosen.romanizations == {"wade_giles": ("Chang Pin-chieh",), "pinyin": ("Zhang Binjie", "Zhāng Bīnjié"),
                                    "latin": ("Peter Chang",), "cantonese": ("Cheung Bun Kit",)}


@given(st.lists(st.sampled_from(sorted(pinyin_inventory())),
                min_size=1, max_size=4))
def test_any_run_of_pinyin_syllables_is_spelled_in_pinyin(syllables):
    assert spelled_in_pinyin(" ".join(s.capitalize() for s in syllables))
    assert spelled_in_pinyin("".join(syllables).capitalize())
    assert not spelled_in_pinyin("".join(syllables) + "q")


def test_a_mixed_form_still_gives_characters_and_aliases_never_become_the_name():
    assert choose([NameForm("张三 Zhang San", "mixed", "none", "legal", "A"),
                   NameForm("Zhang San", "latin", "unknown", "legal", "B")]).name == "张三 Zhang San"
    assert choose([NameForm("小张", "hans", "none", "alias", "A"),
                   NameForm("Zhang San", "latin", "unknown", "legal", "B")]).name == "Zhang San"
    assert choose([NameForm("小张", "hans", "none", "alias", "A")]) is None
    assert choose([]) is None


SCRIPTS = st.sampled_from([("hans", "none"), ("hant", "none"), ("latin", "hk"), ("latin", "wade_giles"),
                           ("latin", "unknown"), ("latin", "pinyin_tones")])


@given(st.lists(st.tuples(st.sampled_from(["陈大文", "陳大文", "Chan Tai Man", "Chen Dawen", "Ch'en Ta-wen"]), SCRIPTS,
                          st.sampled_from(["A", "B", "C"])), min_size=1, max_size=8))
def test_whenever_some_form_is_in_characters_the_name_is_one_of_them(raw):
    forms = [NameForm(text, script, romanization, "legal", source) for text, (script, romanization), source in raw]
    chosen = choose(forms)
    written = {f.text for f in forms}
    assert chosen.name in written
    if any(f.script in ("hans", "hant") for f in forms):
        assert chosen.name in {f.text for f in forms if f.script in ("hans", "hant")}
    assert set(chosen.others()) | {chosen.name} == written
