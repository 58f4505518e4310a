"""``/api/exercises`` and the OpenAPI document."""

from __future__ import annotations

from django.test import Client

from sciatrack.content.schema import EXERCISE_IDS


def test_it_lists_the_seven_exercises_in_library_order(client: Client) -> None:
    response = client.get("/api/exercises")
    assert response.status_code == 200
    body = response.json()
    assert [exercise["id"] for exercise in body] == list(EXERCISE_IDS)
    assert all(exercise["stop_rules"] for exercise in body)


def test_it_returns_one_exercise_with_its_dosage_in_words(client: Client) -> None:
    response = client.get("/api/exercises/mckenzie-extension")
    assert response.status_code == 200
    body = response.json()
    assert body["dosage"]["reps"] == 10
    assert body["dosage"]["hold_seconds"] == {"min": 2, "max": 3}
    assert body["dosage"]["frequency"] == "every_waking_hour"
    assert body["dosage_text"] == "10 times, hold 2 to 3 seconds, every waking hour"


def test_it_answers_an_unknown_id_with_a_clear_404(client: Client) -> None:
    response = client.get("/api/exercises/toe-curls")
    assert response.status_code == 404
    detail = response.json()["detail"]
    assert "toe-curls" in detail
    assert "mckenzie-extension" in detail


def test_it_serves_openapi_docs(client: Client) -> None:
    schema = client.get("/api/openapi.json").json()
    assert "/api/exercises" in schema["paths"]
    assert "/api/exercises/{exercise_id}" in schema["paths"]
    assert client.get("/api/docs").status_code == 200
