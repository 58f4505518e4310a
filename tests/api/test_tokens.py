"""Personal API keys: shown once, stored hashed, usable as Bearer keys, revocable by their owner only."""

from __future__ import annotations

import json
import re
import uuid
from typing import Any

import pytest
from django.contrib.auth.models import User
from django.test import Client

from sciatrack.accounts.models import ApiToken, Patient
from sciatrack.care.models import SessionLog

pytestmark = pytest.mark.django_db


@pytest.fixture
def alice() -> Patient:
    return Patient.objects.create(
        user=User.objects.create_user("alice", password="a long pw 123"), display_name="A"
    )


@pytest.fixture
def alice_client(alice: Patient) -> Client:
    client = Client(enforce_csrf_checks=True)
    assert alice.user is not None
    client.force_login(alice.user)
    return client


def make_key(client: Client, name: str = "laptop") -> str:
    page = client.get("/accounts/keys/")
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.content.decode())
    assert token is not None
    response = client.post("/accounts/tokens/", {"name": name, "csrfmiddlewaretoken": token.group(1)})
    assert response.status_code == 201
    key = re.search(r'<code class="api-key">([^<]+)</code>', response.content.decode())
    assert key is not None
    return key.group(1)


def a_log() -> dict[str, Any]:
    return {
        "idempotency_key": str(uuid.uuid4()),
        "started_at": "2026-11-25T08:00:00+00:00",
        "finished_at": "2026-11-25T08:20:00+00:00",
        "pain_before": 5,
        "exercises": [{"id": "lift-off", "status": "done", "reps_done": 8}],
    }


def post_with_key(key: str) -> int:
    response = Client(enforce_csrf_checks=True).post(  # a script: no page, no cookie, no CSRF token
        "/api/sessions",
        data=json.dumps(a_log()),
        content_type="application/json",
        HTTP_AUTHORIZATION=f"Bearer {key}",
    )
    return response.status_code


def test_it_shows_a_new_key_once_and_keeps_only_its_hash(alice_client: Client) -> None:
    key = make_key(alice_client)
    stored = ApiToken.objects.get()
    assert key.startswith("sct_") and len(key) > 40
    assert key not in (stored.key_hash, stored.prefix) and key.startswith(stored.prefix)
    assert key not in alice_client.get("/accounts/keys/").content.decode()


def test_it_accepts_the_key_for_the_api_without_session_or_csrf(alice_client: Client, alice: Patient) -> None:
    key = make_key(alice_client)
    assert post_with_key(key) == 201
    assert SessionLog.objects.filter(patient=alice).count() == 1
    assert ApiToken.objects.get().last_used is not None


def test_it_refuses_a_wrong_or_revoked_key(alice_client: Client) -> None:
    key = make_key(alice_client)
    assert post_with_key(key[:-2] + "xx") == 401
    page = alice_client.get("/accounts/keys/").content.decode()
    csrf = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page)
    assert csrf is not None
    token = ApiToken.objects.get()
    alice_client.post(f"/accounts/tokens/{token.pk}/revoke/", {"csrfmiddlewaretoken": csrf.group(1)})
    assert post_with_key(key) == 401
    assert not SessionLog.objects.exists()


def test_it_names_a_bad_key_name_and_makes_nothing(alice_client: Client) -> None:
    page = alice_client.get("/accounts/keys/").content.decode()
    csrf = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page)
    assert csrf is not None
    response = alice_client.post("/accounts/tokens/", {"name": " ", "csrfmiddlewaretoken": csrf.group(1)})
    assert response.status_code == 422
    assert "Name: give the key a name of 1 to 100 characters" in response.content.decode()
    assert not ApiToken.objects.exists()


def test_it_lets_nobody_revoke_someone_elses_key(alice_client: Client) -> None:
    make_key(alice_client)
    bob = Client(enforce_csrf_checks=True)
    bob.force_login(User.objects.create_user("bob", password="a long pw 123"))
    page = bob.get("/").content.decode()
    csrf = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page)
    assert csrf is not None
    revoke = f"/accounts/tokens/{ApiToken.objects.get().pk}/revoke/"
    assert bob.post(revoke, {"csrfmiddlewaretoken": csrf.group(1)}).status_code == 404
    assert ApiToken.objects.get().revoked is None
