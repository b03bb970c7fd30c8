"""Response headers, per-user language, and the audit of every restricted value a response revealed."""

from __future__ import annotations

from django.utils import translation

CSP = ("default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
       "object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'")


class ContentSecurityPolicy:
    """A strict Content-Security-Policy on every response: nothing inline, nothing from elsewhere."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        response.headers.setdefault("Content-Security-Policy", CSP)
        response.headers.setdefault("Cache-Control", "no-store")
        return response


class CurrentSessions:
    """Ends a session opened before its user was disabled, given another role or a new password (right after
    Django's authentication): the account's session generation moved on, so the session is flushed for good and
    the request is anonymous."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        from django.contrib.auth import logout

        from .accounts import session_is_current

        if request.user.is_authenticated:
            account = getattr(request.user, "account", None)
            if account is None or not session_is_current(request.session, account):
                logout(request)
        return self.get_response(request)


class UserLanguage:
    """The interface language is the user's own setting (English before login)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        language = "en"
        account = getattr(request.user, "account", None) if request.user.is_authenticated else None
        if account is not None and account.language:
            language = account.language
        translation.activate(language)
        request.LANGUAGE_CODE = translation.get_language()
        response = self.get_response(request)
        response.headers.setdefault("Content-Language", request.LANGUAGE_CODE)
        translation.deactivate()
        return response


class AuditReads:
    """Logs every answer that read a restricted or secret value: revealed it, or withheld it from this role.

    The lens is the only way a view reads a value, so no page, answer or export can read one
    unlogged. The entry names the path (never the query string), the records and how many
    values, never the values: `read-restricted` when some were shown, `read-withheld` when the
    record held values this role may not read and they were withheld.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        seen = getattr(request, "_lens", None)
        if seen is not None and (seen.revealed or seen.withheld) and request.user.is_authenticated:
            from mingdan.store import audit

            audit.record(request.user.username, "read-restricted" if seen.revealed else "read-withheld",
                         f"{request.method} {request.path}"[:300],
                         {"revealed": seen.revealed, "withheld": seen.withheld, "records": sorted(seen.records)[:1000],
                          "more_records": max(0, len(seen.records) - 1000), "status": response.status_code})
        return response
