"""Response headers and per-user language."""

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
