"""Harassment in the release and on the public site: counts only, small cells hidden, no relative or relation leaks.

A simulated case with families (imported through the real import, linked by its truth under
neutral person ids) is published; a crawler reads every byte of the release folder and every
page and JSON answer `serve-public` gives, following links.
"""

from __future__ import annotations

import csv
import hashlib
import html
import json
import os
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
from html.parser import HTMLParser

import pytest

from mingdan.publish.release import publish
from mingdan.simulate import SimulationSettings, simulate_case, write_case

# The module's release is imported into both databases of a case (records, and access: import jobs).
pytestmark = pytest.mark.django_db(databases="__all__")
THRESHOLD = 5
RELATION_WORDS = ["mother_of", "father_of", "spouse_of", "sibling_of", "child_of", "relation_of", "母亲", "父亲"]
PERPETRATORS = ["国保大队", "派出所", "街道办事处", "单位保卫科", "国家安全局"]


def _neutral(truth_id: str) -> str:
    """A person id that does not say whether the person is a victim (P…) or a relative (F…) in the simulation."""
    return "P-" + hashlib.sha256(truth_id.encode()).hexdigest()[:10]


@pytest.fixture(scope="module")
def released(case_for_the_module, tmp_path_factory):
    """One release of a simulated case with families, made once for the module's tests (which only read it)."""
    from mingdan.demo import demo_lists
    from mingdan.ingest.importer import import_file
    from mingdan.store.models import Person, Record

    folder = tmp_path_factory.mktemp("harassment_release")
    simulated = simulate_case(SimulationSettings(seed=5, people=300))
    write_case(simulated, folder / "sim")
    truth = []
    for part in (folder / "sim", folder / "sim" / "families"):
        with open(part / "truth.csv", encoding="utf-8") as handle:
            truth += [(r["source"], r["record_id"], r["person_id"]) for r in csv.DictReader(handle)]
    with case_for_the_module(folder) as case, pytest.MonkeyPatch.context() as monkeypatch:
        monkeypatch.setenv("MINGDAN_CHROMIUM", str(folder / "no-pdf-needed"))
        for path, mapping in demo_lists(folder / "sim") + demo_lists(folder / "sim" / "families"):
            import_file(case, path, mapping_path=mapping)
        people = {pid: Person.objects.create(person_id=_neutral(pid)) for pid in sorted({p for _, _, p in truth})}
        records = {(r.source.name, r.record_id): r for r in Record.objects.select_related("source")}
        for source, record_id, pid in truth:
            records[(source, record_id)].person = people[pid]
        Record.objects.bulk_update(records.values(), ["person"])
        publish(case, folder / "release", find_previous=False)
    return folder / "release", simulated, json.loads(
        (folder / "sim" / "families" / "truth_harassment.json").read_text("utf-8"))


def _relatives(simulated) -> dict[str, object]:
    """Recorded relatives by their neutral id."""
    recorded = simulated.harassment.recorded
    return {_neutral(p.person_id): p for p in simulated.harassment.harassed if p.relation and p.person_id in recorded}


def _own_consent(simulated) -> set[str]:
    """Relatives whose own record (the families' network asks them) grants consent to publish their name."""
    granted = set()
    for row in simulated.harassment.rows["g"]:
        if row.cells[-1] == "同意":
            granted.add(_neutral(row.person_id))
    return granted


def _secrets(simulated, release) -> list[str]:
    """Names of relatives who did not consent themselves, less those inside a published name form of someone
    else (张华 is inside 张华鸣, a consenting victim's name: a coincidence of the invented pools, not a leak)."""
    relatives, granted = _relatives(simulated), _own_consent(simulated)
    forms = [form for row in _rows(release, "named_people") for column, cell in row.items()
             if column.startswith("name") for form in cell.split(" | ")]
    return sorted({r.name for key, r in relatives.items() if key not in granted
                   and not any(r.name in form for form in forms)})


def _rows(release, table):
    with open(release / "data" / f"{table}.csv", encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


def test_counts_per_year_equal_the_truth_and_small_cells_are_hidden(released):
    release, _, truth = released
    rows = _rows(release, "harassment_by_year")
    totals = {r["year"]: r for r in rows if r["kind"] == "all"}
    assert set(totals) == {str(y) for y in range(int(min(truth["by_year"])), int(max(truth["by_year"])) + 1)}
    hidden = 0
    for row in rows:
        if row["people"] == "suppressed":
            assert row["events"] == "suppressed"  # a hidden cell's events are hidden with its people
            hidden += 1
        else:
            assert int(row["people"]) == 0 or int(row["people"]) >= THRESHOLD
    assert hidden > 0  # the simulated case is small: some kinds of some years are below the threshold
    for year, row in totals.items():
        if row["people"] != "suppressed":
            assert (int(row["people"]), int(row["events"])) == (truth["by_year"][year]["people"],
                                                                 truth["by_year"][year]["events"])
        kinds = [r for r in rows if r["year"] == year and r["kind"] not in ("all", "around_4_june")]
        for r in kinds:
            if r["events"] != "suppressed":
                assert int(r["events"]) == truth["by_year"][year]["by_kind"][r["kind"]]
        # One hidden kind in a year whose total is published would be given back by subtraction.
        assert sum(r["events"] == "suppressed" for r in kinds) != 1 or row["events"] == "suppressed"
    described = json.loads((release / "data" / "datapackage.json").read_text("utf-8"))
    resource = next(r for r in described["resources"] if r["name"] == "harassment_by_year")
    assert [f["name"] for f in resource["schema"]["fields"]] == ["year", "kind", "people", "events"]
    assert all(f.get("description") for f in resource["schema"]["fields"])


def test_no_relation_no_relatives_name_and_no_harassment_detail_in_any_file(released):
    release, simulated, _ = released
    granted = _own_consent(simulated)
    relatives = _relatives(simulated)
    published_ids = {r["person_id"] for r in _rows(release, "named_people")}
    # A relative is named only with their own consent, never because of the victim's.
    assert published_ids & set(relatives) <= granted
    victims_consented = {key for key, r in relatives.items() if _neutral(r.victim_id) in published_ids}
    assert victims_consented - granted  # some victims are named whose relatives did not consent...
    assert not (victims_consented - granted) & published_ids  # ...and those relatives are not named
    secrets = _secrets(simulated, release)
    assert len(secrets) > 20
    texts = {}
    for path in release.rglob("*"):
        if path.is_file() and path.suffix != ".png" and path.name != "report.pdf":
            data = path.read_bytes()
            texts[str(path.relative_to(release))] = data.decode("utf-8", "replace")
    for name, text in texts.items():
        for word in secrets + RELATION_WORDS + PERPETRATORS:
            assert word not in text, (name, word)
    # The published categories of a named relative say nothing of harassment.
    for row in _rows(release, "named_people"):
        assert "harass" not in row["categories"]
        # A relative who is in no category (harassed only) is not named with 'none', which would tell why.
        assert row["categories"] not in ("", "none"), row


def test_report_has_the_harassment_section_and_figure_in_three_languages(released):
    release, _, _ = released
    for page, heading, figure in (("index.html", "Harassment of participants and of victims' families",
                                   "harassment_by_year.png"),
                                  ("index.zh.html", "参与者及遇难者、被捕者家属所受的骚扰", "harassment_by_year.zh.png"),
                                  ("index.zh-hant.html", "參與者及遇難者、被捕者家屬所受的騷擾",
                                   "harassment_by_year.zh-hant.png")):
        text = (release / "report" / page).read_text("utf-8")
        heading = html.escape(heading)
        if not (release / "report" / figure).exists():
            # No CJK font on this machine: the Chinese pages show the English figures and say so.
            assert json.loads((release / "manifest.json").read_text("utf-8"))["figures"]["zh_labels"] is False
            figure = "harassment_by_year.png"
        assert heading in text and f'src="{figure}"' in text and (release / "report" / figure).stat().st_size > 10_000
        assert "—" in text.split(heading)[1].split("</table>")[0]  # hidden cells written as the other tables do
        if page != "index.html":
            from page_words import english_words

            section = text.split(heading)[1].split("</p>")[0]
            assert english_words(f"<p>{section}</p>") == []  # the kinds and the note in Chinese, the table's name as data


class _Links(HTMLParser):
    def __init__(self):
        super().__init__()
        self.links: list[str] = []

    def handle_starttag(self, tag, attrs):
        if tag == "a":
            self.links += [v for k, v in attrs if k == "href" and v]


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _get(url: str) -> tuple[int, str]:
    try:
        with urllib.request.urlopen(url, timeout=10) as response:
            return response.status, response.read().decode("utf-8", "replace")
    except urllib.error.HTTPError as error:
        return error.code, error.read().decode("utf-8", "replace")


def test_the_public_site_shows_counts_and_no_relative_or_relation(released, tmp_path):
    release, simulated, _ = released
    secrets = _secrets(simulated, release)
    port = _free_port()
    env = {k: v for k, v in os.environ.items() if k not in ("DJANGO_SETTINGS_MODULE", "DATABASE_URL")}
    log = open(tmp_path / "serve.log", "w")
    process = subprocess.Popen([sys.executable, "-m", "mingdan.cli", "serve-public", str(release), "--port", str(port)],
                               env=env, stdout=log, stderr=subprocess.STDOUT)
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while True:
            assert process.poll() is None, (tmp_path / "serve.log").read_text()
            try:
                if _get(f"{base}/-/versions.json")[0] == 200:
                    break
            except (urllib.error.URLError, ConnectionError):
                pass
            assert time.monotonic() < deadline
            time.sleep(0.3)
        status, body = _get(f"{base}/public/harassment_by_year.json?_shape=array&_size=max")
        assert status == 200 and any(r["people"] is None for r in json.loads(body))  # suppressed: NULL
        # Every table in full as JSON, then a crawl of the pages by their links.
        seen, queue, pages = set(), ["/", "/public", *(f"/public/{t}.json?_shape=array&_size=max" for t in (
            "named_people", "harassment_by_year", "accounting", "counts_by_place", "sources", "count_claims"))], 0
        while queue and pages < 250:
            path = queue.pop(0)
            if path in seen:
                continue
            seen.add(path)
            status, text = _get(base + path)
            pages += 1
            for word in secrets + RELATION_WORDS + PERPETRATORS:
                assert word not in text, (path, word)
            parser = _Links()
            parser.feed(text)
            for link in parser.links:
                target = urllib.parse.urljoin(base + path, link)
                if target.startswith(base) and "sql=" not in target and "_where" not in target:
                    queue.append(target[len(base):])
        assert pages > 30 and "/public/harassment_by_year" in seen
    finally:
        process.terminate()
        process.wait(timeout=20)
        log.close()
