"""Issue 14: sealed event types and sentences with each event value's sensitivity; login attempts counted
in the database; import jobs; a keyed audit chain; login failures no longer kept on the account; an index
for the pairs of a record page."""

from django.db import migrations, models

SENSITIVITY = [("public", "Public"), ("restricted", "Restricted"), ("secret", "Secret")]
EVENT_FIELDS = {"event": "type_sensitivity", "event_date": "date_sensitivity", "place": "place_sensitivity"}
CUSTODY_FIELDS = {"facility": "facility_sensitivity", "sentence": "sentence_sensitivity"}


def seal_event_values(apps, schema_editor):
    """Copy each event value's sensitivity from its claim; seal event types and sentences that are not public."""
    if schema_editor.connection.alias != "default":
        return
    Claim = apps.get_model("mingdan", "Claim")
    Event = apps.get_model("mingdan", "Event")
    CustodyEvent = apps.get_model("mingdan", "CustodyEvent")
    hidden = (Claim.objects.filter(event__isnull=False, field__in=[*EVENT_FIELDS, *CUSTODY_FIELDS])
              .exclude(sensitivity="public").values_list("event_id", "field", "sensitivity"))
    if not hidden.exists():
        return
    from mingdan.store.crypto import active, is_sealed

    keyring = active()  # the case is opened (and its key loaded) before it is migrated

    def sealed(text):
        return keyring.seal(text) if text and not is_sealed(text) else text

    for event_id, field, sensitivity in hidden.iterator():
        if field in EVENT_FIELDS:
            changes = {EVENT_FIELDS[field]: sensitivity}
            if field == "event":
                changes["event_type"] = sealed(Event.objects.get(pk=event_id).event_type)
            Event.objects.filter(pk=event_id).update(**changes)
            continue
        custody = CustodyEvent.objects.filter(event_id=event_id).first()
        if custody is None:
            continue
        changes = {CUSTODY_FIELDS[field]: sensitivity}
        if field == "sentence":
            changes.update(sentence_kind=sealed(custody.sentence_kind), term=sealed(custody.term),
                           reprieve=sealed(custody.reprieve))
        CustodyEvent.objects.filter(pk=custody.pk).update(**changes)


class Migration(migrations.Migration):

    dependencies = [
        ("mingdan", "0006_drop_claim_supersedes_index"),
    ]

    operations = [
        migrations.RemoveField(model_name="account", name="failed_logins"),
        migrations.RemoveField(model_name="account", name="locked_until"),
        migrations.AddField(
            model_name="auditentry", name="scheme",
            field=models.CharField(default="sha256", max_length=12,
                                   help_text="hmac-sha256; sha256 only for entries written before the chain was keyed"),
        ),
        migrations.AlterField(model_name="event", name="event_type", field=models.CharField(max_length=200)),
        migrations.AlterField(model_name="event", name="date_edtf", field=models.CharField(blank=True, max_length=200)),
        migrations.AlterField(model_name="event", name="place", field=models.CharField(blank=True, max_length=2000)),
        migrations.AddField(model_name="event", name="type_sensitivity",
                            field=models.CharField(choices=SENSITIVITY, default="public", max_length=20)),
        migrations.AddField(model_name="event", name="date_sensitivity",
                            field=models.CharField(choices=SENSITIVITY, default="public", max_length=20)),
        migrations.AddField(model_name="event", name="place_sensitivity",
                            field=models.CharField(choices=SENSITIVITY, default="public", max_length=20)),
        migrations.AlterField(model_name="custodyevent", name="facility",
                              field=models.CharField(blank=True, max_length=2000)),
        migrations.AlterField(model_name="custodyevent", name="sentence_kind",
                              field=models.CharField(blank=True, max_length=200)),
        migrations.AlterField(model_name="custodyevent", name="term",
                              field=models.CharField(blank=True, help_text="ISO 8601 duration: the term, or the reduction",
                                                     max_length=200)),
        migrations.AlterField(model_name="custodyevent", name="reprieve",
                              field=models.CharField(blank=True, help_text="for death with reprieve", max_length=200)),
        migrations.AddField(model_name="custodyevent", name="facility_sensitivity",
                            field=models.CharField(choices=SENSITIVITY, default="public", max_length=20)),
        migrations.AddField(model_name="custodyevent", name="sentence_sensitivity",
                            field=models.CharField(choices=SENSITIVITY, default="public", max_length=20)),
        migrations.CreateModel(
            name="LoginAttempt",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("address", models.CharField(max_length=64)),
                ("username", models.CharField(max_length=150)),
                ("at", models.DateTimeField()),
                ("pending", models.BooleanField(default=True, help_text="its check has not ended yet (a possible failure)")),
                ("cleared", models.BooleanField(default=False, help_text="a later login succeeded: no longer counts against the name")),
            ],
            options={"indexes": [models.Index(fields=["address", "at"], name="loginattempt_address"),
                                 models.Index(fields=["username", "at"], name="loginattempt_username")]},
        ),
        migrations.CreateModel(
            name="ImportJob",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("user", models.CharField(max_length=150)),
                ("file_name", models.CharField(max_length=300)),
                ("source", models.CharField(blank=True, max_length=300)),
                ("upload", models.CharField(help_text="the sealed upload, inside the case's incoming folder", max_length=300)),
                ("size", models.BigIntegerField(default=0)),
                ("state", models.CharField(choices=[("queued", "Queued"), ("running", "Running"), ("done", "Done"),
                                                    ("failed", "Failed")], default="queued", max_length=10)),
                ("rows_done", models.PositiveBigIntegerField(default=0)),
                ("stage", models.CharField(blank=True, max_length=40)),
                ("created", models.DateTimeField()),
                ("finished", models.DateTimeField(blank=True, null=True)),
                ("process", models.PositiveIntegerField(blank=True, help_text="the background process's id", null=True)),
                ("outcome", models.TextField(blank=True, help_text="result or problems as JSON, sealed with the case key")),
            ],
        ),
        migrations.AddIndex(model_name="pairlink", index=models.Index(fields=["record_b"], name="pairlink_record_b")),
        migrations.RunPython(seal_event_values, migrations.RunPython.noop),
    ]
