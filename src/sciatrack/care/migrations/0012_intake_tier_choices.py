# A check's tiers take their choices from the vocabulary (sciatrack.domain.vocabulary.TIER_CHOICES): only
# the choices change, not the columns, so the database is untouched.

from django.db import migrations, models

TIER_CHOICES = [
    ("emergency", "Emergency"),
    ("urgent", "Urgent"),
    ("soon", "Soon"),
    ("routine", "Routine"),
    ("self_care", "Self-care"),
]


class Migration(migrations.Migration):
    dependencies = [
        ("care", "0011_quarantine_rows_todays_rules_refuse"),
    ]

    operations = [
        migrations.AlterField(
            model_name="intake",
            name="current_tier",
            field=models.CharField(choices=TIER_CHOICES, db_index=True, max_length=20),
        ),
        migrations.AlterField(
            model_name="intake",
            name="tier",
            field=models.CharField(choices=TIER_CHOICES, db_index=True, max_length=20),
        ),
    ]
