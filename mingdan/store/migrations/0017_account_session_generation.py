"""A user's session generation: disabling a user or changing their role ends their open sessions for good."""

from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ("mingdan", "0016_merge_branches"),
    ]

    operations = [
        migrations.AddField(
            model_name="account",
            name="session_generation",
            field=models.PositiveIntegerField(
                default=0, help_text="raised when the user is disabled, given another role or a new password: every "
                                     "session opened before ends for good (a session keeps the generation it was "
                                     "opened under)"),
        ),
    ]
