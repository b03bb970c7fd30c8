"""Device cookies (OWASP's defence against online guessing): a browser that logged in to a name before is
exempt from the per-address limit for that name.

The per-address limit (thirty failures in five minutes) stops one machine from guessing many
names; but everyone behind one address — an office behind a proxy — shares it, and anyone there
could fill it and lock the whole office out. So a successful login leaves a device cookie in the
browser: signed with the case's web key, holding a random number and a keyed digest of the name
(not the name itself), HTTP-only, `SameSite=Strict`, sent only to `/login…`, for 30 days (renewed
at each login). An attempt from a browser holding a valid device cookie of the name typed is not
refused by the address limit; the name's own lockout (five failures in fifteen minutes) applies
to it as to anyone, and its failures still count for the address.
"""

from __future__ import annotations

import secrets

from django.core import signing
from django.utils.crypto import constant_time_compare, salted_hmac

COOKIE = "mingdan_device"
SALT = "mingdan.web.devices"
MAX_AGE = 30 * 24 * 3600


def _name_digest(name: str) -> str:
    return salted_hmac(SALT, name, algorithm="sha256").hexdigest()[:32]


def trusted(request, name: str) -> bool:
    """True when the browser holds a valid, unexpired device cookie of this user name."""
    value = request.COOKIES.get(COOKIE)
    if not value or not name:
        return False
    try:
        payload = signing.loads(value, salt=SALT, max_age=MAX_AGE)
    except (signing.BadSignature, ValueError):
        return False
    return isinstance(payload, dict) and constant_time_compare(str(payload.get("n", "")), _name_digest(name))


def remember(response, name: str) -> None:
    """Leave (or renew) the device cookie of this name in the browser after a successful login."""
    from django.conf import settings

    value = signing.dumps({"r": secrets.token_hex(8), "n": _name_digest(name)}, salt=SALT)
    response.set_cookie(COOKIE, value, max_age=MAX_AGE, path="/login", secure=settings.SESSION_COOKIE_SECURE,
                        httponly=True, samesite="Strict")
