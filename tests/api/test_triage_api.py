"""``POST /api/triage`` against the shared vignettes and bad input, sent as a browser sends it."""

from __future__ import annotations

import json
from typing import Any

import pytest
from django.test import Client

from api.as_browser import browser
from api.hostile_bodies import HOSTILE_BODIES
from sciatrack.lib.request_limits import MAX_JSON_BODY_BYTES
from vignettes import assert_triage_as_expected, load_vignettes

VIGNETTES = load_vignettes()
PATH = "/api/triage"


@pytest.fixture
def anyone() -> Client:
    """Nobody signed in: the triage needs no account, and stores nothing, so it needs no CSRF token."""
    return browser()


def post(client: Client, body: Any) -> Any:
    return client.post(PATH, json.dumps(body), content_type="application/json")


@pytest.mark.parametrize("name", VIGNETTES)
def test_it_triages_every_vignette(anyone: Client, name: str) -> None:
    vignette = VIGNETTES[name]
    response = post(anyone, vignette["answers"])
    assert response.status_code == 200, response.content
    assert_triage_as_expected(response.json(), vignette["expect"])


def test_it_lists_every_problem_with_a_422(anyone: Client) -> None:
    answers = dict(VIGNETTES["disc-pattern-self-care"]["answers"])
    answers["age"] = 7
    answers["regions"] = ["knee"]
    del answers["side"]
    response = post(anyone, answers)
    assert response.status_code == 422
    fields = {problem["field"] for problem in response.json()["problems"]}
    assert {"age", "side"} <= fields
    assert any(field.startswith("regions") for field in fields)


@pytest.mark.parametrize("name", HOSTILE_BODIES)
def test_a_body_that_cannot_be_read_is_a_400_naming_the_body(anyone: Client, name: str) -> None:
    hostile = HOSTILE_BODIES[name]
    response = anyone.generic("POST", PATH, hostile.body, content_type=hostile.content_type)
    assert response.status_code == hostile.status, response.content[:300]
    assert [problem["field"] for problem in response.json()["problems"]] == ["body"]


def test_a_body_over_the_limit_is_a_413(anyone: Client) -> None:
    answers = {**VIGNETTES["disc-pattern-self-care"]["answers"], "regions": ["buttock"] * 100_000}
    assert len(json.dumps(answers)) > MAX_JSON_BODY_BYTES
    response = post(anyone, answers)
    assert response.status_code == 413
    assert response.json()["problems"][0]["field"] == "body"


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"onset_weeks": 1e308}, "onset_weeks"),
        ({"onset_weeks": True}, "onset_weeks"),
        ({"age": 42.0}, "age"),
        ({"age": 10**30}, "age"),
        ({"regions": ["buttock"] * 5000}, "regions"),  # under the size limit, over the list's
        ({"pain": {"leg_now": 4, "back_now": 3, "\x00": 1}}, "pain.(a key)"),
    ],
)
def test_a_number_or_list_out_of_range_is_a_422_naming_it(
    anyone: Client, change: dict[str, Any], field: str
) -> None:
    response = post(anyone, {**VIGNETTES["disc-pattern-self-care"]["answers"], **change})
    assert response.status_code == 422, response.content
    assert field in {problem["field"] for problem in response.json()["problems"]}


def test_it_uses_the_configured_emergency_number(anyone: Client, settings: Any) -> None:
    settings.SCIATRACK_EMERGENCY_NUMBER = "112"
    body = post(anyone, VIGNETTES["cauda-equina-bladder"]["answers"]).json()
    assert "112" in json.dumps(body["advice"])
