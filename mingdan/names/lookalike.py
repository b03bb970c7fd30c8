"""Text as a person reads it: full-width, cased and look-alike letters of other scripts read as the Latin ones."""

from __future__ import annotations

import unicodedata
from functools import cache


def _without_marks(text: str) -> str:
    return "".join(ch for ch in unicodedata.normalize("NFKD", text) if not unicodedata.combining(ch))


@cache
def _latin(ch: str) -> str:
    """The Latin letter or digit a character imitates, or the character without its accents."""
    from confusable_homoglyphs.confusables import confusables_data

    if ch.isascii():
        return ch
    for homoglyph in confusables_data.get(ch, ()):
        latin = _without_marks(homoglyph["c"])
        if latin.isascii() and latin.isalnum():
            return latin.casefold()
    return _without_marks(ch)


def skeleton(text: str) -> str:
    """The text as read: NFKC, casefolded, look-alike letters as Latin ones, accents removed."""
    return "".join(_latin(ch) for ch in unicodedata.normalize("NFKC", text).casefold())
