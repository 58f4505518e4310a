"""Sign-up, sign-in and sign-out for a personal account."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import User
from django.test import Client

from sciatrack.accounts.models import Patient

pytestmark = pytest.mark.django_db

STRONG_PASSWORD = "walk-the-dog-at-dawn-42"


def sign_up(client: Client, **overrides: str):  # type: ignore[no-untyped-def]
    form = {
        "username": "alice",
        "display_name": "Alice",
        "email": "alice@example.org",
        "password1": STRONG_PASSWORD,
        "password2": STRONG_PASSWORD,
        **overrides,
    }
    return client.post("/accounts/signup/", form)


def test_it_creates_a_personal_patient_and_signs_in(client: Client) -> None:
    response = sign_up(client)
    assert response.status_code == 302
    patient = Patient.objects.get(user__username="alice")
    assert patient.display_name == "Alice"
    assert patient.clinic is None
    assert patient.user is not None and patient.user.email == "alice@example.org"
    assert client.get("/").context["user"].username == "alice"


def test_it_refuses_mismatched_passwords_and_creates_nothing(client: Client) -> None:
    response = sign_up(client, password2="something-else-entirely")
    assert response.status_code == 400
    assert "password2" in response.context["form"].errors
    assert not User.objects.filter(username="alice").exists()
    assert not Patient.objects.exists()


def test_it_requires_a_display_name(client: Client) -> None:
    response = sign_up(client, display_name="")
    assert response.status_code == 400
    assert "display_name" in response.context["form"].errors
    assert not User.objects.exists()


def test_it_signs_in_and_out(client: Client) -> None:
    User.objects.create_user("bob", password=STRONG_PASSWORD)
    response = client.post("/accounts/login/", {"username": "bob", "password": STRONG_PASSWORD})
    assert response.status_code == 302
    assert "_auth_user_id" in client.session
    response = client.post("/accounts/logout/")
    assert response.status_code == 302
    assert "_auth_user_id" not in client.session


def test_it_rejects_a_wrong_password(client: Client) -> None:
    User.objects.create_user("bob", password=STRONG_PASSWORD)
    response = client.post("/accounts/login/", {"username": "bob", "password": "nope"})
    assert response.status_code == 200
    assert response.context["form"].errors
    assert "_auth_user_id" not in client.session
