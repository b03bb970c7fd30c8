"""Stored estimates of the total number of victims, with everything needed to reproduce them."""

from django.db import models


class Estimate(models.Model):
    """One multiple systems estimate for a category: method, settings, input hash, code version, draws."""

    category = models.CharField(max_length=40, help_text="killed, detained, missing, or a stratum label")
    method = models.CharField(max_length=20)
    settings = models.JSONField(default=dict)
    input_sha256 = models.CharField(max_length=64, help_text="hash of the capture table the estimate was fitted to")
    table = models.JSONField(default=dict, help_text="the capture table: lists and counts per pattern")
    code_version = models.CharField(max_length=80)
    observed = models.PositiveIntegerField()
    estimate = models.FloatField(help_text="posterior median or MLE of the total, observed included")
    lower = models.FloatField()
    upper = models.FloatField()
    summary = models.JSONField(default=dict, help_text="quantiles, diagnostics and method-specific results")
    linkage_run = models.CharField(max_length=80, blank=True, help_text="the linkage the table was built from")
    created = models.DateTimeField(auto_now_add=True)
    created_by = models.CharField(max_length=150, blank=True)

    class Meta:
        ordering = ["category", "created"]

    def __str__(self) -> str:
        return f"{self.category}: {self.estimate:,.0f} ({self.lower:,.0f}-{self.upper:,.0f}) by {self.method}"

    def as_dict(self) -> dict:
        """The JSON form used by the accounting and the release."""
        return {
            "category": self.category, "method": self.method, "estimate": self.estimate,
            "lower": self.lower, "upper": self.upper, "observed": self.observed,
            "settings": self.settings, "input_sha256": self.input_sha256, "code_version": self.code_version,
            "created": self.created.isoformat() if self.created else None, "summary": self.summary,
            "linkage_run": self.linkage_run or None,
        }
