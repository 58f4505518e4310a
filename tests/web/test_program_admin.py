"""Clinicians adjust a stored program in the admin; session logs are there to review, not to edit."""

from __future__ import annotations

import json
from typing import Any

import pytest
from django.contrib.auth.models import User
from django.test import Client

from sciatrack.accounts.models import Patient
from sciatrack.care.models import Program, SessionLog
from sciatrack.program.programs import create_program
from second_factor import confirm_second_factor
from web.test_program import a_log, make_intake, post

pytestmark = pytest.mark.django_db


@pytest.fixture
def program(alice: Patient) -> Program:
    record = create_program(make_intake(alice, "disc-pattern-self-care"))
    assert record is not None
    return record


@pytest.fixture
def charlie_client() -> Client:
    """A clinician with admin rights."""
    client = Client()
    charlie = User.objects.create_superuser("charlie", password="a long test password")
    client.force_login(charlie)
    confirm_second_factor(client, charlie)
    return client


def change(client: Client, program: Program, exercises: Any) -> Any:
    return client.post(
        f"/admin/care/program/{program.pk}/change/", {"exercises": json.dumps(exercises), "_save": "Save"}
    )


def test_it_lets_a_clinician_change_a_dosage_that_the_patient_then_sees(
    charlie_client: Client, program: Program, alice: Patient
) -> None:
    exercises = program.exercises
    mckenzie = next(item for item in exercises if item["id"] == "mckenzie-extension")
    mckenzie["dosage"]["reps"] = 6
    response = change(charlie_client, program, exercises)
    assert response.status_code == 302
    program.refresh_from_db()
    stored = {item["id"]: item for item in program.exercises}
    assert stored["mckenzie-extension"]["dosage"]["reps"] == 6
    assert stored["mckenzie-extension"]["dosage_text"].startswith("6 times")
    assert program.changes.get().author_name == "charlie"

    patient_client = Client()
    assert alice.user is not None
    patient_client.force_login(alice.user)
    page = patient_client.get("/program/").content.decode()
    assert "6 times, hold 2 to 3 seconds, every waking hour" in page


@pytest.mark.parametrize(
    ("edit", "message"),
    [
        (lambda items: items[1]["dosage"].update(reps=0), "exercises[1].dosage.reps"),
        (lambda items: items[0].update(id="cartwheel"), "exercises[0].id: &#x27;cartwheel&#x27; is not an"),
        (lambda items: items[2]["dosage"].pop("frequency"), "exercises[2].dosage.frequency"),
        (lambda items: items.append(dict(items[0])), "appears twice"),
        (lambda items: items.clear(), "This field is required"),
    ],
)
def test_it_refuses_a_change_the_guide_could_not_play_and_keeps_the_program(
    charlie_client: Client, program: Program, edit: Any, message: str
) -> None:
    before = program.exercises
    exercises = json.loads(json.dumps(before))
    edit(exercises)
    response = change(charlie_client, program, exercises)
    assert response.status_code == 200
    assert message in response.content.decode()
    program.refresh_from_db()
    assert program.exercises == before


def test_it_lists_session_logs_for_review_without_letting_anyone_edit_them(
    charlie_client: Client, alice: Patient
) -> None:
    assert alice.user is not None
    stopped = {"id": "mckenzie-extension", "status": "stopped", "symptoms": "spread_down", "stop_reason": "x"}
    assert post(alice.user, a_log()).status_code == 201
    assert post(alice.user, a_log(exercises=[stopped])).status_code == 201

    listing = charlie_client.get("/admin/care/sessionlog/?needs_review__exact=1")
    assert listing.status_code == 200
    assert listing.context["cl"].result_count == 1
    log = SessionLog.objects.get(needs_review=True)
    response = charlie_client.post(f"/admin/care/sessionlog/{log.pk}/change/", {"pain_before": 0})
    assert response.status_code == 403
    log.refresh_from_db()
    assert log.pain_before == 6


@pytest.mark.parametrize("model", ["safetyupdate", "clearance", "resumeclearance"])
def test_it_lists_safety_records_and_lets_nobody_add_or_edit_them(charlie_client: Client, model: str) -> None:
    assert charlie_client.get(f"/admin/care/{model}/").status_code == 200
    assert charlie_client.get(f"/admin/care/{model}/add/").status_code == 403
