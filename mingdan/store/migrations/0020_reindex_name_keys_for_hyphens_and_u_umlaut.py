"""Search keys are rebuilt: a hyphenated compound surname (SI-TU Xin) is now read as one surname, and a ü written
(Lü, Lyu, Lv) as lü only, never lu (mingdan.names.keys); names indexed before kept the old readings, so 卢强 found
LYU Qiang. The index is filled again, lazily, by the next search or import (refresh_index indexes every name above
the largest indexed one); sealed keys stay sealed."""

from django.db import migrations


def empty_index(apps, schema_editor):
    apps.get_model("mingdan", "NameKey").objects.all().delete()


class Migration(migrations.Migration):

    dependencies = [
        ('mingdan', '0019_record_listing_order'),
    ]

    operations = [
        migrations.RunPython(empty_index, migrations.RunPython.noop),
    ]
