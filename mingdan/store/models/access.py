"""Who may use the case: accounts with a role, login attempts, the keyed audit log, import jobs, the name search index.

The login attempts, the audit log and the import jobs are written while people search and log in,
so on SQLite they live in the case's second database file (see store/routers.py): an import's long
write transaction on the records never makes a login or a search wait.
"""

from django.conf import settings
from django.db import models


class Role(models.TextChoices):
    ADMIN = "admin"
    EDITOR = "editor"
    REVIEWER = "reviewer"
    ANALYST = "analyst", "analyst (aggregates only)"
    VIEWER = "viewer"


class Account(models.Model):
    """A user's role, language and second factor (login failures are LoginAttempts)."""

    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="account")
    role = models.CharField(max_length=20, choices=Role.choices)
    language = models.CharField(max_length=10, default="en")
    totp_secret = models.TextField(blank=True, help_text="sealed with the case key; empty = no second factor")
    totp_last_step = models.BigIntegerField(null=True, blank=True,
                                            help_text="the 30-second step of the last code accepted: no code is used twice")
    session_generation = models.PositiveIntegerField(
        default=0, help_text="raised when the user is disabled, given another role or a new password: every session "
                             "opened before ends for good (a session keeps the generation it was opened under)")

    def __str__(self) -> str:
        return f"{self.user.get_username()} ({self.role})"


class LoginAttempt(models.Model):
    """A password check reserved before it is made: counted against the address and the user name.

    A row is written (in a serialised transaction) before the password is checked, so parallel
    attempts count each other; a wrong password leaves it as a failure, a successful login
    removes its own row and clears the name's.
    """

    address = models.CharField(max_length=64)
    username = models.CharField(max_length=150)
    at = models.DateTimeField()
    pending = models.BooleanField(default=True, help_text="its check has not ended yet (a possible failure)")
    cleared = models.BooleanField(default=False, help_text="a later login succeeded: no longer counts against the name")

    class Meta:
        indexes = [models.Index(fields=["address", "at"], name="loginattempt_address"),
                   models.Index(fields=["username", "at"], name="loginattempt_username")]


class ImportJob(models.Model):
    """An import started from the web, run by a background process; its progress and its outcome."""

    class State(models.TextChoices):
        QUEUED = "queued"
        RUNNING = "running"
        DONE = "done"
        FAILED = "failed"

    user = models.CharField(max_length=150)
    file_name = models.CharField(max_length=300)
    source = models.CharField(max_length=300, blank=True)
    upload = models.CharField(max_length=300, help_text="the sealed upload, inside the case's incoming folder")
    size = models.BigIntegerField(default=0)
    state = models.CharField(max_length=10, choices=State.choices, default=State.QUEUED)
    rows_done = models.PositiveBigIntegerField(default=0)
    stage = models.CharField(max_length=40, blank=True)
    created = models.DateTimeField()
    finished = models.DateTimeField(null=True, blank=True)
    process = models.PositiveIntegerField(null=True, blank=True, help_text="the background process's id")
    outcome = models.TextField(blank=True, help_text="result or problems as JSON, sealed with the case key")


class AuditHead(models.Model):
    """The single row holding the chain's last entry; locking it serializes appends on any database."""

    seq = models.PositiveBigIntegerField(default=0)
    digest = models.CharField(max_length=64, default="0" * 64)


class AuditEntry(models.Model):
    """One audited action: who, what, when; chained to the previous entry by a keyed digest (HMAC-SHA-256)."""

    seq = models.PositiveBigIntegerField(unique=True)
    at = models.DateTimeField()
    user = models.CharField(max_length=150)
    action = models.CharField(max_length=40)
    target = models.CharField(max_length=300, blank=True)
    detail = models.JSONField(default=dict, blank=True)
    previous = models.CharField(max_length=64)
    digest = models.CharField(max_length=64)
    scheme = models.CharField(max_length=12, default="sha256",
                              help_text="hmac-sha256; sha256 only for entries written before the chain was keyed")

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
