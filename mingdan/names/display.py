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

from .tables import pinyin_inventory

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
    characters: tuple[str, ...] = ()
    romanizations: dict[str, tuple[str, ...]] = field(default_factory=dict)
    scripts: dict[str, str] = field(default_factory=dict)  # form in characters -> hans / hant / hani

    def in_script(self, script: str) -> str:
        """The name as some source wrote it in this script (hans or hant), else the chosen name."""
        wanted = {"hans": ("hans", "hani"), "hant": ("hant", "hani")}.get(script, (script,))
        return next((text for text in self.characters if self.scripts.get(text) in wanted), self.name)

    def others(self) -> list[str]:
        """Every written form but the chosen name, characters first."""
        forms = [*self.characters, *(t for column in COLUMNS for t in self.romanizations.get(column, ()))]
        return [text for text in dict.fromkeys(forms) if text != self.name]


def choose(forms: list[NameForm]) -> DisplayName | None:
    """The display name of these forms (None when there is none).

    Characters win over any romanization (a form mixing both comes after pure characters). Among forms in the same class, the one the most
    sources wrote wins; then a legal name over a variant; then the first written.
    """
    usable = [form for form in forms if form.text and form.name_type in NAME_FORMS]
    if not usable:
        return None
    support = Counter()
    for form in {(f.text, f.source) for f in usable}:
        support[form[0]] += 1
    order = {text: index for index, text in reversed(list(enumerate(f.text for f in usable)))}
    legal = {f.text for f in usable if f.name_type == "legal"}

    def rank(text: str) -> tuple:
        return (-support[text], text not in legal, order[text])

    # A form mixing characters and Latin ("张三 Zhang San") still holds characters: it is kept, after pure ones.
    mixed = {f.text for f in usable if f.script == "mixed"}
    characters = sorted({f.text for f in usable if f.script in CHARACTER_SCRIPTS} | mixed,
                        key=lambda text: (text in mixed, *rank(text)))
    scripts = {f.text: f.script for f in usable if f.script in CHARACTER_SCRIPTS}
    romanizations: dict[str, list[str]] = {}
    for form in sorted(usable, key=lambda f: rank(f.text)):
        if form.script == "latin":
            system = "pinyin" if form.romanization == "unknown" and spelled_in_pinyin(form.text) else form.romanization
            column = romanizations.setdefault(ROMANIZATION_COLUMNS.get(system, "latin"), [])
            if form.text not in column:
                column.append(form.text)
    if characters:
        chosen = characters[0]
    else:
        latin = [text for column in COLUMNS for text in romanizations.get(column, [])]
        chosen = sorted(latin, key=rank)[0] if latin else sorted({f.text for f in usable}, key=rank)[0]
    return DisplayName(name=chosen, characters=tuple(characters),
                       romanizations={k: tuple(v) for k, v in romanizations.items()}, scripts=scripts)


@lru_cache(maxsize=50_000)
def spelled_in_pinyin(text: str) -> bool:
    """True when every word of a toneless Latin name splits into pinyin syllables ("Zhang Zhiming", "Wang Dan")."""
    words = [word for word in re.split(r"[\s\-'’]+", text.lower()) if word]
    return bool(words) and all(_splits(word.replace("u:", "ü").replace("v", "ü"), pinyin_inventory()) for word in words)


def _splits(word: str, syllables: frozenset[str]) -> bool:
    reachable = [True] + [False] * len(word)
    for end in range(1, len(word) + 1):
        reachable[end] = any(reachable[start] and word[start:end] in syllables for start in range(max(0, end - 6), end))
    return reachable[-1]
