"""Invitations: a single-use, week-long link makes a patient (or, from an admin, a clinician) account."""

from __future__ import annotations

import re
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.contrib.auth.models import User
from django.core import mail
from django.test import Client

from sciatrack.accounts.models import Clinic, Clinician, Patient
from sciatrack.clinic.models import Invitation
from second_factor import confirm_second_factor

pytestmark = pytest.mark.django_db

NOON = datetime(2026, 11, 25, 12, 0, tzinfo=ZoneInfo("UTC"))
NEW_PASSWORD = "a fresh long password 42"


@pytest.fixture
def riverside() -> Clinic:
    return Clinic.objects.create(name="Riverside", slug="riverside")


def staff_client(name: str, clinic: Clinic, role: str = Clinician.Role.CLINICIAN) -> Client:
    user = User.objects.create_user(name, password="a long test password")
    Clinician.objects.create(user=user, clinic=clinic, role=role)
    client = Client()
    client.force_login(user)
    confirm_second_factor(client, user)
    return client


def invite(client: Client, **fields: str) -> tuple[int, str | None]:
    response = client.post(
        "/clinic/invite/", {"kind": "patient", "display_name": "Dora", "email": "", **fields}
    )
    found = re.search(
        r'<code class="api-key">https?://[^/]+(/invite/[^<]+/)</code>', response.content.decode()
    )
    return response.status_code, found.group(1) if found else None


def accept(link: str, username: str = "dora") -> int:
    form = {"username": username, "password1": NEW_PASSWORD, "password2": NEW_PASSWORD}
    return Client().post(link, form).status_code


def test_it_makes_a_patient_of_the_clinic_in_the_inviters_care(riverside: Clinic) -> None:
    cleo = staff_client("cleo", riverside)
    status, link = invite(cleo, email="dora@example.org")
    assert status == 201 and link is not None
    assert len(mail.outbox) == 1 and link in mail.outbox[0].body
    assert Client().get(link).status_code == 200
    assert accept(link) == 200
    dora = Patient.objects.get(user__username="dora")
    assert (dora.clinic, dora.display_name) == (riverside, "Dora")
    assert [c.user.username for c in dora.clinicians.all()] == ["cleo"]
    assert "Dora" in cleo.get("/clinic/").content.decode()


def test_it_works_only_once(riverside: Clinic) -> None:
    _, link = invite(staff_client("cleo", riverside))
    assert link is not None
    assert accept(link) == 200
    assert accept(link, "someone-else") == 410
    assert not User.objects.filter(username="someone-else").exists()


def test_it_expires_after_a_week(riverside: Clinic) -> None:
    with time_machine.travel(NOON, tick=False):
        _, link = invite(staff_client("cleo", riverside))
    assert link is not None
    with time_machine.travel(NOON + timedelta(days=7, minutes=1), tick=False):
        assert accept(link) == 410
    assert not Patient.objects.filter(display_name="Dora").exists()


def test_it_lets_only_a_clinic_admin_invite_clinicians(riverside: Clinic) -> None:
    status, link = invite(staff_client("cleo", riverside), kind="clinician", display_name="Cal")
    assert status == 422 and link is None
    assert not Invitation.objects.exists()
    status, link = invite(staff_client("ada", riverside, Clinician.Role.CLINIC_ADMIN), kind="clinician")
    assert status == 201 and link is not None
    assert accept(link, "cal") == 200
    assert Clinician.objects.get(user__username="cal").clinic == riverside


def test_it_refuses_patients_visitors_and_made_up_links(client: Client, riverside: Clinic) -> None:
    assert client.get("/clinic/invite/")["Location"].startswith("/accounts/login/")
    client.force_login(User.objects.create_user("pat", password="a long test password"))
    assert client.post("/clinic/invite/", {"kind": "patient", "display_name": "X"}).status_code == 403
    assert Client().get("/invite/not-a-real-key/").status_code == 410
    assert not Invitation.objects.exists()


def test_it_stores_only_a_hash_of_the_link(riverside: Clinic) -> None:
    _, link = invite(staff_client("cleo", riverside))
    assert link is not None
    key = link.strip("/").split("/")[-1]
    assert key not in Invitation.objects.get().key_hash
