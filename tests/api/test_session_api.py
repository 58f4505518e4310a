"""``POST /api/sessions`` as attackers and clumsy clients send it: who may write, and what is never stored.

Each test starts from the request that once showed the problem (issue 19).
"""

from __future__ import annotations

import json
import uuid
from typing import Any

import pytest
from django.contrib.auth.models import User
from django.test import Client

from api.as_browser import browser, page_csrf_token, post_json
from api.hostile_bodies import HOSTILE_BODIES
from sciatrack.accounts.models import ApiToken, Patient
from sciatrack.accounts.tokens import issue_token
from sciatrack.care.models import SessionLog
from sciatrack.lib.request_limits import MAX_JSON_BODY_BYTES

pytestmark = pytest.mark.django_db

PATH = "/api/sessions"


@pytest.fixture
def alice() -> Patient:
    user = User.objects.create_user("alice", password="a long test password")
    return Patient.objects.create(user=user, display_name="Alice")


@pytest.fixture
def alice_key(alice: Patient) -> str:
    assert alice.user is not None
    return issue_token(alice.user, "laptop")[1]


@pytest.fixture
def alice_browser(alice: Patient) -> Client:
    assert alice.user is not None
    return browser(alice.user)


def a_log(**changes: Any) -> dict[str, Any]:
    log: dict[str, Any] = {
        "idempotency_key": str(uuid.uuid4()),
        "started_at": "2026-11-25T08:00:00+00:00",
        "finished_at": "2026-11-25T08:20:00+00:00",
        "pain_before": 5,
        "exercises": [{"id": "lift-off", "status": "done", "reps_done": 8}],
    }
    log.update(changes)
    return log


def with_key(key: str, body: object) -> Any:
    """A script's request: its key, and no cookie, page or CSRF token at all."""
    return post_json(browser(), PATH, body, csrf=False, HTTP_AUTHORIZATION=f"Bearer {key}")


# Who may keep a log ---------------------------------------------------------------------------------


def test_a_personal_key_stores_a_log_without_any_csrf_token(alice_key: str, alice: Patient) -> None:
    response = with_key(alice_key, a_log())
    assert response.status_code == 201, response.content
    assert SessionLog.objects.filter(patient=alice).count() == 1
    assert ApiToken.objects.get().last_used is not None


def test_a_personal_key_is_tried_before_the_session_cookie(alice_key: str, alice_browser: Client) -> None:
    response = post_json(alice_browser, PATH, a_log(), csrf=False, HTTP_AUTHORIZATION=f"Bearer {alice_key}")
    assert response.status_code == 201, response.content


def test_a_wrong_key_is_refused_even_with_a_self_made_csrf_cookie_and_header() -> None:
    client = browser()
    client.cookies["csrftoken"] = "a" * 32
    response = post_json(
        client, PATH, a_log(), csrf=False, HTTP_AUTHORIZATION="Bearer sct_guessed", HTTP_X_CSRFTOKEN="a" * 32
    )
    assert response.status_code == 401
    assert response.json()["detail"]
    assert not SessionLog.objects.exists()


def test_a_signed_in_browser_needs_the_token_its_page_gave(alice_browser: Client, alice: Patient) -> None:
    assert post_json(alice_browser, PATH, a_log(), csrf=False).status_code == 403
    wrong = post_json(alice_browser, PATH, a_log(), HTTP_X_CSRFTOKEN="b" * 32)
    assert wrong.status_code == 403
    assert "detail" in wrong.json()
    assert not SessionLog.objects.exists()
    assert post_json(alice_browser, PATH, a_log()).status_code == 201
    assert SessionLog.objects.filter(patient=alice).count() == 1


def test_an_anonymous_caller_gets_401_with_a_json_body() -> None:
    anonymous = browser()
    for response in (
        post_json(anonymous, PATH, a_log(), csrf=False),
        post_json(anonymous, PATH, a_log()),  # a real page's token changes nothing: nobody is signed in
    ):
        assert response.status_code == 401
        assert response["Content-Type"].startswith("application/json")
        assert response.json()["detail"]
        assert response["WWW-Authenticate"].startswith("Bearer")
    assert not SessionLog.objects.exists()


def test_a_signed_in_person_without_a_patient_record_gets_403() -> None:
    staff = browser(User.objects.create_user("staff", password="a long test password", is_staff=True))
    response = post_json(staff, PATH, a_log())
    assert response.status_code == 403
    assert response.json()["detail"]
    assert not SessionLog.objects.exists()


# Bodies that cannot be read -------------------------------------------------------------------------


@pytest.mark.parametrize("name", HOSTILE_BODIES)
@pytest.mark.parametrize("sender", ["browser", "key"])
def test_a_body_that_cannot_be_read_is_a_400_naming_the_body(
    name: str, sender: str, alice_browser: Client, alice_key: str
) -> None:
    hostile = HOSTILE_BODIES[name]
    if sender == "browser":
        headers = {"HTTP_X_CSRFTOKEN": page_csrf_token(alice_browser)}
        client = alice_browser
    else:
        headers, client = {"HTTP_AUTHORIZATION": f"Bearer {alice_key}"}, browser()
    response = client.generic("POST", PATH, hostile.body, content_type=hostile.content_type, **headers)
    assert response.status_code == hostile.status, response.content[:300]
    assert [problem["field"] for problem in response.json()["problems"]] == ["body"]
    assert not SessionLog.objects.exists()


def test_a_body_over_the_limit_is_a_413_before_it_is_read(alice_key: str) -> None:
    log = a_log(end_reason="x" * MAX_JSON_BODY_BYTES)
    response = with_key(alice_key, log)
    assert response.status_code == 413
    assert response.json()["problems"][0]["field"] == "body"
    assert str(MAX_JSON_BODY_BYTES // 1024) in response.json()["problems"][0]["message"]
    assert not SessionLog.objects.exists()


# Values no page could read back ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"started_at": "0001-01-01T01:00:00+03:00"}, "started_at"),
        ({"finished_at": "9999-12-31T23:59:00-05:00"}, "finished_at"),
        ({"started_at": "1999-12-31T23:00:00+00:00"}, "started_at"),
        ({"finished_at": "8026-11-25T08:20:00+00:00"}, "finished_at"),  # a session of 6,000 years
        ({"finished_at": "2026-11-26T08:20:00+00:00"}, "finished_at"),  # 24 hours and 20 minutes
        ({"end_reason": "fine\x00"}, "end_reason"),
        ({"ended_early": True, "end_reason": "\udfff"}, "end_reason"),
        (
            {"exercises": [{"id": "lift-off", "status": "stopped", "stop_reason": "\udfff"}]},
            "exercises[0].stop_reason",
        ),
        (
            {"exercises": [{"id": "lift-off", "status": "stopped", "stop_reason": "a\x00b"}]},
            "exercises[0].stop_reason",
        ),
        ({"pain_before": 10**30}, "pain_before"),
        ({"pain_before": 5.0}, "pain_before"),
        ({"pain_before": True}, "pain_before"),
        ({"idempotency_key": 12345}, "idempotency_key"),
        ({"kind": "quick"}, "kind"),
        ({"kind": None}, "kind"),
    ],
)
def test_a_value_no_page_could_read_back_is_a_422_and_nothing_is_stored(
    changes: dict[str, Any], field: str, alice_key: str
) -> None:
    response = with_key(alice_key, a_log(**changes))
    assert response.status_code == 422, response.content
    assert field in {problem["field"] for problem in response.json()["problems"]}
    assert not SessionLog.objects.exists()


def test_a_script_may_say_it_was_a_short_session_and_a_log_that_says_nothing_was_full(
    alice_key: str, alice: Patient
) -> None:
    assert with_key(alice_key, a_log(kind="short")).status_code == 201
    assert with_key(alice_key, a_log()).status_code == 201
    kinds = SessionLog.objects.filter(patient=alice).values_list("kind", flat=True)
    assert sorted(kinds) == ["full", "short"]


def test_a_log_that_is_not_an_object_is_a_422(alice_key: str) -> None:
    response = with_key(alice_key, [a_log()])
    assert response.status_code == 422
    assert response.json()["problems"] == [{"field": "(body)", "message": "must be a JSON object"}]


def test_an_unknown_key_of_any_length_is_named_briefly(alice_key: str) -> None:
    response = with_key(alice_key, {**a_log(), "k" * 5000: 1, "nul\x00": 2})
    assert response.status_code == 422
    fields = [problem["field"] for problem in response.json()["problems"]]
    assert all(len(field) <= 60 and "\x00" not in field for field in fields), fields
    assert not SessionLog.objects.exists()


def test_the_answer_is_json_the_documentation_promises(alice_key: str) -> None:
    body = json.loads(with_key(alice_key, a_log()).content)
    assert set(body) == {"uuid", "idempotency_key", "needs_review", "created"}


def test_a_program_not_ones_own_is_named_beside_every_other_problem(alice_key: str) -> None:
    response = with_key(alice_key, {**a_log(pain_before=11), "program": "not-a-uuid"})
    assert response.status_code == 422
    assert {problem["field"] for problem in response.json()["problems"]} == {"program", "pain_before"}
    assert not SessionLog.objects.exists()
