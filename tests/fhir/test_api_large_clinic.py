"""The read API in a clinic too large to read every record per request.

A read by id finds its record from the id (each id names the row it was made from), not by building the
records the caller may read; a search naming no patient asks a caller who may read many to name one.
"""

from __future__ import annotations

import json
from typing import Any

import pytest
from django.contrib.auth.models import User
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from test_api import BASE, build_world

from sciatrack.accounts.models import Patient
from sciatrack.fhir import api_access
from sciatrack.fhir.ids import row_uuid
from sciatrack.fhir.record import patient_resources

pytestmark = pytest.mark.django_db


@pytest.fixture
def world() -> dict[str, Any]:
    return build_world()


def crowd(world: dict[str, Any], size: int) -> None:
    """``size`` more patients (no records) of alice's clinic."""
    clinic = world["alice"].clinic
    Patient.objects.bulk_create(
        Patient(clinic=clinic, display_name=f"Patient {number}") for number in range(size)
    )


def test_every_resource_of_a_record_names_its_row_or_is_a_practitioner(world: dict[str, Any]) -> None:
    for resource in patient_resources(world["alice"]):
        if resource["resourceType"] != "Practitioner":
            assert row_uuid(resource["id"]) is not None, resource["resourceType"]


def test_a_read_by_id_builds_only_the_record_the_id_names(
    world: dict[str, Any], monkeypatch: pytest.MonkeyPatch
) -> None:
    crowd(world, 30)
    record = [item for item in patient_resources(world["alice"]) if item["resourceType"] == "Observation"]
    monkeypatch.setattr(api_access, "HINTS", api_access._Hints())  # nothing seen before this read
    built: list[Patient] = []
    original = api_access.patient_resources

    def counting(patient: Patient) -> Any:
        built.append(patient)
        return original(patient)

    monkeypatch.setattr(api_access, "patient_resources", counting)
    client: Client = world["sessions"]["cleo"]
    response = client.get(f"{BASE}/Observation/{record[-1]['id']}")
    assert response.status_code == 200
    assert json.loads(response.content) == record[-1]
    assert built == [world["alice"]]


def test_a_read_by_an_id_naming_no_readable_row_is_a_404_in_few_queries(world: dict[str, Any]) -> None:
    crowd(world, 30)
    client: Client = world["sessions"]["cleo"]
    bea_observation = next(
        item for item in patient_resources(world["bea"]) if item["resourceType"] == "Observation"
    )
    with CaptureQueriesContext(connection) as queries:
        response = client.get(f"{BASE}/Observation/{bea_observation['id']}")
    assert response.status_code == 404
    assert len(queries) < 15


def test_a_search_naming_no_patient_asks_staff_of_a_large_clinic_to_name_one(world: dict[str, Any]) -> None:
    crowd(world, api_access.SEARCH_ALL_MAX)
    client: Client = world["sessions"]["cleo"]
    refused = client.get(f"{BASE}/Observation")
    assert refused.status_code == 400
    outcome = json.loads(refused.content)
    assert outcome["issue"][0]["code"] == "too-costly"
    assert "patient" in outcome["issue"][0]["diagnostics"]
    named = client.get(f"{BASE}/Observation", {"patient": str(world["alice"].uuid)})
    assert named.status_code == 200
    assert json.loads(named.content)["total"] > 0


def test_a_patient_still_searches_their_own_record_without_naming_it(world: dict[str, Any]) -> None:
    crowd(world, api_access.SEARCH_ALL_MAX)
    alice: User = world["alice"].user
    client = Client()
    client.force_login(alice)
    found = client.get(f"{BASE}/Observation")
    assert found.status_code == 200
    assert json.loads(found.content)["total"] > 0
