"""URL routes of the web application."""

from django.urls import path

from . import views_auth, views_edit, views_import, views_people, views_reports, views_review

urlpatterns = [
    path("", views_people.home),
    path("login", views_auth.login_view),
    path("login/code", views_auth.code_view),
    path("logout", views_auth.logout_view),
    path("language", views_auth.language_view),
    path("account", views_auth.account_view),
    path("records", views_people.records_view),
    path("records/new", views_edit.new_record_view),
    path("records/<int:pk>", views_people.record_view),
    path("records/<int:pk>/edit", views_edit.edit_view),
    path("records/<int:pk>/relations", views_edit.relation_view),
    path("records/<int:pk>/relations/<int:relation>/withdraw", views_edit.withdraw_relation_view),
    path("people/<str:person_id>", views_people.person_view),
    path("api/records", views_people.records_json),
    path("api/records/<int:pk>", views_people.record_json),
    path("export/records.csv", views_people.export_csv),
    path("import", views_import.import_view),
    path("import/jobs/<int:job_id>", views_import.job_view),
    path("review", views_review.queue_view),
    path("review/<int:a>/<int:b>", views_review.pair_view),
    path("review/<int:a>/<int:b>/decide", views_review.decide_view),
    path("claims", views_reports.claims_view),
    path("accounting", views_reports.accounting_view),
    path("estimates", views_reports.estimates_view),
    path("estimates/<str:category>.png", views_reports.figure_view),
    path("publish", views_reports.publish_view),
    path("audit", views_reports.audit_view),
    path("users", views_reports.users_view),
]

handler400 = "mingdan.web.views_auth.error_400"
handler403 = "mingdan.web.views_auth.error_403"
handler404 = "mingdan.web.views_auth.error_404"
handler500 = "mingdan.web.views_auth.error_500"
