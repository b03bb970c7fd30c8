"""Joins migrations written side by side (web security, the name index, relations, record sort keys) into one history."""

from django.db import migrations


class Migration(migrations.Migration):

    dependencies = [
        ("mingdan", "0007_web_security"),
        ("mingdan", "0008_reindex_name_keys_for_surnames_and_romanizations"),
        ("mingdan", "0011_record_sort_key"),
    ]

    operations = []
