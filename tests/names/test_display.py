"""The one display rule: characters where any source wrote characters; every other form kept in its column."""

from __future__ import annotations

import pytest
from hypothesis import assume, given
from hypothesis import strategies as st

from mingdan.names.display import NameForm, choose, spelled_in_pinyin, splits_into_pinyin
from mingdan.names.romanize import COMPOUND_SURNAMES, pinyin_name, wade_giles_name
from mingdan.names.table_build import _common_characters
from mingdan.names.tables import COMMON_SURNAMES, _primary_hk, loosen, pinyin_inventory


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


@given(st.lists(st.sampled_from(sorted(pinyin_inventory())), min_size=1, max_size=4))
def test_any_run_of_pinyin_syllables_splits_into_pinyin(syllables):
    assert splits_into_pinyin("".join(syllables))
    assert not splits_into_pinyin("".join(syllables) + "q")


SURNAMES = sorted(COMMON_SURNAMES) + sorted(COMPOUND_SURNAMES)
GIVEN = st.text(alphabet=st.sampled_from(_common_characters()), min_size=1, max_size=2)


@given(st.sampled_from(SURNAMES), GIVEN, st.sampled_from(["as written", "upper surname", "surname last"]))
def test_every_pinyin_name_of_characters_is_spelled_in_pinyin(surname, given_name, order):
    written = pinyin_name(surname + given_name)
    head, _, tail = written.partition(" ")
    text = {"as written": written, "upper surname": f"{head.upper()} {tail}", "surname last": f"{tail} {head}"}[order]
    assert spelled_in_pinyin(text.strip()), text


@given(st.sampled_from(SURNAMES), st.text(alphabet=st.sampled_from(_common_characters()), min_size=2, max_size=2))
def test_wade_giles_and_hong_kong_names_with_a_two_syllable_given_name_are_not_pinyin(surname, given_name):
    """Hyphenated or spaced given names as Wade-Giles and Hong Kong lists write them, apostrophes left out."""
    import ToJyutping

    wade_giles = loosen(wade_giles_name(surname + given_name))
    assert not spelled_in_pinyin(wade_giles), wade_giles
    readings = [_primary_hk(found[1][0]) if found[1] else "" for found in
                ToJyutping.get_jyutping_candidates(surname + given_name)]
    assume(all(readings))
    hong_kong = " ".join(["".join(readings[:len(surname)]).capitalize()] + [r.capitalize() for r in readings[len(surname):]])
    assert not spelled_in_pinyin(hong_kong), hong_kong


def test_a_wade_giles_name_without_apostrophes_goes_to_the_other_romanizations_not_pinyin():
    """Outside tester: "Chou Feng-chi" (Wade-Giles for 周凤吉) was published in name_pinyin."""
    for text in ("Chou Feng-chi", "Chien Ming-te", "Chan Tai Man", "Lee Wai Kin", "Li Wei-min"):
        assert not spelled_in_pinyin(text), text
    chosen = choose([NameForm("Chou Feng-chi", "latin", "unknown", "legal", "A"),
                     NameForm("Wang Xiao-ming", "latin", "unknown", "legal", "B"),
                     NameForm("Zhou Fengji", "latin", "unknown", "legal", "C")])
    assert chosen.romanizations == {"latin": ("Chou Feng-chi",), "pinyin": ("Wang Xiao-ming", "Zhou Fengji")}
    # A name that is a word of no surname is not pinyin however it splits.
    assert not spelled_in_pinyin("Anna Maria") and spelled_in_pinyin("Wang Dan") and spelled_in_pinyin("Li Peng")


def test_a_mixed_form_still_gives_the_name_but_never_its_characters_and_aliases_never_become_the_name():
    chosen = choose([NameForm("张三 Zhang San", "mixed", "none", "legal", "A"),
                     NameForm("Zhang San", "latin", "unknown", "legal", "B")])
    assert (chosen.name, chosen.characters, chosen.with_characters) == ("张三 Zhang San", (), ("张三 Zhang San",))
    chosen = choose([NameForm("王五（某）", "hani", "none", "legal", "A"), NameForm("王五", "hani", "none", "legal", "B")])
    assert (chosen.name, chosen.characters, chosen.others()) == ("王五", ("王五",), ["王五（某）"])
    assert choose([NameForm("阿不都・热合曼", "hans", "none", "legal", "A")]).characters == ("阿不都・热合曼",)
    assert choose([NameForm("小张", "hans", "none", "alias", "A"),
                   NameForm("Zhang San", "latin", "unknown", "legal", "B")]).name == "Zhang San"
    assert choose([]) is None


def test_a_person_known_only_by_a_pseudonym_is_shown_by_it_marked_as_one():
    # The import keeps 王五（化名）as the alias 王五 with no name of the person's own beside it.
    chosen = choose([NameForm("王五", "hani", "none", "alias", "A"), NameForm("Wang Wu", "latin", "unknown", "alias", "A")])
    assert (chosen.name, chosen.pseudonym, chosen.characters, chosen.romanizations) == ("王五（化名）", True, (), {})
    assert choose([NameForm("Wang Wu", "latin", "unknown", "alias", "A")]).name == "Wang Wu (pseudonym)"


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


@pytest.mark.parametrize("text, system", [
    ("Lam Ka Yan", "hk"), ("Leung Kwok-hung", "hk"), ("Lee Ka-shing", "hk"), ("Lin Xiaodong", "pinyin"),
    ("Zhang San", "pinyin"), ("Luo Zhigang", "pinyin"), ("Chou Feng-chi", "unknown"), ("Ho Wai Ming", "unknown"),
    ("Anna Maria", "unknown"), ("Lam", "unknown"),
    # a namesake's number or a note beside the name is read apart from it
    ("Wang Gang 1", "pinyin"), ("Li Ming No1", "pinyin"), ("Leung Kwok-hung 2", "hk"), ("Unknown 3", "unknown")])
def test_a_spelling_that_leaves_no_doubt_gives_its_system(text, system):
    from mingdan.names.display import romanization_of

    assert romanization_of(text) == system
    assert romanization_of(text, "wade_giles") == "wade_giles"  # a system stated (or detected) is kept
