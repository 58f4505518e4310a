"""The stop that sticks and clearance (contract section 3, version 2), through the pages, with real accounts.

Personas as in ``test_clinic``: alice is a patient of Riverside, cleo Riverside's clinician, hugo
Hillside's; every form is posted by a client that enforces CSRF, with the token the page gave it.
"""

from __future__ import annotations

import re
import uuid
from datetime import UTC, date, datetime, timedelta
from typing import Any

import pytest
import time_machine
from django.contrib.auth.models import User
from django.test import Client
from django.utils import timezone
from django_otp.plugins.otp_totp.models import TOTPDevice

from api.as_browser import browser, post_json
from sciatrack.accounts.models import Clinic, Clinician, Patient
from sciatrack.accounts.own_data import export_document
from sciatrack.care.models import Clearance, ProgramChange, ResumeClearance
from sciatrack.clinic.models import AuditEvent
from sciatrack.progress.report import data_csv_text, render_report_html
from second_factor import confirm_second_factor, current_code
from web.test_program import make_intake

pytestmark = pytest.mark.django_db

PASSWORD = "a long test password"
# Monday 4 May 2026, in the evening (the site's time zone is UTC in the tests).
MONDAY_EVENING = datetime(2026, 5, 4, 18, 0, tzinfo=UTC)
STOPPED = "mckenzie-extension"
STOPPED_NAME = "McKenzie press-up on the elbows"


def token_of(page: str) -> str:
    found = re.findall(r'name="csrfmiddlewaretoken" value="([^"]+)"', page)
    assert found, "the page has no form with a CSRF token"
    return found[0]


def person(name: str, clinic: Clinic | None) -> tuple[Patient, Client]:
    user = User.objects.create_user(name, password=PASSWORD)
    patient = Patient.objects.create(user=user, clinic=clinic, display_name=name.title())
    client = Client(enforce_csrf_checks=True)
    client.force_login(user)
    return patient, client


def clinician(name: str, clinic: Clinic) -> Client:
    """A clinician signed in with their second factor confirmed, on a client that enforces CSRF."""
    user = User.objects.create_user(name, password=PASSWORD)
    Clinician.objects.create(user=user, clinic=clinic)
    client = Client(enforce_csrf_checks=True)
    client.force_login(user)
    device = TOTPDevice.objects.create(user=user, name="test", confirmed=True)
    page = client.get("/accounts/two-factor/?next=/clinic/").content.decode()
    response = client.post(
        "/accounts/two-factor/",
        {"token": current_code(device), "next": "/clinic/", "csrfmiddlewaretoken": token_of(page)},
    )
    assert response.status_code == 302, response.content.decode()[:500]
    return client


@pytest.fixture
def riverside() -> Clinic:
    return Clinic.objects.create(name="Riverside", slug="riverside")


@pytest.fixture
def hillside() -> Clinic:
    return Clinic.objects.create(name="Hillside", slug="hillside")


@pytest.fixture
def alice(riverside: Clinic) -> tuple[Patient, Client]:
    return person("alice", riverside)


@pytest.fixture
def cleo(riverside: Clinic) -> Client:
    return clinician("cleo", riverside)


@pytest.fixture
def hugo(hillside: Clinic) -> Client:
    return clinician("hugo", hillside)


def stop_spreading(patient: Patient, at: datetime) -> None:
    """A guided session at ``at`` in which the press-up made the pain spread, sent as the browser sends it."""
    assert patient.user is not None
    log = {
        "idempotency_key": str(uuid.uuid4()),
        "started_at": at.isoformat(),
        "finished_at": (at + timedelta(minutes=10)).isoformat(),
        "pain_before": 5,
        "exercises": [
            {"id": "lift-off", "status": "done", "symptoms": "same"},
            {"id": STOPPED, "status": "stopped", "symptoms": "spread_down", "stop_reason": "Spread."},
        ],
    }
    response = post_json(browser(patient.user), "/api/sessions", log)  # as session.js sends it
    assert response.status_code == 201, response.content.decode()


def in_program(client: Client) -> bool:
    """Whether the press-up is in the program the person follows (the session plan), not left out."""
    data = client.get("/session/").context["session_data"]
    return STOPPED in data["exercises"]


# The stop that sticks --------------------------------------------------------------------------------


def test_a_stop_because_the_pain_spread_sticks_past_midnight_until_a_check_7_days_later(
    alice: tuple[Patient, Client],
) -> None:
    patient, client = alice
    with time_machine.travel(MONDAY_EVENING - timedelta(hours=9), tick=False):
        make_intake(patient, "disc-pattern-self-care")
        assert in_program(client)
    with time_machine.travel(MONDAY_EVENING + timedelta(minutes=15), tick=False):
        stop_spreading(patient, MONDAY_EVENING)
        assert not in_program(client)
    for moment in (datetime(2026, 5, 5, 0, 1, tzinfo=UTC), datetime(2026, 5, 9, 8, 0, tzinfo=UTC)):
        with time_machine.travel(moment, tick=False):  # after midnight, and days later: still out
            page = client.get("/program/").content.decode()
            assert not in_program(client)
            assert "Left out for now" in page
            assert "On 4 May 2026 this exercise made your pain spread further down your leg." in page
            assert "on or after 11 May 2026" in page and "Book a review" in page
    with time_machine.travel(datetime(2026, 5, 10, 9, 0, tzinfo=UTC), tick=False):
        make_intake(patient, "disc-pattern-self-care")  # a new full check 6 days later: not enough
        assert not in_program(client)
    with time_machine.travel(datetime(2026, 5, 11, 9, 0, tzinfo=UTC), tick=False):
        make_intake(patient, "disc-pattern-self-care")  # 7 days later, and it allows exercise
        assert in_program(client)
        assert "made your pain spread" not in client.get("/program/").content.decode()


def test_a_clinician_clears_a_stop_to_resume_kept_in_the_programs_change_history(
    alice: tuple[Patient, Client], cleo: Client, hugo: Client
) -> None:
    patient, client = alice
    make_intake(patient, "disc-pattern-self-care")
    client.get("/program/")  # the program is stored, and its page kept
    stop_spreading(patient, timezone.now() - timedelta(hours=1))
    assert not in_program(client)
    record = cleo.get(f"/clinic/patients/{patient.uuid}/").content.decode()
    assert "Kept out after the pain spread" in record and "Clear to resume" in record
    url = f"/clinic/patients/{patient.uuid}/resume/{STOPPED}/"

    hugos_token = token_of(hugo.get("/clinic/").content.decode())
    assert hugo.post(url, {"csrfmiddlewaretoken": hugos_token}).status_code == 404
    assert cleo.post(url).status_code == 403  # no CSRF token
    assert not ResumeClearance.objects.exists() and not ProgramChange.objects.exists()

    response = cleo.post(url, {"csrfmiddlewaretoken": token_of(record)})
    assert response.status_code == 302
    change = ProgramChange.objects.get()
    assert change.summary.startswith(f"cleared {STOPPED_NAME} to resume")
    assert change.author_name == "cleo" and change.program.patient == patient
    assert ResumeClearance.objects.get().change == change
    assert AuditEvent.objects.filter(action="change", actor_name="cleo", patient=patient).count() == 1
    assert in_program(client)
    assert "made your pain spread" not in client.get("/program/").content.decode()
    record = cleo.get(f"/clinic/patients/{patient.uuid}/").content.decode()
    assert f"cleared {STOPPED_NAME} to resume" in record and "Kept out after the pain spread" not in record
    # Nothing left to clear: a second post is refused and stores nothing.
    assert cleo.post(url, {"csrfmiddlewaretoken": token_of(record)}).status_code == 409
    assert ResumeClearance.objects.count() == 1


# A clinician's clearance -----------------------------------------------------------------------------


def clear_form(client: Client, patient: Patient, **fields: Any) -> dict[str, Any]:
    record = client.get(f"/clinic/patients/{patient.uuid}/").content.decode()
    check = patient.intakes.first()
    assert check is not None
    return {
        "csrfmiddlewaretoken": token_of(record),
        "check": str(check.uuid),
        "seen_on": timezone.localdate().isoformat(),
        "note": "Seen in clinic today: temperature normal, no infection found; fine to exercise.",
        **fields,
    }


def test_a_clinician_clears_an_urgent_doctor_today_result_and_the_program_starts(
    alice: tuple[Patient, Client], cleo: Client
) -> None:
    patient, client = alice
    make_intake(patient, "fever-alone")
    page = client.get("/program/").content.decode()
    assert "There is no exercise program for you" in page
    assert "a clinician at your clinic can clear you" in page
    assert "A doctor checked me for these" not in page  # the person may not clear a doctor-today result
    assert 'href="/program/">My program</a>' not in client.get("/").content.decode()
    record = cleo.get(f"/clinic/patients/{patient.uuid}/").content.decode()
    assert "Clear to exercise" in record

    response = cleo.post(f"/clinic/patients/{patient.uuid}/clear/", clear_form(cleo, patient))
    assert response.status_code == 302
    clearance = Clearance.objects.get()
    assert (clearance.by, clearance.by_name, clearance.where) == ("clinician", "cleo", "doctor_today")
    assert clearance.rules == ["urgent.fever"] and clearance.seen_on == timezone.localdate()
    assert AuditEvent.objects.filter(action="change", actor_name="cleo").count() == 1

    page = client.get("/program/").content.decode()
    assert "Start a guided session" in page and in_program(client)
    assert 'href="/program/">My program</a>' in client.get("/").content.decode()  # the home page offers it
    record = cleo.get(f"/clinic/patients/{patient.uuid}/").content.decode()
    assert "Cleared to exercise by cleo" in record and "temperature normal" in record
    assert 'action="/clinic/patients/' + str(patient.uuid) + '/clear/"' not in record  # cleared once
    report = render_report_html(patient)
    assert "Checks cleared for exercise" in report and "Cleared to exercise by cleo" in report
    assert "cleared_by,clinician: cleo" in data_csv_text(patient)
    assert patient.user is not None
    exported = export_document(patient.user)["patient"]["checks"][0]["clearances"]
    assert exported[0]["by"] == "clinician" and "temperature normal" in exported[0]["note"]

    # The clearance covers that check only: a new check with a danger sign holds the exercises again.
    make_intake(patient, "fever-alone")
    assert "There is no exercise program for you" in client.get("/program/").content.decode()


@pytest.mark.parametrize("vignette", ["cauda-equina-bladder", "major-trauma-emergency-department-today"])
def test_an_emergency_department_result_is_never_cleared(
    alice: tuple[Patient, Client], cleo: Client, vignette: str
) -> None:
    patient, client = alice
    make_intake(patient, vignette)
    record = cleo.get(f"/clinic/patients/{patient.uuid}/").content.decode()
    assert "Clear to exercise" not in record
    response = cleo.post(f"/clinic/patients/{patient.uuid}/clear/", clear_form(cleo, patient))
    assert response.status_code == 403
    assert "never cleared" in response.content.decode()
    assert not Clearance.objects.exists()
    assert "There is no exercise program for you" in client.get("/program/").content.decode()


def test_only_a_clinician_of_the_persons_clinic_may_clear(
    alice: tuple[Patient, Client], cleo: Client, hugo: Client
) -> None:
    patient, client = alice
    make_intake(patient, "fever-alone")
    form = clear_form(cleo, patient)
    url = f"/clinic/patients/{patient.uuid}/clear/"
    hugos_token = token_of(hugo.get("/clinic/").content.decode())
    assert hugo.post(url, {**form, "csrfmiddlewaretoken": hugos_token}).status_code == 404
    page = client.get("/program/").content.decode()
    by_patient = client.post(url, {**form, "csrfmiddlewaretoken": token_of(page)})
    assert by_patient.status_code == 403 and "These pages are for clinic staff" in by_patient.content.decode()
    admin = User.objects.create_superuser("root", password=PASSWORD)  # sees every patient, is no clinician
    site = Client()
    site.force_login(admin)
    confirm_second_factor(site, admin)
    assert site.get(f"/clinic/patients/{patient.uuid}/").status_code == 200
    by_admin = site.post(url, form)
    assert by_admin.status_code == 403
    assert "Only a clinician of the person&#x27;s clinic can clear" in by_admin.content.decode()
    assert not Clearance.objects.exists()


@pytest.mark.parametrize(
    ("changes", "named"),
    [
        ({"seen_on": "2999-01-01"}, "Date you saw the person: give a date that is not after today"),
        ({"seen_on": "2020-01-01"}, "Date you saw the person: give a date on or after the day of the check"),
        ({"seen_on": "not a date"}, "Date you saw the person: give a real date"),
        ({"seen_on": ""}, "Date you saw the person: give the date"),
        ({"note": ""}, "What you found: write what you found"),
        ({"note": "x" * 501}, "What you found: keep the note to 500 characters"),
    ],
)
def test_a_clinicians_bad_date_or_note_is_named_and_nothing_is_stored(
    alice: tuple[Patient, Client], cleo: Client, changes: dict[str, str], named: str
) -> None:
    patient, _ = alice
    make_intake(patient, "fever-alone")
    response = cleo.post(f"/clinic/patients/{patient.uuid}/clear/", clear_form(cleo, patient, **changes))
    assert response.status_code == 422
    assert named in response.content.decode()
    assert not Clearance.objects.exists()
    assert not AuditEvent.objects.filter(action="change").exists()


# The person's own clearance --------------------------------------------------------------------------


SEEN = "Date the doctor checked you"


def own_form(client: Client, **fields: Any) -> dict[str, Any]:
    page = client.get("/program/").content.decode()
    check = re.findall(r'name="check" value="([^"]+)"', page)
    assert check, "the page has no form for the person's own clearance"
    return {
        "csrfmiddlewaretoken": token_of(page),
        "check": check[0],
        "confirm": "on",
        "seen_on": timezone.localdate().isoformat(),
        "note": "My GP checked the injection site.",
        **fields,
    }


def test_a_person_clears_a_soon_result_themselves_and_the_program_starts(
    alice: tuple[Patient, Client], cleo: Client
) -> None:
    patient, client = alice
    with time_machine.travel(datetime(2026, 5, 4, 9, 0, tzinfo=UTC), tick=False):
        make_intake(patient, "recent-spinal-injection-soon")
    with time_machine.travel(datetime(2026, 5, 7, 9, 0, tzinfo=UTC), tick=False):
        page = client.get("/program/").content.decode()
        assert "A doctor checked me for these since this check and said exercise is fine" in page
        assert client.post("/program/", {**own_form(client), "csrfmiddlewaretoken": "x"}).status_code == 403
        response = client.post("/program/", own_form(client, seen_on="2026-05-06"))
        assert response.status_code == 302 and response["Location"] == "/program/"
        clearance = Clearance.objects.get()
        assert (clearance.by, clearance.by_name, clearance.where) == ("person", "Alice", "doctor_within_days")
        assert clearance.seen_on == date(2026, 5, 6) and clearance.by_clinician is None
        page = client.get("/program/").content.decode()
        assert "Start a guided session" in page and in_program(client)
        record = cleo.get(f"/clinic/patients/{patient.uuid}/").content.decode()
        assert "Cleared to exercise by the person (Alice)" in record and "6 May 2026" in record
        assert "a doctor checked them for these on 6 May 2026" in render_report_html(patient)


def test_a_person_may_not_clear_an_urgent_result_themselves(alice: tuple[Patient, Client]) -> None:
    patient, client = alice
    make_intake(patient, "cancer-history")
    page = client.get("/program/").content.decode()
    assert "A doctor checked me for these" not in page
    check = patient.intakes.get()
    form = {
        "csrfmiddlewaretoken": token_of(page),
        "check": str(check.uuid),
        "confirm": "on",
        "seen_on": timezone.localdate().isoformat(),
    }
    response = client.post("/program/", form)
    assert response.status_code == 403
    assert "Only a clinician" in response.content.decode()
    assert not Clearance.objects.exists()


@pytest.mark.parametrize(
    ("changes", "named"),
    [
        (
            {"seen_on": "2999-01-01"},
            "Date the doctor checked you</strong>: give a date that is not after today",
        ),
        ({"seen_on": "2020-01-01"}, "Date the doctor checked you</strong>: give a date on or after the day"),
        ({"seen_on": ""}, "Date the doctor checked you</strong>: give the date"),
        ({"confirm": ""}, "A doctor checked me</strong>: tick this only if a doctor did check you"),
        ({"note": "x" * 501}, "What the doctor said</strong>: keep the note to 500 characters"),
    ],
)
def test_a_persons_bad_answer_is_named_and_nothing_is_stored(
    alice: tuple[Patient, Client], changes: dict[str, str], named: str
) -> None:
    patient, client = alice
    make_intake(patient, "recent-spinal-injection-soon")
    response = client.post("/program/", own_form(client, **changes))
    assert response.status_code == 422
    assert named in response.content.decode()
    assert not Clearance.objects.exists()


def test_a_person_never_clears_a_check_other_than_their_newest(alice: tuple[Patient, Client]) -> None:
    patient, client = alice
    make_intake(patient, "recent-spinal-injection-soon")
    form = own_form(client)
    make_intake(patient, "recent-spinal-injection-soon")  # a newer check, made in another tab
    assert client.post("/program/", form).status_code == 409
    assert not Clearance.objects.exists()
