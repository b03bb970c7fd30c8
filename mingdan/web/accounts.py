"""Users, roles, login failures and the second factor (no web imports: the CLI uses this too)."""

from __future__ import annotations

import base64
import secrets
import time
from datetime import datetime, timedelta, timezone

from cryptography.hazmat.primitives.hashes import SHA1
from cryptography.hazmat.primitives.twofactor import InvalidToken
from cryptography.hazmat.primitives.twofactor.totp import TOTP

#: Wrong passwords in a row that lock an account, and for how long.
MAX_FAILURES = 5
LOCK_MINUTES = 15


class AccountError(ValueError):
    """A user cannot be created or changed as asked; the message says why."""


def add_user(name: str, role: str, password: str, language: str = "en"):
    """Create a user with a role; the password must pass the configured validators."""
    from django.contrib.auth import get_user_model
    from django.contrib.auth.password_validation import ValidationError, validate_password
    from django.db import transaction

    from mingdan.store.models import Account, Role

    if role not in Role.values:
        raise AccountError(f"unknown role {role!r}; choose one of: {', '.join(Role.values)}")
    User = get_user_model()
    if User.objects.filter(username=name).exists():
        raise AccountError(f"a user named {name!r} exists already")
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


def list_users() -> list[dict]:
    """Every user with role, language, second factor and lock state."""
    from django.contrib.auth import get_user_model

    now = datetime.now(timezone.utc)
    return [{"name": user.username, "role": user.account.role if hasattr(user, "account") else None,
             "language": user.account.language if hasattr(user, "account") else None,
             "totp": bool(getattr(getattr(user, "account", None), "totp_secret", "")),
             "locked": bool(hasattr(user, "account") and user.account.locked_until and user.account.locked_until > now),
             "last_login": user.last_login.isoformat() if user.last_login else None}
            for user in get_user_model().objects.select_related("account").order_by("username")]


def is_locked(account) -> bool:
    """True while the account is locked after repeated failures."""
    return bool(account.locked_until and account.locked_until > datetime.now(timezone.utc))


def note_failure(account) -> bool:
    """Count a wrong password; lock the account at MAX_FAILURES. Returns True when now locked."""
    account.failed_logins += 1
    if account.failed_logins >= MAX_FAILURES:
        account.locked_until = datetime.now(timezone.utc) + timedelta(minutes=LOCK_MINUTES)
        account.failed_logins = 0
    account.save(update_fields=["failed_logins", "locked_until"])
    return is_locked(account)


def note_success(account) -> None:
    """Reset the failure count after a good login."""
    if account.failed_logins or account.locked_until:
        account.failed_logins, account.locked_until = 0, None
        account.save(update_fields=["failed_logins", "locked_until"])


def new_totp_secret() -> bytes:
    """20 random bytes, the usual size of a TOTP secret."""
    return secrets.token_bytes(20)


def totp_uri(secret: bytes, name: str) -> str:
    """The otpauth:// URI an authenticator app reads."""
    return _totp(secret).get_provisioning_uri(name, "mingdan")


def totp_base32(secret: bytes) -> str:
    """The secret as base32 text, for typing into an authenticator app."""
    return base64.b32encode(secret).decode("ascii").rstrip("=")


def _totp(secret: bytes) -> TOTP:
    return TOTP(secret, 6, SHA1(), 30, enforce_key_length=False)


def totp_code(secret: bytes, at: float | None = None) -> str:
    """The current 6-digit code (tests and the set-up page use it)."""
    return _totp(secret).generate(int(at if at is not None else time.time())).decode("ascii")


def check_totp(secret: bytes, code: str) -> bool:
    """True when the code is valid now or one 30-second step either side."""
    code = "".join(ch for ch in code if ch.isdigit())
    if len(code) != 6:
        return False
    now = int(time.time())
    for drift in (0, -30, 30):
        try:
            _totp(secret).verify(code.encode("ascii"), now + drift)
            return True
        except InvalidToken:
            continue
    return False


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
