"""Aggregates: count claims, the accounting, estimates with their figures; publishing; the audit log."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from django.http import FileResponse, Http404
from django.shortcuts import render
from django.utils.translation import gettext as _

from mingdan.store import audit

from .case import current
from .elsewhere import figure
from .kept import kept
from .roles import lens, requires


@requires("aggregates")
def claims_view(request):
    """Every published count claim, never collapsed, retracted ones marked."""
    from mingdan.store.models import CountClaim

    claims = CountClaim.objects.select_related("source").order_by("metric", "as_of_earliest", "id")
    return render(request, "mingdan/claims.html", {"claims": claims})


@requires("aggregates")
def accounting_view(request):
    """Named, claimed, estimated and official figures per category, as of a day, counted from what the role may read.

    Kept until the case changes (web/kept.py): on a large case the custody of everyone takes
    seconds. Right after a change the page shows the figures from before it, saying so, while
    they are recomputed.
    """
    try:
        day = dt.date.fromisoformat(request.GET["as_of"]) if request.GET.get("as_of") else dt.date.today()
    except ValueError:
        # Never today in its place: figures labelled with a day the reader did not ask for would mislead.
        message = _("“%(as_of)s” is not a day: give as_of as YYYY-MM-DD, e.g. 2019-06-04.") % {
            "as_of": request.GET["as_of"][:40]}
        return render(request, "mingdan/error.html", {"status": 400, "message": message}, status=400)
    reader = lens(request)
    # Kept apart for readers who may see families (editors, admins): the harassment section is theirs only.
    account, fresh = kept("accounting", reader, _accounting(reader.readable, day, reader.families), day,
                          reader.families, stale_ok=True)
    return render(request, "mingdan/accounting.html", {"account": account, "fresh": fresh,
                                                       "partial": reader.level != "secret"})


@figure("accounting")
def _accounting_for(reader, day: dt.date, families: bool):
    """The accounting's computation as the figure's key names it (web/elsewhere.py)."""
    return _accounting(reader.readable, day, families)


def _accounting(readable: tuple[str, ...], day: dt.date, families: bool = False):
    """The computation of the accounting for readers of these sensitivities (run now or in the background)."""
    from mingdan.publish.account import accounting
    from mingdan.store.lens import Lens

    from .views_people import custody_of_everyone

    def compute() -> dict:
        return accounting(current(), day, lens=Lens(readable, families=families),
                          custody=custody_of_everyone(Lens(readable)))

    return compute


def warm() -> None:
    """Compute today's accounting for the view of each role, so that no first visitor waits for it."""
    from mingdan.store.lens import Lens, role_views

    # Each takes seconds of the interpreter on a large case (viewers and analysts share one).
    for readable, families in role_views():
        kept("accounting", Lens(readable, families=families), _accounting(readable, dt.date.today(), families),
             dt.date.today(), families, stale_ok=True)


@requires("aggregates")
def estimates_view(request):
    """Every stored estimate with its settings and figure."""
    from mingdan.store.models import Estimate

    estimates = list(Estimate.objects.order_by("category", "-created"))
    figures = {e.category: (current().root / "figures" / f"estimate-{e.category}.png").is_file() for e in estimates}
    return render(request, "mingdan/estimates.html", {"estimates": estimates, "figures": figures})


@requires("aggregates")
def figure_view(request, category: str):
    """A stored estimate figure (a PNG in the case's figures folder)."""
    if not category.replace("_", "").isalnum():
        raise Http404
    path = current().root / "figures" / f"estimate-{category}.png"
    if not path.is_file():
        raise Http404
    return FileResponse(open(path, "rb"), content_type="image/png")


@requires("publish")
def publish_view(request):
    """Admins write a release into the case's releases folder."""
    from mingdan.publish.licence import KNOWN
    from mingdan.publish.release import ReleaseError, publish

    case = current()
    result, problem = None, None
    if request.method == "POST":
        stamp = dt.datetime.now(dt.timezone.utc).strftime("%Y%m%dT%H%M%S")
        out = case.releases_dir / f"release-{stamp}"
        # Started and ended in the log: a release is never made unaudited, whatever happens to the log's lock meanwhile.
        audit.record(request.user.username, "publish-started", out.name)
        try:
            result = publish(case, out, license=request.POST.get("license") or None)
        except ReleaseError as exc:
            problem = str(exc)
        audit.record(request.user.username, "publish", out.name, {"refused": bool(problem)})
    releases = sorted((p.name for p in case.releases_dir.glob("*") if p.is_dir()), reverse=True) \
        if case.releases_dir.is_dir() else []
    return render(request, "mingdan/publish.html", {"result": result, "problem": problem, "releases": releases,
                                                    "licence": case.setting("publish", "license"), "licences": KNOWN})


@requires("audit")
def audit_view(request):
    """The latest audit entries and whether the chain is intact."""
    from mingdan.store.models import AuditEntry

    checked = audit.verify()
    entries = AuditEntry.objects.order_by("-seq")[:300]
    return render(request, "mingdan/audit.html", {"entries": entries, "checked": checked})


@requires("users")
def users_view(request):
    """Users and their roles (adding users is `mingdan users add`)."""
    from .accounts import list_users

    return render(request, "mingdan/users.html", {"users": list_users()})

