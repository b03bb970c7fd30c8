"""Django admin registrations, for administrators inspecting a case."""

from django.contrib import admin

from . import models

for model in (
    models.Source, models.Document, models.Record, models.Claim, models.Name, models.Event,
    models.CustodyEvent, models.CountClaim, models.Consent, models.Person,
):
    admin.site.register(model)
