"""``POST /api/diary``: a diary day sent by the page's outbox, stored once per key, the latest recording
of a day winning, a "some" danger-sign answer sent on to the danger-sign questions as the diary page does.

Browser requests check CSRF as a browser's are (``Client(enforce_csrf_checks=True)`` with the page's
token); scripts send a personal key. The race test runs real threads (at once on PostgreSQL).
"""

from __future__ import annotations

import uuid
from datetime import timedelta
from typing import Any

import pytest
from django.contrib.auth.models import User
from django.test import Client
from django.utils import timezone

from api.as_browser import browser, page_csrf_token, post_json
from sciatrack.accounts.models import Patient
from sciatrack.accounts.tokens import issue_token
from sciatrack.care.models import DiaryEntry
from web.test_races import at_once

PATH = "/api/diary"


def person(name: str) -> Patient:
    user = User.objects.create_user(name, password="a long test password")
    return Patient.objects.create(user=user, display_name=name.capitalize())


def signed_in(patient: Patient) -> Client:
    assert patient.user is not None
    return browser(patient.user)


def an_entry(patient: Patient, *, days_ago: int = 0, minutes_ago: int = 10, **changes: Any) -> dict[str, Any]:
    entry: dict[str, Any] = {
        "idempotency_key": str(uuid.uuid4()),
        "patient": str(patient.uuid),
        "day": (timezone.localdate() - timedelta(days=days_ago)).isoformat(),
        "recorded_at": (timezone.now() - timedelta(minutes=minutes_ago)).isoformat(),
        "danger_signs": "none",
        "leg_pain": 4,
        "back_pain": 2,
        "reach": "thigh",
        "sleep": "woke_once",
        "note": "Walked the dog.",
    }
    entry.update(changes)
    return entry


def fields_of(response: Any) -> list[str]:
    return [problem["field"] for problem in response.json()["problems"]]


@pytest.mark.django_db
def test_first_arrival_201_replay_200_and_one_row() -> None:
    alice = person("alice")
    client = signed_in(alice)
    entry = an_entry(alice)
    first = post_json(client, PATH, entry)
    assert first.status_code == 201, first.content
    assert first.json()["kept"] == "this"
    assert first.json()["next"] is None
    second = post_json(client, PATH, entry)
    assert second.status_code == 200, second.content
    assert second.json()["kept"] == "this"
    stored = DiaryEntry.objects.get(patient=alice)
    assert (stored.leg_pain, stored.reach, stored.note) == (4, "thigh", "Walked the dog.")
    assert str(stored.idempotency_key) == entry["idempotency_key"]


@pytest.mark.django_db
def test_the_same_key_with_different_answers_is_refused_and_nothing_changes() -> None:
    alice = person("alice")
    client = signed_in(alice)
    entry = an_entry(alice)
    assert post_json(client, PATH, entry).status_code == 201
    response = post_json(client, PATH, {**entry, "leg_pain": 9})
    assert response.status_code == 422, response.content
    assert fields_of(response) == ["idempotency_key"]
    assert DiaryEntry.objects.get().leg_pain == 4


@pytest.mark.django_db
def test_the_latest_recording_of_a_day_wins_whatever_order_they_arrive_in() -> None:
    alice = person("alice")
    client = signed_in(alice)
    older = an_entry(alice, minutes_ago=30, leg_pain=7)
    newer = an_entry(alice, minutes_ago=5, leg_pain=3)
    assert post_json(client, PATH, newer).json()["kept"] == "this"
    late = post_json(client, PATH, older)
    assert late.status_code == 201
    assert late.json()["kept"] == "newer"
    assert DiaryEntry.objects.get().leg_pain == 3
    # In the usual order, the newer one writes over the older one.
    bob = person("bob")
    bobs = signed_in(bob)
    post_json(bobs, PATH, an_entry(bob, minutes_ago=30, leg_pain=7))
    assert post_json(bobs, PATH, an_entry(bob, minutes_ago=5, leg_pain=3)).json()["kept"] == "this"
    assert DiaryEntry.objects.get(patient=bob).leg_pain == 3


@pytest.mark.django_db
def test_an_offline_entry_recorded_before_the_page_saved_the_day_does_not_overwrite_it() -> None:
    alice = person("alice")
    client = signed_in(alice)
    offline = an_entry(alice, minutes_ago=20, leg_pain=8)
    page = client.get("/diary/")
    token = page_csrf_token(client)
    answers = {
        "danger_signs": "none",
        "leg_pain": "2",
        "back_pain": "1",
        "reach": "back",
        "sleep": "undisturbed",
    }
    assert client.post("/diary/", {**answers, "csrfmiddlewaretoken": token}).status_code == 302, page
    assert post_json(client, PATH, offline).json()["kept"] == "newer"
    assert DiaryEntry.objects.get().leg_pain == 2


@pytest.mark.django_db
@pytest.mark.parametrize("days_ago", [0, 7])
def test_days_up_to_seven_back_are_taken(days_ago: int) -> None:
    alice = person("alice")
    response = post_json(signed_in(alice), PATH, an_entry(alice, days_ago=days_ago))
    assert response.status_code == 201, response.content
    assert DiaryEntry.objects.get().day == timezone.localdate() - timedelta(days=days_ago)


@pytest.mark.django_db
def test_tomorrow_on_the_server_is_today_for_someone_east_of_it() -> None:
    alice = person("alice")
    tomorrow = timezone.localdate() + timedelta(days=1)
    response = post_json(signed_in(alice), PATH, an_entry(alice, day=tomorrow.isoformat()))
    assert response.status_code == 201, response.content
    assert DiaryEntry.objects.get().day == tomorrow


@pytest.mark.django_db
@pytest.mark.parametrize("day", ["8 days ago", "in two days", "2026-13-01", "yesterday"])
def test_a_day_too_old_in_the_future_or_unreadable_is_refused_naming_day(day: str) -> None:
    alice = person("alice")
    today = timezone.localdate()
    value = {
        "8 days ago": (today - timedelta(days=8)).isoformat(),
        "in two days": (today + timedelta(days=2)).isoformat(),
    }.get(day, day)
    response = post_json(signed_in(alice), PATH, an_entry(alice, day=value))
    assert response.status_code == 422, response.content
    assert fields_of(response) == ["day"]
    assert not DiaryEntry.objects.exists()


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"leg_pain": 11}, "leg_pain"),
        ({"leg_pain": True}, "leg_pain"),
        ({"reach": "moon"}, "reach"),
        ({"danger_signs": None}, "danger_signs"),
        ({"note": "x" * 501}, "note"),
        ({"idempotency_key": "not-a-key"}, "idempotency_key"),
        ({"recorded_at": "2026-11-25T08:00:00"}, "recorded_at"),
        ({"weather": "rain"}, "weather"),
    ],
)
def test_each_bad_value_is_named_and_nothing_is_stored(change: dict[str, Any], field: str) -> None:
    alice = person("alice")
    response = post_json(signed_in(alice), PATH, an_entry(alice, **change))
    assert response.status_code == 422, response.content
    assert field in fields_of(response)
    assert not DiaryEntry.objects.exists()


@pytest.mark.django_db
def test_some_danger_signs_store_the_day_and_send_the_person_to_the_danger_questions() -> None:
    alice = person("alice")
    client = signed_in(alice)
    response = post_json(client, PATH, an_entry(alice, danger_signs="some"))
    assert response.status_code == 201
    assert response.json()["next"] == "/safety/?from=diary"
    assert DiaryEntry.objects.filter(patient=alice).count() == 1
    # The same path the diary page takes: its POST with "some" goes to the same questions.
    token = page_csrf_token(client)
    answers = {
        "danger_signs": "some",
        "leg_pain": "2",
        "back_pain": "1",
        "reach": "back",
        "sleep": "undisturbed",
    }
    page = client.post("/diary/", {**answers, "csrfmiddlewaretoken": token})
    assert page.status_code == 302
    assert page["Location"] == response.json()["next"]


@pytest.mark.django_db
def test_an_entry_of_another_person_is_refused_and_kept_out() -> None:
    alice, bob = person("alice"), person("bob")
    response = post_json(signed_in(bob), PATH, an_entry(alice))
    assert response.status_code == 403
    assert not DiaryEntry.objects.exists()


@pytest.mark.django_db
def test_a_personal_key_stores_an_entry_and_a_visitor_is_refused() -> None:
    alice = person("alice")
    assert alice.user is not None
    key = issue_token(alice.user, "laptop")[1]
    stored = post_json(Client(), PATH, an_entry(alice), csrf=False, HTTP_AUTHORIZATION=f"Bearer {key}")
    assert stored.status_code == 201, stored.content
    assert post_json(browser(), PATH, an_entry(alice), csrf=False).status_code == 401
    assert DiaryEntry.objects.count() == 1


@pytest.mark.django_db
def test_a_browser_without_the_csrf_token_is_refused() -> None:
    alice = person("alice")
    response = post_json(signed_in(alice), PATH, an_entry(alice), csrf=False)
    assert response.status_code == 403
    assert not DiaryEntry.objects.exists()


@pytest.mark.django_db(transaction=True)
def test_two_identical_entries_at_once_store_one_row() -> None:
    alice = person("alice")
    entry = an_entry(alice)
    clients = [signed_in(alice), signed_in(alice)]
    tokens = [page_csrf_token(client) for client in clients]
    answers = at_once(
        [
            lambda: post_json(clients[0], PATH, entry, HTTP_X_CSRFTOKEN=tokens[0]),
            lambda: post_json(clients[1], PATH, entry, HTTP_X_CSRFTOKEN=tokens[1]),
        ]
    )
    assert sorted(answer.status_code for answer in answers) == [200, 201]
    assert DiaryEntry.objects.filter(patient=alice).count() == 1
