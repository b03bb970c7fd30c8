"""The release's open data: every table as CSV, in one SQLite file and described by datapackage.json.

Every column has a title, a type and a description. A cell without a number says why: in CSV
it holds `suppressed` (hidden by disclosure control) or `none` (no such value); in SQLite it is
NULL, and each column's description says which of the two a NULL means there. Numbers are
stored as INTEGER in SQLite. Names are searchable in Datasette (`?_search=`) through an FTS5
table whose keys also hold each name's characters one by one and its pinyin.
"""

from __future__ import annotations

import csv
import json
import sqlite3
from dataclasses import dataclass
from pathlib import Path

from mingdan.store.categories import CATEGORY_EVENTS

from .disclosure import neutralise

SUPPRESSED, NONE = "suppressed", "none"


class _Hidden:
    """A cell hidden by disclosure control (None is a value that does not exist)."""

    def __init__(self, why: str):
        self.why = why

    def __repr__(self) -> str:
        return SUPPRESSED


class Marker:
    """A cell that holds no number and says why, outside disclosure control's hidden cells (is_hidden is false)."""

    def __init__(self, text: str):
        self.text = text

    def __repr__(self) -> str:
        return self.text


#: The open end of the claims' span: "at least 3" gives no highest figure, "at most 525" no lowest.
OPEN = Marker("open")
#: A count never published, whatever its size: the number of records of a list of relatives (sources.csv).
SIZE_WITHHELD = Marker("withheld")


#: A small count (1..min_cell-1): "fewer than 5". A complement, of any size at or above min_cell, hidden so
#: that no other published number gives a small one back (or grown by a small amount since the last release): "—".
HIDDEN, COMPLEMENT = _Hidden("small"), _Hidden("complement")


def is_hidden(value) -> bool:
    """Whether a cell is hidden by disclosure control, small or complementary."""
    return isinstance(value, _Hidden)


def hide(value: int | None) -> int | _Hidden:
    """The value, or HIDDEN where disclosure control returned None for it."""
    return HIDDEN if value is None else value


def plain(value):
    """The value as stored in SQLite: NULL for a hidden cell, a marker and a cell with no value."""
    return None if is_hidden(value) or isinstance(value, Marker) or value == "" else value


@dataclass(frozen=True)
class Column:
    """One published column."""

    name: str
    type: str  # string or integer
    title: str
    description: str
    #: Words the column holds besides suppressed and none (declared as missing values of its table).
    markers: tuple[str, ...] = ()


def _count(name: str, title: str, what: str, threshold: int, more: str = "", markers: tuple[str, ...] = ()) -> Column:
    return Column(name, "integer", title, f"{what}. '{SUPPRESSED}' (NULL in public.sqlite): hidden by disclosure "
                                          f"control, because it is between 1 and {threshold - 1}, or to protect "
                                          "such a count (no published number, in any table or the previous release, "
                                          "gives it back), or because it grew by fewer than "
                                          f"{threshold} since the previous release while people were newly named."
                                          + more, markers)


def tables(threshold: int, linked: bool = True) -> dict[str, tuple[str, str, list[Column]]]:
    """Each table: its title, its description and its columns (linked false: no record was linked)."""
    absent = f"'{NONE}' (NULL in public.sqlite) when there is none."
    names = [
        Column("person_id", "string", "Person", "The person's public identifier in this case: a linked person "
               "(P-…), or R- and 16 hex digits for a record not linked to a person (a keyed hash, the same in every "
               "release of the case; never the source's own record id)."),
        Column("name", "string", "Name", "The name as a source wrote it: in Chinese characters wherever any source "
               "wrote it in characters (the form most sources wrote), else the romanization most sources wrote. "
               "The same choice as the web application's."),
        Column("name_characters", "string", "Name in characters", "Every form in Chinese characters that a source "
               "wrote (simplified, traditional), separated by ' | '; " + absent),
        Column("name_pinyin", "string", "Pinyin", "Forms written in Hanyu Pinyin (with or without tone marks; "
               "a form without them counts as pinyin when every word splits into pinyin syllables, a surname's "
               "pinyin comes first or last, and a given name written syllable by syllable (Feng-chi) holds a "
               "syllable Wade-Giles and Hong Kong spellings cannot write), separated by ' | '; " + absent),
        Column("name_wade_giles", "string", "Wade-Giles", "Forms written in Wade-Giles, separated by ' | '; " + absent),
        Column("name_cantonese", "string", "Cantonese romanization", "Forms written in a Cantonese romanization "
               "(Hong Kong government spelling, Jyutping), separated by ' | '; " + absent),
        Column("name_latin", "string", "Other Latin spelling", "Forms in Latin letters whose romanization system "
               "could not be told (Chou Feng-chi may be Wade-Giles or pinyin), separated by ' | '; " + absent),
        Column("categories", "string", "Categories", "The categories the person's records put them in ("
               + ", ".join(CATEGORY_EVENTS) + "), separated by '|'."),
        Column("sources", "integer", "Sources", "How many sources name the person."),
    ]
    places = [
        Column("place_id", "string", "Place id", "The gazetteer entry the lists' places were read as (one row however "
               "a place is written: 木樨地, Muxidi and Mùxīdì are one); '~' and a reading for a place the gazetteer "
               "does not know; '(withheld)' for places a source holds as restricted (counted, never named); "
               "'(not stated)' for events with no place."),
        Column("place", "string", "Place", "The place's name in English (the gazetteer's, or as the lists wrote it). "
               "Places are not added up into the places they lie in: a row of a city or province, or of a place "
               "other rows lie within, counts only the events whose place was given as it and nothing finer, and "
               "says so ('Beijing (no finer place stated)'; 'Haidian District' beside it counts its own events)."),
        Column("place_zh", "string", "Place (Chinese)", "The place's name in Chinese characters, said the same way "
               "(北京市（未注明区）)."),
    ] + [
        _count(category, category.replace("_", " ").capitalize(), f"People {category.replace('_', ' ')} at this place",
               threshold) for category in CATEGORY_EVENTS] + [
        Column("blank_cells", "string", "Why cells are blank", "Says why a count of this row is blank (suppressed "
               "below the threshold, or hidden with such a cell); empty when none is."),
    ]
    accounting = [
        Column("category", "string", "Category", "killed, died_in_custody, detained, imprisoned (still imprisoned on "
               "the release's as-of day: custody status 'held'), missing."),
        _count("named_people", "Named people", "Distinct people named in the category, after linking" if linked else
               "Records naming someone in the category: the records were not linked, so a person named by several "
               "lists counts once per list", threshold),
        _count("named_by_1_source", "Named by 1 source", "Of them, people named by exactly one source", threshold),
        _count("named_by_2_sources", "Named by 2 sources", "Of them, people named by exactly two sources", threshold),
        _count("named_by_3_or_more_sources", "Named by 3+ sources", "Of them, people named by three sources or more",
               threshold),
        Column("status_unknown", "integer", "Status unknown", "For 'imprisoned' only: people whose custody status on "
               "the as-of day is not known (possibly held), counted beside the held. '" + SUPPRESSED + "' when "
               f"between 1 and {threshold - 1}; '{NONE}' for the other categories."),
        Column("claims", "integer", "Published claims", "How many published count claims speak of the category, "
               "retracted ones left out."),
        Column("claims_low", "integer", "Lowest claim", "The lowest figure those claims give as their lower end "
               f"(a minimum, or a single figure); '{NONE}' (NULL in public.sqlite) when there is no claim; "
               f"'{OPEN.text}' (NULL in public.sqlite, where claims is then above 0) when a claim gives only a "
               "maximum ('at most 525'): the claims' span is open below, and no lowest figure is published.",
               markers=(OPEN.text,)),
        Column("claims_high", "integer", "Highest claim", "The highest figure those claims give as their upper end "
               f"(a maximum, or a single figure); '{NONE}' (NULL in public.sqlite) when there is no claim; "
               f"'{OPEN.text}' (NULL in public.sqlite, where claims is then above 0) when a claim gives only a "
               "minimum ('at least 3'): the claims' span is open above, and no highest figure is published "
               "(3 is not the highest claim when a claim says 3 or more).", markers=(OPEN.text,)),
        Column("official", "string", "Official figure", "The figures of sources of kind 'official', as published, "
               "separated by '; '; " + absent),
        Column("estimate", "integer", "Estimated total", "The statistical estimate of the total, named and unnamed "
               "(posterior median or MLE); " + absent),
        Column("estimate_lower", "integer", "Estimate, lower bound", "Lower bound of its 95% interval; " + absent),
        Column("estimate_upper", "integer", "Estimate, upper bound", "Upper bound of its 95% interval; " + absent),
        Column("estimate_method", "string", "Estimation method", "lcmcr, dga or loglinear; " + absent),
    ]
    stated = f"'{NONE}' (NULL in public.sqlite) when the source did not give it."
    claims = [
        Column("metric", "string", "Metric", "What is counted, as the claim words it (killed, detained, …)."),
        Column("scope", "string", "Scope", "Where and when the count applies."),
        Column("as_of", "string", "As of", "The day the count refers to (EDTF: 1989-06, 1989-06-06, 1990~)."),
        Column("minimum", "integer", "Minimum", "The lowest figure given; " + stated),
        Column("best", "integer", "Figure", "The single figure given; " + stated),
        Column("maximum", "integer", "Maximum", "The highest figure given; " + stated),
        Column("qualifier", "string", "Qualifier", "What the figure includes, in the source's words; " + stated),
        Column("source", "string", "Source", "Who published the figure."),
        Column("cited_in", "string", "Cited in", "Where the figure was found; " + stated),
        Column("verification", "string", "Verification", "unverified, corroborated, confirmed, contested or retracted "
               "(a retracted claim is kept and marked, never left out)."),
    ]
    sources = [
        Column("source", "string", "Source", "The list, document or publication."),
        Column("kind", "string", "Kind", "official, court, ngo, press, family or other."),
        _count("records", "Records", "Records of people the source holds (0: it gave count claims only)", threshold,
               f" '{SIZE_WITHHELD.text}' (NULL in public.sqlite), whatever its size, for a list of relatives: a source of "
               "kind family, or one that ties its people to others (mother of, witness for, …). Its size would be a "
               "count of victims' relatives, which no table publishes, and its growth beside newly named people "
               "would tell which of them may be a relative.", (SIZE_WITHHELD.text,)),
        Column("versions", "integer", "Versions", "How many versions of its file were imported."),
        Column("blank_cells", "string", "Why cells are blank", "Says why records is blank (withheld, as a list of "
               "relatives, or suppressed); empty when it is not."),
    ]
    harassment = [
        Column("year", "integer", "Year", "The year the events began (an event with no single year, 201X, is in no "
               "year; one dated with doubt, 2019?, is only in that year's 'uncertain_date' row)."),
        Column("kind", "string", "Kind", "'all' (every kind together), 'around_4_june' (events of the year that surely "
               "began within 15 days of 4 June, or began earlier that year and surely ran on 4 June), 'uncertain_date' (events whose date names the year with doubt, 2019? or "
               "2019-06~: in no other row of the year), or a kind of harassment: surveillance, "
               "house_arrest, administrative_detention, criminal_detention, forced_travel, travel_ban, "
               "passport_refused, loss_of_employment, loss_of_pension, threats, police_visit, eviction, "
               "pressure_on_relatives, communication_cut, other."),
        _count("people", "People", "Distinct people who suffered it that year (participants and victims' relatives "
               "alike; nobody is named, and no relation is published)", threshold),
        Column("events", "integer", "Events", f"Harassment events; '{SUPPRESSED}' (NULL in public.sqlite) whenever "
               f"the people of the same row are hidden: a cell of fewer than {threshold} people is hidden with its "
               "events, and other cells are hidden with them so that no published number gives them back."),
    ]
    return {
        "named_people": ("People named", "Every person whose name may be published: consent to publish granted, none "
                         "refused or withdrawn, no risk recorded. Only public name forms a source wrote.", names),
        "counts_by_place": ("People per place", "Distinct people per place of the event and category.", places),
        "accounting": ("The accounting", "Per category: people named, published claims, the official figure and the "
                       "statistical estimate, side by side, never merged.", accounting),
        "count_claims": ("Published count claims", "Every published aggregate figure with its source, as published.",
                         claims),
        "harassment_by_year": ("Harassment per year and kind", "Harassment of participants and of victims' "
                               "families, counted per year and kind: counts only, never a person, a relation or "
                               "a detail of one person's harassment.", harassment),
        "sources": ("Sources", "The sources of the case and their sizes.", sources),
    }


def _cell(value) -> str:
    if is_hidden(value):
        return SUPPRESSED
    if isinstance(value, Marker):
        return value.text
    if value is None or value == "":
        return NONE
    return neutralise(value)


def write_csv(path: Path, rows: list[dict], columns: list[Column]) -> None:
    """One table as UTF-8 CSV; a cell with no value says whether it is suppressed or there is none."""
    with open(path, "w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow([c.name for c in columns])
        for row in rows:
            writer.writerow([_cell(row.get(c.name)) for c in columns])


def write_sqlite(path: Path, data: dict[str, list[dict]], described: dict) -> None:
    """Every table with typed columns, and a full-text index of the names for Datasette's search."""
    from .search_keys import search_text

    connection = sqlite3.connect(path)
    for name, rows in data.items():
        columns = described[name][2]
        declared = ", ".join(f'"{c.name}" {"INTEGER" if c.type == "integer" else "TEXT"}' for c in columns)
        connection.execute(f'CREATE TABLE "{name}" ({declared})')
        connection.executemany(f'INSERT INTO "{name}" VALUES ({", ".join("?" * len(columns))})',
                               [[plain(row.get(c.name)) for c in columns] for row in rows])
    # Contentless: the computed search words (pinyin, Wade-Giles no source wrote) can be matched but not read back.
    connection.execute("CREATE VIRTUAL TABLE named_people_fts USING fts5(name, forms, keys, content='')")
    connection.executemany(
        "INSERT INTO named_people_fts (rowid, name, forms, keys) VALUES (?, ?, ?, ?)",
        [(index, row["name"], " | ".join(str(row[c]) for c in row if c.startswith("name_") and row[c]),
          search_text(row)) for index, row in enumerate(data["named_people"], start=1)])
    connection.commit()
    connection.execute("VACUUM")
    connection.close()


def write_datapackage(folder: Path, data: dict[str, list[dict]], described: dict, title: str, licence: dict,
                      publisher: str, source_url: str) -> None:
    """datapackage.json: every resource with its schema, titles, descriptions and missing-value markers."""
    from frictionless import Package, Resource, Schema

    package = Package(name="mingdan-release", title=title, licenses=[licence],
                      description="A public accounting made with mingdan. Cells without a number hold "
                                  f"'{SUPPRESSED}' (hidden by disclosure control) or '{NONE}' (no such value); "
                                  "a few columns also hold a word their description explains "
                                  f"('{OPEN.text}': the open end of the claims' span; '{SIZE_WITHHELD.text}': the size "
                                  "of a list of relatives, never published).")
    if publisher or source_url:
        package.sources = [{"title": publisher or source_url, **({"path": source_url} if source_url else {})}]
    for name in data:
        resource_title, description, columns = described[name]
        schema = Schema.from_descriptor({
            "fields": [{"name": c.name, "type": c.type, "title": c.title, "description": c.description}
                       for c in columns],
            "missingValues": [SUPPRESSED, NONE, *sorted({m for c in columns for m in c.markers})]})
        package.add_resource(Resource(name=name, path=f"{name}.csv", basepath=str(folder), title=resource_title,
                                      description=description, schema=schema, format="csv", encoding="utf-8"))
    package.to_json(str(folder / "datapackage.json"))


def write_datasette_metadata(path: Path, described: dict, title: str, licence: dict, publisher: str,
                             source_url: str) -> None:
    """Datasette's metadata for serve-public: titles, descriptions, licence, source, the names' search index."""
    tables_meta = {}
    for name, (table_title, description, columns) in described.items():
        tables_meta[name] = {"title": table_title, "description": description,
                             "columns": {c.name: c.description for c in columns}}
    tables_meta["named_people"].update({"fts_table": "named_people_fts", "fts_pk": "rowid",
                                        "description": tables_meta["named_people"]["description"]
                                        + " Search a name in characters, pinyin or another romanization."})
    tables_meta["named_people_fts"] = {"hidden": True}
    metadata = {"title": title, "description": "A public accounting made with mingdan: open data, read-only.",
                "license": licence["name"], "license_url": licence["path"],
                "source": publisher or title, **({"source_url": source_url} if source_url else {}),
                "databases": {"public": {"title": title, "tables": tables_meta}}}
    path.write_text(json.dumps(metadata, indent=2, ensure_ascii=False) + "\n", "utf-8")
