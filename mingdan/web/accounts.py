"""Users, roles, login attempts and the second factor (no web imports: the CLI uses this too)."""

from __future__ import annotations

import base64
import secrets
import time
import unicodedata
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone

from cryptography.hazmat.primitives.hashes import SHA1
from cryptography.hazmat.primitives.twofactor import InvalidToken
from cryptography.hazmat.primitives.twofactor.totp import TOTP

#: Failed logins a user name may have in any window of LOCK_MINUTES (a successful login clears them).
MAX_FAILURES = 5
LOCK_MINUTES = 15
#: Failed logins one address may make in any window of ADDRESS_WINDOW seconds, whatever names it tries.
ADDRESS_LIMIT, ADDRESS_WINDOW = 30, 300
#: Attempts older than this are deleted (they no longer count for anything).
KEEP_ATTEMPTS = timedelta(days=1)


class AccountError(ValueError):
    """A user cannot be created or changed as asked; the message says why."""


def plain_name(name: str) -> bool:
    """True when a typed user name can be stored and shown as typed: not empty, no control, format or line
    separator characters (a NUL cut the name short in the database), no space at either end."""
    return bool(name) and name == name.strip() and not any(
        unicodedata.category(ch)[0] == "C" or unicodedata.category(ch) in ("Zl", "Zp") for ch in name)


def _check_new_name(name: str) -> None:
    """Refuse a new user name that could not be stored or shown faithfully, or that reads like an existing one."""
    from django.contrib.auth import get_user_model
    from django.contrib.auth.validators import UnicodeUsernameValidator
    from django.core.exceptions import ValidationError

    from .passwords import skeleton

    if not plain_name(name) or len(name) > 150:
        raise AccountError(f"the user name {name!r} holds a control character or a space at an end, or is empty or "
                           "longer than 150 characters")
    try:
        UnicodeUsernameValidator()(name)
    except ValidationError:
        raise AccountError(f"the user name {name!r} may hold only letters, digits and @ . + - _") from None
    users = get_user_model().objects.values_list("username", flat=True)
    if name in users:
        raise AccountError(f"a user named {name!r} exists already")
    alike = next((other for other in users if skeleton(other) == skeleton(name)), None)
    if alike is not None:
        raise AccountError(f"the user name {name!r} reads like the existing user {alike!r} (the same letters in other "
                           "scripts, widths or cases): choose a name that cannot be mistaken for it in the audit log")


def add_user(name: str, role: str, password: str, language: str = "en"):
    """Create a user with a role; the name must be storable as typed and the password must pass the validators."""
    from django.contrib.auth import get_user_model
    from django.contrib.auth.password_validation import ValidationError, validate_password
    from django.db import transaction

    from mingdan.store.models import Account, Role

    if role not in Role.values:
        raise AccountError(f"unknown role {role!r}; choose one of: {', '.join(Role.values)}")
    User = get_user_model()
    _check_new_name(name)
    user = User(username=name)
    try:
        validate_password(password, user)
    except ValidationError as exc:
        raise AccountError("; ".join(exc.messages)) from None
    with transaction.atomic():
        user.set_password(password)
        user.save()
        Account.objects.create(user=user, role=role, language=language)
    return user


def _existing(name: str):
    from django.contrib.auth import get_user_model

    user = get_user_model().objects.select_related("account").filter(username=name).first()
    if user is None or not hasattr(user, "account"):
        raise AccountError(f"there is no user named {name!r}; `mingdan users list` shows them")
    return user


#: The session key holding the generation of the account a session was opened under.
GENERATION = "mingdan_generation"


def end_sessions(user) -> None:
    """End every open session of the user for good: sessions opened before carry an older generation."""
    from django.db.models import F

    from mingdan.store.models import Account

    Account.objects.filter(user=user).update(session_generation=F("session_generation") + 1)


def session_is_current(session, account) -> bool:
    """True when the session was opened under the account's present generation (sessions from before it began
    carry none and count as generation 0)."""
    return session.get(GENERATION, 0) == account.session_generation


def set_active(name: str, active: bool, by: str) -> None:
    """Disable a user (no login, and every open session ends for good: enabling again does not bring them back)
    or enable them again; audited."""
    from django.db import transaction

    from mingdan.store import audit

    user = _existing(name)
    with audit.recording(by, "user-enabled" if active else "user-disabled", name), transaction.atomic():
        user.is_active = active
        user.save(update_fields=["is_active"])
        if not active:
            end_sessions(user)


def reset_password(name: str, password: str, by: str) -> None:
    """Give a user a new password (validated like a new user's); their open sessions end; audited."""
    from django.contrib.auth.password_validation import ValidationError, validate_password

    from mingdan.store import audit

    user = _existing(name)
    try:
        validate_password(password, user)
    except ValidationError as exc:
        raise AccountError("; ".join(exc.messages)) from None
    user.set_password(password)  # hashed before the log's lock is taken: every audited page waits for it
    with audit.recording(by, "user-password-reset", name):
        user.save(update_fields=["password"])  # the session hash changes with it: every open session of the user ends
        end_sessions(user)  # and for good, whatever the password becomes later


def change_role(name: str, role: str, by: str) -> str:
    """Give a user another role; the role it had is returned and audited with the new one."""
    from mingdan.store import audit
    from mingdan.store.models import Account, Role

    if role not in Role.values:
        raise AccountError(f"unknown role {role!r}; choose one of: {', '.join(Role.values)}")
    user = _existing(name)
    before = user.account.role
    from django.db.models import F

    with audit.recording(by, "user-role", name, {"from": before, "to": role}):
        # A session opened under one role is not carried over to another: it ends.
        Account.objects.filter(pk=user.account.pk).update(role=role, session_generation=F("session_generation") + 1)
    return before


def unlock(name: str, by: str) -> int:
    """Clear the failed logins that lock a user name (the address limit is left as it is); audited."""
    from mingdan.store import audit
    from mingdan.store.models import LoginAttempt

    _existing(name)
    with audit.recording(by, "user-unlocked", name) as entry:
        cleared = LoginAttempt.objects.filter(username=name, cleared=False, pending=False).update(cleared=True)
        entry.detail["failures_cleared"] = cleared
    return cleared


def list_users() -> list[dict]:
    """Every user with role, language, second factor, lock state and last login (from the audit log)."""
    from django.contrib.auth import get_user_model
    from django.db.models import Max

    from mingdan.store.models import AuditEntry

    last = dict(AuditEntry.objects.filter(action="login").values("user").annotate(at=Max("at"))
                .values_list("user", "at"))
    return [{"name": user.username, "role": user.account.role if hasattr(user, "account") else None,
             "language": user.account.language if hasattr(user, "account") else None,
             "totp": bool(getattr(getattr(user, "account", None), "totp_secret", "")),
             "locked": is_locked(user.username), "active": user.is_active,
             "last_login": last[user.username].isoformat() if user.username in last else None}
            for user in get_user_model().objects.select_related("account").order_by("username")]


@dataclass(frozen=True)
class Attempt:
    """A password check reserved in the database, or the reason it is refused without checking."""

    id: int | None
    refused: str | None = None  # "address", "locked" or "busy"


#: A check that has not ended after this long counts as failed (its request died half-way).
PENDING_SECONDS = 60
#: How long an attempt waits for the checks in progress before it is refused as "busy".
WAIT_SECONDS = 20


def reserve(address: str, username: str, trusted: bool = False) -> Attempt:
    """Count an attempt before its password is checked; refuse it if the address or the name is over its limit.

    The count and the insert are one serialised transaction, so attempts made at the same moment
    count each other: a check in progress counts as a possible failure. When the failures alone
    are under the limits but the checks in progress would fill them, the attempt waits for those
    to end (a correct login frees its place): so of twenty parallel wrong passwords five are
    checked, and twenty people of one office logging in at once into one account all get in.
    Every name is counted alike, existing or not, so a refusal tells nothing about who exists.
    `trusted`: the browser carries a device cookie of this name (web/devices.py): the address limit
    does not apply to it (anyone could fill that), the name's lockout does.
    """
    deadline = time.monotonic() + WAIT_SECONDS
    while True:
        attempt = _reserve(address, username, trusted)
        if attempt is not None:
            return attempt
        if time.monotonic() > deadline:
            return Attempt(None, "busy")
        time.sleep(0.05)


def _reserve(address: str, username: str, trusted: bool = False) -> Attempt | None:
    """One try: the attempt, a refusal, or None when checks in progress must end first."""
    from django.db import connections, transaction
    from django.db.models import Count, Q

    from mingdan.store.models import LoginAttempt
    from mingdan.store.routers import access_alias

    alias = access_alias()
    now = datetime.now(timezone.utc)
    in_progress = Q(pending=True, at__gte=now - timedelta(seconds=PENDING_SECONDS))
    counts = {"failed": Count("id", filter=~in_progress), "pending": Count("id", filter=in_progress)}
    with transaction.atomic(using=alias):
        if connections[alias].vendor == "postgresql":
            with connections[alias].cursor() as cursor:  # SQLite's IMMEDIATE transaction already serialises
                cursor.execute(f"LOCK TABLE {LoginAttempt._meta.db_table} IN SHARE ROW EXCLUSIVE MODE")
        attempts = LoginAttempt.objects.using(alias)
        attempts.filter(at__lt=now - KEEP_ATTEMPTS).delete()
        by_address = attempts.filter(address=address, at__gt=now - timedelta(seconds=ADDRESS_WINDOW)).aggregate(**counts)
        by_name = _recent(attempts, username, now).aggregate(**counts)
        if by_address["failed"] >= ADDRESS_LIMIT and not trusted:
            return Attempt(None, "address")
        if by_name["failed"] >= MAX_FAILURES:
            return Attempt(None, "locked")
        if ((by_address["failed"] + by_address["pending"] >= ADDRESS_LIMIT and not trusted)
                or by_name["failed"] + by_name["pending"] >= MAX_FAILURES):
            return None
        return Attempt(attempts.create(address=address, username=username, at=now, pending=True).pk)


def malformed(address: str) -> Attempt:
    """A login with a user name no account can have (control characters, spaces at an end): refused like a wrong
    password and counted against the address only, never against a name it might be cut or read as."""
    from django.db import connections, transaction

    from mingdan.store.models import LoginAttempt
    from mingdan.store.routers import access_alias

    alias = access_alias()
    now = datetime.now(timezone.utc)
    with transaction.atomic(using=alias):
        if connections[alias].vendor == "postgresql":
            with connections[alias].cursor() as cursor:
                cursor.execute(f"LOCK TABLE {LoginAttempt._meta.db_table} IN SHARE ROW EXCLUSIVE MODE")
        attempts = LoginAttempt.objects.using(alias)
        if attempts.filter(address=address, at__gt=now - timedelta(seconds=ADDRESS_WINDOW)).count() >= ADDRESS_LIMIT:
            return Attempt(None, "address")
        # No name: the row counts for the address; "" is no account's name (`users add` refuses it).
        return Attempt(attempts.create(address=address, username="", at=now, pending=False).pk)


def _recent(attempts, username: str, now: datetime):
    return attempts.filter(username=username, cleared=False, at__gt=now - timedelta(minutes=LOCK_MINUTES))


def failed(attempt: Attempt) -> None:
    """A wrong password or code: the attempt now counts as a failure."""
    from mingdan.store.models import LoginAttempt

    LoginAttempt.objects.filter(pk=attempt.id).update(pending=False)


def withdraw(attempt: Attempt) -> None:
    """A right password awaiting its second factor: the attempt counts neither as failed nor as a success."""
    from mingdan.store.models import LoginAttempt

    LoginAttempt.objects.filter(pk=attempt.id).delete()


def succeeded(attempt: Attempt, username: str) -> None:
    """A correct login: its attempt no longer counts, and the name's earlier failures are cleared."""
    from mingdan.store.models import LoginAttempt

    LoginAttempt.objects.filter(pk=attempt.id).delete()
    LoginAttempt.objects.filter(username=username, cleared=False).update(cleared=True)


def is_locked(username: str) -> bool:
    """True while the name has MAX_FAILURES failed logins (or checks in progress) in the last LOCK_MINUTES."""
    from mingdan.store.models import LoginAttempt

    return _recent(LoginAttempt.objects, username, datetime.now(timezone.utc)).count() >= MAX_FAILURES


def new_totp_secret() -> bytes:
    """20 random bytes, the usual size of a TOTP secret."""
    return secrets.token_bytes(20)


def totp_uri(secret: bytes, name: str) -> str:
    """The otpauth:// URI an authenticator app reads."""
    return _totp(secret).get_provisioning_uri(name, "mingdan")


def totp_base32(secret: bytes) -> str:
    """The secret as base32 text, for typing into an authenticator app."""
    return base64.b32encode(secret).decode("ascii").rstrip("=")


def base32_secret(text: str) -> bytes:
    """The secret from its base32 text (as shown for typing into an app)."""
    return base64.b32decode(text + "=" * (-len(text) % 8))


def _totp(secret: bytes) -> TOTP:
    return TOTP(secret, 6, SHA1(), 30, enforce_key_length=False)


def totp_code(secret: bytes, at: float | None = None) -> str:
    """The current 6-digit code (tests and the set-up page use it)."""
    return _totp(secret).generate(int(at if at is not None else time.time())).decode("ascii")


def totp_step(secret: bytes, code: str) -> int | None:
    """The 30-second step a code belongs to when it is valid now or one step either side; else None."""
    import unicodedata

    # Digits typed in full width (an input method left on) are the same digits; any other digit (isdigit() says
    # yes to ²) is not one of ours: encoding it ended in a 500 and a login attempt left pending (an outside tester).
    code = "".join(ch for ch in unicodedata.normalize("NFKC", code or "") if ch in "0123456789")
    if len(code) != 6:
        return None
    now = int(time.time())
    for drift in (0, -30, 30):
        try:
            _totp(secret).verify(code.encode("ascii"), now + drift)
            return (now + drift) // 30
        except InvalidToken:
            continue
    return None


def check_totp(secret: bytes, code: str) -> bool:
    """True when the code is valid now or one 30-second step either side (it may still have been used)."""
    return totp_step(secret, code) is not None


def use_totp(account, code: str, secret: bytes | None = None) -> bool:
    """True when the code is valid and of a later step than any code this account used before; that step is stored
    in the same statement, so a code (seen over a shoulder, or sent twice at once) is accepted once only."""
    from django.db.models import Q

    from mingdan.store.models import Account

    step = totp_step(secret if secret is not None else opened_secret(account), code)
    if step is None:
        return False
    return Account.objects.filter(Q(totp_last_step__isnull=True) | Q(totp_last_step__lt=step),
                                  pk=account.pk).update(totp_last_step=step) == 1


def sealed_secret(secret: bytes) -> str:
    """The TOTP secret sealed with the case key, for storing."""
    from mingdan.store.crypto import active

    return active().seal(base64.b64encode(secret).decode("ascii"))


def opened_secret(account) -> bytes | None:
    """The account's TOTP secret, or None when it has no second factor."""
    from mingdan.store.crypto import reveal

    if not account.totp_secret:
        return None
    return base64.b64decode(reveal(account.totp_secret))
