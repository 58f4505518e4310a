"""Every page and API route, as every persona, against alice's records: nothing of hers leaks.

Each URL name of the project is put in one class below; a new URL that nobody classified fails the
first test, so a new page cannot ship without its access rule being tested here. The personas: alice
(a Riverside patient, whose records are the target), bea (a Hillside patient), cleo (Riverside's
clinician), hugo (Hillside's clinician), ada (Riverside's clinic admin) and a visitor.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from typing import Any

import pytest
from django.contrib.auth.models import User
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver

from sciatrack.accounts.models import Clinic, Clinician, Patient
from sciatrack.care.models import DiaryEntry
from sciatrack.program.programs import create_program
from second_factor import confirm_second_factor
from web.test_program import make_intake

pytestmark = pytest.mark.django_db

SECRET_NAME = "Alice Zebrafinch"
SECRET_NOTE = "zebrafinch-diary-note"

PUBLIC = {
    "home", "exercise-list", "exercise-detail", "check-intro", "check-restart", "check-act-now",
    "check-result", "check-step", "login", "logout", "signup", "password_reset", "password_reset_done",
    "password_reset_confirm", "password_reset_complete", "openapi-json", "openapi-view", "list_exercises",
    "read_exercise", "triage_intake", "api-root", "accept-invitation",
    "exercise-figure", "exercise-step-figure",
    # Installable and offline: the same for everyone, naming no one (tests/web/test_pwa.py).
    "manifest", "service-worker", "offline",
    # Signed links in reminder e-mail: the token says whose (tests/web/test_nudges_*.py).
    "reminder-confirm", "reminder-stop",
    # What the FHIR API serves (a CapabilityStatement), the same for everyone.
    "fhir-metadata",
}  # fmt: skip
# The signed-in person's own records, found from the session, never from the URL.
OWN = {
    "check-history", "program", "program-handout", "program-handout-pdf", "program-reminders", "session",
    "diary", "progress", "progress-report", "progress-csv", "account", "my-data", "delete-account",
    "create_session_log", "store_diary_entry", "create-token", "api-keys", "two-factor", "safety",
    "safety-new-questions",
    "reminder-choices", "push-subscribe", "push-unsubscribe", "my-record-fhir",
}  # fmt: skip
OWN_OBJECT = {
    "check-history-detail",
    "revoke-token",
    "safety-update",
}  # one of the person's own records, by id
CLINIC_OBJECT = {
    "clinic-patient",
    "clinic-patient-report",
    "clinic-patient-program",
    "clinic-patient-clear",
    "clinic-patient-resume",
    "clinic-patient-record-fhir",
}  # a patient of the clinician's clinic, by UUID
CLINIC = {"clinic-dashboard", "clinic-audit", "clinic-invite"}
# The outcome registry: aggregates for clinic admins (their clinic) and network users; never one person.
# The FHIR API: each record its own, or of the caller's clinic, by id (tests/fhir/test_api*.py).
FHIR_API = {"fhir-read", "fhir-search", "fhir-everything"}
REGISTRY = {"registry", "registry-compare", "registry-export-csv", "registry-export-json"}
POST_ONLY = {
    "delete-account",
    "create_session_log",
    "store_diary_entry",
    "triage_intake",
    "logout",
    "clinic-patient-clear",
    "clinic-patient-resume",
    "push-subscribe",
    "push-unsubscribe",
}


def url_names() -> Iterator[str]:
    def walk(patterns: list[Any]) -> Iterator[str]:
        for pattern in patterns:
            if isinstance(pattern, URLResolver):
                if getattr(pattern, "app_name", None) != "admin":  # the admin is staff-only by Django
                    yield from walk(pattern.url_patterns)
            elif isinstance(pattern, URLPattern) and pattern.name:
                yield pattern.name

    return walk(get_resolver().url_patterns)


@pytest.fixture
def world() -> dict[str, Any]:
    riverside = Clinic.objects.create(name="Riverside", slug="riverside")
    hillside = Clinic.objects.create(name="Hillside", slug="hillside")

    def person(name: str, clinic: Clinic, display: str) -> Patient:
        user = User.objects.create_user(name, password="a long test password")
        return Patient.objects.create(user=user, clinic=clinic, display_name=display)

    alice = person("alice", riverside, SECRET_NAME)
    intake = make_intake(alice, "disc-pattern-self-care")
    create_program(intake)
    DiaryEntry.objects.create(
        patient=alice,
        day=date.today(),
        leg_pain=4,
        back_pain=2,
        reach="thigh",
        sleep="woke_once",
        note=SECRET_NOTE,
    )
    bea = person("bea", hillside, "Bea")
    make_intake(bea, "disc-pattern-self-care")

    def staff(name: str, clinic: Clinic, role: str) -> User:
        user = User.objects.create_user(name, password="a long test password")
        Clinician.objects.create(user=user, clinic=clinic, role=role)
        return user

    users = {
        "visitor": None,
        "alice": alice.user,
        "bea": bea.user,
        "cleo": staff("cleo", riverside, Clinician.Role.CLINICIAN),
        "hugo": staff("hugo", hillside, Clinician.Role.CLINICIAN),
        "ada": staff("ada", riverside, Clinician.Role.CLINIC_ADMIN),
    }
    clients = {}
    for name, user in users.items():
        client = Client()
        if user is not None:
            client.force_login(user)
            if name in ("cleo", "hugo", "ada"):
                confirm_second_factor(client, user)
        clients[name] = client
    return {"clients": clients, "alice": alice, "intake": intake}


def get(client: Client, url: str) -> tuple[int, str]:
    response = client.get(url)
    body = b"" if getattr(response, "streaming", False) else response.content
    return response.status_code, body.decode("utf-8", errors="replace")


def test_it_gives_every_url_an_access_class() -> None:
    classified = PUBLIC | OWN | OWN_OBJECT | CLINIC_OBJECT | CLINIC | REGISTRY | FHIR_API
    unknown = set(url_names()) - classified
    assert not unknown, f"classify these URLs in the authorization matrix: {sorted(unknown)}"


OWN_URLS = [
    "/check/history/", "/program/", "/program/handout/", "/session/", "/diary/", "/progress/",
    "/progress/data.csv", "/accounts/", "/accounts/keys/", "/accounts/my-data.json",
    "/accounts/my-record-fhir.json",
]  # fmt: skip


# A visitor's program comes from the check in their browser session: these pages serve them too.
FROM_THE_BROWSER_SESSION = {"/program/", "/program/handout/", "/session/"}


@pytest.mark.parametrize("persona", ["visitor", "bea", "cleo", "hugo", "ada"])
def test_it_shows_nobody_else_alices_own_pages(world: dict[str, Any], persona: str) -> None:
    client = world["clients"][persona]
    for url in OWN_URLS:
        status, body = get(client, url)
        assert SECRET_NAME not in body and SECRET_NOTE not in body, f"{persona} sees alice's data at {url}"
        if persona == "visitor" and url not in FROM_THE_BROWSER_SESSION:
            assert status == 302, f"a visitor reaches {url}"


def test_it_shows_alice_her_own_pages(world: dict[str, Any]) -> None:
    client = world["clients"]["alice"]
    assert SECRET_NOTE in get(client, "/diary/")[1]
    assert SECRET_NOTE in get(client, "/accounts/my-data.json")[1]
    assert get(client, f"/check/history/{world['intake'].uuid}/")[0] == 200


@pytest.mark.parametrize(
    ("persona", "expected"), [("visitor", 302), ("bea", 404), ("cleo", 404), ("hugo", 404), ("ada", 404)]
)
def test_it_keeps_alices_checks_to_herself(world: dict[str, Any], persona: str, expected: int) -> None:
    status, body = get(world["clients"][persona], f"/check/history/{world['intake'].uuid}/")
    assert status == expected
    assert SECRET_NAME not in body


@pytest.mark.parametrize(
    ("persona", "expected"),
    [("visitor", 302), ("alice", 403), ("bea", 403), ("cleo", 200), ("hugo", 404), ("ada", 200)],
)
def test_it_shows_alices_clinic_record_only_to_her_clinic(
    world: dict[str, Any], persona: str, expected: int
) -> None:
    uuid = world["alice"].uuid
    for url in (
        f"/clinic/patients/{uuid}/",
        f"/clinic/patients/{uuid}/report.pdf",
        f"/clinic/patients/{uuid}/record-fhir.json",
    ):
        status, body = get(world["clients"][persona], url)
        assert status == expected, f"{persona} at {url}"
        if expected != 200 and persona != "alice":  # her own name is in her page header
            assert SECRET_NAME not in body


@pytest.mark.parametrize(
    ("persona", "dashboard", "audit"),
    [
        ("visitor", 302, 302),
        ("alice", 403, 403),
        ("bea", 403, 403),
        ("cleo", 200, 403),
        ("hugo", 200, 403),
        ("ada", 200, 200),
    ],
)
def test_it_opens_the_clinic_pages_to_clinic_staff_only(
    world: dict[str, Any], persona: str, dashboard: int, audit: int
) -> None:
    client = world["clients"][persona]
    status, body = get(client, "/clinic/")
    assert status == dashboard
    assert (SECRET_NAME in body) == (persona in ("alice", "cleo", "ada"))  # alice: her own header
    assert get(client, "/clinic/audit/")[0] == audit


@pytest.mark.parametrize("persona", ["visitor", "bea", "cleo", "hugo", "ada"])
def test_it_lets_nobody_else_delete_alices_account(world: dict[str, Any], persona: str) -> None:
    world["clients"][persona].post("/accounts/delete/", {"password": "a long test password"})
    assert Patient.objects.filter(pk=world["alice"].pk).exists()


@pytest.mark.parametrize(
    ("persona", "expected"),
    [("visitor", 302), ("alice", 403), ("bea", 403), ("cleo", 403), ("hugo", 403), ("ada", 200)],
)
def test_it_opens_the_registry_to_clinic_admins_only(
    world: dict[str, Any], persona: str, expected: int
) -> None:
    client = world["clients"][persona]
    for url in (
        "/clinic/registry/",
        "/clinic/registry/compare/",
        "/clinic/registry/export.csv",
        "/clinic/registry/export.json",
    ):
        status, body = get(client, url)
        assert status == expected, f"{persona} at {url}"
        assert SECRET_NAME not in body or persona == "alice", f"{persona} sees alice's name at {url}"
        assert SECRET_NOTE not in body
    # Riverside's admin may not ask for Hillside's figures.
    if persona == "ada":
        assert get(client, "/clinic/registry/?clinic=hillside")[0] == 400
