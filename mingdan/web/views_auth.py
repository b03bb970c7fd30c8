"""Logging in (password, then the second factor if set), out, language and the account page."""

from __future__ import annotations

from django.contrib.auth import authenticate, get_user_model, login, logout
from django.core.cache import cache
from django.http import HttpResponse, HttpResponseForbidden
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from mingdan.store import audit

from . import accounts

#: Failed logins one address may make per window, whatever user names it tries.
ADDRESS_LIMIT, ADDRESS_WINDOW = 30, 300


def _address(request) -> str:
    return request.META.get("REMOTE_ADDR", "?")


def _safe_next(request, default: str = "/") -> str:
    target = request.POST.get("next") or request.GET.get("next") or default
    return target if url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}) else default


def login_view(request):
    """The password step; locked accounts and over-eager addresses are refused without checking."""
    error = None
    if request.method == "POST":
        name = request.POST.get("username", "")[:150]
        key = f"login-failures:{_address(request)}"
        attempts = cache.get(key, 0)
        user = get_user_model().objects.select_related("account").filter(username=name).first()
        account = getattr(user, "account", None) if user else None
        if attempts >= ADDRESS_LIMIT:
            error = _("Too many attempts from this address. Wait a few minutes.")
            audit.record(name or "?", "login-refused", "", {"reason": "rate limit"})
        elif account is not None and accounts.is_locked(account):
            error = _("This account is locked after repeated wrong passwords. Try again later or ask an administrator.")
            audit.record(name, "login-refused", "", {"reason": "locked"})
        else:
            checked = authenticate(request, username=name, password=request.POST.get("password", ""))
            if checked is None or account is None:
                # Only failures count: an office behind one address logs in many people at nine.
                cache.set(key, attempts + 1, ADDRESS_WINDOW)
                locked = accounts.note_failure(account) if account is not None else False
                error = (_("This account is locked after repeated wrong passwords. Try again later or ask an administrator.")
                         if locked else _("Wrong user name or password."))
                audit.record(name or "?", "login-failed", "", {"locked": locked})
            elif account.totp_secret:
                request.session["pending_user"] = user.pk
                request.session["pending_next"] = _safe_next(request)
                return redirect("/login/code")
            else:
                accounts.note_success(account)
                login(request, checked)
                audit.record(name, "login", "", {})
                return redirect(_safe_next(request))
    return render(request, "mingdan/login.html", {"error": error, "next": _safe_next(request)},
                  status=200 if error is None else 401)


def code_view(request):
    """The second-factor step after a correct password."""
    pending = request.session.get("pending_user")
    if pending is None:
        return redirect("/login")
    user = get_user_model().objects.select_related("account").get(pk=pending)
    error = None
    if request.method == "POST":
        if accounts.is_locked(user.account):
            error = _("This account is locked after repeated wrong passwords. Try again later or ask an administrator.")
        elif accounts.check_totp(accounts.opened_secret(user.account), request.POST.get("code", "")):
            target = request.session.get("pending_next", "/")
            accounts.note_success(user.account)
            login(request, user, backend="django.contrib.auth.backends.ModelBackend")
            audit.record(user.username, "login", "", {"second_factor": True})
            return redirect(target)
        else:
            accounts.note_failure(user.account)
            audit.record(user.username, "login-failed", "", {"second_factor": True})
            error = _("Wrong code.")
    return render(request, "mingdan/login_code.html", {"error": error}, status=200 if error is None else 401)


@require_POST
def logout_view(request):
    """Log out (POST only, so a link on another page cannot log anyone out)."""
    if request.user.is_authenticated:
        audit.record(request.user.username, "logout", "", {})
    logout(request)
    return redirect("/login")


@require_POST
def language_view(request):
    """Store the user's interface language."""
    from django.conf import settings

    if not request.user.is_authenticated:
        return redirect("/login")
    language = request.POST.get("language", "en")
    if language in dict(settings.LANGUAGES) and hasattr(request.user, "account"):
        request.user.account.language = language
        request.user.account.save(update_fields=["language"])
    return redirect(_safe_next(request))


def account_view(request):
    """The user's own page: language, and turning the second factor on or off."""
    if not request.user.is_authenticated:
        return redirect("/login?next=/account")
    account = request.user.account
    context: dict = {"account": account}
    if request.method == "POST":
        action = request.POST.get("action")
        if action == "totp-start":
            secret = accounts.new_totp_secret()
            request.session["totp_setup"] = accounts.totp_base32(secret)
        elif action == "totp-confirm" and request.session.get("totp_setup"):
            import base64

            text = request.session["totp_setup"]
            secret = base64.b32decode(text + "=" * (-len(text) % 8))
            if accounts.check_totp(secret, request.POST.get("code", "")):
                account.totp_secret = accounts.sealed_secret(secret)
                account.save(update_fields=["totp_secret"])
                del request.session["totp_setup"]
                audit.record(request.user.username, "totp-enabled", "", {})
            else:
                context["error"] = _("Wrong code.")
        elif action == "totp-off":
            account.totp_secret = ""
            account.save(update_fields=["totp_secret"])
            audit.record(request.user.username, "totp-disabled", "", {})
    if request.session.get("totp_setup"):
        context["setup_secret"] = request.session["totp_setup"]
    return render(request, "mingdan/account.html", context)


def csrf_failure(request, reason: str = "") -> HttpResponse:
    """A refused form post: a page that says so, without echoing anything posted."""
    return HttpResponseForbidden(render_to_string("mingdan/error.html", {
        "status": 403, "message": _("This form was refused: its security token is missing or expired. "
                                    "Reload the page and try again.")}, request=request))


def error_403(request, exception=None):
    return HttpResponseForbidden(render_to_string("mingdan/error.html", {
        "status": 403, "message": _("Your role does not allow this page.")}, request=request))


def error_404(request, exception=None):
    return HttpResponse(render_to_string("mingdan/error.html", {
        "status": 404, "message": _("There is no such page.")}, request=request), status=404)


def error_500(request):
    return HttpResponse(render_to_string("mingdan/error.html", {
        "status": 500, "message": _("Something went wrong. Nothing was changed; the error is in the server's log.")}),
        status=500)


def error_400(request, exception=None):
    return HttpResponse(render_to_string("mingdan/error.html", {
        "status": 400, "message": _("The request was not understood.")}, request=request), status=400)
