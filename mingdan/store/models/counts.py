"""Aggregate count claims and per-purpose consent."""

from django.db import models

from .choices import ConsentPurpose, ConsentStatus, Verification
from .records import Record
from .sources import Document, Source


class CountClaim(models.Model):
    """A published figure ("727 killed, per X, as of Y, scope Z"), never merged with others."""

    metric = models.CharField(max_length=100, db_index=True)
    scope = models.CharField(max_length=300)
    as_of = models.CharField(max_length=60, help_text="EDTF")
    as_of_earliest = models.DateField()
    as_of_latest = models.DateField()
    minimum = models.BigIntegerField(null=True, blank=True)
    best = models.BigIntegerField(null=True, blank=True)
    maximum = models.BigIntegerField(null=True, blank=True)
    qualifier = models.TextField(blank=True, help_text="what the figure includes, 'about', 'at least'")
    source = models.ForeignKey(Source, on_delete=models.PROTECT, related_name="count_claims")
    cited_in = models.CharField(max_length=300, blank=True)
    method = models.CharField(max_length=200, blank=True)
    verification = models.CharField(
        max_length=20, choices=Verification.choices, default=Verification.UNVERIFIED
    )
    document = models.ForeignKey(Document, on_delete=models.PROTECT, related_name="count_claims")
    row = models.PositiveIntegerField()

    class Meta:
        ordering = ["metric", "as_of_earliest", "id"]
        constraints = [
            models.UniqueConstraint(fields=["document", "row"], name="count_claim_per_row")
        ]

    def __str__(self) -> str:
        return f"{self.metric}: {self.figure} per {self.source} ({self.as_of})"

    @property
    def figure(self) -> str:
        """The figure as a reader would say it: '727', '400–800', 'at least 8'."""
        if self.best is not None:
            return f"{self.best:,}"
        if self.minimum is not None and self.maximum is not None:
            return f"{self.minimum:,}–{self.maximum:,}"
        if self.minimum is not None:
            return f"at least {self.minimum:,}"
        return f"at most {self.maximum:,}"


class Consent(models.Model):
    """What the person (or family) allowed, per purpose."""

    record = models.ForeignKey(Record, on_delete=models.PROTECT, related_name="consents")
    purpose = models.CharField(max_length=20, choices=ConsentPurpose.choices)
    status = models.CharField(max_length=20, choices=ConsentStatus.choices)
    given_by = models.CharField(max_length=200, blank=True)
    date_edtf = models.CharField(max_length=60, blank=True)
    recorded_at = models.DateTimeField(auto_now_add=True)
    recorded_by = models.CharField(max_length=150, blank=True)

    class Meta:
        ordering = ["record", "purpose", "-recorded_at"]
