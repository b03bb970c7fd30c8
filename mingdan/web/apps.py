"""Django app configuration for the web application."""

from django.apps import AppConfig


class WebConfig(AppConfig):
    name = "mingdan.web"
    label = "mingdan_web"
    verbose_name = "mingdan web"
