"""Joins two migrations written side by side (the uncertain claim kind; TOTP's last step and one link per pair)."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("mingdan", "0014_claim_kind_uncertain"),
        ("mingdan", "0015_pairlink_one_per_pair"),
    ]

    operations = []
