"""Logging in (password, then the second factor if set), out, language and the account page."""

from __future__ import annotations

from django.contrib.auth import authenticate, get_user_model, login, logout
from django.http import HttpResponse, HttpResponseForbidden, HttpResponseRedirect
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from mingdan.store import audit
from mingdan.store.crypto import active

from . import accounts, devices

#: The same words whether the name exists or not.
LOCKED = gettext_lazy("Too many failed logins for this user name. Try again in 15 minutes, or ask an administrator.")
ADDRESS = gettext_lazy("Too many failed logins from this address. Try again in a few minutes.")
BUSY = gettext_lazy("Too many logins at this moment. Try again in a minute.")


def _address(request) -> str:
    return request.META.get("REMOTE_ADDR", "?")


def safe_next(request, default: str = "/") -> str:
    """Where to go after a form: a path on this site (starting with one slash), else the default."""
    target = request.POST.get("next") or request.GET.get("next") or ""
    if (not target.startswith("/") or target.startswith(("//", "/\\")) or any(ord(ch) < 32 for ch in target)
            or not url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()})):
        return default
    # Only a page one can open: an unknown path, or one that takes only posts (logout), went to a 404 or 405 after
    # logging in (an outside tester, rt44).
    from urllib.parse import urlsplit

    from django.urls import Resolver404, resolve

    try:
        match = resolve(urlsplit(target).path)
    except Resolver404:
        return default
    return target if "GET" in getattr(match.func, "methods", ("GET",)) else default


def _refused(attempt: accounts.Attempt, name: str) -> str:
    audit.record(name or "?", "login-refused", "", {"reason": {"address": "rate limit"}.get(attempt.refused,
                                                                                            attempt.refused)})
    return str({"address": ADDRESS, "busy": BUSY}.get(attempt.refused, LOCKED))


def _log_in(request, user, backend: str | None = None) -> None:
    """Open the session, marked with the account's session generation (disabling the user or changing their role
    raises it, which ends this session for good)."""
    login(request, user, backend=backend)
    request.session[accounts.GENERATION] = user.account.session_generation


def login_view(request):
    """The password step; an attempt is counted before its password is checked, and refused over a limit."""
    error = None
    if request.method == "POST":
        name = request.POST.get("username", "")
        if len(name) > 150 or not accounts.plain_name(name):
            # No account has such a name: answered like a wrong password without checking one, counted against the
            # address only (a NUL would cut the name to another account's and count against it), audited as "?".
            attempt = accounts.malformed(_address(request))
            error = _refused(attempt, "?") if attempt.refused else _("Wrong user name or password.")
            if not attempt.refused:
                audit.record("?", "login-failed", "", {"user_name": "malformed"})
        elif (attempt := accounts.reserve(_address(request), name, devices.trusted(request, name))).refused:
            error = _refused(attempt, name)
        else:
            checked = authenticate(request, username=name, password=request.POST.get("password", ""))
            account = getattr(checked, "account", None) if checked is not None else None
            if account is None:
                accounts.failed(attempt)
                error = _("Wrong user name or password.")
                audit.record(name or "?", "login-failed", "", {})
            elif account.totp_secret:
                # The password was right: its attempt neither fails nor clears earlier failures; each code
                # posted next is an attempt of its own, counted before it is checked.
                accounts.withdraw(attempt)
                request.session.cycle_key()
                request.session.update({"pending_user": checked.pk, "pending_next": safe_next(request)})
                return redirect("/login/code")
            else:
                accounts.succeeded(attempt, name)
                _log_in(request, checked)
                audit.record(name, "login", "", {})
                response = HttpResponseRedirect(safe_next(request))
                devices.remember(response, name)
                return response
    return render(request, "mingdan/login.html", {"error": error, "next": safe_next(request, "")},
                  status=200 if error is None else 401)


def code_view(request):
    """The second-factor step after a correct password; each wrong code counts as a failed login."""
    pending = request.session.get("pending_user")
    if pending is None:
        return redirect("/login")
    user = get_user_model().objects.select_related("account").get(pk=pending)
    error = None
    if request.method == "POST":
        # Counted in the database before the code is checked, like a password: codes posted at the same
        # moment (in one session or many) count each other, so five are checked and the rest refused.
        attempt = accounts.reserve(_address(request), user.username, devices.trusted(request, user.username))
        if attempt.refused:
            error = _refused(attempt, user.username)
        elif accounts.use_totp(user.account, request.POST.get("code", "")):
            target = request.session.get("pending_next", "/")
            accounts.succeeded(attempt, user.username)
            _log_in(request, user, backend="django.contrib.auth.backends.ModelBackend")
            audit.record(user.username, "login", "", {"second_factor": True})
            response = HttpResponseRedirect(target)
            devices.remember(response, user.username)
            return response
        else:
            accounts.failed(attempt)
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
    return HttpResponseRedirect(safe_next(request))


def _confirmed(request, account, secret: bytes | None = None) -> bool:
    """True when the form carries the user's password and a current, unused code (counted like a login).

    `secret`: the second factor being set up (else the account's own)."""
    # A logged-in user confirming their own password guesses no other name: the name's lockout applies, not the
    # address limit that anyone behind the same address could fill.
    attempt = accounts.reserve(_address(request), request.user.username, trusted=True)
    if attempt.refused:
        return False
    if (request.user.check_password(request.POST.get("password", ""))
            and accounts.use_totp(account, request.POST.get("code", ""), secret)):
        accounts.succeeded(attempt, request.user.username)
        return True
    accounts.failed(attempt)
    return False


def account_view(request):
    """The user's own page: turning the second factor on (sealed while it waits) or off (password and code)."""
    if not request.user.is_authenticated:
        return redirect("/login?next=/account")
    account = request.user.account
    context: dict = {"account": account}
    if request.method == "POST":
        action = request.POST.get("action")
        if action in ("totp-start", "totp-confirm") and account.totp_secret:
            context["error"] = _("A second factor is on already; turn it off first.")
        elif action == "totp-start":
            # The secret waits in the session (stored in the database) sealed with the case key.
            request.session["totp_setup"] = active().seal(accounts.totp_base32(accounts.new_totp_secret()))
        elif action == "totp-confirm" and request.session.get("totp_setup"):
            secret = accounts.base32_secret(active().reveal(request.session["totp_setup"]))
            account.totp_last_step = None  # a new secret: no code of it used yet
            account.save(update_fields=["totp_last_step"])
            if _confirmed(request, account, secret):  # someone at an unlocked screen cannot turn it on
                with audit.recording(request.user.username, "totp-enabled"):
                    account.totp_secret = accounts.sealed_secret(secret)
                    account.save(update_fields=["totp_secret"])
                del request.session["totp_setup"]
            else:
                audit.record(request.user.username, "totp-enable-refused", "", {})
                context["error"] = _("Give your password and the code your app shows to turn the second factor on.")
        elif action == "totp-off" and account.totp_secret:
            if _confirmed(request, account):
                with audit.recording(request.user.username, "totp-disabled"):
                    account.totp_secret = ""
                    account.save(update_fields=["totp_secret"])
            else:
                audit.record(request.user.username, "totp-disable-refused", "", {})
                context["error"] = _("Give your password and the current code to turn the second factor off.")
    if request.session.get("totp_setup"):
        context["setup_secret"] = active().reveal(request.session["totp_setup"])
    return render(request, "mingdan/account.html", context, status=400 if context.get("error") else 200)


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
