"""Contract version 2: every stored check gets the result of the version-2 rules beside its original.

The stored answers and result are left exactly as they were; ``current_result``, ``current_tier``,
``where`` and ``advice_raised`` are filled from :func:`sciatrack.care.retriage.current_fields`. Running
the domain's triage here is deliberate: the new result must be what the app would say today.
"""

from django.conf import settings
from django.db import migrations, models
from django.db.backends.base.schema import BaseDatabaseSchemaEditor
from django.db.migrations.state import StateApps

BATCH = 500


def rerun_checks(apps: StateApps, schema_editor: BaseDatabaseSchemaEditor) -> None:
    from sciatrack.care.retriage import current_fields

    Intake = apps.get_model("care", "Intake")
    fields = ["current_result", "current_tier", "where", "advice_raised"]
    checks = Intake.objects.using(schema_editor.connection.alias).only("id", "answers", "result", "tier")
    changed = []
    for check in checks.iterator(chunk_size=BATCH):
        for name, value in current_fields(
            check.answers, check.result, settings.SCIATRACK_EMERGENCY_NUMBER
        ).items():
            setattr(check, name, value)
        changed.append(check)
        if len(changed) >= BATCH:
            Intake.objects.using(schema_editor.connection.alias).bulk_update(changed, fields)
            changed = []
    if changed:
        Intake.objects.using(schema_editor.connection.alias).bulk_update(changed, fields)


class Migration(migrations.Migration):
    dependencies = [
        ("care", "0005_session_log_indexes"),
    ]

    operations = [
        migrations.AddField(
            model_name="intake",
            name="current_result",
            field=models.JSONField(blank=True, null=True),
        ),
        migrations.AddField(
            model_name="intake",
            name="current_tier",
            field=models.CharField(db_index=True, default="", max_length=20),
            preserve_default=False,
        ),
        migrations.AddField(
            model_name="intake",
            name="where",
            field=models.CharField(default="", max_length=40),
            preserve_default=False,
        ),
        migrations.AddField(
            model_name="intake",
            name="advice_raised",
            field=models.BooleanField(default=False),
        ),
        # Going back drops the columns; the original answers and results were never touched.
        migrations.RunPython(rerun_checks, migrations.RunPython.noop, elidable=False),
    ]
