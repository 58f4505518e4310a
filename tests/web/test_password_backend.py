"""The password backend signs people in as Django's does and reads the signed-in user back the same way."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import User
from django.test import Client

from sciatrack.accounts.backends import PASSWORD_BACKEND, PasswordBackend

pytestmark = pytest.mark.django_db
PASSWORD = "a long test password"


def test_it_signs_in_with_the_password_and_keeps_the_person_signed_in(client: Client) -> None:
    User.objects.create_user("alice", password=PASSWORD)
    response = client.post("/accounts/login/", {"username": "alice", "password": PASSWORD})
    assert response.status_code == 302
    assert client.session["_auth_user_backend"] == PASSWORD_BACKEND
    assert client.get("/accounts/").context["user"].username == "alice"


def test_it_reads_back_the_same_user() -> None:
    user = User.objects.create_user("bob", email="bob@example.org", password=PASSWORD)
    found = PasswordBackend().get_user(user.pk)
    assert (found.pk, found.username, found.email, found.password) == (
        user.pk,
        "bob",
        "bob@example.org",
        user.password,
    )


def test_it_has_no_user_for_a_deactivated_or_deleted_account(client: Client) -> None:
    charlie = User.objects.create_user("charlie", password=PASSWORD)
    client.force_login(charlie, backend=PASSWORD_BACKEND)
    User.objects.filter(pk=charlie.pk).update(is_active=False)
    assert PasswordBackend().get_user(charlie.pk) is None
    response = client.get("/accounts/")  # signed out: the account page sends them to sign in
    assert response.status_code == 302 and response["Location"].startswith("/accounts/login/")
    User.objects.filter(pk=charlie.pk).delete()
    assert PasswordBackend().get_user(charlie.pk) is None
