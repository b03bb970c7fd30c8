"""Search keys are rebuilt: a romanized name that reads one way only (Zhang Ping, LYU Qiang) is indexed under keys of
its own, met by characters only through their own reading (mingdan.store.search); names indexed before were met by
any reading of a spelled-out form, so 张兵 (Wade-Giles "Chang Ping") found Zhang Ping. (Those keys were replaced the
same day by 0023's.) The index is filled again, lazily, by the next search or import; sealed keys stay sealed."""

from django.db import migrations


def empty_index(apps, schema_editor):
    apps.get_model("mingdan", "NameKey").objects.all().delete()


class Migration(migrations.Migration):

    dependencies = [
        ('mingdan', '0021_reindex_name_keys_for_pinyin_given_names'),
    ]

    operations = [
        migrations.RunPython(empty_index, migrations.RunPython.noop),
    ]
