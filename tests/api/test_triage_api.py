"""``POST /api/triage`` against the shared vignettes and bad input."""

from __future__ import annotations

import json
from typing import Any

import pytest
from django.test import Client

from vignettes import assert_triage_as_expected, load_vignettes

VIGNETTES = load_vignettes()


def post(client: Client, body: Any) -> Any:
    return client.post("/api/triage", json.dumps(body), content_type="application/json")


@pytest.mark.parametrize("name", VIGNETTES)
def test_it_triages_every_vignette(client: Client, name: str) -> None:
    vignette = VIGNETTES[name]
    response = post(client, vignette["answers"])
    assert response.status_code == 200, response.content
    assert_triage_as_expected(response.json(), vignette["expect"])


def test_it_lists_every_problem_with_a_422(client: Client) -> None:
    answers = dict(VIGNETTES["disc-pattern-self-care"]["answers"])
    answers["age"] = 7
    answers["regions"] = ["knee"]
    del answers["side"]
    response = post(client, answers)
    assert response.status_code == 422
    fields = {problem["field"] for problem in response.json()["problems"]}
    assert {"age", "side"} <= fields
    assert any(field.startswith("regions") for field in fields)


def test_it_refuses_a_body_that_is_not_json(client: Client) -> None:
    response = client.post("/api/triage", "{not json", content_type="application/json")
    assert response.status_code == 422
    assert response.json()["problems"][0]["field"] == "body"


def test_it_uses_the_configured_emergency_number(client: Client, settings: Any) -> None:
    settings.SCIATRACK_EMERGENCY_NUMBER = "112"
    body = post(client, VIGNETTES["cauda-equina-bladder"]["answers"]).json()
    assert "112" in json.dumps(body["advice"])
