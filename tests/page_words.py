"""English words a reader sees on a page outside its data: what a page in Chinese must not hold.

Data (names, source names, record ids, values as recorded, file names) is marked translate="no";
text inside it is not looked at, nor scripts, styles and the <title>. Shown attributes are.
"""

from __future__ import annotations

import re
from html.parser import HTMLParser

#: Words that are the same in every language here: the product's name, file formats and acronyms.
ALLOWED = {"mingdan", "JSON", "CSV", "XLSX", "SHA", "TOTP", "EDTF", "LCMCR", "DGA", "UpSet", "PDF",
           "CC", "CC-BY", "BY-SA", "CC-BY-SA", "ODbL", "ODC-By", "PDDL"}  # the last are SPDX licence identifiers
SHOWN_ATTRIBUTES = ("title", "placeholder", "alt", "aria-label")
VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"}


class _Words(HTMLParser):
    """English words in the text and shown attributes of a page, outside translate="no", scripts and the title."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.stack: list[tuple[str, bool]] = []
        self.found: list[str] = []

    def _skipping(self) -> bool:
        return any(skip for _, skip in self.stack)

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        skip = attributes.get("translate") == "no" or tag in ("script", "style", "title")
        if not skip and not self._skipping():
            for name in SHOWN_ATTRIBUTES:
                self._check(attributes.get(name) or "", f"<{tag} {name}>")
        if tag not in VOID:
            self.stack.append((tag, skip))

    def handle_endtag(self, tag):
        while self.stack:
            if self.stack.pop()[0] == tag:
                break

    def handle_data(self, data):
        if not self._skipping():
            self._check(data, self.stack[-1][0] if self.stack else "")

    def _check(self, text: str, where: str) -> None:
        for word in re.findall(r"[A-Za-z][A-Za-z'’-]*[A-Za-z]", text):
            if word not in ALLOWED:
                self.found.append(f"{word!r} in {where}: {text.strip()[:80]!r}")


def english_words(page: str) -> list[str]:
    """The English words a reader of this page would see outside the data."""
    parser = _Words()
    parser.feed(page)
    return parser.found
