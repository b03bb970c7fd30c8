"""The records list's whole order in one index (source, sort key, record id): a deep page is read from it alone."""

from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('mingdan', '0018_reader_scores'),
    ]

    operations = [
        migrations.RemoveIndex(
            model_name='record',
            name='record_natural_order',
        ),
        migrations.AddIndex(
            model_name='record',
            index=models.Index(fields=['source', 'sort_key', 'record_id'], name='record_listing_order'),
        ),
    ]
