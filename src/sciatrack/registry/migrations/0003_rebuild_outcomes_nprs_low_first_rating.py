"""Recompute the stored registry outcomes with the NPRS responder rule that needs 2 points when the first
rating is 3 or less (``percent_when_first_above: 3`` in ``content/questionnaires/nprs.yaml``).

Before, 30% was enough at any first rating, so a leg pain going from 2 to 1 counted as a responder. The
summary table (``CaseOutcome``) only holds results worked out from the base tables, so this runs the code
of ``sciatrack registry refresh --full`` (:func:`sciatrack.registry.summary.rebuild_all`) on the models as
they are at this migration: nothing else is read or changed, and an empty registry is left empty.
Undoing it changes nothing (the old rule is gone); ``registry refresh --full`` rebuilds at any time.

If a later change gives the summary table other columns, replace ``rebuild`` here with a copy of the
code as it is now (see git), so this migration still runs on a database made before that change.
"""

from django.apps.registry import Apps
from django.db import migrations
from django.db.backends.base.schema import BaseDatabaseSchemaEditor


def rebuild(apps: Apps, schema_editor: BaseDatabaseSchemaEditor) -> None:
    from sciatrack.registry.summary import Tables, rebuild_all

    rebuild_all(Tables.of(apps))


class Migration(migrations.Migration):
    dependencies = [
        ("registry", "0002_view_network_permission"),
    ]

    operations = [
        migrations.RunPython(rebuild, migrations.RunPython.noop, elidable=True),
    ]
