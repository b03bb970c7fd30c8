"""The web application in a real browser (Debian's chromium via Playwright) against `mingdan serve`.

A user logs in, finds a record written in characters by typing its pinyin, opens the person,
decides a pair with the keyboard, imports a file with an error and sees it, switches language.
Afterwards no file of the case but the key holds a restricted value, and the audit chain verifies.
Set MINGDAN_SCREENSHOTS=docs/screenshots to refresh the screenshots in the documentation.
"""

from __future__ import annotations

import os
import re
import shutil
import socket
import sqlite3
import subprocess
import sys
import time
import urllib.parse
import urllib.request
from pathlib import Path

import pytest

from mingdan.demo import demo_lists

pytestmark = [pytest.mark.sqlite_file, pytest.mark.slow]
DEMO = Path(__file__).resolve().parents[2] / "examples" / "demo"
PASSWORD = "correct horse battery staple"
MARKERS = {"name": "机密名字甲", "notes": "证人住在丙楼", "risk": "家属受监视丁"}


def _env() -> dict:
    return {k: v for k, v in os.environ.items() if k not in ("DJANGO_SETTINGS_MODULE", "DATABASE_URL", "MINGDAN_CASE_DIR")}


def mingdan(*args, stdin: str | None = None, check: bool = True) -> subprocess.CompletedProcess:
    result = subprocess.run([sys.executable, "-m", "mingdan.cli", *map(str, args)], env=_env(), input=stdin,
                            capture_output=True, text=True)
    if check:
        assert result.returncode == 0, result.stderr
    return result


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture(scope="module")
def served(tmp_path_factory):
    """A linked demo case with a protected list and two users, served by `mingdan serve`."""
    root = tmp_path_factory.mktemp("web")
    case = root / "case"
    mingdan("init", case)
    for path, mapping in demo_lists(DEMO):
        mingdan("import", path, "--mapping", mapping, "--case", case)
    protected = root / "protected.csv"
    protected.write_text("id,name,what,notes,risk\n"
                         f"S1,{MARKERS['name']},detained,{MARKERS['notes']},{MARKERS['risk']}\n", "utf-8")
    (root / "protected.yaml").write_text(
        "source: {name: Protected list}\ncolumns:\n  id: record_id\n  name: {field: name, sensitivity: secret}\n"
        "  what: event\n  notes: notes\n  risk: risk\n", "utf-8")
    mingdan("import", protected, "--mapping", root / "protected.yaml", "--case", case)
    mingdan("link", "--case", case)
    for name, role in (("lin", "editor"), ("ada", "admin")):
        mingdan("users", "add", name, "--role", role, "--case", case, stdin=PASSWORD + "\n")
    port = _free_port()
    server = subprocess.Popen([sys.executable, "-m", "mingdan.cli", "serve", "--case", str(case), "--port", str(port)],
                              env=_env(), stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    base = f"http://localhost:{port}"
    for _ in range(120):
        try:
            urllib.request.urlopen(f"{base}/login", timeout=1)
            break
        except OSError:
            time.sleep(0.5)
    else:
        server.kill()
        pytest.fail("the server did not start: " + server.stdout.read())
    yield {"base": base, "case": case, "root": root}
    server.terminate()
    server.wait(timeout=20)


def _characters_record(case: Path) -> tuple[str, str]:
    """A record whose name is written in characters, and that name's toneless pinyin."""
    from mingdan.names.romanize import pinyin_name

    with sqlite3.connect(case / "mingdan.sqlite3") as db:
        rows = db.execute("SELECT text FROM mingdan_name WHERE script IN ('hans', 'hant') AND text NOT LIKE 'enc1:%' "
                          "ORDER BY id LIMIT 50").fetchall()
    for (text,) in rows:
        if 2 <= len(text) <= 3:
            return text, pinyin_name(text)
    pytest.fail("the demo has no name in characters")


def _sentenced_person(case: Path) -> str:
    """A linked person with a fixed-term sentence and a release in their custody history."""
    with sqlite3.connect(case / "mingdan.sqlite3") as db:
        row = db.execute("SELECT p.person_id FROM mingdan_person p WHERE p.id IN (SELECT r.person_id FROM "
                         "mingdan_record r JOIN mingdan_event e ON e.record_id = r.id JOIN mingdan_custodyevent c "
                         "ON c.event_id = e.id WHERE c.sentence_kind = 'fixed') AND (SELECT COUNT(DISTINCT "
                         "r2.source_id) FROM mingdan_record r2 WHERE r2.person_id = p.id) > 1 "
                         "ORDER BY p.person_id LIMIT 1").fetchone()
    assert row, "the demo has a sentenced person named by several lists"
    return row[0]


def test_a_user_works_through_the_main_pages_in_chromium(served, tmp_path):
    from playwright.sync_api import expect, sync_playwright

    chromium = shutil.which("chromium")
    assert chromium, "Debian's chromium is needed (apt-get install chromium; make test installs it as root)"
    shots = Path(os.environ.get("MINGDAN_SCREENSHOTS") or tmp_path)
    shots.mkdir(parents=True, exist_ok=True)
    base = served["base"]
    characters, pinyin = _characters_record(served["case"])
    custody_person = _sentenced_person(served["case"])
    errors: list[str] = []
    outside: list[str] = []
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=chromium, args=["--no-sandbox"])
        page = browser.new_page(viewport={"width": 1280, "height": 860})
        page.on("console", lambda message: errors.append(message.text) if message.type == "error" else None)
        page.on("pageerror", lambda exception: errors.append(str(exception)))
        page.on("request", lambda request: outside.append(request.url) if not request.url.startswith(base) else None)

        page.goto(f"{base}/records")
        expect(page).to_have_url(f"{base}/login?next=/records")
        page.screenshot(path=str(shots / "login.png"))
        page.fill("input[name=username]", "lin")
        page.fill("input[name=password]", PASSWORD)
        page.click("button[type=submit]")
        expect(page.locator("h1")).to_have_text("Records")

        page.fill("#q", pinyin.title())
        page.click("text=Search")
        expect(page.locator("table.list")).to_contain_text(characters)
        expect(page.locator("table.list thead")).to_contain_text("Age")  # told apart without clicking
        expect(page.locator("table.list td.events").first).not_to_be_empty()
        page.screenshot(path=str(shots / "search.png"), full_page=False)

        person_link = page.locator("table.list a[href^='/people/']").first
        person_id = person_link.inner_text()
        person_link.click()
        expect(page.locator("h1 small")).to_have_text(person_id)
        expect(page.locator("h2", has_text="Every claim, per field")).to_be_visible()
        page.screenshot(path=str(shots / "person.png"), full_page=True)

        page.goto(f"{base}/review")
        remaining = int(page.locator("#remaining").inner_text().split()[0])
        assert remaining > 0, "the demo leaves pairs for review"
        page.screenshot(path=str(shots / "review.png"), full_page=True)
        with page.expect_navigation():
            page.keyboard.press("d")
        expect(page.locator("#remaining")).to_contain_text(str(remaining - 1))

        bad = tmp_path / "bad.csv"
        bad.write_text("record_id,name,event,event_date\nR1,张三,killed,1989-13-45\nR2,李四,vanished,1989\n", "utf-8")
        page.goto(f"{base}/import")
        page.set_input_files("input[type=file]", str(bad))
        page.fill("input[name=source]", "Uploaded list")
        page.click("button[type=submit]")
        expect(page).to_have_url(re.compile(r".*/import/jobs/\d+$"))  # imported in the background ...
        problems = page.locator("#import-problems")  # ... on a page that reloads itself until it is done
        expect(problems).to_contain_text("bad.csv:2:event_date", timeout=120_000)
        expect(problems).to_contain_text("bad.csv:3:event")
        page.screenshot(path=str(shots / "import-error.png"))

        page.goto(f"{base}/accounting")
        expect(page.locator("table.list")).to_contain_text("Died in custody")
        page.screenshot(path=str(shots / "accounting.png"), full_page=True)
        with page.expect_navigation():
            page.select_option("select[name=language]", "zh-hans")
        expect(page.locator("header nav")).to_contain_text("记录")
        expect(page.locator("h1")).to_contain_text("总账")
        expect(page.locator("table.list")).to_contain_text("羁押期间死亡")
        page.screenshot(path=str(shots / "accounting-zh.png"), full_page=True)
        # The search and a person with a custody history, in 简体 and then 繁體.
        page.goto(f"{base}/records?q={pinyin}")
        expect(page.locator("table.list")).to_contain_text(characters)
        page.screenshot(path=str(shots / "search-zh.png"))
        page.goto(f"{base}/people/{custody_person}")
        expect(page.locator("body")).to_contain_text("有期徒刑")
        page.screenshot(path=str(shots / "person-zh.png"), full_page=True)
        with page.expect_navigation():
            page.select_option("select[name=language]", "zh-hant")
        expect(page.locator("header nav")).to_contain_text("記錄")
        expect(page.locator("body")).to_contain_text("有期徒刑")
        page.screenshot(path=str(shots / "person-zh-hant.png"), full_page=True)
        page.goto(f"{base}/records?q={pinyin}")
        page.screenshot(path=str(shots / "search-zh-hant.png"))
        page.goto(f"{base}/accounting")
        expect(page.locator("table.list")).to_contain_text("羈押期間死亡")
        page.screenshot(path=str(shots / "accounting-zh-hant.png"), full_page=True)
        with page.expect_navigation():
            page.select_option("select[name=language]", "en")
        page.goto(f"{base}/people/{custody_person}")
        expect(page.locator("body")).to_contain_text("fixed term of")
        page.screenshot(path=str(shots / "person-custody.png"), full_page=True)

        # An editor may read restricted values but not secret ones: the secret name stays hidden.
        page.goto(f"{base}/records?q={MARKERS['name']}")
        expect(page.locator("#result-count")).to_contain_text("0 records")
        browser.close()
    assert errors == [], errors
    assert outside == [], outside


def test_no_file_of_the_served_case_holds_a_restricted_value_and_the_audit_chain_verifies(served):
    case = served["case"]
    # The admin searches the secret name and reads it: the search and the read are audited, sealed.
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor())
    login = opener.open(f"{served['base']}/login").read().decode()
    token = login.split('name="csrfmiddlewaretoken" value="')[1].split('"')[0]
    data = urllib.parse.urlencode({"username": "ada", "password": PASSWORD, "csrfmiddlewaretoken": token}).encode()
    request = urllib.request.Request(f"{served['base']}/login", data=data, headers={"Referer": f"{served['base']}/login"})
    opener.open(request)
    found = opener.open(f"{served['base']}/api/records?q={urllib.parse.quote(MARKERS['name'])}").read().decode()
    assert MARKERS["name"] in found and MARKERS["notes"] in found
    key = case / "keys" / "data.key"
    for path in case.rglob("*"):
        if path.is_file() and path != key:
            content = path.read_bytes()
            for field, marker in MARKERS.items():
                assert marker.encode("utf-8") not in content, (path, field)
    assert "intact" in mingdan("audit", "verify", "--case", case).stdout
    with sqlite3.connect(case / "access.sqlite3") as db:  # the audit log's own database file
        db.execute("UPDATE mingdan_auditentry SET action = 'nothing' WHERE seq = 2")
    broken = mingdan("audit", "verify", "--case", case, check=False)
    assert broken.returncode == 1 and "entry 2" in broken.stderr
