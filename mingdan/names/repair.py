"""A slip in a Wade-Giles or Hong Kong spelling read as the spelling one keystroke away (Hsaio as Hsiao, Mna as Man).

A misspelt pinyin name is met by its letters (one letter from the other name's pinyin), but a Wade-Giles or Hong
Kong spelling is read through its syllables: `Wang Hsaio-ping` reads as nothing and its letters are many letters
from 王晓平's pinyin, so the pair was never compared (an outside tester, rt42). Here a name with exactly one part
that no romanization spells, and whose other parts read in Wade-Giles or Hong Kong spelling, has that part mended
by one keystroke (two neighbours swapped, a letter left out, added or changed) into a syllable of that system; the
mended name's readings are kept as a slip's readings, compared at "one letter apart", never as the name itself.
"""

from __future__ import annotations

import itertools
import string
from functools import lru_cache

from .display import _parts, _spelled, misspelt_spelling
from .tables import surname_romanizations

#: Mended spellings tried per name, swaps first (the commonest slip), then the others in order.
MOST_MENDINGS = 3
#: Readings kept per name, spaces removed (a Hong Kong spelling reads as many names).
MOST_READINGS = 256


def _one_keystroke(part: str) -> list[str]:
    """Every spelling one keystroke from part: swaps of neighbours first, then a letter left out, changed, added."""
    letters = string.ascii_lowercase
    swaps = [part[:i] + part[i + 1] + part[i] + part[i + 2:] for i in range(len(part) - 1) if part[i] != part[i + 1]]
    left_out = [part[:i] + part[i + 1:] for i in range(len(part))]
    changed = [part[:i] + c + part[i + 1:] for i in range(len(part)) for c in letters if c != part[i]]
    added = [part[:i] + c + part[i:] for i in range(len(part) + 1) for c in letters]
    seen: dict[str, None] = {}
    for spelling in (*swaps, *left_out, *changed, *added):
        seen.setdefault(spelling, None)
    return list(seen)


@lru_cache(maxsize=50_000)
def mended_readings(text: str) -> tuple[str, ...]:
    """The readings (pinyin, spaces removed) of a misspelt Wade-Giles or Hong Kong name mended by one keystroke in
    its one unreadable part; () for a name spelt in a system, or with no or several unreadable parts."""
    from .keys import written_keys

    if not text or not misspelt_spelling(text):
        return ()
    parts = _parts(text)
    surnames = surname_romanizations()
    for system in ("wade_giles", "hk"):
        syllables = _spelled(system)
        broken = [index for index, part in enumerate(parts) if part not in syllables and part not in surnames]
        # Two parts or more out of one system is not one slip; a name of one part has nothing to check the mending by.
        if len(broken) != 1 or len(parts) < 2:
            continue
        at = broken[0]
        mendings = [spelling for spelling in _one_keystroke(parts[at]) if spelling in syllables][:MOST_MENDINGS]
        readings: dict[str, None] = {}
        for spelling in mendings:
            mended = " ".join(spelling if index == at else part for index, part in enumerate(parts))
            # Likeliest first (each position's options are in the tables' order), so a cut keeps those.
            for structure in written_keys(mended).structures:
                for choice in itertools.islice(itertools.product(*structure), MOST_READINGS):
                    readings.setdefault("".join(choice), None)
        if readings:
            return tuple(list(readings)[:MOST_READINGS])
    return ()
