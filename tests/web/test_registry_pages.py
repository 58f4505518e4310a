"""The outcome registry's pages and exports: who sees which clinics, suppression, exports and bad input.

The cases come from ``make_registry`` (three clinics: riverside, hillside, lakeside). ada is Riverside's
clinic admin, cleo a Riverside clinician, nico holds ``registry.view_network``, root is a superuser and
alice a patient.
"""

from __future__ import annotations

import csv
import io
import json
from typing import Any

import pytest
from django.contrib.auth.models import Permission, User
from django.test import Client

from registry.test_report import make_registry
from sciatrack.accounts.models import Clinic, Clinician, Patient
from sciatrack.registry.cohort import Cohort
from sciatrack.registry.models import RegistryCase
from sciatrack.registry.report import cohort_report, compare
from sciatrack.registry.report_export import CSV_COLUMNS, comparison_as_dict, report_as_dict
from second_factor import confirm_second_factor

pytestmark = pytest.mark.django_db

CASES = 240
MINIMUM = 10
URLS = [
    "/clinic/registry/",
    "/clinic/registry/compare/",
    "/clinic/registry/export.csv",
    "/clinic/registry/export.json",
]
SECRETS = [
    "Ada Quillfeather",
    "ada",
    "ada@riverside.example",
    "Alice Zebrafinch",
    "alice@example.com",
    "nico",
]


@pytest.fixture
def world(settings: Any) -> dict[str, Any]:
    settings.SCIATRACK_REGISTRY_MIN_COHORT = MINIMUM
    riverside, hillside, lakeside = make_registry(seed=11, cases=CASES)

    def staff(name: str, role: str, email: str = "") -> User:
        user = User.objects.create_user(name, email=email, password="a long test password", first_name=name)
        Clinician.objects.create(user=user, clinic=riverside, role=role)
        return user

    ada = staff("ada", Clinician.Role.CLINIC_ADMIN, "ada@riverside.example")
    ada.first_name, ada.last_name = "Ada", "Quillfeather"
    ada.save()
    cleo = staff("cleo", Clinician.Role.CLINICIAN)
    nico = User.objects.create_user("nico", password="a long test password")
    nico.user_permissions.add(
        Permission.objects.get(codename="view_network", content_type__app_label="registry")
    )
    root = User.objects.create_superuser("root", password="a long test password")
    alice_user = User.objects.create_user("alice", email="alice@example.com", password="a long test password")
    Patient.objects.create(user=alice_user, display_name="Alice Zebrafinch")

    clients: dict[str, Client] = {"visitor": Client()}
    for name, user in {"ada": ada, "cleo": cleo, "nico": nico, "root": root, "alice": alice_user}.items():
        client = Client()
        client.force_login(user)
        if name in ("ada", "cleo", "nico", "root"):  # everyone who may see clinic figures
            confirm_second_factor(client, user)
        clients[name] = client
    return {"clients": clients, "clinics": {c.slug: c for c in (riverside, hillside, lakeside)}}


def cases_of(*clinics: Clinic) -> int:
    return RegistryCase.objects.filter(clinic__in=clinics).count()


def test_it_shows_a_clinic_admin_their_own_clinic_only(world: dict[str, Any]) -> None:
    client, clinics = world["clients"]["ada"], world["clinics"]
    response = client.get("/clinic/registry/")
    assert response.status_code == 200
    report = response.context["report"]
    assert [clinic.slug for clinic in report.cohort.clinics] == ["riverside"]
    assert report.patients == cases_of(clinics["riverside"]) < CASES
    body = response.content.decode()
    assert f"<dd data-patients>{report.patients}</dd>" in body
    assert "Leg pain responder at 12 weeks" in body and "likely between" in body
    assert "Hillside" not in body and "Lakeside" not in body  # not even offered as a choice
    assert 'role="img"' in body and "Show the numbers" in body

    refused = client.get("/clinic/registry/?clinic=hillside")
    assert refused.status_code == 400
    text = refused.content.decode()
    assert "<strong>clinic</strong>" in text and "&#x27;hillside&#x27; is not a clinic you may see" in text
    assert "you may see riverside" in text and "data-patients" not in text


def test_it_narrows_the_figures_by_the_choices(world: dict[str, Any]) -> None:
    client = world["clients"]["ada"]
    everyone = client.get("/clinic/registry/").context["report"].patients
    narrowed = client.get("/clinic/registry/?tier=routine&tier=self_care&age_band=30-39,40-49,50-59")
    assert narrowed.status_code == 200
    report = narrowed.context["report"]
    assert report.cohort.tiers == ("routine", "self_care")
    assert 0 < report.patients < everyone
    expected = RegistryCase.objects.filter(
        clinic=world["clinics"]["riverside"],
        triage_tier__in=["routine", "self_care"],
        age_band__in=["30-39", "40-49", "50-59"],
    ).count()
    assert report.patients == expected
    assert 'value="routine" checked' in narrowed.content.decode()


@pytest.mark.parametrize("persona", ["nico", "root"])
def test_it_shows_a_network_user_the_whole_network(world: dict[str, Any], persona: str) -> None:
    client, clinics = world["clients"][persona], world["clinics"]
    response = client.get("/clinic/registry/")
    assert response.status_code == 200
    assert response.context["report"].cohort.whole_network
    assert response.context["report"].patients == CASES
    assert "All clinics in the network" in response.content.decode()
    two = client.get("/clinic/registry/?clinic=hillside&clinic=lakeside").context["report"]
    assert two.patients == cases_of(clinics["hillside"], clinics["lakeside"])
    missing = client.get("/clinic/registry/?clinic=nowhere")
    assert missing.status_code == 400 and "there is no clinic &#x27;nowhere&#x27;" in missing.content.decode()


def test_it_hides_a_small_cohort_on_the_page_and_in_the_exports(world: dict[str, Any]) -> None:
    client = world["clients"]["ada"]
    query = "?from=2025-01-01&to=2025-01-20&age_band=30-39"
    size = RegistryCase.objects.filter(
        clinic=world["clinics"]["riverside"],
        enrolled_on__range=("2025-01-01", "2025-01-20"),
        age_band="30-39",
    ).count()
    assert size < MINIMUM
    page = client.get(f"/clinic/registry/{query}")
    assert page.status_code == 200 and page.context["report"].suppressed
    body = page.content.decode()
    assert f"Fewer than {MINIMUM} patients: figures are hidden to protect privacy" in body
    assert "data-patients" not in body and "likely between" not in body and 'role="img"' not in body
    assert "<dt>Met</dt>" not in body

    data = json.loads(client.get(f"/clinic/registry/export.json{query}").content)
    assert data["suppressed"] is True and data["patients"] is None and data["outcomes"] == []
    rows = list(
        csv.DictReader(io.StringIO(client.get(f"/clinic/registry/export.csv{query}").content.decode()))
    )
    assert rows and all(row["suppressed"] == "True" for row in rows)
    assert all(row[column] == "" for row in rows for column in ("patients", "met", "rate", "rate_low"))


def test_it_exports_the_same_json_as_the_report(world: dict[str, Any]) -> None:
    client, riverside = world["clients"]["ada"], world["clinics"]["riverside"]
    params = {"tier": ["routine", "soon"], "from": ["2025-02-01"], "exercise": ["mckenzie-extension"]}
    response = client.get("/clinic/registry/export.json", params)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    assert response["Content-Disposition"] == 'attachment; filename="sciatrack-registry.json"'
    expected = report_as_dict(cohort_report(Cohort.from_params(params, [riverside.id]), MINIMUM))
    assert json.loads(response.content) == json.loads(json.dumps(expected))
    assert expected["suppressed"] is False and expected["outcomes"]


def test_it_exports_csv_with_aggregates_only(world: dict[str, Any]) -> None:
    response = world["clients"]["ada"].get("/clinic/registry/export.csv?tier=routine")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    assert response["Content-Disposition"] == 'attachment; filename="sciatrack-registry.csv"'
    text = response.content.decode()
    rows = list(csv.DictReader(io.StringIO(text)))
    assert tuple(rows[0].keys()) == CSV_COLUMNS
    assert {row["cohort_description"] for row in rows} == {"Riverside; triage result routine"}
    for secret in SECRETS:
        assert secret not in text, f"the CSV holds {secret!r}"


def test_it_compares_two_cohorts_and_exports_the_comparison(world: dict[str, Any]) -> None:
    client, clinics = world["clients"]["nico"], world["clinics"]
    query = "?clinic=riverside&b-clinic=hillside&b-tier=routine"
    page = client.get(f"/clinic/registry/compare/{query}")
    assert page.status_code == 200
    comparison = page.context["comparison"]
    assert comparison.a.patients == cases_of(clinics["riverside"])
    assert [c.slug for c in comparison.b.cohort.clinics] == ["hillside"] and comparison.b.cohort.tiers == (
        "routine",
    )
    body = page.content.decode()
    assert "Difference (A minus B)" in body and " points" in body

    response = client.get(f"/clinic/registry/export.json{query}")
    assert response["Content-Disposition"] == 'attachment; filename="sciatrack-registry-comparison.json"'
    a = cohort_report(Cohort.from_params({"clinic": "riverside"}, None), MINIMUM)
    b = cohort_report(Cohort.from_params({"clinic": "hillside", "tier": "routine"}, None), MINIMUM)
    assert json.loads(response.content) == json.loads(json.dumps(comparison_as_dict(compare(a, b))))
    rows = list(
        csv.DictReader(io.StringIO(client.get(f"/clinic/registry/export.csv{query}").content.decode()))
    )
    assert {row["cohort"] for row in rows} == {"a", "b"}


def test_it_keeps_the_comparison_of_a_clinic_admin_to_their_clinic(world: dict[str, Any]) -> None:
    client = world["clients"]["ada"]
    assert client.get("/clinic/registry/compare/?tier=routine&b-tier=soon").status_code == 200
    refused = client.get("/clinic/registry/compare/?b-clinic=lakeside")
    assert refused.status_code == 400 and "<strong>b-clinic</strong>" in refused.content.decode()
    csv_refused = client.get("/clinic/registry/export.csv?b-clinic=lakeside")
    assert csv_refused.status_code == 400 and csv_refused.content.decode().startswith("b-clinic: ")


@pytest.mark.parametrize(
    ("query", "field", "words"),
    [
        ("tier=later", "tier", "choose from emergency, urgent, soon, routine, self_care"),
        ("from=2025-02-30", "from", "is not a date; write it as YYYY-MM-DD"),
        ("to=soon", "to", "is not a date"),
        ("from=2025-06-01&to=2025-05-01", "from", "is after the"),
        ("age_band=25-35", "age_band", "choose from 16-29"),
        ("pattern=sideways", "pattern", "choose from extension_biased"),
        ("exercise=cartwheel", "exercise", "is not allowed"),
        ("adherence=perfect", "adherence", "choose from high, medium, low, minimal, none"),
        ("clinic=lakeside", "clinic", "is not a clinic you may see"),
    ],
)
def test_it_refuses_each_bad_choice_naming_the_field(
    world: dict[str, Any], query: str, field: str, words: str
) -> None:
    client = world["clients"]["ada"]
    page = client.get(f"/clinic/registry/?{query}")
    assert page.status_code == 400
    body = page.content.decode()
    assert f"<strong>{field}</strong>" in body and words.replace("'", "&#x27;") in body
    assert 'role="alert"' in body and "data-patients" not in body
    text = client.get(f"/clinic/registry/export.csv?{query}")
    assert text.status_code == 400 and text.content.decode().startswith(f"{field}: ")
    assert words in text.content.decode()
    data = client.get(f"/clinic/registry/export.json?{query}")
    assert data.status_code == 400
    assert data.json()["error"]["field"] == field and words in data.json()["error"]["message"]
    compared = client.get(f"/clinic/registry/compare/?b-{query.replace('&', '&b-')}")
    assert compared.status_code == 400 and f"<strong>b-{field}</strong>" in compared.content.decode()


@pytest.mark.parametrize("url", URLS)
def test_it_refuses_patients_and_clinicians_and_sends_visitors_to_sign_in(
    world: dict[str, Any], url: str
) -> None:
    visitor = world["clients"]["visitor"].get(url)
    assert visitor.status_code == 302 and visitor["Location"].startswith("/accounts/login/")
    patient = world["clients"]["alice"].get(url)
    assert patient.status_code == 403 and "These pages are for clinic staff" in patient.content.decode()
    clinician = world["clients"]["cleo"].get(url)
    assert clinician.status_code == 403
    assert "The outcome registry is for clinic administrators" in clinician.content.decode()


def test_it_links_the_registry_from_the_dashboard_for_those_allowed(world: dict[str, Any]) -> None:
    assert 'href="/clinic/registry/"' in world["clients"]["ada"].get("/clinic/").content.decode()
    assert 'href="/clinic/registry/"' in world["clients"]["root"].get("/clinic/").content.decode()
    assert 'href="/clinic/registry/"' not in world["clients"]["cleo"].get("/clinic/").content.decode()


def test_it_links_the_registry_from_the_account_page_only_for_those_who_may_see_it(
    world: dict[str, Any],
) -> None:
    clients = world["clients"]
    for persona in ("ada", "nico", "root"):
        assert 'href="/clinic/registry/"' in clients[persona].get("/accounts/").content.decode(), persona
    for persona in ("cleo", "alice"):
        assert 'href="/clinic/registry/"' not in clients[persona].get("/accounts/").content.decode(), persona
