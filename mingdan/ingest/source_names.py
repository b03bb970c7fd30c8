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
#: Characters that show as nothing though no category says so (Unicode's Default_Ignorable_Code_Point and blanks).
_BLANKS = frozenset("\u034f\u115f\u1160\u17b4\u17b5\u2800\u3164\uffa0") | frozenset(map(chr, range(0x180b, 0x1810)))


def _invisible(ch: str) -> bool:
    """True for a character a reader cannot see: controls, formatting, separators other than a space, blanks."""
    point = ord(ch)
    return (unicodedata.category(ch) in ("Cc", "Cf", "Zl", "Zp", "Co", "Cn") or (ch.isspace() and ch != " ")
            or ch in _BLANKS or 0xFE00 <= point <= 0xFE0F or 0xE0100 <= point <= 0xE01EF)


def check_source_name(name: str, file: str) -> None:
    """Refuse a source name that is mingdan's own, cannot be shown as typed, or reads like another source's."""
    from mingdan.store.models import Source

    shown = repr(name) if len(name) <= 80 else f"{name[:80]!r}… ({len(name):,} characters)"

    def refuse(reason: str) -> ImportFailed:
        return ImportFailed([Problem(file, None, "source", f"the source name {shown} {reason}")])

    read = skeleton(" ".join(name.split()))
    if name in RESERVED or read in {skeleton(reserved) for reserved in RESERVED}:
        raise refuse("is mingdan's own, for what is entered in its pages; choose another")
    if len(name) > LONGEST:
        raise refuse(f"is longer than {LONGEST} characters")
    # A zero-width space, a right-to-left override, a variation selector or a blank letter (ㅤ, ⠀) makes a name look
    # like another or like nothing (outside testers, rt44 and rerun44).
    if not name.strip() or name != name.strip() or any(_invisible(ch) for ch in name):
        raise refuse("is empty, has a space at an end, or holds a control or invisible character")
    for other in Source.objects.exclude(name=name).values_list("name", flat=True):
        if skeleton(" ".join(other.split())) == read:
            raise refuse(f"reads like the existing source {other!r} (the same letters in other scripts, widths or "
                         "cases): import into that source by its own name, or choose a name that cannot be mistaken "
                         "for it")
