"""Who may do what: each role's permissions and the field sensitivities it may read."""

from __future__ import annotations

from functools import wraps

from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect
from django.utils.translation import gettext_lazy as _

from mingdan.store.lens import ROLE_READS

#: What each role may do. Analysts see aggregates only: no page that shows a person or record.
PERMISSIONS: dict[str, frozenset[str]] = {
    "admin": frozenset({"browse", "aggregates", "review", "edit", "import", "publish", "audit", "users"}),
    "editor": frozenset({"browse", "aggregates", "review", "edit", "import"}),
    "reviewer": frozenset({"browse", "aggregates", "review"}),
    "analyst": frozenset({"aggregates"}),
    "viewer": frozenset({"browse", "aggregates"}),
}

#: The field sensitivities each role may read; every other value is shown as withheld.
SENSITIVITIES = ROLE_READS

#: Role names as shown in the interface.
ROLE_LABELS = {"admin": _("admin"), "editor": _("editor"), "reviewer": _("reviewer"),
               "analyst": _("analyst"), "viewer": _("viewer")}


def role_of(user) -> str | None:
    """The role of a logged-in user (None for anonymous users or users with no account)."""
    if not getattr(user, "is_authenticated", False):
        return None
    account = getattr(user, "account", None)
    return account.role if account is not None else None


def can(user, permission: str) -> bool:
    """True when the user's role grants the permission."""
    return permission in PERMISSIONS.get(role_of(user) or "", frozenset())


def readable(user) -> tuple[str, ...]:
    """The sensitivities this user may read."""
    return SENSITIVITIES.get(role_of(user) or "", ())


def lens(request):
    """The request's lens: every value a page, answer, export, filter or count uses is read through it.

    One per request, so that the AuditReads middleware can log every restricted value it revealed.
    """
    from mingdan.store.lens import FAMILY_ROLES, Lens

    found = getattr(request, "_lens", None)
    if found is None:
        # Relations and harassment details: editors and admins only (the roles that may edit).
        found = request._lens = Lens(readable(request.user), families=role_of(request.user) in FAMILY_ROLES)
    return found


def requires(permission: str):
    """View decorator: the login page for anonymous users, 403 for a role without the permission."""

    def decorate(view):
        @wraps(view)
        def checked(request, *args, **kwargs):
            if not request.user.is_authenticated:
                return redirect(f"/login?next={request.path}")
            if not can(request.user, permission):
                raise PermissionDenied(permission)
            return view(request, *args, **kwargs)

        return checked

    return decorate


def context(request) -> dict:
    """Template variables: the role and what it may do (to show only usable links)."""
    role = role_of(getattr(request, "user", None))
    return {"role": role, "role_label": ROLE_LABELS.get(role or "", ""),
            "perms_": PERMISSIONS.get(role or "", frozenset()),
            # What a page says where no value is shown depends on the role alone, never on what is withheld.
            "reads_everything": "secret" in SENSITIVITIES.get(role or "", ())}
