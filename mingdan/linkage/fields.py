"""What the frame compares beyond names: places read by the gazetteer, ages as ranges, events on one timeline.

Sources write evidence loosely: "约40" or "40多岁" for an age, "arrested" where another list says
"detained" on the same custody history, "Haidian District" where another wrote "北京市海淀区". Each
is turned here into columns the model compares as ranges, timelines and gazetteer levels.
"""

from __future__ import annotations

import re
from pathlib import Path

#: Events of one history: a source's "arrested" is another's "detained"; "killed" and "died of wounds".
EVENT_FAMILY = {
    "detained": "custody", "arrested": "custody", "tried": "custody", "sentenced": "custody", "commuted": "custody",
    "reduced": "custody", "paroled": "custody", "released": "custody", "escaped": "custody",
    "died_in_custody": "custody", "killed": "death", "injured": "death", "disappeared": "missing",
    "harassed": "harassment",
}
#: Events a dead person can no longer have (a detention, a trial, a release, being injured), and the events that end a
#: life (contradictions.after_death). Not a disappearance: a family reports missing someone another list already
#: has dead, and a list of the missing may date the report, not the last sighting.
ALIVE_EVENTS = ("detained", "arrested", "tried", "sentenced", "commuted", "reduced", "paroled", "released", "escaped",
                "injured")
DEATH_EVENTS = ("killed", "died_in_custody")
#: How wide an age written as approximate is taken to be ("约40": 35 to 45).
APPROXIMATE_AGE_SPREAD = 5
_AGE_DECADE = re.compile(r"(\d{1,3})\s*(?:多|余|餘|几|幾|\+|s\b)")


def age_range(raw: str | None, kind: str | None, low: float | None, high: float | None) -> tuple[float, float] | None:
    """The ages a claim allows: exact 23 -> (23, 23); range 20-25 -> (20, 25); "约40" -> (35, 45); "40多岁" -> (40, 49)."""
    if low is None:
        return None
    high = low if high is None else high
    if kind == "approximate":
        decade = _AGE_DECADE.search(raw or "")
        if decade and int(decade.group(1)) % 10 == 0:
            return float(decade.group(1)), float(decade.group(1)) + 9
        return low - APPROXIMATE_AGE_SPREAD, high + APPROXIMATE_AGE_SPREAD
    return float(low), float(high)


class PlaceColumns:
    """The gazetteer columns of places, read with the focus of the whole case (a Beijing case's 朝阳区 is Beijing's)."""

    def __init__(self, case_places: Path | None, sample: list[str]):
        from mingdan.places import load_gazetteer, resolve_places

        self.gazetteer = load_gazetteer(*([case_places] if case_places else []))
        read = resolve_places(sample, self.gazetteer)
        self.focus = _focus(read, self.gazetteer)
        self._cache: dict[str, dict] = {}

    def columns(self, text: str | None) -> dict:
        """place_key (entry id, or ~reading when unknown), its lineage, district and city ids, and a blocking key."""
        if not text:
            return EMPTY_PLACE
        known = self._cache.get(text)
        if known is None:
            from mingdan.places import parse_place

            place = parse_place(text, self.gazetteer, self.focus)
            known = self._cache[text] = self._describe(place)
        return known

    def _describe(self, place) -> dict:
        if place is None or place.key is None:
            return EMPTY_PLACE
        entry = place.entry_id
        if entry is None:
            # Unknown to the gazetteer (or two places of one name): compared by its reading, as before.
            return {"place_key": place.key, "place_lineage": [place.key], "place_district": [], "place_city": [],
                    "place_block": place.key}
        district = sorted(self.gazetteer.district_of(entry))
        city = sorted(self.gazetteer.city_of(entry))
        return {"place_key": entry, "place_lineage": sorted(self.gazetteer.entries[entry].lineage),
                "place_district": district, "place_city": city,
                "place_block": district[0] if district else city[0] if city else entry}


EMPTY_PLACE = {"place_key": None, "place_lineage": None, "place_district": None, "place_city": None,
               "place_block": None}
PLACE_COLUMNS = tuple(EMPTY_PLACE)


def _focus(read: dict, gazetteer) -> frozenset:
    from collections import Counter

    provinces = Counter()
    for place in read.values():
        if place and place.entry_id:
            provinces.update(pid for pid in gazetteer.entries[place.entry_id].lineage
                             if gazetteer.entries[pid].level == "province")
    return frozenset({provinces.most_common(1)[0][0]}) if provinces else frozenset()
