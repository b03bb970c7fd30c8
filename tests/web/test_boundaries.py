"""Every route of urls.py, for every role, against restricted and secret values in every kind of field.

Two cases are built that differ only in values a role may not read (world A and world B: every
restricted and secret value changed; world C: only the secret ones). A role's whole walk — every
page, JSON answer, export, facet, filter, sort and count, with filters that aim at the hidden
values — must be byte for byte the same in both (after removing CSRF tokens): if a hidden value
were shown, counted or matched anywhere, some answer would differ. In world A no answer may
contain a hidden token, or a sealed value, for a role that may not read it; and the roles that
may read them see every token and can filter on them (so the walk is not empty).

Routes are read from urls.py: a new route with a new kind of parameter fails here until this
test is told how to fill it.
"""

from __future__ import annotations

import html
import json
import re
import urllib.parse

import pytest

from .conftest import PASSWORD, ROLES

#: Per field, the hidden values of each world and level. Public values never change between worlds.
HIDDEN = {
    "name": {("A", "restricted"): "欧阳甲骞", ("B", "restricted"): "司马乙骞",
             ("A", "secret"): "诸葛丙骞", ("B", "secret"): "上官丁骞"},
    "name_variants": {("A", "restricted"): "Huangfu Qiuzhe", ("B", "restricted"): "Duanmu Lanxu",
                      ("A", "secret"): "Ximen Chuiyao", ("B", "secret"): "Nangong Yuejing"},
    "occupation": {("A", "restricted"): "lamplighterqz", ("B", "restricted"): "cartwrightqz",
                   ("A", "secret"): "glassblowerqz", ("B", "secret"): "bookbinderqz"},
    "place": {("A", "restricted"): "Xibeiwang Qzr", ("B", "restricted"): "Huilongguan Kpy",
              ("A", "secret"): "Shahe Zvxq", ("B", "secret"): "Tiantongyuan Wmq"},
    "facility": {("A", "restricted"): "Qincheng Qzfac", ("B", "restricted"): "Beiyuan Kpfac",
                 ("A", "secret"): "Yanqing Zxfac", ("B", "secret"): "Tuanhe Wmfac"},
    "notes": {("A", "restricted"): "RNOTE-A-7Q3Z", ("B", "restricted"): "RNOTE-B-8W4Y",
              ("A", "secret"): "SNOTE-A-5K2M", ("B", "secret"): "SNOTE-B-6J1N"},
    "risk": {("A", "restricted"): "RRISK-A-kq", ("B", "restricted"): "RRISK-B-kq",
             ("A", "secret"): "SRISK-A-kq", ("B", "secret"): "SRISK-B-kq"},
    "event_date": {("A", "restricted"): "1990-02-17", ("B", "restricted"): "1993-08-09",
                   ("A", "secret"): "1991-05-23", ("B", "secret"): "1994-12-01"},
    "birth": {("A", "restricted"): "1951-03-07", ("B", "restricted"): "1947-11-23",
              ("A", "secret"): "1953-09-14", ("B", "secret"): "1949-01-30"},
    "sentence": {("A", "restricted"): "P17Y3M", ("B", "restricted"): "life",
                 ("A", "secret"): "P9Y7M", ("B", "secret"): "death-reprieve P2Y"},
    "age": {("A", "restricted"): "33", ("B", "restricted"): "71", ("A", "secret"): "44", ("B", "secret"): "62"},
    "sex": {("A", "restricted"): "male", ("B", "restricted"): "female", ("A", "secret"): "female", ("B", "secret"): "male"},
}
#: Relations and harassment details, per world of families: shown to editors and admins only, whatever their
#: sensitivity (these are public on purpose, so that only the rule for families can hide them).
FAMILIES = {
    "A": {"harassment": "被旅游", "perpetrator": "PERP-A-Qx9z", "tied_to": "六四", "duration": "15天",
          "relation": "母亲", "relation_of": "Public list:P2", "event_date": "2019-05-28/2019-06-11",
          "place": "万全县"},
    "D": {"harassment": "软禁", "perpetrator": "PERP-D-Kw4v", "tied_to": "审判", "duration": "3个月",
          "relation": "父亲", "relation_of": "Public list:P3", "event_date": "2015-09-01/2015-11-30",
          "place": "怀来县"},
}
FAMILY_COLUMNS = ["record_id", "name", "event", "event_date", "place", "harassment", "perpetrator", "tied_to",
                  "duration", "relation", "relation_of"]
#: What only a relation or a harassment detail of world A puts on a page; the harassed event itself (its date
#: and place) is the relative's harassment too, so it is as hidden as the details.
FAMILY_TOKENS = ("PERP-A-Qx9z", "(Public list:P2)", "forced travel", "mother of", "2019-05-28", "万全县")
#: The three events of each hidden record: their types differ between worlds too.
EVENTS = {"A": ("detained", "sentenced", "died_in_custody"), "B": ("arrested", "commuted", "released")}
#: Strings that are tokens (unique to one hidden value) and must never be shown to a role that may not read them.
TOKEN_FIELDS = ("name", "name_variants", "occupation", "place", "facility", "notes", "risk", "event_date", "birth",
                "sentence")
READS = {"admin": ("public", "restricted", "secret"), "editor": ("public", "restricted"),
         "reviewer": ("public", "restricted"), "analyst": ("public",), "viewer": ("public",)}
COLUMNS = ["record_id", "name", "name_variants", "sex", "age", "birth", "occupation", "place", "event",
           "event_date", "facility", "sentence", "notes", "consent_publish_name", "risk"]


def _value(world: str, level: str, field: str) -> str:
    """World C changes only the secret values: its restricted ones are world A's."""
    source_world = "A" if world == "C" and level == "restricted" else ("B" if world == "C" else world)
    return HIDDEN[field][(source_world, level)]


def _hidden_rows(world: str, level: str, prefix: str) -> list[dict]:
    types = EVENTS["A" if world == "C" and level == "restricted" else ("B" if world == "C" else world)]
    one = {field: _value(world, level, field) for field in HIDDEN if field not in ("event_date", "sentence")}
    date = _value(world, level, "event_date")
    year = int(date[:4])
    return [
        {"record_id": f"{prefix}1", **one, "event": types[0], "event_date": date, "consent_publish_name": "refused"},
        {"record_id": f"{prefix}1", "event": types[1], "event_date": f"{year + 1}{date[4:]}",
         "sentence": _value(world, level, "sentence"), "facility": one["facility"], "place": one["place"]},
        {"record_id": f"{prefix}1", "event": types[2], "event_date": f"{year + 2}{date[4:]}", "place": one["place"]},
        {"record_id": f"{prefix}2", "name": one["name"][:2] + "二", "event": types[0], "event_date": date,
         "place": one["place"], "facility": one["facility"], "notes": one["notes"]},
    ]


def _write(tmp, name: str, rows: list[dict]) -> object:
    import csv

    path = tmp / name
    with open(path, "w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=COLUMNS)
        writer.writeheader()
        for row in rows:
            writer.writerow({key: row.get(key, "") for key in COLUMNS})
    return path


def _import_families(case, folder, families: str) -> None:
    """A relative of a public record, harassed around an anniversary; relation and details public, by a mapping."""
    import csv

    from mingdan.ingest.importer import import_file

    path = folder / "families.csv"
    with open(path, "w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=FAMILY_COLUMNS)
        writer.writeheader()
        writer.writerow({"record_id": "F1", "name": "家属甲", "event": "harassed", **FAMILIES[families]})
    mapping = folder / "families.yaml"
    columns = "\n".join(f"  {c}: {{field: {c}, sensitivity: public}}" if c not in ("record_id", "name", "event", "event_date", "place")
                         else f"  {c}: {c}" for c in FAMILY_COLUMNS)
    mapping.write_text(f"source:\n  name: Families list\ncolumns:\n{columns}\n", "utf-8")
    import_file(case, path, mapping_path=mapping)


def build_world(world: str, tmp, families: str = "A") -> dict:
    """A case with a public list, a restricted list and a secret list (every column), a list of relatives
    (of world `families`), two people, two review pairs."""
    from mingdan.ingest.importer import import_file
    from mingdan.store.case import init_case
    from mingdan.store.models import LinkRun, PairLink, Person, Record
    from mingdan.store.search import refresh_index
    from mingdan.web.case import use

    folder = tmp / f"world-{world}-{families}"
    folder.mkdir()
    case = init_case(folder / "case", setup_database=False)
    public = _write(folder, "public.csv", [
        {"record_id": "P1", "name": "陳大文", "sex": "male", "age": "21", "occupation": "student", "place": "Beijing",
         "event": "detained", "event_date": "1989-06-05", "facility": "Public Facility One", "notes": "public-list note"},
        {"record_id": "P1", "event": "sentenced", "event_date": "1990-01-10", "sentence": "P5Y"},
        {"record_id": "P2", "name": "王伟", "sex": "male", "age": "30", "place": "Beijing", "event": "killed",
         "event_date": "1989-06-04"},
        {"record_id": "P3", "name": "李明", "sex": "female", "age": "25", "place": "Shanghai", "event": "detained",
         "event_date": "1989-06"},
    ])
    import_file(case, public, source_name="Public list")
    # Per level, a list with every column hidden, and one whose event types and names are public but
    # whose dates, places, facilities and sentences are hidden (a custody history shown in part).
    for level, source, public in (("restricted", "Restricted list", ()), ("secret", "Secret list", ()),
                                  ("restricted", "Restricted events", ("event", "name")),
                                  ("secret", "Secret events", ("event", "name"))):
        prefix = level[0].upper() + ("M" if public else "")
        rows = _hidden_rows("A" if public else world, level, prefix)
        if public:
            hidden = _hidden_rows(world, level, prefix)
            rows = [{**row, **{k: v for k, v in other.items() if k not in ("event", "name")},
                     **({"name": f"刘公开{prefix}{row['record_id'][-1]}"} if row.get("name") else {})}
                    for row, other in zip(rows, hidden)]
        path = _write(folder, f"{prefix}.csv", rows)
        mapping = folder / f"{prefix}.yaml"
        columns = "\n".join("  record_id: record_id" if c == "record_id" else f"  {c}: {c}" if c in public
                            else f"  {c}: {{field: {c}, sensitivity: {level}}}" for c in COLUMNS)
        mapping.write_text(f"source:\n  name: {source}\ncolumns:\n{columns}\n", "utf-8")
        import_file(case, path, mapping_path=mapping)
    _import_families(case, folder, families)
    record = {r.record_id: r for r in Record.objects.all()}
    for person_id, members in (("P000001", ["P1", "R1", "S1", "SM1"]), ("P000002", ["P2", "S2", "RM1"])):
        person = Person.objects.create(person_id=person_id)
        Record.objects.filter(pk__in=[record[m].pk for m in members]).update(person=person)
    run = LinkRun.objects.create(auto_link=0.6, review=0.2, records=len(record), people=2)
    weights = {field: {"weight": 1.5, "level": 1} for field in ("name", "sex", "age", "place_key", "event", "occupation")}
    for a, b, p in (("R2", "P3", 0.45), ("S2", "P3", 0.52)):
        PairLink.objects.create(run=run, record_a=record[a], record_b=record[b], match_probability=p, match_weight=0.1,
                                band="review", weights=weights)
    refresh_index()
    use(case)
    return {"case": case, "records": {label: r.pk for label, r in record.items()}}


def _tokens(world: str, level: str) -> set[str]:
    found = {_value(world, level, field) for field in TOKEN_FIELDS}
    found |= {_value(world, level, "name")[:2] + "二"}
    return found


def _routes() -> list[tuple[str, list[str]]]:
    """Every route of urls.py: its pattern and the names of its parameters."""
    from django.urls import URLPattern, get_resolver

    routes = []
    for pattern in get_resolver().url_patterns:
        assert isinstance(pattern, URLPattern), "nested URL confs are not walked yet: extend this test"
        route = str(pattern.pattern)
        routes.append((route, re.findall(r"<(?:\w+:)?(\w+)>", route)))
    return routes


def _filters() -> list[dict]:
    """Query strings for the search routes: each aims at a hidden value or a way to count one."""
    from mingdan.names.romanize import pinyin_name
    from mingdan.store.models import EventType

    variants: list[dict] = [{}, {"page": "2"}, {"linked": "no"}]
    for (_, _level), name in HIDDEN["name"].items():
        variants += [{"q": name}, {"q": pinyin_name(name)}, {"q": name[:2] + "二"}]
    variants += [{"q": v} for v in HIDDEN["name_variants"].values()]
    variants += [{"place": v} for v in HIDDEN["place"].values()] + [{"place": p} for p in ("enc1:", "enc1:k", "Beijing", "a")]
    variants += [{"event": kind} for kind in EventType.values]
    for day in HIDDEN["event_date"].values():
        year = int(day[:4])
        for shift in (0, 1, 2):
            shifted = f"{year + shift}{day[4:]}"
            variants.append({"from": shifted, "to": shifted})
    variants += [{"from": "1989-01-01", "to": "2000-12-31"}, {"from": "1990-01-01"}]
    variants += [{"status": status} for status in ("held", "released", "deceased", "unknown")]
    variants += [{"source": name} for name in ("Public list", "Restricted list", "Secret list", "Secret events")]
    variants += [{"event": "detained", "place": HIDDEN["place"][("A", "restricted")]}]
    # The relative's harassed event, by its place, its days and its list: hidden below editor as if absent.
    variants += [{"place": f["place"]} for f in FAMILIES.values()] + [{"source": "Families list"}]
    variants += [{"from": f["event_date"][:10], "to": f["event_date"][:10]} for f in FAMILIES.values()]
    return variants


def _urls(world: dict) -> list[str]:
    """Every route filled with every value its parameters can take in this case (and query strings that aim)."""
    from mingdan.ingest.amend import AMENDABLE

    records = sorted(world["records"].values())
    pairs = [(world["records"][a], world["records"][b]) for a, b in (("R2", "P3"), ("S2", "P3"))]
    fill = {
        "pk": [{"pk": pk, "relation": 1} for pk in records],
        "person_id": [{"person_id": p} for p in ("P000001", "P000002", "P999999")],
        "a": [{"a": a, "b": b} for a, b in pairs] + [{"a": b, "b": a} for a, b in pairs],
        "category": [{"category": "killed"}],
        "job_id": [{"job_id": 1}],
    }
    aiming = [q for q in _filters() if set(q) & {"q", "place", "event", "from"}]
    queries = {"records": _filters(), "api/records": _filters(), "export/records.csv": aiming[::3],
               "records/<int:pk>/edit": [{"field": f} for f in AMENDABLE],
               "accounting": [{}, {"as_of": "1990-06-01"}, {"as_of": "1992-06-01"}, {"as_of": "1996-01-01"}]}
    urls = []
    for route, parameters in _routes():
        key = parameters[0] if parameters else None
        assert key is None or key in fill, f"route {route!r} has a parameter this walk cannot fill: add it to `fill`"
        for values in fill[key] if key else [{}]:
            path = "/" + re.sub(r"<(?:\w+:)?(\w+)>", lambda m: str(values[m.group(1)]), route)
            for query in queries.get(route, [{}]):
                urls.append(path + ("?" + urllib.parse.urlencode(query) if query else ""))
    return urls


def _walk(client, role: str, world: dict) -> dict[str, str]:
    """GET every URL as this role; the answers with CSRF tokens removed (they change on every page)."""
    from django.contrib.auth import get_user_model

    client.logout()
    client.force_login(get_user_model().objects.get(username=role))
    answers = {}
    for url in _urls(world):
        response = client.get(url, secure=True)
        body = b"".join(response.streaming_content) if response.streaming else response.content
        text = re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', "", body.decode("utf-8", "replace"))
        answers[url] = f"{response.status_code} {response.get('Content-Type', '')}\n{text}"
    return answers


def _forms(token: str) -> set[str]:
    """A token as it could appear in an answer: as is, HTML-escaped, URL-quoted, JSON-escaped."""
    return {token, html.escape(token), urllib.parse.quote(token), urllib.parse.quote_plus(token),
            json.dumps(token)[1:-1], json.dumps(token, ensure_ascii=False)[1:-1]}


def _echo_removed(url: str, text: str) -> str:
    """What the user typed is echoed back (the search box, the links to the same search): not a leak."""
    for _key, value in urllib.parse.parse_qsl(urllib.parse.urlsplit(url).query):
        for form in sorted(_forms(value), key=len, reverse=True):
            text = text.replace(form, "")
    return text


def _with_world(world_name: str, tmp, walk, families: str = "A"):
    """Build a world inside a transaction on both databases, walk it, roll it all back."""
    from django.db import transaction

    from mingdan.web.accounts import add_user

    results = {}
    _reset_sequences()  # earlier tests of this worker leave PostgreSQL sequences anywhere: every world starts at 1
    with transaction.atomic(using="default"), transaction.atomic(using=_access()):
        for role in ROLES:
            add_user(role, role, PASSWORD)
        world = build_world(world_name, tmp, families)
        results = walk(world)
        transaction.set_rollback(True, using="default")
        transaction.set_rollback(True, using=_access())
    _reset_sequences()
    return results


def _reset_sequences() -> None:
    """PostgreSQL sequences do not roll back: reset them so that the next world gets the same ids."""
    from django.apps import apps
    from django.core.management.color import no_style
    from django.db import connections

    for alias in {"default", _access()}:
        with connections[alias].cursor() as cursor:
            for statement in connections[alias].ops.sequence_reset_sql(no_style(), apps.get_models()):
                cursor.execute(statement)


def _access() -> str:
    from mingdan.store.routers import access_alias

    return access_alias()


@pytest.mark.django_db
@pytest.mark.slow
def test_no_role_is_shown_counted_or_matched_a_value_it_may_not_read(client, tmp_path):
    walked = {}
    walked["A"] = _with_world("A", tmp_path, lambda world: {
        "ids": world["records"], **{role: _walk(client, role, world) for role in ROLES}})
    walked["B"] = _with_world("B", tmp_path, lambda world: {
        "ids": world["records"], **{role: _walk(client, role, world) for role in ("viewer", "analyst")}})
    walked["C"] = _with_world("C", tmp_path, lambda world: {
        "ids": world["records"], **{role: _walk(client, role, world) for role in ("editor", "reviewer")}})
    # World D differs from A only in relations and harassment details, which no role below editor may see.
    walked["D"] = _with_world("A", tmp_path, lambda world: {
        "ids": world["records"], **{role: _walk(client, role, world) for role in ("reviewer", "analyst", "viewer")}},
        families="D")
    assert walked["A"]["ids"] == walked["B"]["ids"] == walked["C"]["ids"] == walked["D"]["ids"], \
        "the worlds must give records the same ids"

    # Shown: no hidden token in any answer of a role that may not read it, in any encoding; never a sealed value.
    for role in ROLES:
        hidden = set().union(*(_tokens("A", level) for level in ("restricted", "secret") if level not in READS[role]))
        for url, text in walked["A"][role].items():
            visible = _echo_removed(url, text)
            assert "enc1:" not in visible, (role, url)
            for token in hidden:
                assert not any(form in visible for form in _forms(token)), (role, url, token)

    # Counted or matched: the answers of a role do not change when only values it may not read change.
    for other, roles in (("B", ("viewer", "analyst")), ("C", ("editor", "reviewer")),
                         ("D", ("reviewer", "analyst", "viewer"))):
        for role in roles:
            different = [url for url, text in walked["A"][role].items() if walked[other][role][url] != text]
            assert not different, (role, other, different[:10])

    # Families: no relation or harassment detail for a role below editor, though they are public values.
    for role in ("reviewer", "analyst", "viewer"):
        for url, text in walked["A"][role].items():
            visible = _echo_removed(url, text)
            for token in FAMILY_TOKENS:
                assert not any(form in visible for form in _forms(token)), (role, url, token)
    for role in ("editor", "admin"):
        everything = "\n".join(walked["A"][role].values())
        assert all(token in everything for token in FAMILY_TOKENS), role

    # Not vacuous: the roles that may read a level see each of its tokens and can filter on them.
    for role, level in (("editor", "restricted"), ("admin", "restricted"), ("admin", "secret")):
        everything = "\n".join(walked["A"][role].values())
        missing = [token for token in _tokens("A", level) if token not in everything]
        assert not missing, (role, level, missing)
    counts = {url: json.loads(text.split("\n", 1)[1])["count"] for url, text in walked["A"]["admin"].items()
              if url.startswith("/api/records?")}
    for field in ("place",):
        for level in ("restricted", "secret"):
            assert counts["/api/records?" + urllib.parse.urlencode({field: HIDDEN[field][("A", level)]})] >= 1, level
    assert counts["/api/records?event=died_in_custody"] >= 2  # one restricted, one secret record
    assert counts["/api/records?" + urllib.parse.urlencode({"from": "1990-02-17", "to": "1990-02-17"})] >= 1
    editor = {url: json.loads(text.split("\n", 1)[1])["count"] for url, text in walked["A"]["editor"].items()
              if url.startswith("/api/records?")}
    assert editor["/api/records?event=died_in_custody"] == 3  # restricted, and public in the two lists of events
    viewer = {url: json.loads(text.split("\n", 1)[1])["count"] for url, text in walked["A"]["viewer"].items()
              if url.startswith("/api/records?")}
    assert viewer["/api/records?place=enc1%3A"] == 0
    assert editor["/api/records?" + urllib.parse.urlencode({"q": HIDDEN["name"][("A", "restricted")]})] >= 1
    assert editor["/api/records?" + urllib.parse.urlencode({"q": HIDDEN["name"][("A", "secret")]})] == 0
