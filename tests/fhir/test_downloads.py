""" "Download my record (FHIR)": a person's own record from the account page, a patient's from the clinic's
record page (audited as an export), each one valid FHIR R4 Bundle of type collection."""

from __future__ import annotations

import json
import re
from typing import Any

import pytest
from django.contrib.auth.models import User
from django.test import Client
from test_api import FHIR_JSON, build_world
from validation import problems

from sciatrack.clinic.models import AuditEvent
from sciatrack.fhir.record import patient_resources

pytestmark = pytest.mark.django_db

OWN_LINK = "Download my record (FHIR)"
CLINIC_LINK = "Download this patient's record (FHIR)"


@pytest.fixture
def world() -> dict[str, Any]:
    return build_world()


def link_to(page: str, text: str) -> str:
    found = re.search(r'<a class="button" href="([^"]+)" download>' + re.escape(text) + "</a>", page)
    assert found is not None, f"no link {text!r} on the page"
    return found.group(1)


def bundle_of(response: Any) -> dict[str, Any]:
    assert response.status_code == 200
    assert response["Content-Type"] == FHIR_JSON
    found: dict[str, Any] = json.loads(response.content)
    assert found["resourceType"] == "Bundle" and found["type"] == "collection"
    assert problems(found) == []
    return found


def test_a_patient_downloads_their_own_record_from_the_account_page(world: dict[str, Any]) -> None:
    alice, client = world["alice"], world["sessions"]["alice"]
    url = link_to(client.get("/accounts/").content.decode(), OWN_LINK)
    before = AuditEvent.objects.count()
    response = client.get(url)
    assert response["Content-Disposition"] == 'attachment; filename="sciatrack-record-fhir.json"'
    resources = [entry["resource"] for entry in bundle_of(response)["entry"]]
    record = list(patient_resources(alice))
    assert resources[: len(record)] == record
    assert {r["resourceType"] for r in resources[len(record) :]} <= {
        "Questionnaire",
        "ActivityDefinition",
        "Device",
    }
    bea_ids = {r["id"] for r in patient_resources(world["bea"])}
    assert not bea_ids & {r["id"] for r in resources}
    for entry in bundle_of(response)["entry"]:
        resource = entry["resource"]
        assert entry["fullUrl"] == f"http://testserver/fhir/R4/{resource['resourceType']}/{resource['id']}"
    assert AuditEvent.objects.count() == before, "reading one's own record is not audited"


def test_the_own_download_is_for_people_with_a_record(world: dict[str, Any]) -> None:
    assert Client().get("/accounts/my-record-fhir.json").status_code == 302  # to the sign-in page
    staff = world["sessions"]["cleo"]
    assert OWN_LINK not in staff.get("/accounts/").content.decode()
    assert staff.get("/accounts/my-record-fhir.json").status_code == 404
    assert world["sessions"]["alice"].post("/accounts/my-record-fhir.json").status_code == 405


@pytest.mark.parametrize("persona", ["cleo", "ada", "root"])
def test_clinic_staff_download_a_patients_record_and_it_is_audited(
    world: dict[str, Any], persona: str
) -> None:
    alice, client = world["alice"], world["sessions"][persona]
    url = link_to(client.get(f"/clinic/patients/{alice.uuid}/").content.decode(), CLINIC_LINK)
    assert url == f"/clinic/patients/{alice.uuid}/record-fhir.json"
    before = AuditEvent.objects.filter(patient=alice, action=AuditEvent.Action.EXPORT).count()
    response = client.get(url)
    assert (
        response["Content-Disposition"] == f'attachment; filename="sciatrack-record-fhir-{alice.uuid}.json"'
    )
    resources = [entry["resource"] for entry in bundle_of(response)["entry"]]
    assert resources[0]["id"] == str(alice.uuid)
    exports = AuditEvent.objects.filter(patient=alice, action=AuditEvent.Action.EXPORT)
    assert exports.count() == before + 1
    assert exports.order_by("-pk")[0].actor == world["users"][persona]


@pytest.mark.parametrize(
    ("persona", "status"), [("visitor", 302), ("alice", 403), ("bea", 403), ("hugo", 404)]
)
def test_nobody_else_downloads_alices_record(world: dict[str, Any], persona: str, status: int) -> None:
    alice = world["alice"]
    response = world["sessions"][persona].get(f"/clinic/patients/{alice.uuid}/record-fhir.json")
    assert response.status_code == status
    assert str(alice.uuid) not in response.content.decode() or status == 302
    assert not AuditEvent.objects.filter(patient=alice, action=AuditEvent.Action.EXPORT).exists()


def test_staff_confirm_their_code_before_downloading(world: dict[str, Any]) -> None:
    client = Client()
    cleo = User.objects.get(username="cleo")
    client.force_login(cleo)
    response = client.get(f"/clinic/patients/{world['alice'].uuid}/record-fhir.json")
    assert response.status_code == 302 and response["Location"].startswith("/accounts/two-factor/")
