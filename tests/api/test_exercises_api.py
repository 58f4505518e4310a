"""``/api/exercises`` and the OpenAPI document."""

from __future__ import annotations

import pytest
from django.test import Client

from api.as_browser import browser
from sciatrack.content.schema import EXERCISE_IDS


@pytest.fixture
def anyone() -> Client:
    """A browser with CSRF checks on, as every test standing in for one (reading needs no token)."""
    return browser()


def test_it_lists_the_seven_exercises_in_library_order(anyone: Client) -> None:
    response = anyone.get("/api/exercises")
    assert response.status_code == 200
    body = response.json()
    assert [exercise["id"] for exercise in body] == list(EXERCISE_IDS)
    assert all(exercise["stop_rules"] for exercise in body)


def test_it_returns_one_exercise_with_its_dosage_in_words(anyone: Client) -> None:
    response = anyone.get("/api/exercises/mckenzie-extension")
    assert response.status_code == 200
    body = response.json()
    assert body["dosage"]["reps"] == 10
    assert body["dosage"]["hold_seconds"] == {"min": 2, "max": 3}
    assert body["dosage"]["frequency"] == "every_waking_hour"
    assert body["dosage_text"] == "10 times, hold 2 to 3 seconds, every waking hour"


def test_it_answers_an_unknown_id_with_a_clear_404(anyone: Client) -> None:
    response = anyone.get("/api/exercises/toe-curls")
    assert response.status_code == 404
    detail = response.json()["detail"]
    assert "toe-curls" in detail
    assert "mckenzie-extension" in detail


def test_it_serves_openapi_docs(anyone: Client) -> None:
    schema = anyone.get("/api/openapi.json").json()
    assert "/api/exercises" in schema["paths"]
    assert "/api/exercises/{exercise_id}" in schema["paths"]
    assert anyone.get("/api/docs").status_code == 200
