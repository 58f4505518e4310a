"""The CapabilityStatement says exactly what the addresses answer, and pages walk every result once."""

from __future__ import annotations

import re
from typing import Any
from urllib.parse import urlsplit

import pytest
from django.contrib.auth.models import User
from django.test import Client
from django.urls import URLPattern
from test_api import BASE, alices_record, ask, body, build_world, outcome_code

from sciatrack.accounts.models import Patient
from sciatrack.demo_histories import PERSONAS, add_history
from sciatrack.fhir import urls as fhir_urls
from sciatrack.fhir.record import SERVED_TYPES, definitions, patient_resources

pytestmark = pytest.mark.django_db

# Which interaction of the CapabilityStatement each named address answers.
INTERACTION_OF = {"fhir-read": "read", "fhir-search": "search-type"}


@pytest.fixture
def world() -> dict[str, Any]:
    return build_world()


@pytest.fixture
def long_record() -> tuple[Patient, Client]:
    """A person with weeks of checks, sessions and diary days: hundreds of resources."""
    user = User.objects.create_user("pat", password="a long test password")
    patient = Patient.objects.create(user=user, display_name="Pat")
    assert add_history(patient, PERSONAS[0])
    client = Client()
    client.force_login(user)
    return patient, client


def walk(client: Client, url: str) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """Every page from ``url`` on, following ``next``: the entries in order, and the pages."""
    entries: list[dict[str, Any]] = []
    pages: list[dict[str, Any]] = []
    while url:
        response = client.get(url)
        assert response.status_code == 200, response.content[:300]
        page = body(response)
        pages.append(page)
        entries += page.get("entry", [])
        links = {link["relation"]: link["url"] for link in page["link"]}
        assert urlsplit(links["self"]).path == urlsplit(url).path
        url = links.get("next", "")
        assert len(pages) < 500, "the next links never end"
    return entries, pages


def test_next_links_walk_everything_once_and_previous_links_walk_back(
    long_record: tuple[Patient, Client],
) -> None:
    patient, client = long_record
    record = list(patient_resources(patient))
    assert len(record) > 200
    entries, pages = walk(client, f"{BASE}/Patient/{patient.uuid}/$everything?_count=150")
    matches = [entry["resource"] for entry in entries if entry["search"]["mode"] == "match"]
    assert matches == record
    keys = [entry["fullUrl"] for entry in entries]
    assert len(keys) == len(set(keys))
    assert all(len(page.get("entry", [])) <= 150 for page in pages)
    assert {page["total"] for page in pages} == {len(record)}
    included = {entry["fullUrl"] for entry in entries if entry["search"]["mode"] == "include"}
    assert included, "the definitions the record refers to come along"
    # Back from the last page to the first, through previous, the same entries in reverse page order.
    back: list[list[str]] = []
    url = {link["relation"]: link["url"] for link in pages[-1]["link"]}["self"]
    while url:
        page = body(client.get(url))
        back.append([entry["fullUrl"] for entry in page.get("entry", [])])
        url = {link["relation"]: link["url"] for link in page["link"]}.get("previous", "")
    assert [key for page_keys in reversed(back) for key in page_keys] == keys


def test_a_search_pages_the_same_way(long_record: tuple[Patient, Client]) -> None:
    patient, client = long_record
    observations = [r for r in patient_resources(patient) if r["resourceType"] == "Observation"]
    entries, pages = walk(client, f"{BASE}/Observation?subject={patient.uuid}&_count=200")
    assert [entry["resource"] for entry in entries] == observations
    assert len(pages) == -(-len(observations) // 200) > 1
    first = {link["relation"]: link["url"] for link in pages[0]["link"]}
    assert "previous" not in first
    last = {link["relation"]: link["url"] for link in pages[-1]["link"]}
    assert "next" not in last and last["last"] == last["self"]
    # The default page is 50; _count=0 gives only the total.
    assert len(body(client.get(f"{BASE}/Observation?patient={patient.uuid}"))["entry"]) == 50
    counted = body(client.get(f"{BASE}/Observation?patient={patient.uuid}&_count=0"))
    assert counted["total"] == len(observations) and "entry" not in counted
    # An offset past the end: an empty page that links back to the last one.
    past = body(client.get(f"{BASE}/Observation?patient={patient.uuid}&_offset=100000"))
    assert "entry" not in past
    back = {link["relation"]: link["url"] for link in past["link"]}["previous"]
    assert body(client.get(back))["entry"][-1]["resource"] == observations[-1]


def served_patterns() -> dict[str, URLPattern]:
    return {p.name: p for p in fhir_urls.urlpatterns if isinstance(p, URLPattern) and p.name}


def test_the_capability_statement_lists_exactly_the_served_types_and_interactions(
    world: dict[str, Any],
) -> None:
    response = Client().get(f"{BASE}/metadata")  # public: no key, no session
    assert response.status_code == 200
    statement = body(response)
    assert statement["fhirVersion"] == "4.0.1" and statement["kind"] == "instance"
    assert statement["status"] == "active" and statement["format"] == ["json"]
    assert statement["implementation"]["url"] == f"http://testserver{BASE}"
    (rest,) = statement["rest"]
    assert rest["mode"] == "server" and rest["security"]["description"]
    listed = {entry["type"]: entry for entry in rest["resource"]}
    # The types: those the export emits, which are exactly those the addresses match.
    served_by_urls = set(re.sub(r"\\(.)", r"\1", fhir_urls.ServedTypeConverter.regex).split("|"))
    assert set(listed) == set(SERVED_TYPES) == served_by_urls
    # The interactions: exactly those the named addresses answer, for every type.
    patterns = served_patterns()
    answered = {INTERACTION_OF[name] for name in patterns if name in INTERACTION_OF}
    for entry in listed.values():
        assert {item["code"] for item in entry["interaction"]} == answered
    # The one operation: Patient $everything, which has its own address.
    assert "fhir-everything" in patterns
    operations = {t: [op["name"] for op in e.get("operation", [])] for t, e in listed.items()}
    assert operations == {t: (["everything"] if t == "Patient" else []) for t in listed}


def test_every_listed_interaction_and_search_parameter_answers(world: dict[str, Any]) -> None:
    alice = world["alice"]
    statement = body(Client().get(f"{BASE}/metadata"))
    examples = {r["resourceType"]: r for r in [*alices_record(world), *definitions()]}
    for entry in statement["rest"][0]["resource"]:
        resource_type = entry["type"]
        example = examples[resource_type]  # every served type occurs in alice's record or the definitions
        read = ask(world, "cleo", "key", f"{BASE}/{resource_type}/{example['id']}")
        assert read.status_code == 200 and body(read) == example
        values = {"_id": example["id"], "patient": str(alice.uuid), "subject": f"Patient/{alice.uuid}"}
        listed = {param["name"] for param in entry["searchParam"]}
        for name in ("_id", "patient", "subject"):
            searched = ask(world, "cleo", "key", f"{BASE}/{resource_type}?{name}={values[name]}")
            if name in listed:
                assert searched.status_code == 200, f"{resource_type}?{name}"
                assert example in [item["resource"] for item in body(searched)["entry"]]
            else:
                assert searched.status_code == 400, f"{resource_type}?{name} is not listed"
                assert outcome_code(searched) == "not-supported"
        if resource_type != "Patient":
            everything = ask(world, "cleo", "key", f"{BASE}/{resource_type}/{example['id']}/$everything")
            assert everything.status_code == 404


@pytest.mark.parametrize(
    ("method", "path", "status"),
    [
        ("get", "/Encounter", 404),  # a type not served
        ("get", "/Condition/abc", 404),
        ("get", "/patient", 404),  # types are spelled exactly
        ("get", "/", 404),  # no search across all types
        ("get", "/Patient/{alice}/_history", 404),  # no history, no vread
        ("get", "/Patient/{alice}/_history/1", 404),
        ("get", "/Patient/{alice}/$summary", 404),  # the one operation is $everything
        ("get", "/Observation/$everything", 404),
        ("get", "/Observation/_history", 404),
        ("post", "/Patient", 405),  # no create, update, patch, delete, or search by POST
        ("post", "/Patient/_search", 405),
        ("put", "/Patient/{alice}", 405),
        ("patch", "/Patient/{alice}", 405),
        ("delete", "/Patient/{alice}", 405),
        ("options", "/metadata", 405),
        ("post", "/metadata", 405),
    ],
)
def test_what_the_statement_does_not_list_is_not_answered(
    world: dict[str, Any], method: str, path: str, status: int
) -> None:
    client = world["sessions"]["root"]
    response = getattr(client, method)(BASE + path.format(alice=world["alice"].uuid))
    assert response.status_code == status
    code = outcome_code(response)
    if status == 405:
        assert code == "not-supported" and response["Allow"] == "GET, HEAD"
    else:
        assert code in ("not-supported", "not-found")
