"""Reading a written place into a gazetteer entry, and comparing two places.

"北京市海淀区", "海淀區", "Haidian District, Beijing", "Hoi Tin" all read as the entry 海淀区
(110108), whose parent is 北京市. "Peking" is Beijing; "宣武区" is the district merged into 西城区 in
2010, so it lies within today's 西城区. A place the gazetteer does not know keeps its normalised
reading (characters in pinyin, Latin folded), and two unknown places compare by that reading.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass
from enum import Enum
from functools import lru_cache

from .gazetteer import HINT_KINDS, Gazetteer, load_gazetteer
from .readings import GENERIC, fold_latin, han_pinyin, han_text, strip_generic

#: Endings after which a division's short name is part of a street's name (长安路 is not 长安区).
_STREETISH = ("路", "街", "道", "巷", "桥", "门", "口", "胡同", "里", "庄", "村", "小区", "楼", "号", "院", "寺", "园")
_STOPWORDS = frozenset({"the", "of", "at", "near", "in", "on", "and", "no", "nr", "by", "outside", "inside", "area"})
_DIRECTIONS = {"east": "dong", "west": "xi", "north": "bei", "south": "nan", "inner": "nei", "outer": "wai"}
#: Kinds of division a generic word may name when the word follows a short name (Haidian District).
_DIVISION_KINDS = frozenset({"province", "region", "prefecture", "city", "district", "county", "town"})


class Relation(str, Enum):
    """How two places relate."""

    SAME = "same"
    WITHIN = "within"  # one lies within the other (Haidian within Beijing; 宣武区 within today's 西城区)
    DIFFERENT = "different"
    UNKNOWN = "unknown"  # one is missing, or only one is known to the gazetteer


@dataclass(frozen=True)
class Place:
    """A written place as read: the gazetteer entries it may be (one when resolved), its reading, what was left."""

    text: str
    ids: tuple[str, ...]
    reading: str
    rest: str = ""

    @property
    def entry_id(self) -> str | None:
        """The one gazetteer entry, or None when unknown or still ambiguous."""
        return self.ids[0] if len(self.ids) == 1 else None

    @property
    def key(self) -> str | None:
        """A comparable key: the entry's id, or '~' and the reading for a place the gazetteer does not know."""
        if self.entry_id:
            return self.entry_id
        return f"~{self.reading}" if self.reading else None


def place_reading(text: str) -> str:
    """The normalised reading of a place: its characters in pinyin (generic ending dropped), or its Latin letters
    folded (tone marks, apostrophes, hyphens and generic words dropped): 'Mùxīdì' and 木樨地 both 'muxidi'."""
    han = han_text(text or "")
    if han:
        return "".join(han_pinyin(strip_generic(han)[0]))
    tokens = fold_latin(text or "").split()
    kept = [t for i, t in enumerate(tokens) if i == 0 or (t not in GENERIC and t not in _STOPWORDS)]
    return "".join(t for t in kept if not t.isdigit())


def parse_place(text: str | None, gazetteer: Gazetteer | None = None, focus: frozenset = frozenset()) -> Place | None:
    """Read a place in any script or romanization; None for an empty text. `focus`: ids (a province) that
    decide between places of one name (朝阳区 is in Beijing and in Changchun)."""
    if not text or not text.strip():
        return None
    return _parse(text.strip(), gazetteer or load_gazetteer(), focus)


@lru_cache(maxsize=100_000)
def _parse(text: str, gazetteer: Gazetteer, focus: frozenset) -> Place:
    parts, rest = _han_parts(han_text(text), gazetteer)
    latin_parts, latin_rest = _latin_parts(re.sub(r"[\u3400-\u9fff\uf900-\ufaff]+", " ", text), gazetteer)
    parts += latin_parts
    ids = _resolve(parts, gazetteer, focus)
    return Place(text, ids, place_reading(text), (rest + " " + latin_rest).strip())


def _han_parts(han: str, gazetteer: Gazetteer) -> tuple[list[set[str]], str]:
    """Gazetteer entries found in characters, longest first from the left; and what matched none."""
    parts, rest, i = [], [], 0
    while i < len(han):
        for j in range(min(len(han), i + gazetteer.longest_han), i + 1, -1):
            key = han[i:j]
            if key in gazetteer.han:
                parts.append(set(gazetteer.han[key]))
                break
            if key in gazetteer.han_short and not han.startswith(_STREETISH, j):
                parts.append(set(gazetteer.han_short[key]))
                break
        else:
            rest.append(han[i])
            i += 1
            continue
        i = j
    return parts, "".join(rest)


def _latin_parts(text: str, gazetteer: Gazetteer) -> tuple[list[set[str]], str]:
    """Gazetteer entries found in Latin text: runs of words joined, with a generic word read as its kind."""
    tokens = [_DIRECTIONS.get(t, t) for t in fold_latin(text).split() if not t.isdigit()]
    parts, rest, i = [], [], 0
    while i < len(tokens):
        if tokens[i] in _STOPWORDS:
            i += 1
            continue
        found = None
        for j in range(min(len(tokens), i + 8), i, -1):
            # Before a word for a street or landmark, only a full name counts (Changan Road is not 长安区).
            streetish = j < len(tokens) and tokens[j] in GENERIC and GENERIC[tokens[j]][0] not in _DIVISION_KINDS
            found = _match(tokens[i:j], gazetteer, 2 if streetish else 1)
            if found:
                break
        if found:
            parts.append(found)
            i = j
        else:
            rest.append(tokens[i])
            i += 1
    return parts, " ".join(rest)


def _match(tokens: list[str], gazetteer: Gazetteer, least: int = 1) -> set[str] | None:
    whole = "".join(tokens)
    known = gazetteer.latin.get(whole, {})
    full = {pid for pid, (strength, _) in known.items() if strength >= least}
    last = tokens[-1]
    if len(tokens) < 2 or last not in GENERIC:
        return full or None
    # A name with its kind in English is also every entry of that name and kind, not only those whose English
    # name the tables spell so: "Xuanwu District" is Nanjing's 玄武区 by its English name and Beijing's former
    # 宣武区 by its reading, and "Xuanwu District, Beijing" was read as Nanjing's (an outside tester, rt45).
    return (full | (_by_kind(tokens, gazetteer) or set())) or None


def _by_kind(tokens: list[str], gazetteer: Gazetteer) -> set[str] | None:
    """Entries a name followed by an English word for its kind reads as: the name with the kind as Chinese writes it
    (Haidian District -> haidianqu), or the name alone with an entry of that kind."""
    last = tokens[-1]
    base = "".join(tokens[:-1])
    kind, ending = GENERIC[last]
    # The generic word as Chinese writes it: Haidian District -> haidianqu; Tiananmen Square -> ...guangchang.
    for morpheme in {"".join(han_pinyin(ending))} | ({"jie", "dajie"} if kind == "street" else set()):
        found = {pid for pid, (strength, _) in gazetteer.latin.get(base + morpheme, {}).items() if strength >= 1}
        if found:
            return found
    shorts = gazetteer.latin.get(base, {})
    if kind in _DIVISION_KINDS:
        found = {pid for pid, (strength, _) in shorts.items() if strength >= 1}
    else:
        # A street's or landmark's own name with an English word for its kind: Tin On Mun Square.
        found = {pid for pid, (_, entry_kind) in shorts.items() if entry_kind == HINT_KINDS[last]}
    return found or None


def _resolve(parts: list[set[str]], gazetteer: Gazetteer, focus: frozenset) -> tuple[str, ...]:
    """The most specific entry the parts agree on (北京 + 海淀区 -> 海淀区); ambiguous names decided by the
    other parts, then by the focus, then by their deepest common ancestor."""
    if not parts:
        return ()
    entries = gazetteer.entries

    def related(a: str, b: str) -> bool:
        return a in entries[b].lineage or b in entries[a].lineage

    narrowed = []
    for index, part in enumerate(parts):
        others = [p for k, p in enumerate(parts) if k != index]
        fitting = {pid for pid in part if all(any(related(pid, o) for o in other) for other in others)}
        narrowed.append(fitting or part)
    deepest = max(narrowed, key=lambda part: max(len(entries[pid].lineage) for pid in part))
    candidates = set(deepest)
    if len(candidates) > 1 and focus:
        candidates = {pid for pid in candidates if entries[pid].lineage & focus} or candidates
    if len(candidates) > 1:
        # A name alone is the largest place of that name (Xi'an is the city, not a district of Liaoyuan).
        shallowest = min(entries[pid].depth for pid in candidates)
        candidates = {pid for pid in candidates if entries[pid].depth == shallowest}
    if len(candidates) > 1:
        common = frozenset.intersection(*(entries[pid].lineage for pid in candidates))
        if common:
            return (max(common, key=lambda pid: len(entries[pid].lineage)),)
    return tuple(sorted(candidates))


def resolve_places(texts, gazetteer: Gazetteer | None = None) -> dict[str, Place | None]:
    """Each distinct text read, with the focus of the whole list: a name that two places share is read as the
    one in the province most of the list's known places are in (a Beijing list's 朝阳区 is Beijing's)."""
    gazetteer = gazetteer or load_gazetteer()
    distinct = {t for t in texts if t}
    first = {t: parse_place(t, gazetteer) for t in distinct}
    provinces = Counter()
    for place in first.values():
        if place and place.entry_id:
            lineage = gazetteer.entries[place.entry_id].lineage
            provinces.update(pid for pid in lineage if gazetteer.entries[pid].level == "province")
    if not provinces:
        return first
    focus = frozenset({provinces.most_common(1)[0][0]})
    # Read again with the focus: it only decides between places of one name.
    return {t: parse_place(t, gazetteer, focus) for t in distinct}


def compare_places(a: Place | str | None, b: Place | str | None, gazetteer: Gazetteer | None = None) -> Relation:
    """Same, within (one lies in the other), different, or unknown (missing, or only one known to the gazetteer)."""
    gazetteer = gazetteer or load_gazetteer()
    left = parse_place(a, gazetteer) if isinstance(a, str) else a
    right = parse_place(b, gazetteer) if isinstance(b, str) else b
    if left is None or right is None:
        return Relation.UNKNOWN
    ea, eb = left.entry_id, right.entry_id
    entries = gazetteer.entries
    # A name two places share is read as the one the other side can be (朝陽區 beside 北京市朝阳区).
    if not ea and eb and len(left.ids) > 1:
        ea = _one_related(left.ids, entries[eb].lineage, eb, entries)
    if not eb and ea and len(right.ids) > 1:
        eb = _one_related(right.ids, entries[ea].lineage, ea, entries)
    if ea and eb:
        if ea == eb:
            return Relation.SAME
        if ea in gazetteer.entries[eb].lineage or eb in gazetteer.entries[ea].lineage:
            return Relation.WITHIN
        return Relation.DIFFERENT
    if not ea and not eb and not left.ids and not right.ids and left.reading and right.reading:
        # Neither known: as before the gazetteer, by the reading.
        return Relation.SAME if left.reading == right.reading else Relation.DIFFERENT
    return Relation.UNKNOWN


def _one_related(ids: tuple[str, ...], lineage: frozenset, other: str, entries: dict) -> str | None:
    fitting = [pid for pid in ids if pid in lineage or other in entries[pid].lineage]
    return fitting[0] if len(fitting) == 1 else None
