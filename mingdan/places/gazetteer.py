"""The gazetteer: places with their names in every script and romanization, and their parents.

Shipped in `data/` (see data/README.md for sources): the PRC's provinces, prefecture-level and
county-level divisions (divisions.csv, from cpca's administrative-division codes), Beijing's
districts before and after 2010 and the streets, squares and landmarks of Beijing named in
published accounts of June 1989 (beijing.csv), and the postal and English names of provinces and
large cities (postal.csv). A case adds or amends entries with its own file of the same columns
(`places.csv` in the case folder; docs/places.md).
"""

from __future__ import annotations

import csv
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from .readings import (
    GENERIC, HAN_KIND, cantonese_spellings, fold_latin, han_pinyin, han_text, short_name, strip_generic, wade_giles,
)

DATA = Path(__file__).resolve().parent / "data"
SHIPPED = ("divisions.csv", "beijing.csv", "postal.csv")
LEVELS = ("province", "prefecture", "county", "area")
#: Province-level cities: their districts are one step below them, and they stand as cities too.
MUNICIPALITIES = frozenset({"110000", "120000", "310000", "500000"})
_EN_SUFFIX = {"区": "District", "县": "County", "旗": "Banner", "自治县": "County", "自治旗": "Banner", "市": "City",
              "林区": "Forest District", "特区": "Special District"}


class GazetteerError(ValueError):
    """A gazetteer file that cannot be read; the message names the file, the row and the reason."""


@dataclass
class Entry:
    """One place: its names, its level (province, prefecture, county, area) and its parents' ids."""

    id: str
    level: str
    name: str
    parents: tuple[str, ...] = ()
    short: str = ""
    pinyin: str = ""
    jyutping: str = ""
    en: str = ""
    aliases: tuple[str, ...] = ()
    kind: str = ""
    lineage: frozenset = field(default_factory=frozenset)

    def display(self, language: str = "en") -> str:
        """The name in the reader's language: en, zh-hans (zh) or zh-hant."""
        if language.lower().startswith("zh"):
            if language.lower() in ("zh-hant", "zh-tw", "zh-hk"):
                from mingdan.names.romanize import to_traditional

                return to_traditional(self.name)
            return self.name
        return self.en or self.name

    @property
    def depth(self) -> int:
        """0 for a province, 3 for a street or landmark."""
        return LEVELS.index(self.level) if self.level in LEVELS else len(LEVELS)


class Gazetteer:
    """Entries and the keys they are found by (characters, and Latin letters in any romanization)."""

    def __init__(self, entries: dict[str, Entry]):
        self.entries = entries
        for entry in entries.values():
            entry.lineage = frozenset(self._lineage(entry.id, set()))
        #: Han key -> ids; short Han key (海淀) -> ids; Latin key -> {id: (strength, kind)}.
        self.han: dict[str, set[str]] = {}
        self.han_short: dict[str, set[str]] = {}
        self.latin: dict[str, dict[str, tuple[int, str]]] = {}
        for entry in entries.values():
            self._index(entry)
        self.longest_han = max((len(k) for k in (*self.han, *self.han_short)), default=1)

    def _lineage(self, pid: str, seen: set) -> set[str]:
        if pid in seen or pid not in self.entries:
            return set()
        seen.add(pid)
        found = {pid}
        for parent in self.entries[pid].parents:
            found |= self._lineage(parent, seen)
        return found

    def _index(self, entry: Entry) -> None:
        self.han.setdefault(entry.name, set()).add(entry.id)
        if entry.level != "area" and entry.short and entry.short != entry.name and len(entry.short) >= 2:
            self.han_short.setdefault(entry.short, set()).add(entry.id)
        syllables = entry.pinyin.split()
        short_syllables = syllables[: len(syllables) - (len(entry.name) - len(entry.short))] if entry.short else syllables
        jyutping = entry.jyutping.split()
        short_jyutping = jyutping[: len(short_syllables)]
        # A street's own name without its ending (长安 of 长安街) is found only with a word for its kind.
        short_strength = 0 if entry.level == "area" else 1
        for strength, pinyin, cantonese in ((2, syllables, jyutping), (short_strength, short_syllables, short_jyutping)):
            if not pinyin:
                continue
            forms = {"".join(pinyin), wade_giles(" ".join(pinyin))}
            if cantonese and "?" not in cantonese:
                forms |= set(cantonese_spellings(" ".join(cantonese)))
            for form in forms:
                self._add_latin(form, entry, strength)
        for alias in (*entry.aliases, entry.en):
            if not alias:
                continue
            if han_text(alias) and not any(ch.isascii() and ch.isalpha() for ch in alias):
                self.han.setdefault(han_text(alias), set()).add(entry.id)
            else:
                self._add_latin(fold_latin(alias).replace(" ", ""), entry, 2)

    def _add_latin(self, key: str, entry: Entry, strength: int) -> None:
        if len(key) < 2:
            return
        known = self.latin.setdefault(key, {})
        if known.get(entry.id, (-1, ""))[0] < strength:
            known[entry.id] = (strength, entry.kind)

    def get(self, pid: str) -> Entry | None:
        """The entry with this id, or None."""
        return self.entries.get(pid)

    def district_of(self, pid: str) -> frozenset:
        """The county-level entries an entry is or lies in (a street may lie in two)."""
        entry = self.entries.get(pid)
        return frozenset(a for a in entry.lineage if self.entries[a].level == "county") if entry else frozenset()

    def city_of(self, pid: str) -> frozenset:
        """The prefecture-level entries (or province-level cities) an entry is or lies in."""
        entry = self.entries.get(pid)
        if entry is None:
            return frozenset()
        return frozenset(a for a in entry.lineage
                         if self.entries[a].level == "prefecture" or a in MUNICIPALITIES)


def read_entries(path: Path, entries: dict[str, Entry]) -> None:
    """Add the rows of one gazetteer file to `entries`; a row with a known id amends that entry."""
    with open(path, encoding="utf-8-sig", newline="") as handle:
        reader = csv.DictReader(handle)
        if not reader.fieldnames or "id" not in reader.fieldnames:
            raise GazetteerError(f"{path}: needs an 'id' column (and name, level, parents for new places)")
        for number, row in enumerate(reader, start=2):
            row = {k: (v or "").strip() for k, v in row.items() if k}
            pid = row["id"]
            if not pid:
                raise GazetteerError(f"{path}:{number}: the id is empty")
            aliases = tuple(a.strip() for a in row.get("aliases", "").split("|") if a.strip())
            if pid in entries:
                known = entries[pid]
                known.aliases = tuple(dict.fromkeys((*known.aliases, *aliases)))
                known.en = row.get("en") or known.en
                if row.get("parents"):
                    known.parents = tuple(p for p in row["parents"].split("|") if p)
                continue
            name = han_text(row.get("name", "")) or row.get("name", "")
            level = row.get("level", "area") or "area"
            if not name:
                raise GazetteerError(f"{path}:{number}: place {pid!r} has no name")
            if level not in LEVELS:
                raise GazetteerError(f"{path}:{number}: level {level!r} is not one of {', '.join(LEVELS)}")
            entries[pid] = _entry(pid, level, name, row, aliases)


def _entry(pid: str, level: str, name: str, row: dict, aliases: tuple[str, ...]) -> Entry:
    short = row.get("short") or (strip_generic(name)[0] if level == "area" else short_name(name))
    pinyin = row.get("pinyin") or " ".join(han_pinyin(name))
    jyutping = row.get("jyutping") or _jyutping(name)
    kind = (strip_generic(name)[1] or "") if level == "area" else _division_kind(name, level)
    entry = Entry(pid, level, name, tuple(p for p in row.get("parents", "").split("|") if p), short, pinyin,
                  jyutping, row.get("en", ""), aliases, kind)
    if not entry.en:
        entry.en = _english(entry)
    return entry


def _jyutping(name: str) -> str:
    import ToJyutping

    return " ".join(j or "?" for _, j in ToJyutping.get_jyutping_list(name))


def _division_kind(name: str, level: str) -> str:
    for ending in sorted(HAN_KIND, key=len, reverse=True):
        if name.endswith(ending):
            return HAN_KIND[ending]
    return level


def _english(entry: Entry) -> str:
    """'Haidian District', 'Chengdu', 'Hebei': the short name in pinyin with the kind of division."""
    syllables = entry.pinyin.split()
    count = len(syllables) - (len(entry.name) - len(entry.short))
    words = syllables[:max(count, 1)]
    text = words[0] + "".join(("'" + s if s[0] in "aeo" else s) for s in words[1:])
    text = text[:1].upper() + text[1:]
    if entry.level != "county":
        return text
    ending = next((e for e in sorted(_EN_SUFFIX, key=len, reverse=True) if entry.name.endswith(e)), "")
    return f"{text} {_EN_SUFFIX[ending]}" if ending else text


@lru_cache(maxsize=8)
def _load(extra: tuple[tuple[str, float], ...]) -> Gazetteer:
    entries: dict[str, Entry] = {}
    for name in SHIPPED:
        read_entries(DATA / name, entries)
    for path, _ in extra:
        read_entries(Path(path), entries)
    return Gazetteer(entries)


def load_gazetteer(*extra: Path) -> Gazetteer:
    """The shipped gazetteer, amended by the given files (a case's own places.csv); cached until a file changes."""
    known = tuple((str(p), Path(p).stat().st_mtime) for p in extra if p and Path(p).is_file())
    return _load(known)


#: Kinds of place an English or pinyin generic word names (for matching a name that came with one).
HINT_KINDS = {word: kind for word, (kind, _) in GENERIC.items()}
