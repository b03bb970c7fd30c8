"""Building the romanization tables from the character dictionaries: pypinyin for Mandarin, ToJyutping for Cantonese.

`mingdan link` reads the tables as built here and shipped in data/romanization_tables.json
(tables.py): building them read the two dictionaries of ~3,750 common characters in every
process, 0.1 s of an incremental run's 1.4 s with the dictionaries loaded and 0.7 s without.
A test builds them again and checks the file equals what the installed dictionaries give.

    .venv/bin/python -m mingdan.names.table_build     # writes the file again, after a dictionary upgrade
"""

from __future__ import annotations

import json
from collections import Counter, defaultdict
from pathlib import Path

from pypinyin import Style, lazy_pinyin, pinyin

from .romanize import pinyin_to_wade_giles
from .tables import (COMMON_SURNAMES, NOT_A_NAMES_CANTONESE, OTHER_COMPOUND_SPELLINGS, SHIPPED, _primary_hk,
                     dictionary_versions, hk_spellings, loosen)


def build() -> dict:
    """Every shipped table, built from the installed dictionaries, with their versions."""
    readings = _common_readings()
    return {"versions": dictionary_versions(), "pinyin_inventory": sorted(set(readings)),
            "pinyin_surnames": sorted(_pinyin_surnames()), "hk_to_pinyin": _hk_to_pinyin(readings),
            "surname_sounds": _surname_sounds(), "surname_romanizations": _surname_romanizations()}


def write(path: Path = SHIPPED) -> None:
    """Write the built tables where tables.py reads them."""
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(build(), ensure_ascii=False, indent=0) + "\n", encoding="utf-8")


def _common_characters() -> list[str]:
    characters = []
    for first in range(0xB0, 0xD8):
        for second in range(0xA1, 0xFF):
            try:
                characters.append(bytes([first, second]).decode("gb2312"))
            except UnicodeDecodeError:
                continue
    return characters


def _common_readings() -> list[str]:
    # The toneless pinyin of each common character, in _common_characters' order.
    return lazy_pinyin("".join(_common_characters()), style=Style.NORMAL, v_to_u=True)


def _pinyin_surnames() -> set[str]:
    from .romanize import COMPOUND_SURNAMES, SURNAME_READINGS

    readings = set(SURNAME_READINGS.values()) | set(COMPOUND_SURNAMES.values())
    for character in COMMON_SURNAMES:
        readings.update(pinyin(character, heteronym=True, style=Style.NORMAL, v_to_u=True)[0])
    return readings


def _hk_to_pinyin(readings: list[str]) -> dict[str, list[str]]:
    import ToJyutping

    counts: dict[str, Counter] = defaultdict(Counter)
    characters = _common_characters()
    for character, reading in zip(characters, readings, strict=True):
        found = ToJyutping.get_jyutping_candidates(character)
        if not found or not found[0][1]:
            continue
        weight = 3 if character in COMMON_SURNAMES else 1
        for rank, jyutping in enumerate(found[0][1][:2]):
            if jyutping in NOT_A_NAMES_CANTONESE.get(character, ()):
                continue
            for spelling in hk_spellings(jyutping):
                counts[spelling][reading] += weight * (2 if rank == 0 else 1)
    return {spelling: [p for p, _ in counter.most_common(8)] for spelling, counter in counts.items()}


def _surname_sounds() -> dict[str, str]:
    import ToJyutping

    from .romanize import COMPOUND_SURNAMES, SURNAME_READINGS

    sounds: dict[str, str] = {}
    for character in COMMON_SURNAMES:
        reading = SURNAME_READINGS.get(character) or lazy_pinyin(character, style=Style.NORMAL, v_to_u=True)[0]
        found = ToJyutping.get_jyutping_candidates(character)
        if reading not in sounds and found and found[0][1]:
            sounds[reading] = _primary_hk(found[0][1][0])
    for characters, reading in COMPOUND_SURNAMES.items():
        jyutping = [j for _, j in ToJyutping.get_jyutping_list(characters)]
        if all(jyutping):
            sounds.setdefault(reading, "".join(_primary_hk(j) for j in jyutping))
    return sounds


def _surname_romanizations() -> dict[str, list[str]]:
    import ToJyutping

    from .romanize import COMPOUND_SURNAMES, SURNAME_READINGS

    table: dict[str, set[str]] = defaultdict(set)
    for character in COMMON_SURNAMES:
        reading = SURNAME_READINGS.get(character) or lazy_pinyin(character, style=Style.NORMAL, v_to_u=True)[0]
        table[reading].add(reading)
        spelled = pinyin_to_wade_giles(reading)
        table[spelled].add(reading)
        table[loosen(spelled)].add(reading)
        found = ToJyutping.get_jyutping_candidates(character)
        if found and found[0][1]:
            # A surname with a reading of its own has its own Cantonese reading too, rarely the first listed
            # (翟 Chak, 解 Hai, 乐 Ngok, 盖 Koi); others are spelt by their first two (柯 O or Ngo).
            for jyutping in found[0][1][:None if character in SURNAME_READINGS else 2]:
                if jyutping in NOT_A_NAMES_CANTONESE.get(character, ()):
                    continue
                for spelling in hk_spellings(jyutping):
                    table[spelling].add(reading)
    for characters, reading in COMPOUND_SURNAMES.items():
        table[reading].add(reading)
        halves = lazy_pinyin(characters, style=Style.NORMAL, v_to_u=True)
        spelled = [pinyin_to_wade_giles(h) for h in halves]
        for form in ("".join(spelled), "-".join(spelled), " ".join(spelled)):
            table[form].add(reading)
            table[loosen(form)].add(reading)
        # Every Cantonese reading of each half (官 gun1 or gwun1: Sheung Kwun), run together, spaced or hyphenated.
        halves = [ToJyutping.get_jyutping_candidates(character)[0][1][:2] for character in characters]
        if all(halves):
            for first in {s for j in halves[0] for s in hk_spellings(j)}:
                for second in {s for j in halves[1] for s in hk_spellings(j)}:
                    for form in (first + second, f"{first} {second}", f"{first}-{second}"):
                        table[form].add(reading)
    for characters, spellings in OTHER_COMPOUND_SPELLINGS.items():
        for spelling in spellings:
            table[spelling].add(COMPOUND_SURNAMES[characters])
    rank: dict[str, int] = {}
    for position, character in enumerate(COMMON_SURNAMES):
        rank.setdefault(SURNAME_READINGS.get(character) or lazy_pinyin(character, style=Style.NORMAL, v_to_u=True)[0],
                        position)
    # Commonest surname first: Chan is far more often 陈 than 詹.
    return {k: sorted(v, key=lambda r: (rank.get(r, 10_000), r)) for k, v in table.items()}


if __name__ == "__main__":
    write()
    print(f"wrote {SHIPPED}")
