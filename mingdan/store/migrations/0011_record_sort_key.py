# Records sort naturally (A-2 before A-10): each keeps natural_key(record_id), filled here for existing records.

from django.db import migrations, models

from mingdan.store.sortkey import natural_key


def fill(apps, schema_editor):
    Record = apps.get_model("mingdan", "Record")
    batch = []
    for record in Record.objects.only("pk", "record_id").iterator(chunk_size=5000):
        record.sort_key = natural_key(record.record_id)
        batch.append(record)
        if len(batch) >= 5000:
            Record.objects.bulk_update(batch, ["sort_key"])
            batch = []
    Record.objects.bulk_update(batch, ["sort_key"])


class Migration(migrations.Migration):

    dependencies = [
        ('mingdan', '0006_drop_claim_supersedes_index'),
    ]

    operations = [
        migrations.AlterModelOptions(
            name='record',
            options={'ordering': ['source__name', 'sort_key', 'record_id']},
        ),
        migrations.AddField(
            model_name='record',
            name='sort_key',
            field=models.CharField(blank=True, default='', help_text='natural_key(record_id): the order lists show records in', max_length=400),
        ),
        migrations.RunPython(fill, migrations.RunPython.noop),
        migrations.AddIndex(
            model_name='record',
            index=models.Index(fields=['source', 'sort_key'], name='record_natural_order'),
        ),
    ]
