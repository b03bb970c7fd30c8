"""The report in a real browser (Debian's chromium through Playwright): no errors, nothing fetched from outside."""

from __future__ import annotations

import functools
import http.server
import shutil
import threading

import pytest

from mingdan.publish.release import publish


@pytest.fixture
def served_release(case, tmp_path, write_rows, no_pdf):
    from mingdan.ingest.importer import import_file

    rows = [{"record_id": f"A{i}", "name": f"赵刚{i}", "event": "killed", "place": "西城区", "event_date": "1989-06-04",
             "consent_publish_name": "同意" if i % 2 else "不同意"} for i in range(12)]
    header = ["record_id", "name", "event", "place", "event_date", "consent_publish_name"]
    import_file(case, write_rows(rows, header=header), source_name="Families")
    publish(case, tmp_path / "release")
    handler = functools.partial(http.server.SimpleHTTPRequestHandler, directory=str(tmp_path / "release"))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()


def test_report_pages_load_with_no_console_errors_and_no_outside_requests(served_release):
    from playwright.sync_api import sync_playwright

    chromium = shutil.which("chromium")
    assert chromium, "Debian's chromium is needed (apt-get install chromium; make test installs it as root)"
    errors, outside = [], []
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=chromium, args=["--no-sandbox"])
        page = browser.new_page()
        page.on("console", lambda message: errors.append(message.text) if message.type == "error" else None)
        page.on("pageerror", lambda exception: errors.append(str(exception)))
        page.on("request", lambda request: outside.append(request.url)
                if not request.url.startswith(served_release) else None)
        for name, heading in (("index.html", "A public accounting"), ("index.zh.html", "公开的名单与统计"),
                              ("index.zh-hant.html", "公開的名單與統計")):
            response = page.goto(f"{served_release}/report/{name}")
            assert response.ok
            assert page.locator("h1").inner_text() == heading
            images = page.locator("img")
            assert images.count() == 4
            for index in range(images.count()):
                assert page.evaluate("(img) => img.naturalWidth", images.nth(index).element_handle()) > 0
        page.click("text=English")
        assert page.url.endswith("index.html")
        browser.close()
    assert errors == [] and outside == []
