"""Harassment in the accounting and the release: counts only, by year and kind, with small cells suppressed.

A relation, a relative's name and any detail of one person's harassment never leave through
here: the accounting section holds counts, and the release's `harassment_by_year` holds counts
per year and kind whose cells of fewer than `min_cell` people are hidden together with their
events (an events count of 9 may be one person's nine visits by police), with complements chosen
by suppression.py so that nothing published gives them back.
"""

from __future__ import annotations

import datetime as dt

from mingdan.store.case import Case
from mingdan.store.lens import Lens


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


def harassment_rows(section: dict) -> list[dict]:
    """harassment_by_year with its true counts: per year its total, its events around 4 June and each kind."""
    rows = []
    for y in section["years"]:
        around = y["anniversary"]
        rows.append({"year": y["year"], "kind": ALL, "people": y["people"], "events": y["events"]})
        rows.append({"year": y["year"], "kind": AROUND, "people": around["people"], "events": around["events"]})
        kinds = sorted(y["by_kind"], key=lambda k: (KIND_ORDER.index(k) if k in KIND_ORDER else len(KIND_ORDER), k))
        rows += [{"year": y["year"], "kind": kind, "people": y["people_by_kind"][kind], "events": y["by_kind"][kind]}
                 for kind in kinds]
        doubt = y.get("uncertain_date") or {"people": 0, "events": 0}
        if doubt["events"]:
            # Outside the year's total (suppression.py keeps it out of the kinds' sums).
            rows.append({"year": y["year"], "kind": UNCERTAIN, "people": doubt["people"], "events": doubt["events"]})
    return rows


def release_rows(section: dict, threshold: int) -> list[dict]:
    """harassment_by_year on its own, small cells and their complements hidden (a release decides on all tables
    together, suppression.suppress_tables; this is for a figure drawn without a release)."""
    from .suppression import suppress_tables

    tables = {"harassment_by_year": harassment_rows(section)}
    suppress_tables(tables, threshold)
    return tables["harassment_by_year"]
