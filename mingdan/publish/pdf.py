"""report/report.pdf: the English and Chinese report pages printed by Debian's chromium through Playwright.

No browser is ever downloaded. When chromium is missing or fails, the release is still made and
the reason the PDF was not is returned, printed by the CLI and recorded in manifest.json.
"""

from __future__ import annotations

import os
import re
import shutil
from pathlib import Path

PDF_NAME = "report.pdf"
PRINT_CSS = """<style>
@page{size:A4;margin:16mm 14mm}
@media print{nav{display:none}body{max-width:none;margin:0}.print-zh{break-before:page}
figure,tr{break-inside:avoid}h2{break-after:avoid}}
</style>"""


def find_chromium() -> tuple[str | None, str]:
    """The chromium executable to print with (MINGDAN_CHROMIUM, else chromium on PATH), or None and why not."""
    wanted = os.environ.get("MINGDAN_CHROMIUM")
    if wanted:
        if Path(wanted).is_file() and os.access(wanted, os.X_OK):
            return wanted, ""
        return None, f"MINGDAN_CHROMIUM={wanted} is not an executable file"
    found = shutil.which("chromium") or ("/usr/bin/chromium" if os.access("/usr/bin/chromium", os.X_OK) else None)
    if found:
        return found, ""
    return None, "chromium was not found (install Debian's chromium: apt-get install chromium)"


def combined_page(folder: Path) -> str:
    """One HTML document: the English page, a page break, the Chinese page (same styles and figures)."""
    english = (folder / "index.html").read_text("utf-8")
    chinese = (folder / "index.zh.html").read_text("utf-8")
    head = english.split("<body>", 1)[0].replace("</head>", PRINT_CSS + "</head>")
    body = lambda page: page.split("<body>", 1)[1].rsplit("</body>", 1)[0]  # noqa: E731
    return (f'{head}<body><section lang="en">{body(english)}</section>'
            f'<section class="print-zh" lang="zh-Hans">{body(chinese)}</section></body></html>\n')


def print_report(folder: Path) -> dict:
    """Write folder/report.pdf; return {"made", "file", "pages", "reason"} (reason says why when not made)."""
    chromium, why = find_chromium()
    if chromium is None:
        return {"made": False, "file": None, "pages": 0, "reason": why}
    try:
        from playwright.sync_api import sync_playwright
    except ImportError as exc:
        return {"made": False, "file": None, "pages": 0, "reason": f"playwright is not installed ({exc})"}
    source = folder / ".print.html"
    target = folder / PDF_NAME
    source.write_text(combined_page(folder), "utf-8")
    try:
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=chromium,
                                                 args=["--no-sandbox"] if os.geteuid() == 0 else [])
            try:
                page = browser.new_page()
                # The report is offline: anything but a local file is refused.
                page.route("**/*", lambda route: route.continue_() if route.request.url.startswith("file:")
                           else route.abort())
                page.goto(source.as_uri(), wait_until="load")
                page.emulate_media(media="print")
                page.pdf(path=str(target), format="A4", print_background=True, prefer_css_page_size=True)
            finally:
                browser.close()
    except Exception as exc:  # noqa: BLE001 - any browser failure must be reported, never hide the release
        target.unlink(missing_ok=True)
        first = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
        return {"made": False, "file": None, "pages": 0, "reason": f"chromium ({chromium}) failed: {first}"}
    finally:
        source.unlink(missing_ok=True)
    return {"made": True, "file": f"report/{PDF_NAME}", "pages": page_count(target.read_bytes()), "reason": ""}


def page_count(data: bytes) -> int:
    """Pages in a PDF, counted from its page objects (enough for the PDFs chromium writes)."""
    return len(re.findall(rb"/Type\s*/Page(?![a-zA-Z])", data))
