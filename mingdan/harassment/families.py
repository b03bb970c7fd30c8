"""Which harassed people are relatives of a victim: family ties seen from the victim's side.

A victim is a person of the accounting's categories (killed, died in custody, detained, missing);
the caller says who they are. A relation pointing at anyone else (another harassed relative, a
witness) makes no family of a victim: a grandchild recorded as `child_of` a harassed mother is
not a relative of a named victim through her, and the mother is not a victim.
"""

from __future__ import annotations

from collections.abc import Iterable

#: What the person at the other end is to the victim when the relation is stated from the victim's row
#: ("V child_of M": M is a parent of the victim V). witness_for and lawyer_for are not family.
INVERSE = {"mother_of": "child_of", "father_of": "child_of", "child_of": "parent_of", "spouse_of": "spouse_of",
           "sibling_of": "sibling_of", "relative_of": "relative_of"}
FAMILY_KINDS = tuple(k for k in INVERSE if k != "parent_of")


def victim_ties(relations: Iterable[tuple[str, str, str]], victims: set[str]) -> list[tuple[str, str, str]]:
    """(relative, what they are to the victim, victim) for each family relation with a victim at one end.

    `relations` are (person, kind, other) as stated ("M mother_of V"). A relation stated from the
    victim's row ("V child_of M") is turned round ("M parent_of V"); a pair stated both ways counts once,
    as the relative's own row states it. A relation whose ends are both outside `victims` is left out.
    """
    relations = sorted(set(relations))
    ties: dict[tuple[str, str], str] = {}
    for person, kind, other in relations:
        if kind in INVERSE and person != other and other in victims:
            ties.setdefault((person, other), kind)
    for person, kind, other in relations:
        if kind in INVERSE and person != other and person in victims:
            ties.setdefault((other, person), INVERSE[kind])
    return sorted((relative, kind, victim) for (relative, victim), kind in ties.items())
