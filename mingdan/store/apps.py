"""Django app configuration for the case store."""

from django.apps import AppConfig


class StoreConfig(AppConfig):
    name = "mingdan.store"
    label = "mingdan"
    verbose_name = "mingdan case"
    default_auto_field = "django.db.models.BigAutoField"
