"""report/report.pdf: the English, 简体 and 繁體 report pages printed by Debian's chromium through Playwright.

No browser is ever downloaded. When chromium is missing or fails, the release is still made and
the reason the PDF was not is returned, printed by the CLI and recorded in manifest.json.

Each language starts on a new sheet. Its closing part (method, open data, licence) is printed in one
piece: when it does not fit under the figures it starts the language's last sheet, which it fills
by a third or more, instead of leaving the licence line alone on a sheet (an outside tester's
nearly blank page). A language whose last sheet would still be nearly blank (its last line, the
licence link, in the top quarter of the sheet, read back from the PDF by pypdf) is printed again a
little smaller, down to 80%, until that sheet is absorbed; the zoom used per language is recorded
in manifest.json (`pdf.zoom`).
"""

from __future__ import annotations

import html
import io
import os
import re
import shutil
from pathlib import Path

PDF_NAME = "report.pdf"
PRINT_CSS = """<style>
@page{size:A4;margin:16mm 14mm}
@media print{nav{display:none}body{max-width:none;margin:0;font-size:10.5pt}.print-zh{break-before:page}
figure,tr,li,.note{break-inside:avoid}h2,h3{break-after:avoid}p{orphans:3;widows:3}
img{max-height:105mm;max-width:100%;width:auto}.closing{break-inside:avoid}}
</style>"""
LOCAL_LINK = re.compile(r'<a href="(?![a-z]+:)[^"]*"[^>]*>(.*?)</a>', re.S)
#: The part of its sheet a language's last line must reach down to, else that sheet counts as nearly blank.
MIN_FILL = 0.25
SMALLER = (0.95, 0.9, 0.85, 0.8)


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


def combined_page(folder: Path, zoom: dict[str, float] | None = None) -> str:
    """One HTML document: the English page, then the 简体 and 繁體 pages each from a new sheet, each at its zoom."""
    from .report_text import LANGUAGES, PAGES

    pages = {language: (folder / PAGES[language][0]).read_text("utf-8") for language in LANGUAGES}
    head = pages["en"].split("<body>", 1)[0].replace("</head>", PRINT_CSS + "</head>", 1)
    # A relative link would become a file:// address holding this machine's folders: keep its text only.
    body = lambda page: LOCAL_LINK.sub(r"\1", page.split("<body>", 1)[1].rsplit("</body>", 1)[0])  # noqa: E731
    sections = "".join(f'<section{"" if language == "en" else " class=print-zh"} lang="{PAGES[language][2]}"'
                       f' style="zoom:{(zoom or {}).get(language, 1.0)}">{body(pages[language])}</section>'
                       for language in LANGUAGES)
    return f"{head}<body>{sections}</body></html>\n"


def print_report(folder: Path) -> dict:
    """Write folder/report.pdf; return {"made", "file", "pages", "zoom", "reason"} (reason says why when not made)."""
    from .report_text import LANGUAGES, PAGES

    chromium, why = find_chromium()
    if chromium is None:
        return {"made": False, "file": None, "pages": 0, "reason": why}
    try:
        from playwright.sync_api import sync_playwright
    except ImportError as exc:
        return {"made": False, "file": None, "pages": 0, "reason": f"playwright is not installed ({exc})"}
    folder = Path(folder).resolve()  # a file:// address needs an absolute path
    source = folder / ".print.html"
    target = folder / PDF_NAME
    zoom = {language: 1.0 for language in LANGUAGES}
    marker = _licence_link(folder)
    try:
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=chromium,
                                                 args=["--no-sandbox"] if os.geteuid() == 0 else [])
            try:
                page = browser.new_page()
                # The report is offline: anything but a local file is refused.
                page.route("**/*", lambda route: route.continue_() if route.request.url.startswith("file:")
                           else route.abort())
                source.write_text(combined_page(folder, zoom), "utf-8")
                page.goto(source.as_uri(), wait_until="load")
                page.emulate_media(media="print")
                while True:
                    data = page.pdf(format="A4", print_background=True, prefer_css_page_size=True)
                    sparse = {language: (pages, fill) for language, (pages, fill) in
                              zip(LANGUAGES, section_ends(data, marker))
                              if pages > 1 and fill < MIN_FILL and zoom[language] > SMALLER[-1]}
                    if not sparse:
                        break
                    for language, (pages, fill) in sparse.items():  # print it smaller, and look again
                        zoom[language] = _smaller(zoom[language], pages, fill)
                        page.eval_on_selector(f'section[lang="{PAGES[language][2]}"]', "(s, z) => s.style.zoom = z",
                                              zoom[language])
            finally:
                browser.close()
        target.write_bytes(data)
    except Exception as exc:  # noqa: BLE001 - any browser failure must be reported, never hide the release
        target.unlink(missing_ok=True)
        first = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
        return {"made": False, "file": None, "pages": 0, "reason": f"chromium ({chromium}) failed: {first}"}
    finally:
        source.unlink(missing_ok=True)
    return {"made": True, "file": f"report/{PDF_NAME}", "pages": page_count(data), "zoom": zoom, "reason": ""}


def _smaller(zoom: float, pages: int, fill: float) -> float:
    """The next zoom to try: about what lets the last sheet's lines fit on the sheets before it."""
    top, usable = 16 / 297, 1 - 32 / 297
    tail = max(fill - top, 0.0) / usable
    wanted = zoom * (pages - 1) / (pages - 1 + tail) * 0.95
    return next((z for z in SMALLER if z <= wanted and z < zoom), SMALLER[-1])


def _licence_link(folder: Path) -> str:
    """The address of the licence link every language's page ends with: it marks where each language ends."""
    page = (folder / "index.html").read_text("utf-8")
    found = re.search(r'<p class="licence">[^<]*<a href="([^"]+)"', page)
    return html.unescape(found.group(1)) if found else ""


def section_ends(data: bytes, marker: str) -> list[tuple[int, float]]:
    """For each language in order: how many pages it takes, and how far down its last page its last line reaches.

    A language's last line is its licence link; the link's rectangle in the PDF says where it is.
    """
    from pypdf import PdfReader

    reader = PdfReader(io.BytesIO(data))
    ends, previous = [], -1
    for index, page in enumerate(reader.pages):
        height = float(page.mediabox.height)
        lows = [float(link["/Rect"][1]) for link in (a.get_object() for a in page.get("/Annots") or [])
                if marker and link.get("/A", {}).get("/URI") == marker]
        if lows:
            ends.append((index - previous, (height - min(lows)) / height))
            previous = index
    return ends


def page_count(data: bytes) -> int:
    """Pages in a PDF (read by a PDF parser)."""
    from pypdf import PdfReader

    return len(PdfReader(io.BytesIO(data)).pages)
