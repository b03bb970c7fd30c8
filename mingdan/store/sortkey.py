"""The order record ids are listed in: as people read them (no Django here: the import worker uses it)."""

from __future__ import annotations

import re

_DIGITS = re.compile(r"([0-9]+)")


def natural_key(record_id: str) -> str:
    """A key that sorts record ids as people read them: A-2 before A-10, 9 before 10.

    Each run of digits becomes its length (two digits) then the number without leading zeros,
    so comparing the keys as text compares the numbers by value; letters compare case-blind.
    """
    parts = _DIGITS.split(record_id.casefold())
    return "".join(f"{len(p.lstrip('0') or '0'):02d}{p.lstrip('0') or '0'}" if index % 2 else p
                   for index, p in enumerate(parts))[:400]
