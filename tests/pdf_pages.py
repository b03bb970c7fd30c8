"""How much of each page of a PDF holds text, read by poppler's pdftotext: the check for nearly blank pages.

A figure carries its caption under it, so how far down a page its text reaches also says how far
its figures reach; a page whose text ends in its top quarter holds a line or two and nothing else.
"""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

#: A page whose text ends above this part of its height, or holds fewer characters, is nearly blank.
MIN_REACH = 0.25
MIN_CHARACTERS = 15


def page_text(pdf: Path) -> list[tuple[int, float]]:
    """Per page: the characters of its text, and how far down the page (0 to 1) its lowest word reaches."""
    assert shutil.which("pdftotext"), "poppler-utils is needed (make test installs it)"
    boxes = subprocess.run(["pdftotext", "-bbox", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
    pages = []
    for page in re.findall(r"<page (.*?)</page>", boxes, re.S):
        height = float(re.search(r'height="([\d.]+)"', page).group(1))
        words = re.findall(r'<word xMin="[\d.]+" yMin="[\d.]+" xMax="[\d.]+" yMax="([\d.]+)">(.*?)</word>', page)
        pages.append((sum(len(text) for _, text in words), max((float(y) for y, _ in words), default=0.0) / height))
    counted = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True, check=True).stdout
    assert len(pages) == int(counted.split("Pages:")[1].split()[0])
    return pages


def nearly_blank_pages(pdf: Path) -> list[str]:
    """The pages but the last with very little text: fewer than MIN_CHARACTERS, or ending in the top quarter."""
    pages = page_text(pdf)
    return [f"page {number} of {len(pages)}: {characters} characters, its text ends {reach:.0%} down the page"
            for number, (characters, reach) in enumerate(pages[:-1], start=1)
            if characters < MIN_CHARACTERS or reach < MIN_REACH]
