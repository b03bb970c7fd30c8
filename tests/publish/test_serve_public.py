"""`mingdan serve-public` as a user runs it: a real Datasette process on loopback, read-only, arbitrary SQL off."""

from __future__ import annotations

import hashlib
import json
import os
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request

import pytest

from mingdan.publish.release import publish

#: A restricted written form of a published person's name (invented): never searchable, never shown.
RESTRICTED_FORM = "孙秘芳"


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _get(url: str) -> tuple[int, str]:
    try:
        with urllib.request.urlopen(url, timeout=10) as response:
            return response.status, response.read().decode("utf-8")
    except urllib.error.HTTPError as error:
        return error.code, error.read().decode("utf-8")


@pytest.fixture(scope="module")
def served(case_for_the_module, module_write_rows, tmp_path_factory):
    """One release served by `mingdan serve-public` for the module's tests, which only read from it.

    Released without its PDF (test_report_pdf.py tests that): the server serves the open data only.
    """
    from mingdan.ingest.importer import import_file

    tmp_path = tmp_path_factory.mktemp("serve")
    rows = [{"record_id": f"S{i}", "name": f"模拟戊{i}", "event": "killed", "place": "西城区",
             "consent_publish_name": "同意"} for i in range(6)]
    rows.append({"record_id": "S6", "name": "張斌傑", "event": "killed", "place": "西城区", "consent_publish_name": "同意"})
    rows.append({"record_id": "S7", "name": "Chang Te-kuo", "event": "killed", "consent_publish_name": "同意"})
    # Searched as an outside tester typed them: hyphenated pinyin, Wade-Giles without apostrophes, part of a name.
    rows += [{"record_id": record, "name": name, "event": "killed", "consent_publish_name": "同意"}
             for record, name in (("S8", "王小明"), ("S9", "钱明德"), ("S10", "Zhou Wu"), ("S11", "Ch'ien Chih-ming"),
                                  ("S12", "Li Wei-ming"), ("S13", "Lam Ka Yan"))]
    # A published name whose other written form is restricted: that form must find nothing.
    variants = tmp_path / "variants.csv"
    variants.write_text(f"record_id,name,alias,event,consent_publish_name\nV1,赵立新,{RESTRICTED_FORM},killed,同意\n",
                        "utf-8")
    mapping = tmp_path / "variants.yaml"
    mapping.write_text("source: {name: Variants}\ncolumns:\n  record_id: record_id\n  name: name\n"
                       "  alias: {field: name_variants, sensitivity: restricted}\n  event: event\n"
                       "  consent_publish_name: consent_publish_name\n", "utf-8")
    release = tmp_path / "release"
    with case_for_the_module(tmp_path) as case, pytest.MonkeyPatch.context() as monkeypatch:
        monkeypatch.setenv("MINGDAN_CHROMIUM", str(tmp_path / "no-pdf-needed"))
        import_file(case, module_write_rows(rows, header=["record_id", "name", "event", "place", "consent_publish_name"]),
                    source_name="Families")
        import_file(case, variants, mapping_path=mapping)
        publish(case, release, find_previous=False)
        from mingdan.publish.public_ids import KEY_FILE, record_public_id

        key = (case.keys_dir / KEY_FILE).read_bytes()
        ids = [record_public_id(key, "Families", f"S{i}") for i in range(14)] + [record_public_id(key, "Variants", "V1")]
    database = release / "data" / "public.sqlite"
    before = hashlib.sha256(database.read_bytes()).hexdigest()
    port = _free_port()
    env = {k: v for k, v in os.environ.items() if k not in ("DJANGO_SETTINGS_MODULE", "DATABASE_URL")}
    log = open(tmp_path / "serve.log", "w")
    process = subprocess.Popen([sys.executable, "-m", "mingdan.cli", "serve-public", str(release), "--port", str(port)],
                               env=env, stdout=log, stderr=subprocess.STDOUT)
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 60
    while True:
        assert process.poll() is None, (tmp_path / "serve.log").read_text()
        try:
            if _get(f"{base}/-/versions.json")[0] == 200:
                break
        except (urllib.error.URLError, ConnectionError):
            pass
        assert time.monotonic() < deadline, "serve-public did not answer within 60 s"
        time.sleep(0.3)
    yield {"base": base, "folder": tmp_path, "ids": ids}
    process.terminate()
    assert process.wait(timeout=20) is not None  # terminating the command stops the server itself
    log.close()
    with pytest.raises((urllib.error.URLError, ConnectionError)):
        urllib.request.urlopen(f"{base}/-/versions.json", timeout=2)
    assert hashlib.sha256(database.read_bytes()).hexdigest() == before


def test_serve_public_shows_tables_refuses_sql_and_cannot_write(served):
    server = served["base"]
    status, page = _get(f"{server}/public/named_people")
    assert status == 200 and "模拟戊0" in page and "named_people" in page
    status, body = _get(f"{server}/public/named_people.json?_shape=objects")
    rows = json.loads(body)["rows"]
    assert status == 200 and sorted(r["person_id"] for r in rows) == sorted(served["ids"])
    assert "Families:S" not in body  # a source's record id never leaves (R- ids, public_ids.py)
    status, body = _get(f"{server}/public/accounting.json?_shape=objects&category=killed")
    assert status == 200 and json.loads(body)["rows"][0]["named_people"] == 15

    # Arbitrary SQL is off: the page and the JSON API refuse it, and so does a hand-written WHERE clause.
    status, page = _get(f"{server}/public?sql=select+1")
    assert status == 403 and "execute-sql" in page
    status, body = _get(f"{server}/public.json?sql=select+name+from+named_people")
    assert status == 403 and "模拟戊" not in body
    status, page = _get(f"{server}/public/named_people?_where=1=1")
    assert status == 403 and "_where= is not allowed" in page
    settings = json.loads(_get(f"{server}/-/settings.json")[1])
    assert settings["default_allow_sql"] is False

    # Nothing can be written: the database is opened immutable and a write statement is rejected.
    databases = json.loads(_get(f"{server}/-/databases.json")[1])
    assert [(d["name"], d["is_mutable"]) for d in databases] == [("public", False)]
    status, body = _get(f"{server}/public.json?sql=delete+from+named_people")
    assert status >= 400 and json.loads(body)["ok"] is False
    status, _ = _get(f"{server}/public/named_people.json?_shape=objects")
    assert status == 200 and len(json.loads(_)["rows"]) == 15


def _post(url: str) -> int:
    try:
        with urllib.request.urlopen(urllib.request.Request(url, data=b"x=1", method="POST"), timeout=10) as response:
            return response.status
    except urllib.error.HTTPError as error:
        return error.code


def _search(server: str, words: str) -> list[str]:
    query = urllib.parse.quote(words)
    status, body = _get(f"{server}/public/named_people.json?_search={query}&_shape=objects")
    assert status == 200, body[:300]
    return sorted(row["name"] for row in json.loads(body)["rows"])


def test_serve_public_describes_its_data_searches_names_hides_paths_and_answers_writes_405(served):
    server, tmp_path = served["base"], served["folder"]
    # Titles, descriptions, the licence and the source, from the release's datasette.json.
    metadata = json.loads(_get(f"{server}/-/metadata.json")[1])
    assert metadata["license"] == "CC-BY-4.0" and metadata["license_url"].startswith("https://creativecommons.org/")
    assert metadata["title"].endswith("public accounting") and metadata["source"]
    tables = metadata["databases"]["public"]["tables"]
    assert "suppressed" in tables["accounting"]["columns"]["named_people"]
    status, page = _get(f"{server}/public/named_people")
    assert "People named" in page and "CC-BY-4.0" in page
    # Full-text search on names: characters (either script, one character alone), pinyin, Wade-Giles.
    assert _search(server, "张斌杰") == ["張斌傑"] and _search(server, "張") == ["張斌傑"]
    assert _search(server, "zhang binjie") == ["張斌傑"] and _search(server, "chang") == ["Chang Te-kuo", "張斌傑"]
    assert _search(server, "模拟戊3") == ["模拟戊3"] and _search(server, "nobody") == []
    # A Wade-Giles given name typed with its hyphen, as lists print it.
    assert _search(server, "Pin-chieh") == ["張斌傑"] and _search(server, "Chang Pin-chieh") == ["張斌傑"]
    # As an outside tester typed them (all missed before): hyphenated pinyin of a name in characters,
    # Wade-Giles without apostrophes, part of a name in characters, Wade-Giles of a name written in pinyin only.
    assert _search(server, "Wang Xiao-ming") == ["王小明"] and _search(server, "wang xiaoming") == ["王小明"]
    assert _search(server, "chien ming") == ["Ch'ien Chih-ming", "钱明德"] and _search(server, "Chien Ming-te") == ["钱明德"]
    assert _search(server, "Chien Chih-ming") == ["Ch'ien Chih-ming"] and _search(server, "Ch'ien") == [
        "Ch'ien Chih-ming", "钱明德"]
    assert _search(server, "小明") == ["王小明"] and _search(server, "王小") == ["王小明"]
    assert _search(server, "明德") == ["钱明德"] and _search(server, "錢明") == ["钱明德"]
    assert _search(server, "Chou Wu") == ["Zhou Wu"] and _search(server, "zhou") == ["Zhou Wu"]
    # Hyphens and spaces inside a given name are alike, whatever the romanization (rt15 07).
    for typed in ("li weiming", "li wei ming", "Li Wei-ming", "weiming", "wei-ming"):
        assert _search(server, typed) == ["Li Wei-ming"], typed
    assert _search(server, "lam kayan") == _search(server, "Lam Ka-yan") == ["Lam Ka Yan"]
    # A restricted written form finds nothing, in whole or in part, and is nowhere in the public data.
    assert _search(server, "赵立新") == ["赵立新"]
    for typed in (RESTRICTED_FORM, RESTRICTED_FORM[1:], "sun mifang", "Sun Mi-fang"):
        assert _search(server, typed) == [], typed
    assert RESTRICTED_FORM.encode() not in (tmp_path / "release" / "data" / "public.sqlite").read_bytes()
    # The index's computed words are searched, never shown: its table reads back empty.
    fts = json.loads(_get(f"{server}/public/named_people_fts.json?_shape=objects")[1])["rows"]
    assert fts and all(row[column] in (None, "") for row in fts for column in ("name", "forms", "keys"))
    # No path of the publisher's machine, and a write is a 405, not an error.
    databases = _get(f"{server}/-/databases.json")[1]
    assert json.loads(databases)[0]["path"] == "public.sqlite" and str(tmp_path) not in databases
    for url in (f"{server}/public/named_people", f"{server}/public/named_people/-/insert", f"{server}/public",
                f"{server}/public/named_people/1/-/delete"):
        assert _post(url) == 405, url


def test_serve_public_answers_what_it_does_not_serve_404_or_405_never_500(served):
    server = served["base"]
    for path in ("/-/static-plugins/read_only/x", "/-/static-plugins/nothing/x.js",
                 "/public/named_people?_through=x", "/public/named_people?_through=%7B%7D",
                 '/public/named_people?_through={"table":"a","column":"b","value":"c"}'):
        assert _get(server + urllib.parse.quote(path, safe="/?=&%"))[0] == 404, path
    for path in ("/-/delete", "/public/-/delete", "/public/-/create", "/public/named_people/-/insert",
                 "/public/named_people/-/drop", "/public/named_people/1/-/delete", "/public/named_people/1/-/update"):
        assert _get(server + path)[0] == 405, path
    assert _get(f"{server}/public/named_people")[0] == 200


def test_a_search_with_quotes_or_fts_syntax_answers_rows_or_an_empty_list_never_an_sql_error(served):
    """Outside tester: `named_people.json?_search="` answered 400 "Invalid SQL: fts5: syntax error"."""
    server = served["base"]

    def rows(**query) -> list[str]:
        status, body = _get(f"{server}/public/named_people.json?{urllib.parse.urlencode({**query, '_shape': 'objects'})}")
        assert status == 200, (query, body[:300])
        return sorted(row["name"] for row in json.loads(body)["rows"])

    everyone = rows()
    assert len(everyone) == 15
    # A quote, two, a quote left open or inside a name: words are searched, quotes are not an error.
    assert rows(_search='"') == [] and rows(_search='""') == [] and rows(_search='" "') == []
    assert rows(_search='張"斌') == ["張斌傑"] and rows(_search='zhang" binjie') == ["張斌傑"]
    assert rows(_search='"模拟戊3"') == ["模拟戊3"]
    # FTS5's own syntax typed as words; raw mode asked for is not given.
    for typed in ("AND", "NEAR(", "*", "zhang OR", "(", "^", "name:zhang", "-"):
        assert rows(_search=typed) == [], typed
    assert rows(_search="AND", _searchmode="raw") == [] and rows(_search="zhang OR wang", _searchmode="raw") == []
    # An emptied search box is no search; a column search and another table as the index are no error either.
    assert rows(_search="") == everyone and rows(_search="   ") == everyone
    assert rows(_search_name='"') == [] and rows(_search="模拟戊3", _fts_table="accounting") == ["模拟戊3"]
    typed = urllib.parse.urlencode({"_search": '张"三'})
    status, page = _get(f"{server}/public/named_people?{typed}")
    assert status == 200 and "Invalid SQL" not in page
