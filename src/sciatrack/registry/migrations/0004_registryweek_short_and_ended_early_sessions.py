# A registry week says, of its sessions done, how many were short (a bad day's session) and how many were
# ended early; both still count in sessions_done. Weeks stored before say 0 until the next sync.

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("registry", "0003_rebuild_outcomes_nprs_low_first_rating"),
    ]

    operations = [
        migrations.AddField(
            model_name="registryweek",
            name="short_sessions",
            field=models.SmallIntegerField(db_default=0, default=0),
        ),
        migrations.AddField(
            model_name="registryweek",
            name="ended_early_sessions",
            field=models.SmallIntegerField(db_default=0, default=0),
        ),
    ]
