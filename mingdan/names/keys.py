"""Comparable keys of a written name in any script or romanization, and graded name comparison."""

from __future__ import annotations

import dataclasses
import re
import unicodedata
from dataclasses import dataclass
from enum import IntEnum
from functools import lru_cache
from itertools import product

from .display import misspelt_spelling, written_by_pinyin_hand
from .placeholders import is_placeholder, name_number, without_notes, without_number
from .repair import mended_readings
from .romanize import COMPOUND_SURNAMES, other_readings, pinyin_syllables, split_surname, to_simplified
from .script import classify_name, is_han
from .similarity import jaro_winkler
from .tables import (
    hk_to_pinyin, loosen, pinyin_inventory, pinyin_surnames, surname_romanizations, surname_sounds, wade_giles_to_pinyin,
)

#: Romanizations read one way only: two of them agree on pinyin or not at all.
_DETERMINISTIC = ("none", "pinyin", "pinyin_tones")
#: How a name written by a pinyin hand (display.written_by_pinyin_hand) is read: given syllables as pinyin only.
PINYIN_HAND = "pinyin_hand"
#: How a name with a Wade-Giles aspirate (P'ing, Ch'en, T'ang) is read: as Wade-Giles or pinyin, never as a Hong Kong
#: spelling, which writes no apostrophe: "Chang P'ing" was read as 灿 (can) too and listed for `Chan Ping` (rt43).
WADE_GILES_SURE = "wade_giles_sure"
_ASPIRATE = re.compile(r"(?i)\b(?:ch|ts|tz|k|p|t)['‘’ʻ]")
#: A ü a plain keyboard leaves out: lu may be lü (吕), nu nü; after j, q, x and y pinyin writes it u anyway.
_U_LEFT_OUT = {"lu": "lü", "nu": "nü", "lue": "lüe", "nue": "nüe"}
_SEPARATORS = re.compile(r"[\s,，、/]+")
_APOSTROPHES = "'‘’ʻ`"


class Level(IntEnum):
    """How alike two written names are, from different to the same characters."""

    DIFFERENT = 0
    CLOSE = 1
    SAME_SOUND = 2
    SAME_PINYIN = 3
    SAME_CHARACTERS = 4


@dataclass(frozen=True)
class NameKeys:
    """A written name and the keys it is compared by."""

    text: str
    script: str
    romanization: str
    characters: str | None
    pinyin: tuple[str, ...]
    pinyin_candidates: tuple[tuple[str, ...], ...]
    surname: str
    given: str
    sound: str
    order_known: bool = True
    #: Per reading of the name order: the surname's possible pinyin, then each given syllable's.
    structures: tuple[tuple[tuple[str, ...], ...], ...] = ()
    #: The number the name is written with ("Li Ming 2", "李明2"): namesakes a list keeps apart.
    number: str | None = None
    #: A romanized name's letters as typed, surname then given name (the first reading's order): a misspelling is a
    #: slip in these, not in their reading (Huang Desheeng reads "desiwu": an outside tester, rt41).
    typed: tuple[str, str] | None = None
    #: Whether the pinyin key is the name's reading rather than the likeliest of several: characters, a system read
    #: one way, or a name each of whose syllables reads one way, in a known order (a pinyin hand's Fu Jiaming).
    reading_sure: bool = True

    @property
    def pinyin_key(self) -> str:
        """'chen dawen': surname, space, given name."""
        return f"{self.surname} {self.given}".strip()


#: Surnames written two ways by one family: 肖 is the 1977 second-round simplification of 萧 (蕭) that stayed in use
#: after its withdrawal in 1986, 闫 a popular form of 阎 (閻); official papers and lists use either. Compared by
#: the first, a given name's 肖 or 闫 left as written.
SURNAME_VARIANTS = {"肖": "萧", "闫": "阎"}


def comparable_characters(characters: str | None) -> str | None:
    """Simplified characters with a surname written two ways (肖 and 萧, 闫 and 阎) written one way, for comparison."""
    if not characters or len(characters) < 2 or characters[0] not in SURNAME_VARIANTS:
        return characters
    return SURNAME_VARIANTS[characters[0]] + characters[1:]


@lru_cache(maxsize=200_000)
def name_keys(text: str) -> NameKeys:
    """Keys of a name as written; never raises (unreadable text and a name that says it is unknown give empty keys)."""
    text = text if isinstance(text, str) else ""
    number = name_number(text)
    if is_placeholder(text):
        script, romanization = classify_name(text.strip()) if text.strip() else ("other", "none")
        return NameKeys(text, script, romanization, None, (), (), "", "", "", number=number)
    # Read without a bracketed note (周强(23岁)) and without the number it is written with (李明2).
    keys = written_keys(without_number(text) if number else without_notes(text))
    return keys if keys.text == text and number is None else dataclasses.replace(keys, text=text, number=number)


@lru_cache(maxsize=200_000)
def written_keys(text: str) -> NameKeys:
    """Keys of the letters and characters as written, a placeholder's too (王某 is read wang mou): for search."""
    text = text if isinstance(text, str) else ""
    cleaned = unicodedata.normalize("NFKC", text).strip()
    script, romanization = classify_name(cleaned) if cleaned else ("other", "none")
    han = "".join(ch for ch in cleaned if is_han(ch))
    if han and (script in ("hans", "hant", "hani") or (script == "mixed" and len(han) >= 2)):
        characters = to_simplified(han)
        syllables = pinyin_syllables(characters)
        cut = len(split_surname(characters)[0])
        surname, given = "".join(syllables[:cut]), "".join(syllables[cut:])
        # Other readings of a polyphonic character, as romanized lists write them: "same sound", never "same pinyin".
        head = split_surname(characters)[0]
        surnames = (surname, *(other_readings(head, surname=True) if len(head) == 1 else ()))
        structure = (surnames, *((syllable, *(r for r in other_readings(ch) if r != syllable))
                                 for ch, syllable in zip(characters[cut:], syllables[cut:])))
        return NameKeys(text, script, romanization, characters, tuple(syllables), ((surname, given),),
                        surname, given, _sound(surname), True, (structure,))
    # A name a pinyin hand wrote (a syllable no other system spells) reads its surname as pinyin first: "Fu Jiaming"
    # read as 许 first never reached "same pinyin reading" with 傅家明 (an outside tester, rt40), and its given name
    # as pinyin only: Wang Xiaobing's bing read as Wade-Giles ping "sounded the same" as 王晓平 and joined it on the
    # sex and the night alone (rt41). Its surname too, where pinyin can spell it (_surname_options); the romanization
    # stays as detected.
    by_pinyin_hand = romanization == "unknown" and written_by_pinyin_hand(cleaned)
    reading = PINYIN_HAND if by_pinyin_hand else (
        WADE_GILES_SURE if romanization == "wade_giles" and _ASPIRATE.search(cleaned) else romanization)
    structures, order_known, typed = _latin_structures(cleaned, reading)
    if not structures:
        return NameKeys(text, script, romanization, None, (), (), "", "", "")
    readings = []
    for structure in structures:
        for surname in structure[0][:2]:
            reading = (surname, "".join(options[0] for options in structure[1:]))
            if reading not in readings:
                readings.append(reading)
    surname, given = readings[0]
    # Ming CHANG is 张明 or 常明 (Wade-Giles or pinyin), Teng Hsiao-ping 邓小平 or 邓小兵: the key is the tables' first
    # guess, and "the same pinyin reading" joined it to 张明 beside 常明, to 邓小兵 beside 邓小平 (outside tests rt40,
    # rt42); a small case's priors compare such a name at "same sound" (linkage.priors).
    sure = romanization in _DETERMINISTIC or (order_known and all(len(options) == 1 for options in structures[0]))
    return NameKeys(text, script, romanization, None, (surname, given), tuple(readings), surname, given,
                    _sound(surname), order_known, tuple(structures),
                    typed=typed if typed and misspelt_spelling(cleaned) else None, reading_sure=sure)


def _latin_structures(text: str, romanization: str) -> tuple[list[tuple[tuple[str, ...], ...]], bool,
                                                             tuple[str, str] | None]:
    """Possible (surname options, given syllable options...) of a romanized name, whether order is known, and the
    first order's surname and given name as typed (letters only)."""
    tokens = [t for t in _SEPARATORS.split(text) if t and any(ch.isalpha() for ch in t)]
    if not tokens:
        return [], True, None
    if len(tokens) >= 3:
        # An English name beside a Chinese one (Paul Chan Hoi King, David Ha Keung Yu): a word that no
        # romanization can read as syllables is not part of the Chinese name.
        readable = [t for t in tokens if _readable(_plain(t))]
        if 2 <= len(readable) < len(tokens):
            tokens = readable
    capitals = [t for t in tokens if t.isupper() and len(t) > 1]
    lowered = [_plain(t) for t in tokens]
    surnames = surname_romanizations()
    order_known = True
    if len(tokens) == 1:
        orders = [([], lowered)]
    elif len(capitals) == 1 and len(tokens) > len(capitals) and (
            _compact(lowered[tokens.index(capitals[0])]) in surnames
            or not any(_compact(other) in surnames for other in lowered)):
        # The capitals mark the surname, unless they fall on a word no surname is spelt as beside one that is:
        # XIAOMING Chen was read as surname Xiaoming and never compared with 陈晓明 (an outside tester, rt42).
        at = tokens.index(capitals[0])
        orders = [([lowered[at]], lowered[:at] + lowered[at + 1:])]
    else:
        compound_first = len(lowered) > 2 and f"{lowered[0]} {lowered[1]}" in surnames
        first = compound_first or lowered[0].replace("-", "") in surnames
        last = lowered[-1].replace("-", "") in surnames
        head = [lowered[0], lowered[1]] if compound_first else [lowered[0]]
        surname_first, given_first = (head, lowered[len(head):]), ([lowered[-1]], lowered[:-1])
        if first and not last:
            orders = [surname_first]
        elif last and not first:
            orders = [given_first]
        else:
            orders, order_known = [surname_first, given_first], False
    structures = []
    for surname_tokens, given_tokens in orders:
        given = []
        for token in given_tokens:
            for piece in token.split("-"):
                if piece:
                    given += _positions(piece, romanization)
        structures.append((tuple(_surname_options(surname_tokens, romanization)), *given))
    surname_tokens, given_tokens = orders[0]
    typed = tuple("".join(ch for token in part for ch in token if ch.isalpha()) for part in (surname_tokens, given_tokens))
    return structures, order_known, typed


@lru_cache(maxsize=50_000)
def _readable(token: str) -> bool:
    """Whether every hyphen-separated piece of a word can be read as syllables of some romanization."""
    pieces = [p.replace("'", "") for p in token.split("-") if p]
    inventories = (pinyin_inventory(), frozenset(wade_giles_to_pinyin()), frozenset(hk_to_pinyin()))
    return bool(pieces) and all(piece in surname_romanizations() or any(_segment(piece, inventory)
                                                                         for inventory in inventories)
                                for piece in pieces)


def _surname_options(tokens: list[str], romanization: str) -> list[str]:
    if not tokens:
        return [""]
    joined = " ".join(tokens)
    compact = _compact(joined)
    if romanization == PINYIN_HAND and (compact in pinyin_inventory() or compact in pinyin_surnames()):
        # A pinyin hand spells the surname in pinyin too: Tang Xiaoping is 唐, not the Hong Kong 邓; Lei Jianguo is 雷,
        # not 李 (joined at 0.996-0.997 on the sex and one night: outside tests rt40, rt42). A ü may be left out.
        return [compact, *([_U_LEFT_OUT[compact]] if compact in _U_LEFT_OUT else [])]
    romanization = "pinyin" if romanization == PINYIN_HAND else romanization
    options = list(surname_romanizations().get(joined) or surname_romanizations().get(compact) or ())
    if romanization == WADE_GILES_SURE:
        own = _syllables(compact, romanization)
        options = [option for option in options if option in own] or options
    if romanization == "pinyin_tones" and compact in pinyin_inventory():
        # Tone marks say the name is pinyin: its surname is that syllable (Gāng is gang, not the Hong Kong geng). A
        # spelling without marks keeps the surname tables' order (Tang in a Hong Kong list is 邓, deng, first),
        # unless the rest of the name is spelt as only pinyin spells (written_keys).
        options = [compact]
    elif romanization == "pinyin" and compact in pinyin_inventory():
        options = [compact, *(option for option in options if option != compact)]
    if options and romanization in ("hk", "unknown") and compact not in pinyin_inventory():
        # A Hong Kong spelling the surname tables know reads as those surnames only: its syllable's other readings
        # come from other characters (Lau is 刘, 柳 or 娄; the syllable's "lu" is 露's), and `Lau Wai Ming` joined 卢伟明
        # at 0.994 on the sex and one night as "the same sound" (an outside tester, rerun45).
        return options
    for reading in _syllables(compact, romanization):
        if reading not in options:
            options.append(reading)
    return options or [compact]


def _compact(surname: str) -> str:
    """A written surname without its spaces and hyphens: SI-TU and Zhu-ge are situ and zhuge (a compound surname
    hyphenated was read "si-tu", which no other record's reading shares)."""
    return surname.replace(" ", "").replace("-", "")


def _positions(piece: str, romanization: str) -> list[tuple[str, ...]]:
    """One or more given-name syllable positions with their possible pinyin."""
    readings = _syllables(piece, romanization)
    if readings:
        return [tuple(readings)]
    for inventory in (pinyin_inventory(), frozenset(wade_giles_to_pinyin()), frozenset(hk_to_pinyin())):
        cuts = _segment(piece.replace("'", ""), inventory)
        if cuts and len(cuts[0]) > 1:
            return [tuple(_syllables(part, romanization)) or (part,) for part in cuts[0]]
    return [(piece,)]


def _plain(token: str) -> str:
    """Lower case, tone marks and tone numbers removed, ü kept (lv, nv, lyu and nyu read as lü and nü)."""
    decomposed = unicodedata.normalize("NFD", token.lower())
    kept = unicodedata.normalize("NFC", "".join(ch for ch in decomposed if not unicodedata.combining(ch) or ch == "\u0308"))
    kept = re.sub(r"[1-5]", "", kept)
    kept = re.sub(r"(?<![a-z])([ln])v", r"\1ü", kept)
    # Lyu and Nyu: how PRC passports have written 吕 and 女 since 2012 (an outside tester's Jianhua Lyu was never
    # compared with 吕建华).
    kept = re.sub(r"(?<![a-z])([ln])yu(?![a-z])", r"\1ü", kept)
    return re.sub(f"[{_APOSTROPHES}]", "'", kept)


@lru_cache(maxsize=50_000)
def _syllables(token: str, romanization: str) -> list[str]:
    """Pinyin readings of one written token (one syllable, or several run together)."""
    token = token.strip("'")
    inventory = pinyin_inventory()
    wade_giles = wade_giles_to_pinyin()
    hong_kong = hk_to_pinyin()
    plain = token.replace("'", "").replace("ü", "u") if romanization not in ("wade_giles", WADE_GILES_SURE) else token
    options: list[str] = []

    def add(values) -> None:
        for value in values:
            if value not in options:
                options.append(value)

    # A ü written (Lü, Lv, Lyu) is lü, never lu (卢, 陆): an outside tester's LYU Qiang joined 卢强. A u written may be
    # a ü left out (Lu for 吕), and after j, q, x, y a ü is written u anyway (xü is xu).
    marked = "ü" in token
    written = token.replace("'", "")
    as_pinyin = ([written] if marked and written in inventory else
                 [p for p in {written, written.replace("ü", "u")} if p in inventory])
    as_wade_giles = wade_giles.get(token, ()) or wade_giles.get(loosen(token), ())
    as_hong_kong = () if marked else hong_kong.get(plain, ())  # Hong Kong spellings write no ü
    # The detected system's reading first; the others after, because detection is only a guess.
    systems = {"wade_giles": [as_wade_giles, as_pinyin, as_hong_kong], "hk": [as_hong_kong, as_wade_giles, as_pinyin],
               # Tone marks are written only in pinyin: a marked syllable is that syllable (Gāng is gang, never geng).
               "pinyin_tones": [as_pinyin] if as_pinyin else [as_wade_giles, as_hong_kong],
               WADE_GILES_SURE: [as_wade_giles, as_pinyin] if as_wade_giles or as_pinyin else [as_hong_kong],
               PINYIN_HAND: ([as_pinyin, [_U_LEFT_OUT[p] for p in as_pinyin if p in _U_LEFT_OUT and not marked]]
                             if as_pinyin else [as_wade_giles, as_hong_kong])}
    for readings in systems.get(romanization, [as_pinyin, as_wade_giles, as_hong_kong]):
        add(readings)
    return options


@lru_cache(maxsize=50_000)
def _segment(token: str, inventory) -> list[tuple[str, ...]]:
    """Ways to cut a token into known syllables, fewest pieces first."""
    if not token:
        return [()]
    results = []
    for end in range(min(6, len(token)), 0, -1):
        head = token[:end]
        if head in inventory:
            for rest in _segment(token[end:], inventory):
                results.append((head, *rest))
    return sorted(results, key=len)[:4]


def _sound(surname: str) -> str:
    """The surname as Hong Kong spells it (王 and 黄 are both Wong): one blocking key for every script."""
    return surname_sounds().get(surname, surname)


def compare_names(a: str | NameKeys, b: str | NameKeys) -> Level:
    """The graded likeness of two names: same characters, pinyin or sound; close; different."""
    left = a if isinstance(a, NameKeys) else name_keys(a)
    right = b if isinstance(b, NameKeys) else name_keys(b)
    if not left.pinyin_candidates or not right.pinyin_candidates:
        return Level.DIFFERENT
    if left.number and right.number and left.number != right.number:
        return Level.DIFFERENT  # namesakes the list numbered apart ("Li Ming 1", "Li Ming 2")
    if left.characters and right.characters and \
            comparable_characters(left.characters) == comparable_characters(right.characters):
        return Level.SAME_CHARACTERS
    if left.romanization in _DETERMINISTIC and right.romanization in _DETERMINISTIC:
        if _orders(left, first_only=True) & _orders(right, first_only=True):
            return Level.SAME_PINYIN
    if any(_compatible(a, b) for a in left.structures for b in right.structures):
        return Level.SAME_SOUND
    if left.surname != right.surname and left.surname in pinyin_surnames() and right.surname in pinyin_surnames():
        # Two real surnames a letter or two apart are two families (Tan, Tang; Zhan, Zhang): "close" joined 谭晓平 and
        # 唐晓平 on the age and place alone (an outside tester, rt42).
        return Level.DIFFERENT
    if jaro_winkler(left.pinyin_key, right.pinyin_key) >= 0.88 or _one_syllable_apart(left, right):
        return Level.CLOSE
    return Level.DIFFERENT


def _orders(keys: NameKeys, first_only: bool = False) -> set[str]:
    """The readings as 'surname given' strings, with the swapped order where the order is not known."""
    readings = keys.pinyin_candidates[:1] if first_only else keys.pinyin_candidates
    found = {f"{s}{g}" for s, g in readings}
    if first_only and not keys.order_known:
        found |= {f"{g}{s}" for s, g in readings}
    return found


def _compatible(a: tuple, b: tuple) -> bool:
    """Same number of syllables and every position could be the same pinyin."""
    return len(a) == len(b) and all(set(x) & set(y) for x, y in zip(a, b))


def _one_syllable_apart(left: NameKeys, right: NameKeys) -> bool:
    if left.surname != right.surname or not left.given or not right.given:
        return False
    a, b = left.given, right.given
    return len(a) > 1 and len(b) > 1 and (a.startswith(b[:2]) or a.endswith(b[-2:])) and abs(len(a) - len(b)) <= 3


def explain_names(a: str, b: str) -> str:
    """One readable line saying how alike two names are and why."""
    left, right = name_keys(a), name_keys(b)
    unknown = [text for text in (a, b) if is_placeholder(text)]
    if unknown:
        return f"not compared: {' and '.join(unknown)} {'say' if len(unknown) > 1 else 'says'} the name is not known"
    if left.number and right.number and left.number != right.number:
        return f"different: {a} ~ {b} are numbered apart ({left.number}, {right.number})"
    level = compare_names(left, right)
    word = {Level.SAME_CHARACTERS: "same characters", Level.SAME_PINYIN: "same pinyin",
            Level.SAME_SOUND: "same sound", Level.CLOSE: "close", Level.DIFFERENT: "different"}[level]
    return (f"{word}: {a} ({_written(left)}: {left.pinyin_key or '?'}) ~ {b} ({_written(right)}: "
            f"{right.pinyin_key or '?'})")


#: How a name's script reads in an explanation: a reader does not know ISO 15924 ("hani" is characters of both).
_SCRIPT_WORDS = {"hans": "simplified", "hant": "traditional", "hani": "characters", "pinyin": "pinyin",
                 "pinyin_tones": "pinyin", "wade_giles": "Wade-Giles", "hk": "Hong Kong spelling",
                 "jyutping": "Jyutping", "unknown": "romanized", "none": "romanized"}


def _written(keys) -> str:
    written = keys.romanization if keys.script == "latin" else keys.script
    return _SCRIPT_WORDS.get(written, written)


#: Most full readings a name keeps for comparison in SQL (the most seen in simulated lists is 324).
MAX_SOUND_READINGS = 1024


def sound_readings(keys: NameKeys) -> list[str]:
    """Every full reading of the name, syllables separated, both orders where the order is unknown.

    Two names share one iff compare_names finds them compatible position by position
    (SAME_SOUND), so a linkage engine can test that level as a list intersection in SQL.
    """
    found: set[str] = set()
    for structure in keys.structures:
        for choice in product(*structure):
            found.add(" ".join(choice))
            if len(found) >= MAX_SOUND_READINGS:
                return sorted(found)
    return sorted(found)


def linkage_columns(text: str) -> dict:
    """Flat columns for the linkage engine: every key compare_names uses, so SQL can grade names."""
    keys = name_keys(text or "")
    typed_key = f"{keys.typed[0]} {keys.typed[1]}".strip() if keys.typed else None
    typed_key = typed_key if typed_key and typed_key != keys.pinyin_key else None
    return {
        "characters_key": comparable_characters(keys.characters),
        # Surname, space, given name: run together, SI-TU Xin (司徒新) and 司图新 were "situxin" both, the same pinyin
        # reading (an outside tester, rt40), as were OU Yangming (区阳明) and 欧阳明.
        "pinyin_key": keys.pinyin_key or None,
        "surname_given_swapped": f"{keys.given} {keys.surname}".strip() or None,
        "sound_key": keys.sound or None,
        "surname_key": keys.surname or None,
        "name_order_known": keys.order_known,
        "reading_sure": keys.reading_sure,
        # What compare_names looks at beyond the keys above, flattened for SQL.
        "name_comparable": bool(keys.pinyin_candidates),
        "name_deterministic": keys.romanization in _DETERMINISTIC,
        "pinyin_spaced": keys.pinyin_key or None,
        "surname_plain": keys.surname,
        "given_plain": keys.given,
        # Whether the surname's reading, and the given name's (the surname where the order is not known), is a real
        # surname: a letter apart between two real surnames is another family (Fu, Xu), not a slip.
        "surname_known": keys.surname in pinyin_surnames(),
        "given_known": keys.given in pinyin_surnames(),
        "sound_readings": sound_readings(keys),
        "name_number": keys.number,
        # A romanized name's letters as typed where they are not its reading: a slip that reads as other syllables
        # (Huang Desheeng, "desiwu"; Lin Gaunghui) is one letter from the other name's pinyin only as typed.
        "typed_key": typed_key,
        "typed_swapped": f"{keys.typed[1]} {keys.typed[0]}".strip() if typed_key and not keys.order_known else None,
        # A slip in a Wade-Giles or Hong Kong spelling, mended by one keystroke (Hsaio as Hsiao): its readings.
        "mended_readings": list(mended_readings(text or "")) or None,
    }


__all__ = ["COMPOUND_SURNAMES", "Level", "NameKeys", "comparable_characters", "compare_names", "explain_names", "jaro_winkler",
           "linkage_columns", "name_keys", "written_keys"]
