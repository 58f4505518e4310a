"""Repeated wrong passwords pause sign-in for that username (django-axes), and only for a while."""

from __future__ import annotations

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.contrib.auth.models import User
from django.test import Client

pytestmark = pytest.mark.django_db

PASSWORD = "a long test password"
START = datetime(2026, 11, 25, 9, 0, tzinfo=ZoneInfo("UTC"))


@pytest.fixture(autouse=True)
def people() -> None:
    User.objects.create_user("alice", password=PASSWORD)
    User.objects.create_user("bob", password=PASSWORD)


def sign_in(client: Client, username: str, password: str) -> int:
    return client.post("/accounts/login/", {"username": username, "password": password}).status_code


def test_it_pauses_sign_in_after_five_wrong_passwords_even_for_the_right_one(client: Client) -> None:
    with time_machine.travel(START, tick=False):
        assert [sign_in(client, "alice", "guess") for _ in range(4)] == [200] * 4  # the form again
        locked = client.post("/accounts/login/", {"username": "alice", "password": "guess"})
        assert locked.status_code == 429
        assert "Sign-in paused" in locked.content.decode()
        assert sign_in(client, "alice", PASSWORD) == 429
        assert sign_in(client, "bob", PASSWORD) == 302  # someone else is not locked out
    with time_machine.travel(START + timedelta(minutes=16), tick=False):
        assert sign_in(Client(), "alice", PASSWORD) == 302


def test_it_forgets_earlier_mistakes_after_a_successful_sign_in(client: Client) -> None:
    with time_machine.travel(START, tick=False):
        for _ in range(4):
            sign_in(client, "alice", "guess")
        assert sign_in(client, "alice", PASSWORD) == 302
        client.logout()
        assert [sign_in(client, "alice", "guess") for _ in range(4)] == [200] * 4
        assert sign_in(client, "alice", PASSWORD) == 302
