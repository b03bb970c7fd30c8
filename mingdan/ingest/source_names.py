"""Which names a list's source may be given: its own, shown faithfully, and not one of mingdan's or a look-alike."""

from __future__ import annotations

import unicodedata

from mingdan.names.lookalike import skeleton

from .problems import ImportFailed, Problem

AMENDMENTS = "Amendments entered in mingdan"
ENTERED = "Relations entered in mingdan"
CLAIMS_SOURCE = "count claims file"

#: Sources mingdan writes itself: a list imported under one of them became a new version of it and superseded every
#: amendment of the case (an outside tester, rt44).
RESERVED = (AMENDMENTS, ENTERED, CLAIMS_SOURCE)
LONGEST = 200


def check_source_name(name: str, file: str) -> None:
    """Refuse a source name that is mingdan's own, cannot be shown as typed, or reads like another source's."""
    from mingdan.store.models import Source

    def refuse(reason: str) -> ImportFailed:
        return ImportFailed([Problem(file, None, "source", f"the source name {name!r} {reason}")])

    if name in RESERVED:
        raise refuse("is mingdan's own, for what is entered in its pages; choose another")
    if len(name) > LONGEST:
        raise refuse(f"is longer than {LONGEST} characters")
    # A zero-width space, a right-to-left override or a tab makes a name look like another or like nothing.
    if not name.strip() or name != name.strip() or any(unicodedata.category(ch) in ("Cc", "Cf", "Zl", "Zp")
                                                        for ch in name):
        raise refuse("is empty, has a space at an end, or holds a control or invisible formatting character")
    read = skeleton(" ".join(name.split()))
    for other in Source.objects.exclude(name=name).values_list("name", flat=True):
        if skeleton(" ".join(other.split())) == read:
            raise refuse(f"reads like the existing source {other!r} (the same letters in other scripts, widths or "
                         "cases): import into that source by its own name, or choose a name that cannot be mistaken "
                         "for it")
