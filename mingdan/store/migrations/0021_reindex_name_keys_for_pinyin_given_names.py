"""Search keys are rebuilt: a name written by a pinyin hand (Wang Xiaobing: xiao is spelt so only in pinyin) reads its
given name as pinyin only (mingdan.names.keys); names indexed before kept the Wade-Giles reading too, so a search for
Wang Xiaobing found 王晓平. The index is filled again, lazily, by the next search or import; sealed keys stay sealed."""

from django.db import migrations


def empty_index(apps, schema_editor):
    apps.get_model("mingdan", "NameKey").objects.all().delete()


class Migration(migrations.Migration):

    dependencies = [
        ('mingdan', '0020_reindex_name_keys_for_hyphens_and_u_umlaut'),
    ]

    operations = [
        migrations.RunPython(empty_index, migrations.RunPython.noop),
    ]
