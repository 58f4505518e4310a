# A session log says which session was played: the full one, or the short one for a bad day (one round of
# each exercise at the lower dose, see sciatrack.domain.sessions). Every log stored before was a full one.

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("care", "0012_intake_tier_choices"),
    ]

    operations = [
        migrations.AddField(
            model_name="sessionlog",
            name="kind",
            field=models.CharField(
                choices=[("full", "Full"), ("short", "Short")], default="full", max_length=10
            ),
        ),
    ]
