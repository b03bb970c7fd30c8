"""Search keys are rebuilt: names are now indexed under their surname alone and under every reading of a
romanized spelling (mingdan.store.search). The index is filled again, lazily, by the next search
(refresh_index indexes every name above the largest indexed one); sealed keys stay sealed."""

from django.db import migrations


def empty_index(apps, schema_editor):
    apps.get_model("mingdan", "NameKey").objects.all().delete()


class Migration(migrations.Migration):

    dependencies = [
        ('mingdan', '0006_drop_claim_supersedes_index'),
    ]

    operations = [
        migrations.RunPython(empty_index, migrations.RunPython.noop),
    ]
