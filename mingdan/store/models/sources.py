"""Sources and the original documents they supplied."""

from django.db import models

from .choices import SourceKind


class Source(models.Model):
    """Who reported something: an official body, a court, an NGO list, a newspaper, a family."""

    name = models.CharField(max_length=300, unique=True)
    kind = models.CharField(max_length=20, choices=SourceKind.choices, default=SourceKind.OTHER)
    description = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Document(models.Model):
    """An original file, kept unchanged in the case folder and identified by its SHA-256."""

    source = models.ForeignKey(Source, on_delete=models.PROTECT, related_name="documents")
    version = models.PositiveIntegerField(help_text="1 for the source's first file, then 2, 3, …")
    original_name = models.CharField(max_length=500)
    sha256 = models.CharField(max_length=64, unique=True)
    stored_as = models.CharField(max_length=500, help_text="path inside the case folder")
    size = models.BigIntegerField()
    file_format = models.CharField(max_length=10)
    encoding = models.CharField(max_length=30, blank=True)
    mapping = models.JSONField(default=dict, help_text="the column mapping used, as read")
    fields_collected = models.JSONField(
        default=list, help_text="fields this layout has a column for; the others are 'not collected'"
    )
    row_count = models.PositiveIntegerField(default=0)
    rejected_count = models.PositiveIntegerField(default=0)
    imported_at = models.DateTimeField()
    imported_by = models.CharField(max_length=150, blank=True)

    class Meta:
        ordering = ["source__name", "version"]
        constraints = [
            models.UniqueConstraint(fields=["source", "version"], name="document_version_per_source")
        ]

    def __str__(self) -> str:
        return f"{self.original_name} (v{self.version} of {self.source})"
