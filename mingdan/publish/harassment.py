"""Harassment in the accounting and the release: counts only, by year and kind, with small cells suppressed.

A relation, a relative's name and any detail of one person's harassment never leave through
here: the accounting section holds counts, and the release's `harassment_by_year` holds counts
per year and kind whose cells of fewer than `min_cell` people are hidden together with their
events (an events count of 9 may be one person's nine visits by police), and complemented along
the year so that the year's total does not give them back.
"""

from __future__ import annotations

import datetime as dt

from mingdan.store.case import Case
from mingdan.store.lens import Lens

from .disclosure import suppress
from .opendata import HIDDEN

#: The rows of a year that are not a kind: every kind together, events surely within the window of 4 June,
#: and events dated with doubt in that year (2019?), which are in none of the year's other rows.
ALL, AROUND, UNCERTAIN = "all", "around_4_june", "uncertain_date"
#: Harassment kinds in the release's order (the store's vocabulary); a sealed kind is counted as "withheld".
KIND_ORDER = ("surveillance", "house_arrest", "administrative_detention", "criminal_detention", "forced_travel",
              "travel_ban", "passport_refused", "loss_of_employment", "loss_of_pension", "threats", "police_visit",
              "eviction", "pressure_on_relatives", "communication_cut", "other", "unspecified", "withheld")


def harassment_section(case: Case, as_of: dt.date, lens: Lens | None = None) -> dict:
    """The accounting's harassment section: counts per year and kind, families, restrictions on the day; no person.

    Empty for a reader below editor (Lens.families false): what a relative suffered, and which
    harassed people are relatives, would otherwise change what such a reader sees.
    """
    from mingdan.track.harassment import harassment_report

    if lens is not None and not lens.families:
        return {"years": [], "shown": False}

    report = harassment_report(case, as_of=as_of, lens=lens, with_names=False)
    years = report["years"]
    restricted = report["restricted"]
    return {
        "shown": True, "years": years,
        "events": sum(y["events"] for y in years), "undated_events": report["undated_events"],
        "uncertain_date_events": sum(y["uncertain_date"]["events"] for y in years),
        "anniversary_events": sum(y["anniversary"]["events"] for y in years),
        "window_days": report["window_days"],
        "families": len(report["families"]),
        "relatives": len({r["person"] for f in report["families"] for r in f["relatives"]}),
        "restricted": sum(r["status"] == "restricted" for r in restricted),
        "possibly_restricted": sum(r["status"] == "unknown" for r in restricted),
        "unconfirmed": sum(bool(r["flags"]) for r in restricted),
        "longest_days": report["longest"][0]["days"] if report["longest"] else None,
    }


def release_rows(section: dict, threshold: int) -> list[dict]:
    """harassment_by_year: per year its total, its events around 4 June and each kind, small cells hidden."""
    people = {str(y["year"]): y["people_by_kind"] for y in section["years"]}
    events = {str(y["year"]): y["by_kind"] for y in section["years"]}
    # Decided on people: a cell is hidden when 1..threshold-1 people are in it, whatever its events.
    shown = suppress({year: people.get(year, {}) for year in events}, threshold, columns_summed=False)
    rows = []
    for y in section["years"]:
        year = str(y["year"])
        small = 0 < y["people"] < threshold
        rows.append(_row(y["year"], ALL, y["people"], y["events"], small))
        around = y["anniversary"]
        rows.append(_row(y["year"], AROUND, around["people"], around["events"],
                         small or 0 < around["people"] < threshold))
        kinds = sorted(y["by_kind"], key=lambda k: (KIND_ORDER.index(k) if k in KIND_ORDER else len(KIND_ORDER), k))
        for kind in kinds:
            hidden = small or shown.get(year, {}).get(kind) is None
            rows.append(_row(y["year"], kind, people[year][kind], events[year][kind], hidden))
        doubt = y.get("uncertain_date") or {"people": 0, "events": 0}
        if doubt["events"]:
            # Outside the year's total, so no complement is needed: hidden on its own people alone.
            rows.append(_row(y["year"], UNCERTAIN, doubt["people"], doubt["events"], 0 < doubt["people"] < threshold))
    return rows


def _row(year: int, kind: str, people: int, events: int, hidden: bool) -> dict:
    return {"year": year, "kind": kind, "people": HIDDEN if hidden else people, "events": HIDDEN if hidden else events}
