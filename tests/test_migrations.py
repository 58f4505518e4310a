"""The migrations describe the models as they are (a model change without its migration fails here), and
the data migrations do what they say to rows stored before them."""

from __future__ import annotations

import io
from datetime import UTC, datetime

import pytest
from django.core.management import call_command
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

pytestmark = pytest.mark.django_db


def test_it_has_a_migration_for_every_model_change() -> None:
    out = io.StringIO()
    try:
        call_command("makemigrations", "--check", "--dry-run", stdout=out, stderr=out)
    except SystemExit as exit_:  # makemigrations --check exits non-zero when a migration is missing
        pytest.fail(f"models changed without a migration (exit {exit_.code}):\n{out.getvalue()}")


BEFORE_ONE_PROGRAM_PER_CHECK = [("care", "0009_clearances")]
ONE_PROGRAM_PER_CHECK = [("care", "0010_submissions_programs_and_quarantine")]


@pytest.mark.django_db(transaction=True)
def test_0010_keeps_the_newest_program_of_a_doubled_check_linked_and_every_program_kept() -> None:
    """Two first visits at once once gave a check two or three programs: before the one-program rule,
    the newest (the one the pages showed) stays linked; the older stay, unlinked, with their logs."""
    executor = MigrationExecutor(connection)
    executor.migrate(BEFORE_ONE_PROGRAM_PER_CHECK)
    try:
        apps = executor.loader.project_state(BEFORE_ONE_PROGRAM_PER_CHECK).apps
        patient = apps.get_model("accounts", "Patient").objects.create(display_name="Ada")
        intakes, programs = (
            apps.get_model("care", "Intake").objects,
            apps.get_model("care", "Program").objects,
        )
        check = {
            "answers": {},
            "result": {},
            "tier": "self_care",
            "current_tier": "self_care",
            "where": "home_program",
        }
        doubled = intakes.create(patient=patient, content_version="v", **check)
        single = intakes.create(patient=patient, content_version="v", **check)

        def program_of(intake: object, day: int) -> int:
            program = programs.create(
                patient=patient, intake=intake, exercises=[], pattern="p", content_version="v"
            )
            programs.filter(pk=program.pk).update(created=datetime(2026, 3, day, tzinfo=UTC))
            return int(program.pk)

        oldest, newest, middle = program_of(doubled, 1), program_of(doubled, 3), program_of(doubled, 2)
        alone, unlinked = program_of(single, 1), program_of(None, 1)
        log = apps.get_model("care", "SessionLog").objects.create(
            patient=patient,
            program_id=oldest,
            idempotency_key="6f1c2d1e-0a4b-4c4f-9a7e-2a1b3c4d5e6f",
            started_at=datetime(2026, 3, 1, 8, tzinfo=UTC),
            finished_at=datetime(2026, 3, 1, 8, 20, tzinfo=UTC),
            pain_before=5,
            exercises=[],
        )

        executor = MigrationExecutor(connection)
        executor.migrate(ONE_PROGRAM_PER_CHECK)

        apps = executor.loader.project_state(ONE_PROGRAM_PER_CHECK).apps
        linked = dict(apps.get_model("care", "Program").objects.values_list("pk", "intake_id"))
        assert linked == {
            oldest: None,
            middle: None,
            newest: doubled.pk,
            alone: single.pk,
            unlinked: None,
        }
        assert apps.get_model("care", "SessionLog").objects.get(pk=log.pk).program_id == oldest
    finally:
        call_command("migrate", verbosity=0)
