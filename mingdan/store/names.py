"""The written names of records as a reader may see them, and the display name chosen from them.

Every output that prints a name (web pages, the custody status, the release) goes through
`display_names` / `person_names`, so the same rule (`mingdan.names.display.choose`) picks the
same name everywhere. Only current name claims of the sensitivities the reader may read are
ever read; a restricted or secret form is not even revealed for a public reader.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable

from mingdan.names.display import DisplayName, NameForm, choose

from .crypto import reveal

PUBLIC = ("public",)


def name_forms(record_pks: Iterable[int], readable: tuple[str, ...] = PUBLIC) -> dict[int, list[NameForm]]:
    """record pk -> its current written names of the readable sensitivities, in the order they were written."""
    from .models import Name

    pks = list(record_pks)
    found: dict[int, list[NameForm]] = defaultdict(list)
    if not pks or not readable:
        return found
    for start in range(0, len(pks), 5000):
        rows = (Name.objects.filter(record_id__in=pks[start:start + 5000], claim__superseded_in__isnull=True,
                                    claim__sensitivity__in=readable)
                .order_by("id").values_list("record_id", "text", "script", "romanization", "name_type",
                                            "record__source__name"))
        for record, text, script, romanization, name_type, source in rows:
            found[record].append(NameForm(reveal(text), script, romanization, name_type, source))
    return found


def display_names(record_pks: Iterable[int], readable: tuple[str, ...] = PUBLIC,
                  script: str | None = None) -> dict[int, str]:
    """record pk -> the record's display name ('' when every name is withheld from this reader)."""
    names = {}
    for record, forms in name_forms(record_pks, readable).items():
        chosen = choose(forms)
        if chosen is not None:
            names[record] = chosen.in_script(script) if script else chosen.name
    return names


def person_names(groups: dict[str, list[int]], readable: tuple[str, ...] = PUBLIC) -> dict[str, DisplayName]:
    """person key -> the display name chosen from every record of the person (absent when none is readable)."""
    forms = name_forms([pk for pks in groups.values() for pk in pks], readable)
    chosen = {}
    for person, pks in groups.items():
        name = choose([form for pk in pks for form in forms.get(pk, [])])
        if name is not None:
            chosen[person] = name
    return chosen
