"""Words a published name is found by in Datasette's full-text search (SQLite FTS5, unicode61 tokens).

FTS5 reads a run of Chinese characters as one word, so 张 alone would not find 张斌杰: each
character is added as its own word, in both scripts, with the name's toneless pinyin (the
syllables, the surname and the given name) and its Wade-Giles spelling, whole ("chang pin-chieh") so
that a hyphenated given name typed as written is found. Only the published forms are read, and the
index is contentless (FTS5 content=''): the computed words are searched, never shown as a name.
"""

from __future__ import annotations

import unicodedata

from mingdan.names.romanize import (pinyin_syllables, pinyin_to_wade_giles, split_surname, to_simplified,
                                    to_traditional, wade_giles_name)
from mingdan.names.script import is_han


def _plain(text: str) -> str:
    """Latin letters without tone marks or diacritics, lower case."""
    return "".join(ch for ch in unicodedata.normalize("NFKD", text) if not unicodedata.combining(ch)).lower()


def keys_of(form: str) -> set[str]:
    """The search words of one written form."""
    words = {_plain(form)}
    han = "".join(ch for ch in form if is_han(ch))
    if han:
        for variant in {han, to_simplified(han), to_traditional(han)}:
            words.add(variant)
            words.update(variant)
        syllables = pinyin_syllables(to_simplified(han))
        cut = len(split_surname(han)[0])
        words.update(syllables)
        words.update({"".join(syllables[:cut]), "".join(syllables[cut:]), "".join(syllables)})
        words.update(pinyin_to_wade_giles(s) for s in syllables)
        # Datasette quotes a typed word as a phrase: "Pin-chieh" is found only where pin and chieh stand side by side.
        words.add(_plain(wade_giles_name(to_simplified(han))))
    return {word for word in words if word}


def search_text(row: dict) -> str:
    """Every search word of a named_people row, space separated."""
    forms = [row["name"]] + [part.strip() for column, value in row.items() if column.startswith("name_") and value
                             for part in str(value).split("|")]
    return " ".join(sorted(set().union(*(keys_of(form) for form in forms if form))))
