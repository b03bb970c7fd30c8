"""JSON read strictly, in one parse: an object that gives a key twice, and a number no list holds (100,000 digits,
1e999999, NaN), are noted as the text is parsed and told with the record and key they are in."""

from __future__ import annotations

import json
import math
from dataclasses import dataclass

from .problems import Problem

#: A JSON number longer than this is no age, year, count or identifier. Python cannot even turn an integer of
#: more than 4,300 digits into text (a ValueError, not a refusal), so such a number is never converted.
MAX_NUMBER_CHARS = 100


@dataclass(frozen=True, slots=True)
class Unreadable:
    """A JSON number kept out of the records in place of its value; `what` is told in the refusal."""

    what: str


class StrictJSON:
    """One parse of a JSON text, noting the objects that give a key twice and the numbers no list holds."""

    def __init__(self) -> None:
        # id of the object -> (the object, its keys given twice). The object is held so that its id is not
        # reused by a later one while the document is checked (a doubled key's first value is discarded).
        self.doubled: dict[int, tuple[dict, list[str]]] = {}
        self.unreadable = 0

    def loads(self, text: str):
        """The document, each number no list holds being an Unreadable in it."""
        return json.loads(text, object_pairs_hook=self._object, parse_int=self._int, parse_float=self._float,
                          parse_constant=self._constant)

    def _object(self, pairs: list[tuple[str, object]]) -> dict:
        found = dict(pairs)
        if len(found) != len(pairs):
            seen: set[str] = set()
            twice: list[str] = []
            for key, _ in pairs:
                if key in seen and key not in twice:
                    twice.append(key)
                seen.add(key)
            self.doubled[id(found)] = (found, twice)
        return found

    def _refused(self, what: str) -> Unreadable:
        self.unreadable += 1
        return Unreadable(what)

    def _int(self, text: str) -> int | Unreadable:
        if len(text) > MAX_NUMBER_CHARS:
            return self._refused(f"a number of {len(text.lstrip('-')):,} digits")
        return int(text)

    def _float(self, text: str) -> float | Unreadable:
        if len(text) > MAX_NUMBER_CHARS:
            return self._refused(f"a number of {sum(char.isdigit() for char in text):,} digits")
        number = float(text)
        return number if math.isfinite(number) else self._refused(f"the number {text}, too large to be read")

    def _constant(self, text: str) -> Unreadable:
        return self._refused(f"{text}, which is not a JSON number")

    def top_problems(self, file: str, document) -> list[Problem]:
        """The keys the top-level object ({"records": [...]}) gives twice: which of its values is meant is unknown."""
        if not isinstance(document, dict) or id(document) not in self.doubled:
            return []
        return [Problem(file, None, key, f"key {key!r} is given twice in the top-level object; give it once")
                for key in self.doubled[id(document)][1]]

    def record_problems(self, file: str, records: list, where: str) -> list[Problem]:
        """Each record's keys given twice and numbers no list holds, told at the record's position and key."""
        if not self.doubled and not self.unreadable:
            return []
        problems = []
        for index, record in enumerate(records, start=1):
            if not isinstance(record, dict):
                continue
            place = f"{where}[{index - 1}]"
            if id(record) in self.doubled:
                problems += [Problem(file, index, key, (
                    f"key {key!r} is given twice in {place}; a record gives each key once (which value is meant?)"))
                    for key in self.doubled[id(record)][1]]
            if self.unreadable:
                problems += [Problem(file, index, key, (
                    f"{place}.{key} is {value.what}; a value is text or a number of at most {MAX_NUMBER_CHARS} "
                    "characters (write it as text if it is meant)"))
                    for key, value in record.items() if isinstance(value, Unreadable)]
        return problems
