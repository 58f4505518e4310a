"""``POST /api/sessions`` sent again, as the page's outbox does after a lost answer or a closed page.

First arrival 201; the same key with the same log 200 and the stored log; the same key with a different
log 422 naming ``idempotency_key`` and nothing stored; a log recorded for another person (a shared
device) refused with 403 and nothing stored. Two identical posts at once store one row (real threads,
each with its own connection: at once on PostgreSQL).
"""

from __future__ import annotations

import uuid
from typing import Any

import pytest
from django.contrib.auth.models import User
from django.test import Client

from api.as_browser import browser, page_csrf_token, post_json
from sciatrack.accounts.models import Patient
from sciatrack.accounts.tokens import issue_token
from sciatrack.care.models import SessionLog
from web.test_races import at_once

PATH = "/api/sessions"


def person(name: str) -> Patient:
    user = User.objects.create_user(name, password="a long test password")
    return Patient.objects.create(user=user, display_name=name.capitalize())


def a_log(patient: Patient, **changes: Any) -> dict[str, Any]:
    log: dict[str, Any] = {
        "idempotency_key": str(uuid.uuid4()),
        "patient": str(patient.uuid),
        "started_at": "2026-11-25T08:00:00+00:00",
        "finished_at": "2026-11-25T08:20:00+00:00",
        "pain_before": 5,
        "pain_after": 3,
        "exercises": [{"id": "lift-off", "status": "done", "reps_done": 8}],
    }
    log.update(changes)
    return log


def signed_in(patient: Patient) -> Client:
    assert patient.user is not None
    return browser(patient.user)


@pytest.mark.django_db
def test_a_replay_answers_200_with_the_stored_log_and_stores_nothing_new() -> None:
    alice = person("alice")
    client = signed_in(alice)
    log = a_log(alice)
    first = post_json(client, PATH, log)
    assert first.status_code == 201, first.content
    # The same log written differently: another time zone for the same instants, keys in another order.
    again = dict(reversed(list(log.items())))
    again["started_at"] = "2026-11-25T09:00:00+01:00"
    second = post_json(client, PATH, again)
    assert second.status_code == 200, second.content
    assert second.json()["uuid"] == first.json()["uuid"]
    assert second.json()["created"] is False
    assert SessionLog.objects.filter(patient=alice).count() == 1


@pytest.mark.django_db
@pytest.mark.parametrize(
    "change",
    [
        {"pain_after": 4},
        {"finished_at": "2026-11-25T08:21:00+00:00"},
        {"exercises": [{"id": "lift-off", "status": "skipped", "reps_done": 2}]},
        {"kind": "short"},
    ],
)
def test_the_same_key_with_a_different_log_is_refused_naming_the_key(change: dict[str, Any]) -> None:
    alice = person("alice")
    client = signed_in(alice)
    log = a_log(alice)
    assert post_json(client, PATH, log).status_code == 201
    stored = SessionLog.objects.get()
    response = post_json(client, PATH, {**log, **change})
    assert response.status_code == 422, response.content
    assert [p["field"] for p in response.json()["problems"]] == ["idempotency_key"]
    assert SessionLog.objects.count() == 1
    assert SessionLog.objects.get().exercises == stored.exercises
    assert SessionLog.objects.get().pain_after == 3


@pytest.mark.django_db
def test_a_log_recorded_for_another_person_is_refused_and_not_stored() -> None:
    alice, bob = person("alice"), person("bob")
    response = post_json(signed_in(bob), PATH, a_log(alice))
    assert response.status_code == 403, response.content
    assert "patient" in response.json()["detail"]
    assert not SessionLog.objects.exists()


@pytest.mark.django_db
def test_a_personal_key_is_held_to_the_same_person() -> None:
    alice, bob = person("alice"), person("bob")
    assert bob.user is not None
    key = issue_token(bob.user, "laptop")[1]
    client = Client()
    headers = {"HTTP_AUTHORIZATION": f"Bearer {key}"}
    refused = post_json(client, PATH, a_log(alice), csrf=False, **headers)
    assert refused.status_code == 403
    stored = post_json(client, PATH, a_log(bob), csrf=False, **headers)
    assert stored.status_code == 201
    assert list(SessionLog.objects.values_list("patient", flat=True)) == [bob.pk]


@pytest.mark.django_db
def test_a_patient_field_that_is_no_uuid_is_named() -> None:
    alice = person("alice")
    response = post_json(signed_in(alice), PATH, {**a_log(alice), "patient": "alice"})
    assert response.status_code == 422
    assert "patient" in [p["field"] for p in response.json()["problems"]]
    assert not SessionLog.objects.exists()


@pytest.mark.django_db
def test_a_stale_csrf_token_is_refused_so_the_outbox_keeps_the_log() -> None:
    alice = person("alice")
    client = signed_in(alice)
    page_csrf_token(client)
    response = post_json(client, PATH, a_log(alice), HTTP_X_CSRFTOKEN="x" * 64)
    assert response.status_code == 403
    assert not SessionLog.objects.exists()


@pytest.mark.django_db(transaction=True)
def test_two_identical_posts_at_once_store_one_log() -> None:
    alice = person("alice")
    log = a_log(alice)
    clients = [signed_in(alice), signed_in(alice)]
    tokens = [page_csrf_token(client) for client in clients]
    answers = at_once(
        [
            lambda: post_json(clients[0], PATH, log, HTTP_X_CSRFTOKEN=tokens[0]),
            lambda: post_json(clients[1], PATH, log, HTTP_X_CSRFTOKEN=tokens[1]),
        ]
    )
    assert sorted(answer.status_code for answer in answers) == [200, 201]
    assert len({answer.json()["uuid"] for answer in answers}) == 1
    assert SessionLog.objects.filter(patient=alice).count() == 1
