"""The name to print for a person or record: characters where any source wrote characters.

One rule for the web, the report and the release. Only forms a source wrote are ever shown
(never a conversion between scripts or a romanization computed here), so a published name can
always be traced to the list that wrote it. The caller passes only the forms its reader may see.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field
from functools import lru_cache

from .placeholders import is_placeholder, without_number
from .romanize import COMPOUND_SURNAMES
from .script import is_han
from .tables import hk_to_pinyin, pinyin_inventory, pinyin_surnames, surname_romanizations, wade_giles_to_pinyin

#: Scripts that count as "in characters".
CHARACTER_SCRIPTS = ("hans", "hant", "hani")
#: Name types that are written forms of the person's name (aliases and former names are other names).
NAME_FORMS = ("legal", "variant", "romanized")
#: Romanization systems -> the column they are published in.
ROMANIZATION_COLUMNS = {
    "pinyin": "pinyin", "pinyin_tones": "pinyin", "wade_giles": "wade_giles",
    "hk": "cantonese", "jyutping": "cantonese", "unknown": "latin", "none": "latin",
}
COLUMNS = ("pinyin", "wade_giles", "cantonese", "latin")


@dataclass(frozen=True)
class NameForm:
    """One written form of a name, as a source wrote it."""

    text: str
    script: str
    romanization: str = "none"
    name_type: str = "legal"
    source: str = ""


@dataclass(frozen=True)
class DisplayName:
    """The chosen name and every other written form, by script and romanization system."""

    name: str
    characters: tuple[str, ...] = ()  # forms of CJK characters only (and a name's middle dot): name_characters
    romanizations: dict[str, tuple[str, ...]] = field(default_factory=dict)
    scripts: dict[str, str] = field(default_factory=dict)  # form in characters -> hans / hant / hani
    # Forms that hold characters and something else, kept as a source wrote them ("张四 (Li Si)", "张三 Zhang San").
    with_characters: tuple[str, ...] = ()
    # Every source gives only a pseudonym (王五（化名）): shown as such, never published as the person's name.
    pseudonym: bool = False

    def in_script(self, script: str) -> str:
        """The name as some source wrote it in this script (hans or hant), else the chosen name."""
        wanted = {"hans": ("hans", "hani"), "hant": ("hant", "hani")}.get(script, (script,))
        return next((text for text in self.characters if self.scripts.get(text) in wanted), self.name)

    def others(self) -> list[str]:
        """Every written form but the chosen name, characters first."""
        forms = [*self.characters, *self.with_characters,
                 *(t for column in COLUMNS for t in self.romanizations.get(column, ()))]
        return [text for text in dict.fromkeys(forms) if text != self.name]


def choose(forms: list[NameForm]) -> DisplayName | None:
    """The display name of these forms (None when there is none).

    Characters win over any romanization (a form mixing both comes after pure characters). Among forms in the same class, the one the most
    sources wrote wins; then a legal name over a variant; then the first written.
    """
    usable = [form for form in forms if form.text and form.name_type in NAME_FORMS]
    if not usable:
        return _pseudonym(forms)
    # A name that says it is not known (男尸3号, 无名氏) gives way to any real name a record of the person gives.
    usable = [form for form in usable if not is_placeholder(form.text)] or usable
    support = Counter()
    for form in {(f.text, f.source) for f in usable}:
        support[form[0]] += 1
    order = {text: index for index, text in reversed(list(enumerate(f.text for f in usable)))}
    legal = {f.text for f in usable if f.name_type == "legal"}

    def rank(text: str) -> tuple:
        return (-support[text], text not in legal, order[text])

    # A form mixing characters and Latin ("张三 Zhang San") or with a note ("王五（某）") still holds characters: it
    # may be the name, after pure ones, but is never given as the name in characters.
    han = sorted({f.text for f in usable if f.script in CHARACTER_SCRIPTS or f.script == "mixed"},
                 key=lambda text: (not only_characters(text), *rank(text)))
    characters = [text for text in han if only_characters(text)]
    scripts = {f.text: f.script for f in usable if f.script in CHARACTER_SCRIPTS}
    romanizations: dict[str, list[str]] = {}
    for form in sorted(usable, key=lambda f: rank(f.text)):
        if form.script == "latin":
            system = romanization_of(form.text, form.romanization)
            column = romanizations.setdefault(ROMANIZATION_COLUMNS.get(system, "latin"), [])
            if form.text not in column:
                column.append(form.text)
    if han:
        chosen = han[0]
    else:
        latin = [text for column in COLUMNS for text in romanizations.get(column, [])]
        chosen = sorted(latin, key=rank)[0] if latin else sorted({f.text for f in usable}, key=rank)[0]
    return DisplayName(name=chosen, characters=tuple(characters),
                       romanizations={k: tuple(v) for k, v in romanizations.items()}, scripts=scripts,
                       with_characters=tuple(text for text in han if not only_characters(text)))


def _pseudonym(forms: list[NameForm]) -> DisplayName | None:
    """A person known only by a pseudonym (a list's 化名: the name type 'alias' with no name of their own beside
    it): the pseudonym marked as one, never given as a name in characters or a romanization."""
    aliases = [form for form in forms if form.text and form.name_type == "alias"]
    if not aliases:
        return None
    support = Counter(form.text for form in {(f.text, f.source): f for f in aliases}.values())
    first = min(aliases, key=lambda f: (f.script not in CHARACTER_SCRIPTS, -support[f.text], aliases.index(f)))
    marked = f"{first.text}（化名）" if first.script in CHARACTER_SCRIPTS else f"{first.text} (pseudonym)"
    return DisplayName(name=marked, pseudonym=True)


#: Marks a name in characters may hold beside them: the middle dots of transcribed names (阿不都·热合曼), 〇.
NAME_MARKS = frozenset("·・‧•〇")


def only_characters(text: str) -> bool:
    """True for a form of CJK characters only (a transcribed name's middle dot allowed): no brackets, Latin or note."""
    return bool(text) and all(is_han(char) or char in NAME_MARKS for char in text)


def romanization_of(text: str, written: str = "unknown") -> str:
    """The romanization system of a Latin form: as stored, or for 'unknown' read from its spelling (pinyin or
    Hong Kong) when the spelling leaves no doubt. The import, `mingdan show` and the release all read it here,
    so that what a record's page says and the column a release publishes a form in agree."""
    if written != "unknown":
        return written
    # A namesake's number or a note beside the name ("Wang Gang 1", "Chan Tai Man (2)") is no syllable.
    bare = without_number(text) or text
    if spelled_in_pinyin(bare):
        return "pinyin"
    if spelled_in_hk(bare):
        return "hk"
    return "unknown"


@lru_cache(maxsize=50_000)
def spelled_in_hk(text: str) -> bool:
    """True when a Latin name is clearly a Hong Kong spelling ("Lam Ka Yan", "Leung Kwok-hung").

    Hong Kong names are spelt syllable by syllable: every word (or hyphenated part) must be one Hong
    Kong syllable, the first or the last word a surname's spelling, and some syllable one that
    neither pinyin nor Wade-Giles (typed without apostrophes) can spell — Lam, Leung, Kwok. "Chan Tai
    Man" or "Ho Wai Ming" could be written in those systems too and stay as detected.
    """
    words = [word for word in re.split(r"\s+", text.lower()) if word]
    parts = [part for word in words for part in word.split("-") if part]
    if len(words) < 2 or not parts or not all(part in hk_to_pinyin() for part in parts):
        return False
    if not any(word.replace("-", "") in surname_romanizations() for word in (words[0], words[-1])):
        return False
    others = pinyin_inventory() | _spelled("wade_giles")
    return any(part not in others for part in parts)


@lru_cache(maxsize=50_000)
def spelled_in_pinyin(text: str) -> bool:
    """True when a toneless Latin name is clearly pinyin ("Zhang Zhiming", "Wang Dan", "Wang Xiao-ming").

    Every word must split into pinyin syllables, and in a name of several words the first or the
    last must be a surname's pinyin. A given name hyphenated or spaced syllable by syllable is how
    Wade-Giles and Hong Kong spellings write it (pinyin joins it: Fengchi): such a name is pinyin only
    when some syllable could not be spelt in those systems ("Xiao-ming" can; "Chou Feng-chi", Wade-Giles
    for 周凤吉, and "Chan Tai Man" cannot). A name left unsure stays an unknown romanization.
    """
    pieces = _pieces(text)
    if not pieces or not all(parts and all(splits_into_pinyin(part) for part in parts) for parts in pieces):
        return False
    surnames = pinyin_surnames()
    if len(pieces) > 1 and not any("".join(parts) in surnames for parts in (pieces[0], pieces[-1])):
        return False
    if len(pieces) > 2 or "-" in text:
        parts = [part.replace("ü", "u") for word in pieces for part in word]
        if any(all(_splits(part, other) for part in parts) for other in (_spelled("wade_giles"), _spelled("hk"))):
            return False
    return True


def _pieces(text: str) -> list[list[str]]:
    # Each word's hyphen- or apostrophe-separated parts, lower case, ü however typed (u:, v).
    words = text.lower().replace("u:", "ü").replace("v", "ü").split()
    return [[part for part in re.split(r"[-'’]+", word) if part] for word in words]


@lru_cache(maxsize=50_000)
def written_by_pinyin_hand(text: str) -> bool:
    """True when a toneless Latin name is pinyin and a syllable of it is spelt only so ("Fu Jiaming": jia is neither
    Wade-Giles nor a Hong Kong spelling), so its surname is read as pinyin too (傅, not the Hong Kong 许 of "Fu").

    "Chang Ming" stays unsure: every word is Wade-Giles as well (张明), as lists in Taiwan write it.
    """
    return spelled_in_pinyin(text) and any(_only_pinyin_spells(part) for part in _parts(text))


def _parts(text: str) -> list[str]:
    # Every part of every word, ü written u, as a plain keyboard (and the Wade-Giles and Hong Kong tables) spell it.
    return [part.replace("ü", "u") for word in _pieces(text) for part in word]


def _only_pinyin_spells(part: str) -> bool:
    # Jia, Xiao, Zhang: a run of pinyin syllables that neither Wade-Giles nor a Hong Kong spelling can write.
    return splits_into_pinyin(part) and not _splits(part, _spelled("wade_giles")) and not _splits(part, _spelled("hk"))


@lru_cache(maxsize=50_000)
def misspelt_spelling(text: str) -> bool:
    """True when a Latin name is not spelt in any one romanization: some part reads in none ("Huang Desheeng"), or a
    name written by a pinyin hand (a part only pinyin spells: Zhou, Zhang) has a part pinyin does not
    ("Haitoa Zhou", "Zhang Honmgei"). Such a name's letters as typed are kept beside its reading, to meet its
    misspelling's other side; "Chang Ming" (Wade-Giles) and "Wong Kin Wah" (Hong Kong) are spelt in one system.
    """
    parts = _parts(text)
    if not parts:
        return False
    in_pinyin = all(splits_into_pinyin(part) for part in parts)
    if any(_only_pinyin_spells(part) for part in parts):
        return not in_pinyin
    # Wade-Giles and Hong Kong spellings write a syllable a word (Kin Wah, Chien-ping): a part of several run
    # together (Minghiu, Gaunghui) is pinyin or a slip; a compound surname (Szeto, Ouyang) is one word in all.
    surnames = surname_romanizations()
    return not (in_pinyin or any(all(part in system or part in surnames for part in parts)
                                 for system in (_spelled("wade_giles"), _spelled("hk"))))


def splits_into_pinyin(word: str) -> bool:
    """True when a lower-case word is a run of toneless pinyin syllables ("zhiming", "lü")."""
    return _splits(word, _name_syllables())


@lru_cache(maxsize=2)
def _spelled(system: str) -> frozenset[str]:
    # Syllables as typed on a plain keyboard (no apostrophes, u for ü) in Wade-Giles or Hong Kong spelling.
    return frozenset(wade_giles_to_pinyin() if system == "wade_giles" else hk_to_pinyin())


@lru_cache(maxsize=1)
def _name_syllables() -> frozenset[str]:
    # The common characters' syllables miss a few surnames' own (岑 cen); compound surnames are two syllables.
    return pinyin_inventory() | {s for s in pinyin_surnames() if s not in COMPOUND_SURNAMES.values()}


def pinyin_words(text: str) -> tuple[list[str], list[str]] | None:
    """The surname's and the given name's syllables of a name in toneless pinyin ("Dawen Chen": [chen], [da, wen]).

    None when some word does not split into pinyin syllables. The surname is the first word, or the
    last when only the last is a surname's pinyin; a name of one word starts with its surname.
    """
    words = []
    for word in text.lower().replace("u:", "ü").replace("v", "ü").split():
        syllables: list[str] = []
        for part in (p for p in re.split(r"[-'’]+", word) if p):
            cut = _fewest(part, _name_syllables())
            if cut is None:
                return None
            syllables += cut
        if syllables:
            words.append(syllables)
    if not words:
        return None
    surnames = pinyin_surnames()
    if len(words) == 1:
        head = 2 if len(words[0]) > 2 and "".join(words[0][:2]) in surnames else 1
        return words[0][:head], words[0][head:]
    at = -1 if "".join(words[0]) not in surnames and "".join(words[-1]) in surnames else 0
    return words[at], [s for index, w in enumerate(words) if index != at % len(words) for s in w]


def _fewest(word: str, syllables: frozenset[str]) -> list[str] | None:
    """The word cut into the fewest known syllables (xian is xian, not xi an), or None."""
    best: list[list[str] | None] = [[]] + [None] * len(word)
    for end in range(1, len(word) + 1):
        for start in range(max(0, end - 6), end):
            head = best[start]
            if head is not None and word[start:end] in syllables and (best[end] is None or len(head) + 1 < len(best[end])):
                best[end] = head + [word[start:end]]
    return best[-1]


def _splits(word: str, syllables: frozenset[str]) -> bool:
    reachable = [True] + [False] * len(word)
    for end in range(1, len(word) + 1):
        reachable[end] = any(reachable[start] and word[start:end] in syllables for start in range(max(0, end - 6), end))
    return reachable[-1]
