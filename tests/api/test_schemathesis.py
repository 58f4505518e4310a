"""Schemathesis against the API's served OpenAPI document, in this process: no input makes a 500.

Schemathesis reads ``/api/openapi.json`` and sends every operation bodies, paths and headers that fit
the document and many that do not, as each of four callers: nobody signed in, a patient using a
personal key, the same patient's browser (session cookie and the page's CSRF token) and a clinician's
browser. The bar is the one the issue set: not one answer of 500 (schemathesis's ``not_a_server_error``);
each answer must also be one the document describes, and each body it forbids must be refused.
It runs on whichever database the suite runs on (SQLite, then PostgreSQL with ``DATABASE_URL`` set).

The cases come from schemathesis's Hypothesis strategies (``operation.as_strategy``) rather than its
pytest plugin's ``parametrize``, which fails under pytest 9.2 (it sets a test's ``_nodeid``, gone there).
"""

from __future__ import annotations

from typing import Any

import pytest
import schemathesis
from django.contrib.auth.models import User
from django.core import signals
from django.core.handlers.wsgi import WSGIHandler
from django.db import close_old_connections
from hypothesis import HealthCheck, given, settings
from schemathesis import GenerationMode
from schemathesis.checks import (
    content_type_conformance,
    negative_data_rejection,
    not_a_server_error,
    response_schema_conformance,
    status_code_conformance,
)

from api.as_browser import browser, page_csrf_token
from sciatrack.accounts.models import Clinic, Clinician, Patient
from sciatrack.accounts.tokens import issue_token

pytestmark = pytest.mark.django_db

# Enough cases per operation and caller to reach each kind of field and refusal, and quick: the four
# callers take well under a minute together on either database.
EXAMPLES_PER_OPERATION = 50
# No 500, the bar; and every answer is one the document describes (status, type and shape), and every
# body the document forbids is refused.
CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_schema_conformance,
    negative_data_rejection,
]
CALLERS = ("nobody", "patient_key", "patient_browser", "clinician_browser")


class InTestTransaction:
    """Django as a WSGI app that keeps the test's database connection, as Django's test client does.

    Django closes a connection it finds inside a transaction when each request starts and ends; here
    that would close the transaction the test runs in (PostgreSQL). The answer is read whole, and
    closed, before that clean-up is put back.
    """

    def __init__(self) -> None:
        self.handler = WSGIHandler()

    def __call__(self, environ: dict[str, Any], start_response: Any) -> list[bytes]:
        # Schemathesis's WSGI client asks for gzip but never decodes it (an HTTP client would): ask for
        # plain bodies, so each answer is checked against the schema as sent.
        environ.pop("HTTP_ACCEPT_ENCODING", None)
        signals.request_started.disconnect(close_old_connections)
        signals.request_finished.disconnect(close_old_connections)
        try:
            answer = self.handler(environ, start_response)
            body = b"".join(answer)
            answer.close()
        finally:
            signals.request_started.connect(close_old_connections)
            signals.request_finished.connect(close_old_connections)
        return [body]


@pytest.fixture
def served_schema() -> Any:
    return schemathesis.openapi.from_wsgi("/api/openapi.json", InTestTransaction())


def browser_credentials(user: User) -> dict[str, Any]:
    """The cookies and header a signed-in page's script sends: session, CSRF cookie, the page's token."""
    client = browser(user)
    token = page_csrf_token(client)
    cookies = {name: morsel.value for name, morsel in client.cookies.items()}
    return {"cookies": cookies, "headers": {"X-CSRFToken": token}}


@pytest.fixture
def caller(request: pytest.FixtureRequest) -> dict[str, Any]:
    """What one kind of caller adds to every request: nothing, a personal key, or a browser's session."""
    if request.param == "nobody":
        return {}
    if request.param == "clinician_browser":
        user = User.objects.create_user("cleo", password="a long test password")
        Clinician.objects.create(user=user, clinic=Clinic.objects.create(name="Riverside", slug="riverside"))
        return browser_credentials(user)
    user = User.objects.create_user("alice", password="a long test password")
    Patient.objects.create(user=user, display_name="Alice")
    if request.param == "patient_key":
        return {"headers": {"Authorization": f"Bearer {issue_token(user, 'fuzzing')[1]}"}}
    return browser_credentials(user)


def fuzz(operation: Any, mode: GenerationMode, caller: dict[str, Any]) -> int:
    """Send ``operation`` the cases schemathesis makes in ``mode``, as ``caller``, and check each answer.

    Returns how many cases were sent.
    """
    sent = 0

    @given(case=operation.as_strategy(generation_mode=mode))
    @settings(
        max_examples=EXAMPLES_PER_OPERATION,
        deadline=None,
        suppress_health_check=list(HealthCheck),
        derandomize=True,  # the same cases on every run and database: a failure here is never luck
        database=None,
    )
    def each_case(case: Any) -> None:
        nonlocal sent
        sent += 1
        case.call_and_validate(checks=CHECKS, **caller)

    each_case()
    return sent


@pytest.mark.parametrize("caller", CALLERS, indirect=True)
def test_no_input_makes_a_server_error(served_schema: Any, caller: dict[str, Any]) -> None:
    operations = [result.ok() for result in served_schema.get_all_operations()]
    assert {operation.label for operation in operations} >= {"POST /api/sessions", "POST /api/triage"}
    for operation in operations:
        sent = fuzz(operation, GenerationMode.POSITIVE, caller)
        # Wrong bodies: bodies that break the document. (A path of plain text has no wrong value: the
        # cases above already send it any text at all.)
        if operation.body:
            sent += fuzz(operation, GenerationMode.NEGATIVE, caller)
            assert sent >= 2 * EXAMPLES_PER_OPERATION, (operation.label, sent)  # the fuzzing really ran
