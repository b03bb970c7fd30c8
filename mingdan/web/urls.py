"""URL routes of the web application, each with the HTTP methods it answers.

A route answers GET and HEAD; the ones with a form also POST; any other method (TRACE, OPTIONS,
PUT, DELETE, …), or POST where no form posts, is answered 405 with the methods allowed, before
the view runs: a TRACE showed the whole page, restricted values included.
"""

from django.urls import path
from django.views.decorators.http import require_http_methods

from . import views_auth, views_edit, views_import, views_people, views_reports, views_review

READ = ("GET", "HEAD")
FORM = ("GET", "HEAD", "POST")
POST = ("POST",)


def route(pattern: str, view, methods: tuple[str, ...] = READ):
    """A path answering only the given methods (405 for any other)."""
    answering = require_http_methods(list(methods))(view)
    answering.methods = methods  # where a login may go next: only a page one can open (views_auth.safe_next)
    return path(pattern, answering)


urlpatterns = [
    route("", views_people.home),
    route("login", views_auth.login_view, FORM),
    route("login/code", views_auth.code_view, FORM),
    route("logout", views_auth.logout_view, POST),
    route("language", views_auth.language_view, POST),
    route("account", views_auth.account_view, FORM),
    route("records", views_people.records_view),
    route("records/new", views_edit.new_record_view, FORM),
    route("records/<int:pk>", views_people.record_view),
    route("records/<int:pk>/edit", views_edit.edit_view, FORM),
    route("records/<int:pk>/relations", views_edit.relation_view, FORM),
    route("records/<int:pk>/relations/<str:relation>/withdraw", views_edit.withdraw_relation_view, POST),
    route("people/<str:person_id>", views_people.person_view),
    route("api/records", views_people.records_json),
    route("api/records/<int:pk>", views_people.record_json),
    route("export/records.csv", views_people.export_csv),
    route("import", views_import.import_view, FORM),
    route("import/jobs/<int:job_id>", views_import.job_view),
    route("review", views_review.queue_view),
    route("review/<int:a>/<int:b>", views_review.pair_view),
    route("review/<int:a>/<int:b>/decide", views_review.decide_view, POST),
    route("claims", views_reports.claims_view),
    route("accounting", views_reports.accounting_view),
    route("estimates", views_reports.estimates_view),
    route("estimates/<str:category>.png", views_reports.figure_view),
    route("publish", views_reports.publish_view, FORM),
    route("audit", views_reports.audit_view),
    route("users", views_reports.users_view),
]

handler400 = "mingdan.web.views_auth.error_400"
handler403 = "mingdan.web.views_auth.error_403"
handler404 = "mingdan.web.views_auth.error_404"
handler500 = "mingdan.web.views_auth.error_500"
