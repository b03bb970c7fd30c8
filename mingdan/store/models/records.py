"""Records, the people they are linked into, names, events and custody steps."""

from django.db import models

from mingdan.store.sortkey import natural_key

from .choices import NameType, Romanization, Script, Sensitivity
from .sources import Document, Source


class Person(models.Model):
    """A cluster of records judged to be one human being (filled by linkage)."""

    person_id = models.CharField(max_length=40, unique=True)
    created_at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return self.person_id


class Record(models.Model):
    """What one source says about one person or incident."""

    # The unique (source, record_id) constraint indexes source lookups.
    source = models.ForeignKey(Source, on_delete=models.PROTECT, related_name="records", db_index=False)
    record_id = models.CharField(max_length=200, help_text="the source's own identifier")
    first_document = models.ForeignKey(Document, on_delete=models.PROTECT, related_name="+", db_index=False)
    person = models.ForeignKey(
        Person, null=True, blank=True, on_delete=models.SET_NULL, related_name="records"
    )
    sort_key = models.CharField(max_length=400, blank=True, default="",
                                help_text="natural_key(record_id): the order lists show records in")

    class Meta:
        ordering = ["source__name", "sort_key", "record_id"]
        constraints = [
            models.UniqueConstraint(fields=["source", "record_id"], name="record_id_per_source")
        ]
        # The whole order of the records list, so that a page deep in it is read from the index alone.
        indexes = [models.Index(fields=["source", "sort_key", "record_id"], name="record_listing_order")]

    def __str__(self) -> str:
        return f"{self.source}:{self.record_id}"

    def save(self, *args, **kwargs):
        self.sort_key = natural_key(self.record_id)
        super().save(*args, **kwargs)


class Event(models.Model):
    """Something that happened to the person of a record: killed, detained, sentenced, …"""

    record = models.ForeignKey(Record, on_delete=models.PROTECT, related_name="events")
    # One of EventType, or its sealed form when the source's event column is restricted or secret.
    event_type = models.CharField(max_length=200)
    date_edtf = models.CharField(max_length=200, blank=True)
    date_earliest = models.DateField(null=True, blank=True, db_index=True)
    date_latest = models.DateField(null=True, blank=True)
    place = models.CharField(max_length=2000, blank=True)  # sealed: up to 300 characters of 3 bytes, in base64
    # The sensitivity of each value above, copied from its claim: what a reader may filter and count on.
    type_sensitivity = models.CharField(max_length=20, choices=Sensitivity.choices, default=Sensitivity.PUBLIC)
    date_sensitivity = models.CharField(max_length=20, choices=Sensitivity.choices, default=Sensitivity.PUBLIC)
    place_sensitivity = models.CharField(max_length=20, choices=Sensitivity.choices, default=Sensitivity.PUBLIC)
    document = models.ForeignKey(Document, on_delete=models.PROTECT, related_name="events")
    row = models.PositiveIntegerField()
    superseded_in = models.ForeignKey(
        Document, null=True, blank=True, on_delete=models.PROTECT, related_name="+", db_index=False,
        help_text="the later version of the source that no longer states this event as is",
    )

    class Meta:
        ordering = ["date_earliest", "id"]

    def __str__(self) -> str:
        return f"{self.event_type} {self.date_edtf}".strip()


class CustodyEvent(models.Model):
    """The custody details of a detention-related event: facility and sentence."""

    event = models.OneToOneField(Event, on_delete=models.CASCADE, related_name="custody")
    facility = models.CharField(max_length=2000, blank=True)
    # A SentenceKind and ISO 8601 durations, each sealed when the sentence column is restricted or secret.
    sentence_kind = models.CharField(max_length=200, blank=True)
    term = models.CharField(
        max_length=200, blank=True, help_text="ISO 8601 duration: the term, or the reduction"
    )
    reprieve = models.CharField(max_length=200, blank=True, help_text="for death with reprieve")
    facility_sensitivity = models.CharField(max_length=20, choices=Sensitivity.choices, default=Sensitivity.PUBLIC)
    sentence_sensitivity = models.CharField(max_length=20, choices=Sensitivity.choices, default=Sensitivity.PUBLIC)

    def __str__(self) -> str:
        return f"{self.sentence_kind} {self.term}".strip()


class HarassmentEvent(models.Model):
    """The details of a `harassed` event: its kind, who did it, and the date it was tied to."""

    event = models.OneToOneField(Event, on_delete=models.CASCADE, related_name="harassment")
    # A HarassmentKind, sealed like the event type when the event column is restricted or secret.
    kind = models.CharField(max_length=200)
    perpetrator = models.CharField(max_length=2000, blank=True, help_text="as the source names them")
    tied_to = models.CharField(max_length=200, blank=True, help_text="a TiedTo, or empty when not said")
    duration = models.CharField(max_length=200, blank=True, help_text="ISO 8601 duration, for a detention")
    kind_sensitivity = models.CharField(max_length=20, choices=Sensitivity.choices, default=Sensitivity.PUBLIC)
    perpetrator_sensitivity = models.CharField(
        max_length=20, choices=Sensitivity.choices, default=Sensitivity.PUBLIC)

    def __str__(self) -> str:
        return self.kind


class Relation(models.Model):
    """A source's claim that the person of `record` is `kind` the person of `other` (mother_of, …)."""

    record = models.ForeignKey(Record, on_delete=models.PROTECT, related_name="relations")
    other = models.ForeignKey(Record, on_delete=models.PROTECT, related_name="related_by")
    # A RelationKind, sealed when the relation is restricted or secret (restricted by default:
    # a family tie is what makes a family a target).
    kind = models.CharField(max_length=200)
    sensitivity = models.CharField(max_length=20, choices=Sensitivity.choices, default=Sensitivity.RESTRICTED)
    claim = models.OneToOneField("Claim", null=True, blank=True, on_delete=models.PROTECT,
                                 related_name="relation")
    document = models.ForeignKey(Document, on_delete=models.PROTECT, related_name="relations")
    row = models.PositiveIntegerField()
    superseded_in = models.ForeignKey(
        Document, null=True, blank=True, on_delete=models.PROTECT, related_name="+", db_index=False,
        help_text="the later version of the source that no longer states this relation as is",
    )

    class Meta:
        ordering = ["record_id", "id"]

    def __str__(self) -> str:
        return f"{self.record} {self.kind} {self.other}"


class Name(models.Model):
    """A written form of a record's name, with its script and romanization system."""

    record = models.ForeignKey(Record, on_delete=models.PROTECT, related_name="names")
    claim = models.OneToOneField("Claim", on_delete=models.PROTECT, related_name="name_form")
    text = models.CharField(max_length=300, db_index=True)
    script = models.CharField(max_length=10, choices=Script.choices)
    romanization = models.CharField(max_length=20, choices=Romanization.choices)
    name_type = models.CharField(max_length=20, choices=NameType.choices)

    def __str__(self) -> str:
        return self.text
