"""Rows stored before today's input rules never break a page again (issue 19, item 2).

Each test writes rows the way the old code could leave them (on PostgreSQL a session log dated in year
0 or year 10000 in UTC, which Python's datetime cannot hold; on SQLite the same times as raw text, an
unpaired surrogate in a stopped exercise's reason, NUL characters in typed text), shows that a page
breaks on them, runs the data step of migration care 0011, and then reads every page that shows the
person's records: each answers 200, the quarantined rows count nowhere, and the site admin lists them.
"""

from __future__ import annotations

import csv
import importlib
import io
import json
import uuid
from datetime import timedelta
from typing import Any
from urllib.parse import urlencode

import pytest
from django.apps import apps as django_apps
from django.contrib.auth.models import User
from django.db import connection
from django.test import Client
from django.utils import timezone
from django.utils.html import escape

from api.as_browser import browser, post_json
from sciatrack.accounts.models import ApiToken, Clinic, Clinician, Patient
from sciatrack.care.models import DiaryEntry, Intake, SessionLog
from sciatrack.care.quarantine import quarantined
from sciatrack.clinic.models import ClinicianNote
from sciatrack.program.programs import create_program, kept_out_of
from sciatrack.registry.models import RegistryFollowUp, RegistryWeek
from sciatrack.registry.sync import sync_patient
from second_factor import confirm_second_factor
from web.test_program import make_intake

pytestmark = pytest.mark.django_db

ON_POSTGRESQL = connection.vendor == "postgresql"
PASSWORD = "a long test password"
# 0000-12-31T22:00 and 10000-01-01T04:59 in UTC: PostgreSQL keeps both, Python's datetime holds neither.
YEAR_ZERO = "0001-01-01T01:00:00+03:00"
YEAR_TEN_THOUSAND = "9999-12-31T23:59:00-05:00"
MIGRATION = "sciatrack.care.migrations.0011_quarantine_rows_todays_rules_refuse"

PATIENT_PAGES = (
    "/progress/",
    "/progress/report.pdf",
    "/progress/data.csv",
    "/accounts/my-data.json",
    "/program/",
    "/diary/",
    "/check/history/",
)


def quarantine_stored_rows() -> None:
    """The data step of migration care 0011, on the models and tables as they are."""
    importlib.import_module(MIGRATION).quarantine_rows(django_apps, connection.alias, timezone.now())


def write_raw(model: Any, pk: int, **columns: object) -> None:
    """Set columns of one row with plain SQL, as a writer before today's rules could leave them."""
    quote = connection.ops.quote_name
    assignments = ", ".join(f"{quote(name)} = %s" for name in columns)
    with connection.cursor() as cursor:
        cursor.execute(
            f"UPDATE {quote(model._meta.db_table)} SET {assignments} WHERE id = %s", [*columns.values(), pk]
        )


def stored_log(patient: Patient, **changes: Any) -> SessionLog:
    """A session log of an hour ago, as the guide stores one."""
    started = timezone.now() - timedelta(hours=1)
    fields: dict[str, Any] = {
        "patient": patient,
        "idempotency_key": uuid.uuid4(),
        "started_at": started,
        "finished_at": started + timedelta(minutes=20),
        "pain_before": 6,
        "pain_after": 4,
        "exercises": [{"id": "mckenzie-extension", "status": "done", "reps_done": 10, "symptoms": "same"}],
        **changes,
    }
    return SessionLog.objects.create(**fields)


def as_page(client: Client) -> Client:
    """The same signed-in session, answering 500 as a browser would see it instead of raising."""
    page_client = Client(raise_request_exception=False)
    page_client.cookies = client.cookies
    return page_client


@pytest.fixture
def riverside() -> Clinic:
    return Clinic.objects.create(name="Riverside", slug="riverside")


@pytest.fixture
def alice(riverside: Clinic) -> Patient:
    """A Riverside patient with a check, its program and one good session log."""
    record = Patient.objects.create(
        user=User.objects.create_user("alice", password=PASSWORD), clinic=riverside, display_name="Alice"
    )
    create_program(make_intake(record, "disc-pattern-self-care"))
    stored_log(record)
    return record


@pytest.fixture
def alice_client(alice: Patient) -> Client:
    client = Client()
    assert alice.user is not None
    client.force_login(alice.user)
    return client


@pytest.fixture
def cleo(riverside: Clinic) -> Client:
    """Riverside's clinician."""
    user = User.objects.create_user("cleo", password=PASSWORD)
    Clinician.objects.create(user=user, clinic=riverside)
    client = Client()
    client.force_login(user)
    confirm_second_factor(client, user)
    return client


@pytest.fixture
def root() -> Client:
    """The site administrator."""
    user = User.objects.create_superuser("root", password=PASSWORD)
    client = Client()
    client.force_login(user)
    confirm_second_factor(client, user)
    return client


@pytest.fixture
def bad_rows(alice: Patient) -> dict[str, Any]:
    """Rows today's rules refuse, on both databases: a log started in year 0, one finished in year 10000
    (a stop because the pain spread, which the program page reads by plain SQL), a newer check whose
    answers no longer parse, and today's diary entry with a leg pain of 11."""
    year_zero = stored_log(alice)
    write_raw(SessionLog, year_zero.pk, started_at=YEAR_ZERO, finished_at=YEAR_ZERO)
    stopped = {"id": "mckenzie-extension", "status": "stopped", "symptoms": "spread_down", "stop_reason": "x"}
    endless = stored_log(alice, needs_review=True, exercises=[stopped])
    write_raw(SessionLog, endless.pk, finished_at=YEAR_TEN_THOUSAND)
    good = alice.intakes.get()
    broken = Intake.objects.record(alice, {**good.answers, "age": 500}, good.result, content_version="old")
    diary = DiaryEntry.objects.create(
        patient=alice, day=timezone.localdate(), leg_pain=11, back_pain=3, reach="thigh", sleep="woke_once"
    )
    return {"logs": [year_zero, endless], "check": broken, "diary": diary}


def test_pages_break_on_these_rows_before_the_migration(alice_client: Client, bad_rows: Any) -> None:
    """Shows the rows are the ones that broke pages: without their quarantine, reading them fails."""
    assert as_page(alice_client).get("/progress/").status_code == 500
    assert as_page(alice_client).get("/program/").status_code == 500


def test_every_page_of_the_patient_answers_and_counts_only_the_rows_shown(
    alice_client: Client, alice: Patient, bad_rows: Any
) -> None:
    quarantine_stored_rows()
    for path in PATIENT_PAGES:
        assert alice_client.get(path).status_code == 200, path

    progress = alice_client.get("/progress/").context["progress"]
    assert len(progress.session_days) == 1
    assert progress.follow_ups == ()
    assert progress.diary == ()
    rows = list(csv.reader(io.StringIO(alice_client.get("/progress/data.csv").content.decode())))
    assert [row[2] for row in rows if row[0] == "session"] == [
        "pain_before",
        "pain_after",
        "mckenzie-extension.status",
    ]
    assert not [row for row in rows if row[0] == "diary"]
    own = json.loads(alice_client.get("/accounts/my-data.json").content)
    assert len(own["patient"]["sessions"]) == 1
    assert len(own["patient"]["checks"]) == 1
    # The program follows the check that parses, and a quarantined log's stop keeps no exercise out.
    check, program = Intake.objects.newest_with_program(alice.pk)
    assert check is not None and program is not None
    assert check.pk != bad_rows["check"].pk
    assert kept_out_of(alice) == {}
    assert alice_client.get("/check/history/").context["intakes"].count() == 1


def test_a_quarantined_row_is_kept_as_stored_and_says_why(alice: Patient, bad_rows: Any) -> None:
    quarantine_stored_rows()
    year_zero, endless = (SessionLog.all_objects.filter(pk=log.pk) for log in bad_rows["logs"])
    assert (
        "started_at: must not be before 2000-01-01"
        in year_zero.values_list("quarantine_reason", flat=True)[0]
    )
    assert (
        "finished_at: must not be more than a day in the future"
        in endless.values_list("quarantine_reason", flat=True)[0]
    )
    assert endless.values_list("pain_before", "needs_review").get() == (6, True)
    check = Intake.all_objects.get(pk=bad_rows["check"].pk)
    assert check.answers["age"] == 500
    assert check.quarantine_reason.startswith("answers: age: ")
    diary = DiaryEntry.all_objects.get(pk=bad_rows["diary"].pk)
    assert diary.leg_pain == 11
    assert diary.quarantine_reason.startswith("leg_pain: ")
    assert SessionLog.objects.filter(patient=alice).count() == 1
    assert SessionLog.all_objects.filter(patient=alice).count() == 3


def test_the_clinician_and_the_registry_see_only_the_rows_shown(
    alice: Patient, cleo: Client, root: Client, bad_rows: Any
) -> None:
    quarantine_stored_rows()
    page = cleo.get(f"/clinic/patients/{alice.uuid}/")
    assert page.status_code == 200
    assert len(page.context["sessions"]) == 1
    assert cleo.get(f"/clinic/patients/{alice.uuid}/report.pdf").status_code == 200
    assert cleo.get("/clinic/").status_code == 200

    case = sync_patient(alice)
    assert case is not None
    assert sum(RegistryWeek.objects.filter(case=case).values_list("sessions_done", flat=True)) == 1
    assert sum(RegistryWeek.objects.filter(case=case).values_list("diary_days", flat=True)) == 0
    assert not RegistryFollowUp.objects.filter(case=case).exists()
    assert root.get("/clinic/registry/").status_code == 200


@pytest.mark.parametrize("model", ["sessionlog", "intake", "diaryentry"])
def test_the_site_admin_lists_the_quarantined_rows(root: Client, bad_rows: Any, model: str) -> None:
    quarantine_stored_rows()
    assert root.get(f"/admin/care/{model}/").status_code == 200
    listing = root.get(f"/admin/care/{model}/?quarantined=yes")
    assert listing.status_code == 200
    expected = {"sessionlog": 2, "intake": 1, "diaryentry": 1}[model]
    assert listing.context["cl"].result_count == expected
    reasons = quarantined(listing.context["cl"].queryset).values_list("quarantine_reason", flat=True)
    assert all(escape(reason) in listing.content.decode() for reason in reasons)
    shown = {"sessionlog": 1, "intake": 1, "diaryentry": 0}[model]
    assert root.get(f"/admin/care/{model}/?quarantined=no").context["cl"].result_count == shown


def test_the_admin_shows_each_quarantined_log_with_its_times_as_stored(root: Client, bad_rows: Any) -> None:
    quarantine_stored_rows()
    listing = root.get("/admin/care/sessionlog/").content.decode()
    year = "0001" if ON_POSTGRESQL else YEAR_ZERO[:4]
    assert year in listing
    for log in bad_rows["logs"]:
        page = root.get(f"/admin/care/sessionlog/{log.pk}/change/")
        assert page.status_code == 200
        assert "quarantined session" in page.content.decode()
    # The period filter reads no stored time: the log started an hour ago counts, whenever it finished.
    midnight = timezone.localtime().replace(hour=0, minute=0, second=0, microsecond=0)
    period = {
        "started_at__gte": str(midnight - timedelta(days=7)),
        "started_at__lt": str(midnight + timedelta(days=1)),
    }
    assert root.get(f"/admin/care/sessionlog/?{urlencode(period)}").context["cl"].result_count == 2


def test_a_log_sent_again_finds_its_quarantined_copy(alice: Patient, bad_rows: Any) -> None:
    quarantine_stored_rows()
    year_zero = bad_rows["logs"][0]
    started = timezone.now() - timedelta(hours=1)
    body = {
        "idempotency_key": str(year_zero.idempotency_key),
        "started_at": started.isoformat(),
        "finished_at": (started + timedelta(minutes=10)).isoformat(),
        "pain_before": 5,
        "exercises": [{"id": "mckenzie-extension", "status": "done", "symptoms": "same"}],
    }
    assert alice.user is not None
    response = post_json(browser(alice.user), "/api/sessions", body)
    assert response.status_code == 200, response.content
    assert response.json()["uuid"] == str(year_zero.uuid)
    assert SessionLog.all_objects.filter(patient=alice).count() == 3


def test_todays_quarantined_diary_entry_is_written_again_by_its_owner(
    alice_client: Client, alice: Patient, bad_rows: Any
) -> None:
    quarantine_stored_rows()
    answers = {
        "danger_signs": "none",
        "leg_pain": "4",
        "back_pain": "3",
        "reach": "thigh",
        "sleep": "woke_once",
    }
    assert alice_client.post("/diary/", answers).status_code == 302
    entry = DiaryEntry.objects.get(patient=alice, day=timezone.localdate())
    assert (entry.leg_pain, entry.quarantine_reason) == (4, "")


@pytest.mark.skipif(ON_POSTGRESQL, reason="PostgreSQL refuses NUL and unpaired surrogates: none is stored")
def test_sqlite_text_loses_only_nul_and_unpaired_surrogates(alice_client: Client, alice: Patient) -> None:
    stopped = {"id": "lift-off", "status": "stopped", "symptoms": "same", "stop_reason": "sore"}
    log = stored_log(alice, exercises=[stopped], end_reason="tired")
    only_a_surrogate = stored_log(alice, exercises=[{**stopped, "id": "mckenzie-extension"}])
    write_raw(SessionLog, log.pk, exercises=json.dumps([{**stopped, "stop_reason": "sore\udfff"}]))
    write_raw(SessionLog, log.pk, end_reason="tired\x00")
    write_raw(
        SessionLog,
        only_a_surrogate.pk,
        exercises=json.dumps([{**stopped, "id": "mckenzie-extension", "stop_reason": "\udfff"}]),
    )
    diary = DiaryEntry.objects.create(
        patient=alice, day=timezone.localdate(), leg_pain=4, back_pain=3, reach="thigh", sleep="woke_once"
    )
    write_raw(DiaryEntry, diary.pk, note="slept\x00 badly")
    assert alice.user is not None
    token = ApiToken.objects.create(user=alice.user, name="laptop", prefix="sct_x", key_hash="0" * 64)
    write_raw(ApiToken, token.pk, name="lap\x00top")
    note = ClinicianNote.objects.create(patient=alice, author_name="Cleo", text="fine")
    write_raw(ClinicianNote, note.pk, text="fi\x00ne")
    assert as_page(alice_client).get("/progress/").status_code == 500

    quarantine_stored_rows()
    for path in PATIENT_PAGES:
        assert alice_client.get(path).status_code == 200, path
    log.refresh_from_db()
    assert (log.exercises[0]["stop_reason"], log.end_reason, log.quarantine_reason) == ("sore", "tired", "")
    assert "sore" in alice_client.get("/progress/").content.decode()
    # Its only reason stripped, a stopped exercise no longer says why: today's rules refuse that.
    kept = SessionLog.all_objects.get(pk=only_a_surrogate.pk)
    assert kept.exercises[0]["stop_reason"] == ""
    assert "say why the exercise was stopped" in kept.quarantine_reason
    diary.refresh_from_db()
    token.refresh_from_db()
    note.refresh_from_db()
    assert (diary.note, token.name, note.text) == ("slept badly", "laptop", "fine")
