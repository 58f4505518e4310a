"""A key per submitted check, one program per check, and room to quarantine rows stored before today's
input rules.

Before the constraint, a check that two first visits gave two or three programs keeps only its newest
linked (the one the pages already showed); the older ones stay, with their session logs, unlinked.
"""

from typing import Any

from django.db import migrations, models
from django.db.models import Count


def unlink_older_duplicate_programs(apps: Any, schema_editor: Any) -> None:
    program_model = apps.get_model("care", "Program")
    doubled = (
        program_model.objects.exclude(intake=None)
        .values("intake")
        .annotate(count=Count("id"))
        .filter(count__gt=1)
        .values_list("intake", flat=True)
    )
    for intake_id in list(doubled):
        programs = program_model.objects.filter(intake_id=intake_id).order_by("-created", "-id")
        newest = programs.first()
        programs.exclude(pk=newest.pk).update(intake=None)


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0002_api_tokens"),
        ("care", "0009_clearances"),
    ]

    operations = [
        migrations.AddField(
            model_name="diaryentry",
            name="quarantine_reason",
            field=models.CharField(blank=True, default="", max_length=500),
        ),
        migrations.AddField(
            model_name="intake",
            name="quarantine_reason",
            field=models.CharField(blank=True, default="", max_length=500),
        ),
        migrations.AddField(
            model_name="intake",
            name="submission",
            field=models.UUIDField(blank=True, editable=False, null=True, unique=True),
        ),
        migrations.AddField(
            model_name="sessionlog",
            name="quarantine_reason",
            field=models.CharField(blank=True, default="", max_length=500),
        ),
        migrations.RunPython(unlink_older_duplicate_programs, migrations.RunPython.noop),
        migrations.AddConstraint(
            model_name="program",
            constraint=models.UniqueConstraint(
                condition=models.Q(("intake__isnull", False)),
                fields=("intake",),
                name="one_program_per_check",
            ),
        ),
    ]
