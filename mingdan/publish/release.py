"""A public release: open data with disclosure control, a static report, a signed manifest."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from collections import defaultdict
from pathlib import Path

from mingdan.store.case import Case
from mingdan.store.categories import CATEGORY_EVENTS
from mingdan.store.lens import Lens, event_types_q
from mingdan.track.victims import accounting_people
from mingdan.version import code_version

from .account import accounting
from .disclosure import nameable_people
from .harassment import harassment_rows
from .hidden_cells import keep, kept
from .opendata import OPEN, SIZE_WITHHELD, is_hidden
from .protection import ProtectionError
from .public_ids import PublicIds
from .suppression import suppress_tables

#: Event type -> the category it puts a record in.
EVENT_CATEGORY = {event: category for category, events in CATEGORY_EVENTS.items() for event in events}


class ReleaseError(Exception):
    """The release cannot be made as asked; the message says why."""


def publish(case: Case, out: Path, as_of: dt.date | None = None, previous: Path | None = None,
            find_previous: bool = True, license: str | None = None) -> dict:
    """Write a release folder: data/, report/ (HTML, PDF), changes.json against the previous release, manifest.

    license: the open data's licence (an SPDX id), recorded in the case for later releases; without
    it the case's [publish] license is used, and with neither the release is refused.
    """
    from .changes import compare, complete_files, previous_release, record_release, summary
    from .licence import LicenceNeeded, resolve

    out = Path(out)
    if out.exists() and any(out.iterdir()):
        raise ReleaseError(f"{out} is not empty: a release is written into a new folder")
    if previous is not None and not (Path(previous) / "manifest.json").is_file():
        raise ReleaseError(f"--previous {previous} is not a release folder (no manifest.json)")
    try:
        licence = resolve(case, license)
    except LicenceNeeded as exc:
        raise ReleaseError(str(exc)) from None
    if previous is None and find_previous:
        previous = previous_release(case, out)
    threshold = int(case.setting("disclosure", "min_cell", 5))
    account = accounting(case, as_of)
    consenting, withheld = nameable_people()
    allowed, withheld = _of_the_accounting(consenting, withheld)
    _refuse_reexposure(case, allowed)
    named, listed = _named_people(allowed, PublicIds(case))
    claim_columns = ("metric", "scope", "as_of", "minimum", "best", "maximum", "qualifier", "source", "cited_in",
                     "verification")
    tables = {
        "named_people": named,
        "counts_by_place": _counts_by_place(),
        "accounting": _accounting_rows(account),
        "count_claims": [{k: c[k] for k in claim_columns}
                         for c in [*(c for entry in account["categories"] for c in entry["claims"]),
                                   *account["unassigned_claims"]]],
        "harassment_by_year": harassment_rows(account["harassment"]),
        # A list of relatives is published without its size (SOURCE_BLANK), outside disclosure control.
        "sources": [{"source": s["source"], "kind": s["kind"],
                     "records": SIZE_WITHHELD if s["family_list"] else s["records"], "versions": s["versions"],
                     "blank_cells": SOURCE_BLANK[s["family_list"]] if s["family_list"] else ""}
                    for s in account["sources"]],
    }
    # Every count of every table at once, with the previous release: a hidden cell must not come back from any.
    earlier = kept(case, previous) if previous is not None else None
    try:
        outcome = suppress_tables(tables, threshold, previous, _people_added(case, previous, tables["named_people"]),
                                  earlier)
    except ProtectionError as exc:  # refused before anything is written
        raise ReleaseError(f"refused: {exc}") from None
    for row in tables["counts_by_place"]:
        row["blank_cells"] = BLANK["en"].format(t=threshold) if any(is_hidden(row[c]) for c in CATEGORY_EVENTS) else ""
    for row in tables["sources"]:
        if is_hidden(row["records"]):
            row["blank_cells"] = SOURCE_BLANK["suppressed"].format(t=threshold)
    (out / "data").mkdir(parents=True)
    _write_data(out / "data", tables, threshold, case, licence, account["linked"])
    changes = compare(previous, out, "" if find_previous else "no comparison asked for (--no-previous)",
                      PublicIds(case))
    from .report import write_report

    figures = write_report(out / "report", account, tables, threshold, case, changes, licence)
    from .pdf import print_report

    pdf = print_report(out / "report")
    complete_files(changes, previous, out)
    (out / "changes.json").write_text(json.dumps(changes, indent=2, ensure_ascii=False) + "\n", "utf-8")
    manifest = _manifest(out, case, account, {"changes": summary(changes), "pdf": pdf, "figures": figures,
                                              "license": licence})
    from .signing import sign

    sign(case, out)
    keep(case, manifest["release_sha256"], outcome.values)
    _record_release(case, out, listed)
    record_release(case, out, manifest)
    # The people named are the rows of named_people.csv: a consenting person in none of the accounting's
    # categories (a harassed relative) may be named but is not listed, and is not counted as named.
    return {"out": str(out), "files": len(manifest["files"]), "named": len(named), "withheld": len(withheld),
            "not_listed": len(consenting) - len(listed),
            "threshold": threshold, "sha256": manifest["release_sha256"], "changes": summary(changes), "pdf": pdf,
            "figures": figures, "license": licence, "linked": account["linked"],
            "previous_hidden_known": previous is None or earlier is not None,
            "unlinked_records": account["unlinked_records"]}


def _write_data(folder: Path, tables: dict[str, list[dict]], threshold: int, case: Case, licence: dict,
                linked: bool = True) -> None:
    """The tables as CSV, SQLite and datapackage.json, and Datasette's metadata for serve-public."""
    from .opendata import tables as described
    from .opendata import write_csv, write_datapackage, write_datasette_metadata, write_sqlite

    schema = described(threshold, linked)
    for name, rows in tables.items():
        write_csv(folder / f"{name}.csv", rows, schema[name][2])
    write_sqlite(folder / "public.sqlite", tables, schema)
    title = f"{case.name}: public accounting"
    publisher, source_url = case.setting("publish", "publisher", ""), case.setting("publish", "source_url", "")
    write_datapackage(folder, tables, schema, title, licence, publisher, source_url)
    write_datasette_metadata(folder / "datasette.json", schema, title, licence, publisher, source_url)


def _of_the_accounting(allowed: dict[str, dict], withheld: dict[str, str]) -> tuple[dict[str, dict], dict[str, str]]:
    """Only the people of the accounting's categories, restricted events included, are named or told as withheld.

    A consenting relative who was harassed and nothing else would stand in named_people with no category,
    which tells why they are in the case at all; and counting them among the named or the withheld would
    make the printed numbers disagree with the table.
    """
    victims = accounting_people(Lens.everything())
    return ({p: info for p, info in allowed.items() if p in victims},
            {p: why for p, why in withheld.items() if p in victims})


def _named_people(allowed: dict[str, dict], public: PublicIds) -> tuple[list[dict], set[str]]:
    """One row per person who may be named and is in a category: the display name, every written form by
    script, categories; and the internal keys of the people listed.

    A linked person by their person id, an unlinked record by its public R- id, never SOURCE:RECORD.
    """
    from mingdan.names.display import COLUMNS
    from mingdan.store.models import Event

    categories: dict[int, set[str]] = defaultdict(set)
    records = [r for person in allowed.values() for r in person["records"]]
    # Beside a name only public event types: a restricted one may be counted, never tied to a person.
    lens = Lens(("public",))
    for start in range(0, len(records), 5000):
        for record, event, level in Event.objects.filter(
                event_types_q(lens, EVENT_CATEGORY), record_id__in=records[start:start + 5000],
                superseded_in__isnull=True).values_list("record_id", "event_type", "type_sensitivity"):
            categories[record].add(EVENT_CATEGORY[lens.value(event, level)])
    rows, listed = [], set()
    for person, info in allowed.items():
        display = info["display"]
        found = [c for c in CATEGORY_EVENTS if any(c in categories[r] for r in info["records"])]
        rows.append({"person_id": public(person, info["linked"]), "name": display.name, "name_characters": " | ".join(display.characters),
                     **{f"name_{column}": " | ".join(display.romanizations.get(column, ())) for column in COLUMNS},
                     "categories": "|".join(found), "sources": info["sources"]})
        listed.add(person)
    return sorted(rows, key=lambda row: row["person_id"]), listed


#: Why a count_by_place cell is blank, per release language.
BLANK = {"en": "blank cells are suppressed: fewer than {t} people, or hidden so that no published number gives "
               "such a count back, or grown by fewer than {t} since the previous release while people were newly "
               "named",
         "zh": "空格为不公布的计数：少于{t}人，或为防止由总数反推而一并隐去"}
#: Why a source's records cell is blank: a list of relatives (account._sources' family_list), or suppressed.
SOURCE_BLANK = {
    "kind": "withheld: a list of victims' families (kind family); its size would count relatives",
    "relations": "withheld: the list ties its people to others (relatives, witnesses, lawyers); its size would "
                 "count them",
    "suppressed": "suppressed: fewer than {t} records, or grown by fewer than {t} since the previous release while "
                  "people were newly named"}
NOT_STATED = ("(place not stated)", "（地点未注明）")
#: Places a source named but held as restricted are counted, never named.
WITHHELD = ("(place withheld)", "（地点不公开）")
#: A row of a city, a province, or a place other rows lie within: it counts only the events whose place was
#: given as it and nothing finer (docs/places.md), and says so, in English and by level in Chinese.
NO_FINER = "{name} (no finer place stated)"
NO_FINER_ZH = {"municipality": "{name}（未注明区）", "province": "{name}（未注明市县）", "prefecture": "{name}（未注明区县）",
               "county": "{name}（未注明更具体的地点）", "area": "{name}（未注明更具体的地点）"}


def _counts_by_place() -> list[dict]:
    """People per place and category, one row per gazetteer entry (木樨地, Muxidi and Mùxīdì are one row),
    with its name in English and Chinese; a place the gazetteer does not know is one row per reading."""
    from collections import Counter

    from mingdan.linkage.fields import PlaceColumns
    from mingdan.store.case import opened_places_file
    from mingdan.store.models import Event, Record

    person_of = {pk: person or f"{s}:{rid}" for pk, person, s, rid in
                 Record.objects.values_list("pk", "person__person_id", "source__name", "record_id")}
    wanted = {event: category for category, events in CATEGORY_EVENTS.items() for event in events}
    lens = Lens.everything()
    # A restricted or secret place is never published, not even as a key: it is counted as withheld.
    events = [(record, wanted[lens.value(event, level)], place, place_level) for record, event, level, place, place_level
              in Event.objects.filter(event_types_q(lens, wanted), superseded_in__isnull=True).values_list(
                  "record_id", "event_type", "type_sensitivity", "place", "place_sensitivity")]
    reader = PlaceColumns(opened_places_file(), [place for _, _, place, level in events
                                                 if place and level == "public" and not place.startswith("enc1:")])
    seen = defaultdict(set)
    written: dict[str, Counter] = defaultdict(Counter)
    for record, category, place, place_level in events:
        if place and (place_level != "public" or place.startswith("enc1:")):
            key = "(withheld)"
        else:
            key = reader.columns(place)["place_key"] or "(not stated)"
            if key.startswith("~"):
                written[key][place.strip()] += 1
        seen[(key, category)].add(person_of[record])
    table: dict[str, dict[str, int]] = defaultdict(dict)
    for (place, category), persons in seen.items():
        table[place][category] = len(persons)
    published = table
    gazetteer = reader.gazetteer
    holding = {outer for key in published if gazetteer.get(key) for outer in gazetteer.get(key).lineage if outer != key}
    rows = []
    for key in sorted(published):
        english, chinese = _place_names(key, gazetteer, written, coarse=key in holding)
        # A category nobody at any place is in is absent from the table: its cells are 0, not suppressed.
        cells = {c: published[key].get(c, 0) for c in CATEGORY_EVENTS}
        rows.append({"place_id": key, "place": english, "place_zh": chinese, **cells, "blank_cells": ""})
    return rows


def _place_names(key: str, gazetteer, written: dict, coarse: bool = False) -> tuple[str, str]:
    """The row's place in English and in Chinese; a city, a province or a place other rows lie in says that
    no finer place was stated ("Beijing (no finer place stated)", 北京市（未注明区）)."""
    if key == "(not stated)":
        return NOT_STATED
    if key == "(withheld)":
        return WITHHELD
    if key.startswith("~"):
        # Not in the gazetteer: as the sources wrote it most often (add it to the case's places.csv to name it).
        shown = written[key].most_common(1)[0][0]
        return shown, shown
    entry = gazetteer.get(key)
    english, chinese = entry.display("en"), entry.display("zh")
    if coarse or entry.level in ("province", "prefecture"):
        from mingdan.places.gazetteer import MUNICIPALITIES

        level = "municipality" if key in MUNICIPALITIES else entry.level
        return NO_FINER.format(name=english), NO_FINER_ZH.get(level, NO_FINER_ZH["area"]).format(name=chinese)
    return english, chinese


def _accounting_rows(account: dict) -> list[dict]:
    """One row per category with its true counts (suppress_tables hides what must be hidden)."""
    rows = []
    for entry in account["categories"]:
        named, estimate, span = entry["named"]["people"], entry["estimate"], entry["claims_range"]
        by = entry["named"]["by_sources"]
        possibly = entry.get("possibly")
        rows.append({"category": entry["category"], "named_people": named,
                     "named_by_1_source": by["1"], "named_by_2_sources": by["2"], "named_by_3_or_more_sources": by["3+"],
                     "status_unknown": possibly["people"] if possibly else None,
                     "claims": span["claims"], "claims_low": OPEN if span["low_open"] else span["low"],
                     "claims_high": OPEN if span["high_open"] else span["high"],
                     "official": "; ".join(c["figure"] for c in entry["official"]) or None,
                     "estimate": round(estimate["estimate"]) if estimate else None,
                     "estimate_lower": round(estimate["lower"]) if estimate else None,
                     "estimate_upper": round(estimate["upper"]) if estimate else None,
                     "estimate_method": estimate["method"] if estimate else None})
    return rows


def _people_added(case: Case, previous: Path | None, named: list[dict]) -> bool:
    """Whether this release names anyone the previous one did not (a small change could then be tied to them)."""
    if previous is None:
        return False
    from .changes import _rows

    public = PublicIds(case)
    before = {public.of_published(row["person_id"]) for row in _rows(Path(previous), "named_people")}
    return any(row["person_id"] not in before for row in named)


def _manifest(out: Path, case: Case, account: dict, extra: dict) -> dict:
    from mingdan.store.models import Document, Estimate

    files = {}
    for path in sorted(p for p in out.rglob("*") if p.is_file()):
        files[str(path.relative_to(out))] = hashlib.sha256(path.read_bytes()).hexdigest()
    manifest = {
        "created": dt.datetime.now(dt.timezone.utc).replace(microsecond=0).isoformat(),
        "as_of": account["as_of"], "code_version": code_version(), "files": files,
        "inputs": sorted(Document.objects.values_list("sha256", flat=True)),
        "estimates": [{"category": e.category, "method": e.method, "settings": e.settings,
                       "input_sha256": e.input_sha256, "code_version": e.code_version}
                      for e in Estimate.objects.order_by("id")],
        **extra,
    }
    manifest["release_sha256"] = hashlib.sha256(json.dumps(files, sort_keys=True).encode()).hexdigest()
    (out / "manifest.json").write_text(json.dumps(manifest, indent=2, ensure_ascii=False) + "\n", "utf-8")
    return manifest


def _refuse_reexposure(case: Case, allowed: dict[str, dict]) -> None:
    """A name published before whose consent is now withdrawn must not be published again."""
    from .disclosure import consent_by_record

    history = case.releases_dir / "published_names.json"
    if not history.exists():
        return
    earlier = json.loads(history.read_text("utf-8"))
    consent = consent_by_record()
    withdrawn = [pid for pid, info in allowed.items() if pid in earlier and any(
        consent.get(r) == "withdrawn" for r in info["records"])]
    if withdrawn:
        raise ReleaseError(f"refused: {len(withdrawn)} name(s) published before now have withdrawn consent")


def _record_release(case: Case, out: Path, listed: set[str]) -> None:
    """Record the people this release names (only those in named_people.csv) for later releases' checks."""
    history = case.releases_dir / "published_names.json"
    earlier = json.loads(history.read_text("utf-8")) if history.exists() else {}
    for pid in sorted(listed):
        earlier.setdefault(pid, str(out))
    case.releases_dir.mkdir(exist_ok=True)
    history.write_text(json.dumps(earlier, indent=0) + "\n", "utf-8")
