"""Every refusal of the FHIR API is an OperationOutcome naming what was wrong; no input gives a 500.

Values that reach the database (ids, patient references) run on SQLite and on PostgreSQL alike.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import quote

import pytest
from django.test import Client
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from test_api import BASE, FHIR_JSON, body, build_world, outcome_code

pytestmark = pytest.mark.django_db


@pytest.fixture
def world() -> dict[str, Any]:
    return build_world()


def as_alice(world: dict[str, Any], url: str) -> Any:
    return Client().get(url, HTTP_AUTHORIZATION=f"Bearer {world['keys']['alice']}")


# (address under the base, query string, the parameter the diagnostics must name, issue code)
REFUSED_QUERIES = [
    ("Observation", "foo=1", "foo", "not-supported"),
    ("Observation", "_sort=date", "_sort", "not-supported"),
    ("Observation", "patient:missing=true", "patient:missing", "not-supported"),
    ("Observation", "_include=Observation:patient", "_include", "not-supported"),
    ("Observation", "_count=201", "_count", "invalid"),
    ("Observation", "_count=-1", "_count", "invalid"),
    ("Observation", "_count=abc", "_count", "invalid"),
    ("Observation", "_count=%D9%A3%D9%A0", "_count", "invalid"),  # Arabic-Indic digits for 30
    ("Observation", "_count=1e3", "_count", "invalid"),
    ("Observation", "_count=" + "9" * 400, "_count", "invalid"),
    ("Observation", "_count=5&_count=6", "_count", "invalid"),
    ("Observation", "_offset=-5", "_offset", "invalid"),
    ("Observation", "_offset=1000001", "_offset", "invalid"),
    ("Observation", "patient=", "patient", "invalid"),
    ("Observation", "patient=Group/1", "patient", "invalid"),
    ("Observation", "patient=" + "a" * 65, "patient", "invalid"),
    ("Observation", "patient=%00", "patient", "invalid"),
    ("Observation", "patient=al%C3%AFce", "patient", "invalid"),
    ("Observation", "patient=%ED%A0%80", "patient", "invalid"),  # a lone surrogate's bytes
    ("Observation", "subject=Patient/a%20b", "subject", "invalid"),
    ("Observation", "_id=a,b", "_id", "invalid"),
    ("Observation", "_format=xml", "_format", "invalid"),
    ("Patient", "patient=abc", "patient", "not-supported"),
    ("Practitioner", "subject=abc", "subject", "not-supported"),
    ("Questionnaire", "patient=abc", "patient", "not-supported"),
    ("Patient/{alice}", "_count=5", "_count", "not-supported"),
    ("Patient/{alice}/$everything", "_type=Observation", "_type", "not-supported"),
    ("Patient/{alice}/$everything", "start=2026-01-01", "start", "not-supported"),
    ("metadata", "mode=terminology", "mode", "not-supported"),
    ("Patient/{alice}", "%F0%9F%98%80=1", "\U0001f600", "not-supported"),
    ("Observation", quote("x" * 3000) + "=1", "x" * 20, "not-supported"),
]


@pytest.mark.parametrize(("address", "query", "named", "code"), REFUSED_QUERIES)
def test_a_refused_query_value_is_a_400_naming_it(
    world: dict[str, Any], address: str, query: str, named: str, code: str
) -> None:
    response = as_alice(world, f"{BASE}/{address.format(alice=world['alice'].uuid)}?{query}")
    assert response.status_code == 400
    assert outcome_code(response) == code
    diagnostics = body(response)["issue"][0]["diagnostics"]
    assert named in diagnostics
    assert len(diagnostics) < 600, "a huge value is not echoed whole"


@pytest.mark.parametrize(
    ("path", "status"),
    [
        ("Patient/not-a-uuid", 404),
        ("Patient/00000000-0000-0000-0000-000000000000", 404),
        ("Patient/" + "9" * 64, 404),
        ("Observation/" + "a" * 64, 404),
        ("Observation/0.0-0", 404),
        ("Practitioner/00000000-0000-0000-0000-000000000000", 404),
        ("Questionnaire/" + "z" * 64, 404),
        ("Patient/" + "a" * 65, 400),
        ("Patient/%F0%9F%98%80", 400),
        ("Patient/x'%20OR%201=1--", 400),
        ("Patient/%00", 400),
        ("Patient/%FF%FE", 400),
        ("Patient/a%0A", 400),  # a newline is no part of an id
        ("Patient/%0A/$everything", 400),
        ("Observation/a%2Fb", 404),  # the slash divides the path: no such address
        ("Patient/not-a-uuid/$everything", 404),
        ("Patient/" + "a" * 65 + "/$everything", 400),
        ("Observation?patient=abc.def-1", 200),
        ("Observation?patient=Patient/00000000-0000-0000-0000-000000000000", 200),
        ("Patient?_id=zzz", 200),
        ("Patient?_id=00000000-0000-0000-0000-000000000000", 200),
        ("Practitioner?_id=nobody", 200),
        ("Observation?_offset=1000000&_count=200", 200),
    ],
)
def test_hostile_ids_are_answered_never_failed(world: dict[str, Any], path: str, status: int) -> None:
    response = as_alice(world, f"{BASE}/{path}")
    assert response.status_code == status
    found = body(response)
    if status == 200:
        assert found["type"] == "searchset" and "entry" not in found
    else:
        assert outcome_code(response) in (("not-found", "not-supported") if status == 404 else ("invalid",))


def test_an_unknown_type_is_a_404_naming_it(world: dict[str, Any]) -> None:
    for path in ("Encounter", "Encounter/1", "Medication?patient=x", "bundle"):
        response = as_alice(world, f"{BASE}/{path}")
        assert response.status_code == 404
        assert outcome_code(response) == "not-found"
        assert path.split("?")[0].split("/")[0] in body(response)["issue"][0]["diagnostics"]


def test_nobody_signed_in_gets_a_401_before_anything_else(world: dict[str, Any]) -> None:
    for path in ("Observation?foo=1", f"Patient/{world['alice'].uuid}", "Patient/%00", "Questionnaire"):
        response = Client().get(f"{BASE}/{path}")
        assert response.status_code == 401
        assert outcome_code(response) == "login"
        assert response["WWW-Authenticate"] == 'Bearer realm="sciatrack"'


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(name=st.sampled_from(["patient", "subject", "_id", "_count", "_offset", "_format"]), value=st.text())
def test_any_query_value_is_answered_200_or_400(world: dict[str, Any], name: str, value: str) -> None:
    response = as_alice(world, f"{BASE}/Observation?{name}={quote(value.encode('utf-8', 'surrogatepass'))}")
    assert response.status_code in (200, 400)
    assert response["Content-Type"] == FHIR_JSON
    if response.status_code == 400:
        assert name in body(response)["issue"][0]["diagnostics"]


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(value=st.text(min_size=1))
def test_any_id_is_answered_never_failed(world: dict[str, Any], value: str) -> None:
    encoded = quote(value.encode("utf-8", "surrogatepass"), safe="")
    for path in (f"Patient/{encoded}", f"Observation/{encoded}", f"Patient/{encoded}/$everything"):
        response = as_alice(world, f"{BASE}/{path}")
        assert response.status_code in (400, 404), path
        assert response["Content-Type"] == FHIR_JSON
