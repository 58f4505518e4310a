"""A person downloads all their data and deletes their account, leaving nothing of theirs behind."""

from __future__ import annotations

import json
import uuid
from datetime import date
from typing import Any

import pytest
from django.contrib.auth.models import User
from django.test import Client

from sciatrack.accounts.models import Clinic, Patient
from sciatrack.care.models import DiaryEntry, Intake, Program, SessionLog
from sciatrack.program.programs import create_program
from sciatrack.registry.models import CaseOutcome, RegistryCase, RegistryFollowUp, RegistryWeek
from sciatrack.registry.sync import sync_patient
from web.test_program import make_intake

pytestmark = pytest.mark.django_db

PASSWORD = "a long test password"


def person(username: str) -> Patient:
    """A patient with a check, a program, a session log and a diary entry."""
    patient = Patient.objects.create(
        user=User.objects.create_user(username, password=PASSWORD, email=f"{username}@example.org"),
        display_name=username.title(),
    )
    program = create_program(make_intake(patient, "disc-pattern-self-care"))
    SessionLog.objects.create(
        patient=patient,
        program=program,
        idempotency_key=uuid.uuid4(),
        started_at="2026-11-20T08:00:00+00:00",
        finished_at="2026-11-20T08:20:00+00:00",
        pain_before=5,
        pain_after=4,
        exercises=[{"id": "lift-off", "status": "done"}],
    )
    DiaryEntry.objects.create(
        patient=patient,
        day=date(2026, 11, 20),
        leg_pain=5,
        back_pain=2,
        reach="thigh",
        sleep="woke_once",
        note=username,
    )
    return patient


@pytest.fixture
def alice() -> Patient:
    return person("alice")


@pytest.fixture
def bob() -> Patient:
    return person("bob")


def records_of(patient_id: int) -> dict[str, int]:
    return {
        "intakes": Intake.objects.filter(patient_id=patient_id).count(),
        "programs": Program.objects.filter(patient_id=patient_id).count(),
        "sessions": SessionLog.objects.filter(patient_id=patient_id).count(),
        "diary": DiaryEntry.objects.filter(patient_id=patient_id).count(),
        "patient": Patient.objects.filter(pk=patient_id).count(),
    }


def test_it_needs_a_signed_in_person(client: Client) -> None:
    for url in ("/accounts/", "/accounts/my-data.json"):
        assert client.get(url)["Location"].startswith("/accounts/login/")
    assert client.post("/accounts/delete/", {"password": PASSWORD})["Location"].startswith("/accounts/login/")


def test_it_exports_everything_about_the_person_and_nothing_about_others(
    alice_client: Client, alice: Patient, bob: Patient
) -> None:
    response = alice_client.get("/accounts/my-data.json")
    assert response["Content-Disposition"] == 'attachment; filename="sciatrack-my-data.json"'
    document: dict[str, Any] = json.loads(response.content)
    assert document["schema"] == "sciatrack.export/1"
    assert document["account"]["username"] == "alice"
    data = document["patient"]
    assert data["uuid"] == str(alice.uuid)
    assert [len(data[key]) for key in ("checks", "programs", "sessions", "diary")] == [1, 1, 1, 1]
    assert data["checks"][0]["answers"] == alice.intakes.get().answers
    assert data["diary"][0]["note"] == "alice"
    assert "bob" not in response.content.decode()


def test_it_deletes_the_account_and_all_its_records_but_nobody_elses(
    alice_client: Client, alice: Patient, bob: Patient
) -> None:
    alice_id, bob_id = alice.pk, bob.pk
    bob_before = records_of(bob_id)
    response = alice_client.post("/accounts/delete/", {"password": PASSWORD})
    assert response.status_code == 302
    assert response["Location"] == "/?deleted=1"
    assert records_of(alice_id) == dict.fromkeys(bob_before, 0)
    assert not User.objects.filter(username="alice").exists()
    assert records_of(bob_id) == bob_before
    assert alice_client.get("/progress/")["Location"].startswith("/accounts/login/")  # signed out
    home = alice_client.get("/?deleted=1").content.decode()
    assert "Your account and everything in it were deleted." in home


def test_deleting_the_account_removes_the_person_from_the_outcome_registry(
    alice_client: Client, alice: Patient, bob: Patient
) -> None:
    clinic = Clinic.objects.create(name="Harbour Spine", slug="harbour")
    Patient.objects.filter(pk__in=[alice.pk, bob.pk]).update(clinic=clinic)
    for patient in (alice, bob):
        patient.refresh_from_db()
        assert sync_patient(patient) is not None
    case_id = RegistryCase.objects.get(source_patient=alice.uuid).pk
    assert CaseOutcome.objects.filter(case_id=case_id).exists()
    response = alice_client.post("/accounts/delete/", {"password": PASSWORD})
    assert response["Location"] == "/?deleted=1"
    assert not RegistryCase.objects.filter(source_patient=alice.uuid).exists()
    for model in (RegistryFollowUp, RegistryWeek, CaseOutcome):
        assert not model.objects.filter(case_id=case_id).exists()
    assert RegistryCase.objects.filter(source_patient=bob.uuid).exists()


@pytest.mark.parametrize(
    ("password", "message"), [("wrong", "that is not your password"), ("", "type your password")]
)
def test_it_keeps_everything_when_the_password_is_not_confirmed(
    alice_client: Client, alice: Patient, password: str, message: str
) -> None:
    before = records_of(alice.pk)
    response = alice_client.post("/accounts/delete/", {"password": password})
    assert response.status_code == 422
    page = response.content.decode()
    assert "Your account was not deleted" in page
    assert f"Password: {message}" in page
    assert records_of(alice.pk) == before
    assert User.objects.filter(username="alice").exists()


def test_it_links_the_account_page_from_the_header(alice_client: Client) -> None:
    page = alice_client.get("/").content.decode()
    assert 'href="/accounts/"' in page
    assert "Download my data (JSON)" in alice_client.get("/accounts/").content.decode()


def test_it_stores_passwords_with_argon2(alice: Patient) -> None:
    assert alice.user is not None
    assert alice.user.password.startswith("argon2$")
