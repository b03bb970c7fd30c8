"""Claims: every substantive value with its source, locator, kind and state."""

from django.db import models

from .choices import ClaimKind, Sensitivity, Verification
from .records import Event, Record
from .sources import Document


class ClaimQuerySet(models.QuerySet):
    def current(self) -> "ClaimQuerySet":
        """Claims no later version of their source has replaced."""
        return self.filter(superseded_in__isnull=True)


class Claim(models.Model):
    """One value one source gave for one field of one record, kept exactly as reported."""

    # Indexed by the (record, field) index below; a second index would only slow imports.
    record = models.ForeignKey(Record, on_delete=models.PROTECT, related_name="claims", db_index=False)
    event = models.ForeignKey(
        Event, null=True, blank=True, on_delete=models.PROTECT, related_name="claims"
    )
    field = models.CharField(max_length=40)
    value = models.TextField(blank=True, help_text="the cell exactly as in the original")
    normalized = models.TextField(blank=True, help_text="the validated canonical form")
    kind = models.CharField(max_length=20, choices=ClaimKind.choices, default=ClaimKind.EXACT)
    value_min = models.FloatField(null=True, blank=True)
    value_max = models.FloatField(null=True, blank=True)
    date_earliest = models.DateField(null=True, blank=True)
    date_latest = models.DateField(null=True, blank=True)
    # Locator: where in which original file the value stands. Null document = entered by hand.
    document = models.ForeignKey(
        Document, null=True, blank=True, on_delete=models.PROTECT, related_name="claims"
    )
    row = models.PositiveIntegerField(null=True, blank=True)
    column = models.CharField(max_length=200, blank=True)
    entered_by = models.CharField(max_length=150, blank=True)
    entered_at = models.DateTimeField(null=True, blank=True)
    confidence = models.FloatField(null=True, blank=True, help_text="0 to 1, when the source says")
    verification = models.CharField(
        max_length=20, choices=Verification.choices, default=Verification.UNVERIFIED
    )
    sensitivity = models.CharField(
        max_length=20, choices=Sensitivity.choices, default=Sensitivity.PUBLIC
    )
    supersedes = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="superseded_by",
        db_index=False,
    )
    superseded_in = models.ForeignKey(
        Document, null=True, blank=True, on_delete=models.PROTECT, related_name="+",
        db_index=False,
    )

    objects = ClaimQuerySet.as_manager()

    class Meta:
        indexes = [models.Index(fields=["record", "field"], name="claim_record_field")]

    def __str__(self) -> str:
        return f"{self.field}={self.value!r} ({self.kind})"

    @property
    def locator(self) -> str:
        """Where the value comes from: file, row and column, or who entered it."""
        if self.document_id is None:
            return f"entered by {self.entered_by or '?'} at {self.entered_at}"
        return f"{self.document.original_name}:{self.row}:{self.column}"
