"""Search keys are rebuilt: a romanized name is indexed under its letters as typed too, and characters meet it by
their own reading or by those letters (mingdan.store.search); names indexed before were met by any reading of a
spelled-out form, so 王建华 ("Wong Kin Wah", which reads 黄 too) found every Huang Chien-hua. The index is filled
again, lazily, by the next search or import; sealed keys stay sealed."""

from django.db import migrations


def empty_index(apps, schema_editor):
    apps.get_model("mingdan", "NameKey").objects.all().delete()


class Migration(migrations.Migration):

    dependencies = [
        ('mingdan', '0022_reindex_name_keys_for_sure_readings'),
    ]

    operations = [
        migrations.RunPython(empty_index, migrations.RunPython.noop),
    ]
