"""The one place where a stored value is revealed to a reader, according to the sensitivities it may read.

Every page, JSON answer, export, facet, filter, sort and count reads values through a Lens:
`value()` gives the plaintext of a value this reader may read and None for any other;
`may()` tells whether a column of a given sensitivity may take part in a filter or a count;
`sealed_forms()` gives the sealed forms a readable value can have in the database, so a filter
over a sealed column is an equality on ciphertext (AES-SIV is deterministic) for the readers
who may read it and is never applied for the others. The command line and the computations
that publish (release, estimates) read through `Lens.everything()`.

A lens also notes what it revealed beyond public values, and what it withheld (how many, and of
which records), so the web application can audit every read of a record holding a restricted or
secret value in one place.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from .crypto import active, is_sealed, reveal

#: Sensitivities from the least to the most protected.
LEVELS = ("public", "restricted", "secret")
#: The sensitivities each role may read (the web application's roles; the import job reads them too).
ROLE_READS: dict[str, tuple[str, ...]] = {
    "admin": ("public", "restricted", "secret"),
    "editor": ("public", "restricted"),
    "reviewer": ("public", "restricted"),
    "analyst": ("public",),
    "viewer": ("public",),
}
#: The roles that read relations and harassment (Lens.families): those that may edit (web/roles.py PERMISSIONS).
FAMILY_ROLES = ("admin", "editor")
#: Event types only editors and admins see (Lens.families): a harassment record is most often a
#: relative's, and which records are relatives' is what a reader below editor must not learn. Below
#: editor these events, and every claim of them, are left out as if absent, on every record alike.
FAMILY_EVENTS = ("harassed",)


def role_views() -> list[tuple[tuple[str, ...], bool]]:
    """The distinct (readable levels, families) a role reads by: what the per-view figures are computed for."""
    return sorted({(ROLE_READS[role], role in FAMILY_ROLES) for role in ROLE_READS})


@dataclass
class Lens:
    """What one reader may read; counts what it revealed beyond public values."""

    readable: tuple[str, ...]
    # Whether this reader may read relations between records and the details of harassment (editors
    # and admins): a family tie is what makes a family a target, so below them these are neither
    # shown nor marked withheld, on any record, so that no difference between records tells of one.
    families: bool = False
    revealed: int = 0
    withheld: int = 0
    records: set[int] = field(default_factory=set)

    @classmethod
    def everything(cls) -> "Lens":
        """The lens of the case's own computations and the command line (whoever holds the key)."""
        return cls(LEVELS, families=True)

    @property
    def level(self) -> str:
        """The most protected sensitivity this reader may read ('' for none): cache keys use it."""
        return next((s for s in reversed(LEVELS) if s in self.readable), "")

    @property
    def sealed_levels(self) -> tuple[str, ...]:
        """The sensitivities above public this reader may read."""
        return tuple(s for s in self.readable if s != "public")

    def may(self, sensitivity: str | None) -> bool:
        """True when a value of this sensitivity may be shown, filtered on or counted for this reader."""
        return (sensitivity or "public") in self.readable

    def hides_events(self) -> bool:
        """True when this reader must not see the family events (FAMILY_EVENTS) at all."""
        return not self.families

    def family(self, text: str | None, sensitivity: str | None, record: int | None = None) -> str | None:
        """A relation's or a harassment detail's plaintext for this reader; None below editor or above its level."""
        if not self.families:
            return None
        return self.value(text, sensitivity, record)

    def value(self, text: str | None, sensitivity: str | None, record: int | None = None) -> str | None:
        """The plaintext for this reader, or None when the reader may not read it."""
        if text:
            self.note(sensitivity, record)
        if not self.may(sensitivity):
            return None
        return reveal(text) if is_sealed(text) else text

    def note(self, sensitivity: str | None, record: int | None = None) -> None:
        """Count a value of this sensitivity as revealed or withheld (public values are not counted), for the audit."""
        if not self.may(sensitivity):
            self.withheld += 1
        elif (sensitivity or "public") != "public":
            self.revealed += 1
        else:
            return
        if record is not None:
            self.records.add(record)

    def compared(self, text: str | None, sensitivity: str | None) -> str | None:
        """The plaintext for matching a filter inside the server (not shown, so not counted); None if not readable."""
        if not self.may(sensitivity):
            return None
        return reveal(text) if is_sealed(text) else text

    def sealed_forms(self, text: str) -> list[str]:
        """Every form a readable value can take in a column: plain, and sealed under each key of the case."""
        forms = [text]
        if self.sealed_levels and text:
            keyring = active()
            forms.extend(keyring.seal_with(kid, text) for kid in keyring.keys)
        return forms


def family_events_q(prefix: str = ""):
    """Events (or, with a prefix like 'event__', what relates to them) of a FAMILY_EVENTS type, plain or sealed."""
    from django.db.models import Q

    from .crypto import CaseKeyError

    forms = list(FAMILY_EVENTS)
    try:
        keyring = active()
        forms += [keyring.seal_with(kid, kind) for kind in FAMILY_EVENTS for kid in keyring.keys]
    except CaseKeyError:
        pass  # no key open: nothing sealed can be read, so the plain forms are all a reader could meet
    return Q(**{f"{prefix}event_type__in": forms})


def without_family_events(queryset, lens: Lens, prefix: str = ""):
    """The queryset less family events (or what relates to them, with a prefix) when the lens hides them."""
    return queryset.exclude(family_events_q(prefix)) if lens.hides_events() else queryset


def event_types_q(lens: Lens, types, prefix: str = ""):
    """Events (or, with a prefix like 'events__', what relates to them) of these types that the lens may read.

    A public type matches as written; a restricted or secret one by its sealed forms, and only
    for a lens that may read that sensitivity. No other reader's filter or count can touch it.
    """
    from django.db.models import Q

    types = [kind for kind in types if not (lens.hides_events() and kind in FAMILY_EVENTS)]
    condition = Q(**{f"{prefix}type_sensitivity": "public", f"{prefix}event_type__in": types})
    if lens.sealed_levels and types:
        forms = [form for kind in types for form in lens.sealed_forms(kind)[1:]]
        condition |= Q(**{f"{prefix}type_sensitivity__in": lens.sealed_levels, f"{prefix}event_type__in": forms})
    return condition
