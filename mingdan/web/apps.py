"""Django app configuration for the web application."""

from django.apps import AppConfig


class WebConfig(AppConfig):
    name = "mingdan.web"
    label = "mingdan_web"
    verbose_name = "mingdan web"

    def ready(self) -> None:
        from django.contrib.auth.models import update_last_login
        from django.contrib.auth.signals import user_logged_in

        # A login must not write to the records' database (an import may hold it for minutes);
        # the audit log records every login instead, and `mingdan users list` reads it from there.
        user_logged_in.disconnect(update_last_login, dispatch_uid="update_last_login")
