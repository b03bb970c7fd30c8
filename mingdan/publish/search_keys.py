"""Words a published name is found by in Datasette's full-text search (SQLite FTS5, unicode61 tokens).

Datasette quotes each typed word as a phrase, and FTS5 reads a run of Chinese characters as one
word: so 张 alone, or 小明 inside 王小明, would find nothing. Each character and each run of two or
more characters of a name is added as its own word, in both scripts, with the name's toneless
pinyin (the syllables, the surname and the given name, joined and spaced: "Xiao-ming" is found
where xiao and ming stand side by side) and its Wade-Giles spelling, with and without apostrophes
("chien ming" as typed on a plain keyboard for ch'ien ming). A name a source wrote in pinyin only
gets the same words from its syllables (Zhou Wu is found by "Chou Wu"); any name in Latin letters
gets its given name joined, so hyphens and spaces inside it are alike ("Li Wei-ming" is found by
"li weiming", "li wei ming" and "li wei-ming").

Only the published forms are read, and the index is contentless (FTS5 content=''): the computed
words are searched, never shown as a name, and a form withheld from the release has no words.
"""

from __future__ import annotations

import re
import unicodedata

from mingdan.names.display import pinyin_words, spelled_in_pinyin
from mingdan.names.romanize import (pinyin_syllables, pinyin_to_wade_giles, split_surname, to_simplified,
                                    to_traditional)
from mingdan.names.script import classify_name, is_han
from mingdan.names.tables import loosen

#: Runs of characters longer than this are not cut into every part (a name is rarely longer).
LONGEST = 8


def _plain(text: str) -> str:
    """Latin letters without tone marks or diacritics, lower case."""
    return "".join(ch for ch in unicodedata.normalize("NFKD", text) if not unicodedata.combining(ch)).lower()


def _runs(han: str) -> set[str]:
    """Every run of two or more characters of a name: 王小, 小明, 王小明 (a partial name typed as a word)."""
    if len(han) > LONGEST:
        return {han}
    return {han[start:end] for start in range(len(han)) for end in range(start + 2, len(han) + 1)}


def _from_syllables(surname: list[str], given: list[str]) -> set[str]:
    """Pinyin and Wade-Giles words of a name's syllables: each syllable, the parts joined and spaced."""
    syllables = surname + given
    words = set(syllables)
    words.update({"".join(surname), "".join(given), "".join(syllables), " ".join(syllables)})
    spelled = [pinyin_to_wade_giles(s) for s in syllables]
    cut = len(surname)
    wade_giles = f"{''.join(spelled[:cut])} {'-'.join(spelled[cut:])}".strip()
    # Wade-Giles as written and as typed without apostrophes or umlauts (ch'ien ming, chien ming).
    for form in (wade_giles, loosen(wade_giles)):
        words.add(form)
        words.update(loosen(s) for s in spelled)
    return {_plain(word) for word in words}


def _joined(form: str) -> set[str]:
    """A Latin name's parts joined as other lists write them: "Li Wei-ming", "Li Wei Ming" and "Li Weiming" are
    one name, so each is found by "weiming", "wei ming" and "wei-ming" alike (the surname first or last)."""
    words = [word for word in re.split(r"\s+", _plain(form)) if word]
    parts = [[part for part in re.split(r"[-‐'’]+", word) if part] for word in words]
    found = {"".join(p) for p in parts}  # each hyphenated word joined: wei-ming -> weiming
    if len(words) > 1:
        flat = ["".join(p) for p in parts]
        found |= {"".join(flat[1:]), "".join(flat[:-1]), "".join(flat)}  # the given name either side, the whole
    return {word for word in found if word}


def _latin_keys(form: str) -> set[str]:
    """Words of a name written in Latin letters: loosened Wade-Giles, its parts joined, and pinyin's syllables
    and Wade-Giles."""
    words = {loosen(_plain(form))} | _joined(loosen(_plain(form)))
    romanization = classify_name(form)[1]
    if romanization == "pinyin_tones" or (romanization == "unknown" and spelled_in_pinyin(_plain(form))):
        found = pinyin_words(_plain(form))
        if found:
            words |= _from_syllables(*found)
    return words


def keys_of(form: str) -> set[str]:
    """The search words of one written form."""
    words = {_plain(form)}
    han = "".join(ch for ch in form if is_han(ch))
    if han:
        for variant in {han, to_simplified(han), to_traditional(han)}:
            words.add(variant)
            words.update(variant)
            words.update(_runs(variant))
        syllables = list(pinyin_syllables(to_simplified(han)))
        cut = len(split_surname(han)[0])
        words |= _from_syllables(syllables[:cut], syllables[cut:])
    latin = re.sub(r"\s+", " ", "".join(ch if not is_han(ch) else " " for ch in form)).strip()
    if latin and any(ch.isalpha() for ch in latin):
        words |= _latin_keys(latin)
    return {word for word in words if word}


def search_text(row: dict) -> str:
    """Every search word of a named_people row, space separated."""
    forms = [row["name"]] + [part.strip() for column, value in row.items() if column.startswith("name_") and value
                             for part in str(value).split("|")]
    return " ".join(sorted(set().union(*(keys_of(form) for form in forms if form))))
