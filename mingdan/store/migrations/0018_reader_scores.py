"""Readers' match scores stored with their run (computed once at its end, not in the server) and the ids a run read up to."""

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('mingdan', '0017_account_session_generation'),
    ]

    operations = [
        migrations.AddField(
            model_name='linkrun',
            name='marks',
            field=models.JSONField(default=dict, help_text='the largest claim, event and name ids when the run read the case: a record holding a newer one changed after the run'),
        ),
        migrations.CreateModel(
            name='ReaderScore',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('level', models.CharField(help_text='the most protected sensitivity the reader reads (Lens.level)', max_length=10)),
                ('families', models.BooleanField(help_text='whether the reader reads relations and harassment (Lens.families)')),
                ('match_probability', models.FloatField()),
                ('match_weight', models.FloatField()),
                ('weights', models.JSONField(default=dict, help_text="field -> level and match weight (bits) from the reader's values")),
                ('record_a', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='+', to='mingdan.record')),
                ('record_b', models.ForeignKey(db_index=False, on_delete=django.db.models.deletion.CASCADE, related_name='+', to='mingdan.record')),
                ('run', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='reader_scores', to='mingdan.linkrun')),
            ],
            options={
                'constraints': [models.UniqueConstraint(fields=('run', 'level', 'families', 'record_a', 'record_b'), name='readerscore_one_per_pair')],
            },
        ),
    ]
