"""Migration care 0011: rows stored before today's input rules are made readable without a clinical value
changed: free text loses NUL and unpaired surrogates only, and the rows today's rules refuse are
quarantined, each with why.

The rows are stored at migration 0010 through the historical models (and by plain SQL where the old code
let a value in that no Python datetime holds), and the database is migrated forward; runs on SQLite and
PostgreSQL alike. Migrations change the schema, so these tests run outside a test transaction.
"""

from __future__ import annotations

import json
import uuid
from collections.abc import Iterator
from datetime import UTC, date, datetime, timedelta
from typing import Any

import pytest
from django.core.management import call_command
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.db.models import TextField
from django.db.models.functions import Cast
from django.utils import timezone

from sciatrack.accounts.models import ApiToken, Patient
from sciatrack.care.models import DiaryEntry, Intake, SessionLog
from sciatrack.care.retriage import place_of
from sciatrack.clinic.models import ClinicianNote
from sciatrack.domain.intake import parse_intake
from sciatrack.domain.triage import result_to_json, triage
from vignettes import vignette_answers

pytestmark = pytest.mark.django_db(transaction=True)

ON_POSTGRESQL = connection.vendor == "postgresql"
BEFORE = [("care", "0010_submissions_programs_and_quarantine"), ("clinic", "0003_clinician_notes")]
# 0000-12-31T22:00 and 10000-01-01T04:59 in UTC: PostgreSQL keeps both, Python's datetime holds neither.
YEAR_ZERO = "0001-01-01T01:00:00+03:00"
YEAR_TEN_THOUSAND = "9999-12-31T23:59:00-05:00"
DONE = {"id": "mckenzie-extension", "status": "done", "reps_done": 10, "symptoms": "same"}


@pytest.fixture
def at_0010() -> Iterator[Any]:
    """The models as migration 0010 left them, with a patient; every app migrated to the end afterwards."""
    executor = MigrationExecutor(connection)
    executor.migrate(BEFORE)
    yield executor.loader.project_state(BEFORE).apps
    call_command("migrate", verbosity=0)


def a_patient(apps: Any) -> Any:
    user = apps.get_model("auth", "User").objects.create(username="vera")
    return apps.get_model("accounts", "Patient").objects.create(user_id=user.pk, display_name="Vera")


def write_raw(table: str, pk: int, **columns: object) -> None:
    quote = connection.ops.quote_name
    assignments = ", ".join(f"{quote(name)} = %s" for name in columns)
    with connection.cursor() as cursor:
        cursor.execute(f"UPDATE {quote(table)} SET {assignments} WHERE id = %s", [*columns.values(), pk])


def old_log(apps: Any, patient: Any, **changes: Any) -> int:
    started = timezone.now() - timedelta(hours=2)
    fields: dict[str, Any] = {
        "patient_id": patient.pk,
        "idempotency_key": uuid.uuid4(),
        "started_at": started,
        "finished_at": started + timedelta(minutes=20),
        "pain_before": 6,
        "pain_after": 4,
        "exercises": [DONE],
        **changes,
    }
    return int(apps.get_model("care", "SessionLog").objects.create(**fields).pk)


def old_check(apps: Any, patient: Any, **answers: Any) -> int:
    given = {**vignette_answers("disc-pattern-self-care")}
    result = result_to_json(triage(parse_intake(given)))
    where = place_of(result)
    check = apps.get_model("care", "Intake").objects.create(
        patient_id=patient.pk,
        answers={**given, **answers},
        result=result,
        tier=result["tier"],
        current_tier=result["tier"],
        where=where.value if where is not None else "",
        content_version="old",
    )
    return int(check.pk)


def old_diary(apps: Any, patient: Any, day: date, **changes: Any) -> int:
    fields = {"leg_pain": 4, "back_pain": 3, "reach": "thigh", "sleep": "woke_once", **changes}
    return int(
        apps.get_model("care", "DiaryEntry").objects.create(patient_id=patient.pk, day=day, **fields).pk
    )


def times_as_stored(pk: int) -> tuple[str, str]:
    row = (
        SessionLog.all_objects.filter(pk=pk)
        .annotate(start=Cast("started_at", TextField()), finish=Cast("finished_at", TextField()))
        .values_list("start", "finish")
        .get()
    )
    return row[0], row[1]


def reasons_of(model: Any) -> dict[int, str]:
    return dict(model.all_objects.values_list("pk", "quarantine_reason"))


def test_it_quarantines_each_row_todays_rules_refuse_and_changes_no_value(at_0010: Any) -> None:
    apps = at_0010
    patient = a_patient(apps)
    table = apps.get_model("care", "SessionLog")._meta.db_table
    good = old_log(apps, patient)
    year_zero = old_log(apps, patient)
    write_raw(table, year_zero, started_at=YEAR_ZERO, finished_at=YEAR_ZERO)
    endless = old_log(apps, patient)
    write_raw(table, endless, finished_at=YEAR_TEN_THOUSAND)
    now = timezone.now()
    too_long = old_log(apps, patient, started_at=now - timedelta(hours=30), finished_at=now)
    backwards = old_log(
        apps, patient, started_at=now - timedelta(hours=1), finished_at=now - timedelta(hours=2)
    )
    too_painful = old_log(apps, patient, pain_before=11)
    in_2030 = old_log(apps, patient, started_at=datetime(2030, 1, 1, tzinfo=UTC))
    stored = {pk: times_as_stored(pk) for pk in (year_zero, endless, too_long)}
    good_check, old_age = old_check(apps, patient), old_check(apps, patient, age=500)
    today = timezone.localdate()
    good_day = old_diary(apps, patient, today)
    last_century = old_diary(apps, patient, date(1999, 12, 31))
    next_week = old_diary(apps, patient, today + timedelta(days=7))
    leg_of_eleven = old_diary(apps, patient, today - timedelta(days=1), leg_pain=11)

    call_command("migrate", verbosity=0)

    logs = reasons_of(SessionLog)
    assert logs[good] == ""
    assert logs[year_zero] == (
        "started_at: must not be before 2000-01-01; finished_at: must not be before 2000-01-01"
    )
    assert logs[endless] == "finished_at: must not be more than a day in the future"
    assert logs[too_long].startswith("finished_at: ")
    assert logs[backwards] == "finished_at: must not be before started_at"
    assert logs[too_painful].startswith("pain_before: ")
    assert logs[in_2030].startswith("started_at: must not be more than a day in the future")
    # Kept exactly as stored: the times (as the database writes them) and every clinical value.
    assert {pk: times_as_stored(pk) for pk in stored} == stored
    assert SessionLog.all_objects.get(pk=too_painful).pain_before == 11
    assert SessionLog.objects.filter(patient_id=patient.pk).count() == 1

    checks = reasons_of(Intake)
    assert checks[good_check] == ""
    assert checks[old_age].startswith("answers: age: ")
    assert Intake.all_objects.get(pk=old_age).answers["age"] == 500

    days = reasons_of(DiaryEntry)
    assert days[good_day] == ""
    assert days[last_century] == "day: must not be before 2000-01-01"
    assert days[next_week] == "day: must not be more than a day in the future"
    assert days[leg_of_eleven].startswith("leg_pain: ")
    assert DiaryEntry.all_objects.get(pk=leg_of_eleven).leg_pain == 11


@pytest.mark.skipif(ON_POSTGRESQL, reason="PostgreSQL refuses NUL and unpaired surrogates: none is stored")
def test_it_strips_nul_and_unpaired_surrogates_from_typed_text_only(at_0010: Any) -> None:
    apps = at_0010
    patient = a_patient(apps)
    table = apps.get_model("care", "SessionLog")._meta.db_table
    stopped = {"id": "lift-off", "status": "stopped", "symptoms": "same", "stop_reason": "sore"}
    typed = old_log(apps, patient, exercises=[DONE, stopped], end_reason="tired")
    write_raw(
        table,
        typed,
        end_reason="ti\x00red",
        exercises=json.dumps([DONE, {**stopped, "stop_reason": "so\udfffre\x00"}]),
    )
    # A choice is not typed text: a NUL in it is left, and today's rules refuse the log.
    odd_choice = old_log(apps, patient)
    write_raw(table, odd_choice, exercises=json.dumps([{**DONE, "status": "done\x00"}]))
    check = old_check(apps, patient)
    activities = {"psfs": {"activities": [{"activity": "walk\x00ing\udfff", "score": 4}], "score": 4.0}}
    write_raw(apps.get_model("care", "Intake")._meta.db_table, check, measures=json.dumps(activities))
    note = apps.get_model("clinic", "ClinicianNote").objects.create(
        patient_id=patient.pk, author_name="Cleo", text="fine"
    )
    write_raw(note._meta.db_table, note.pk, text="fi\x00ne", author_name="Cl\x00eo")
    token = apps.get_model("accounts", "ApiToken").objects.create(
        user_id=patient.user_id, name="laptop", prefix="sct_", key_hash="0" * 64
    )
    write_raw(token._meta.db_table, token.pk, name="lap\x00top")
    write_raw(patient._meta.db_table, patient.pk, display_name="Ve\x00ra")

    call_command("migrate", verbosity=0)

    log = SessionLog.all_objects.get(pk=typed)
    assert (log.end_reason, log.exercises, log.quarantine_reason) == ("tired", [DONE, stopped], "")
    kept = SessionLog.all_objects.get(pk=odd_choice)
    assert kept.exercises[0]["status"] == "done\x00"
    assert kept.quarantine_reason.startswith("exercises[0].status: ")
    assert Intake.objects.get(pk=check).measures["psfs"]["activities"][0]["activity"] == "walking"
    assert ClinicianNote.objects.values_list("text", "author_name").get() == ("fine", "Cleo")
    assert ApiToken.objects.get().name == "laptop"
    assert Patient.objects.get().display_name == "Vera"
