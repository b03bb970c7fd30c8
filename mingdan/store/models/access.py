"""Who may use the case: accounts with a role, the hash-chained audit log, the name search index."""

from django.conf import settings
from django.db import models


class Role(models.TextChoices):
    ADMIN = "admin"
    EDITOR = "editor"
    REVIEWER = "reviewer"
    ANALYST = "analyst", "analyst (aggregates only)"
    VIEWER = "viewer"


class Account(models.Model):
    """A user's role, language, second factor and login-failure state."""

    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="account")
    role = models.CharField(max_length=20, choices=Role.choices)
    language = models.CharField(max_length=10, default="en")
    totp_secret = models.TextField(blank=True, help_text="sealed with the case key; empty = no second factor")
    failed_logins = models.PositiveIntegerField(default=0)
    locked_until = models.DateTimeField(null=True, blank=True)

    def __str__(self) -> str:
        return f"{self.user.get_username()} ({self.role})"


class AuditHead(models.Model):
    """The single row holding the chain's last entry; locking it serializes appends on any database."""

    seq = models.PositiveBigIntegerField(default=0)
    digest = models.CharField(max_length=64, default="0" * 64)


class AuditEntry(models.Model):
    """One audited action: who, what, when; chained to the previous entry by its SHA-256."""

    seq = models.PositiveBigIntegerField(unique=True)
    at = models.DateTimeField()
    user = models.CharField(max_length=150)
    action = models.CharField(max_length=40)
    target = models.CharField(max_length=300, blank=True)
    detail = models.JSONField(default=dict, blank=True)
    previous = models.CharField(max_length=64)
    digest = models.CharField(max_length=64)

    class Meta:
        ordering = ["seq"]

    def __str__(self) -> str:
        return f"#{self.seq} {self.at:%Y-%m-%d %H:%M:%S} {self.user} {self.action} {self.target}"


class NameKey(models.Model):
    """A search key of one written name (a pinyin reading, characters); sealed unless the name is public."""

    record = models.ForeignKey("Record", on_delete=models.CASCADE, related_name="name_keys")
    name = models.ForeignKey("Name", on_delete=models.CASCADE, related_name="keys")
    key = models.CharField(max_length=300)
    sensitivity = models.CharField(max_length=20)

    class Meta:
        indexes = [models.Index(fields=["key"], name="namekey_key")]
