"""The FHIR API's access rule, as every persona, by browser session and by personal key.

The personas of the web authorization matrix (tests/web/test_authorization_matrix.py): alice (a
Riverside patient, whose record is the target), bea (a Hillside patient), cleo (Riverside's clinician),
hugo (Hillside's clinician), ada (Riverside's clinic admin), root (a site administrator) and a visitor.
Staff sessions have confirmed their second factor, as on the clinic pages. ``build_world`` is shared
with the other FHIR API tests.
"""

from __future__ import annotations

import json
import uuid
from typing import Any

import pytest
from django.contrib.auth.models import User
from django.test import Client
from django.utils import timezone
from validation import problems

from sciatrack.accounts.models import ApiToken, Clinic, Clinician, Patient
from sciatrack.accounts.tokens import issue_token
from sciatrack.care.models import DiaryEntry, ProgramChange
from sciatrack.clinic.models import AuditEvent
from sciatrack.fhir.record import definitions, patient_resources
from sciatrack.program.programs import create_program
from second_factor import confirm_second_factor
from web.test_program import make_intake

pytestmark = pytest.mark.django_db

BASE = "/fhir/R4"
FHIR_JSON = "application/fhir+json; charset=utf-8"
STAFF = ("cleo", "hugo", "ada", "root")
PERSONAS = ("visitor", "alice", "bea", *STAFF)
# Who may read alice's record: herself, her clinic's staff, a site administrator.
READS_ALICE = {"alice", "cleo", "ada", "root"}


def build_world() -> dict[str, Any]:
    riverside = Clinic.objects.create(name="Riverside", slug="riverside")
    hillside = Clinic.objects.create(name="Hillside", slug="hillside")

    def person(name: str, clinic: Clinic) -> Patient:
        user = User.objects.create_user(name)  # no password: signed in by force_login, quickly
        return Patient.objects.create(user=user, clinic=clinic, display_name=name.title())

    def staff(name: str, clinic: Clinic, role: str) -> User:
        user = User.objects.create_user(name)  # no password: signed in by force_login, quickly
        Clinician.objects.create(user=user, clinic=clinic, role=role)
        return user

    alice = person("alice", riverside)
    program = create_program(make_intake(alice, "disc-pattern-self-care"))
    assert program is not None
    DiaryEntry.objects.create(
        patient=alice, day=timezone.localdate(), leg_pain=4, back_pain=2, reach="thigh", sleep="woke_once"
    )
    bea = person("bea", hillside)
    make_intake(bea, "disc-pattern-self-care")
    users: dict[str, User | None] = {
        "visitor": None,
        "alice": alice.user,
        "bea": bea.user,
        "cleo": staff("cleo", riverside, Clinician.Role.CLINICIAN),
        "hugo": staff("hugo", hillside, Clinician.Role.CLINICIAN),
        "ada": staff("ada", riverside, Clinician.Role.CLINIC_ADMIN),
        "root": User.objects.create_superuser("root", password=None),
    }
    cleo = users["cleo"]
    assert cleo is not None
    # A clinician's change: the record then holds a Practitioner too.
    ProgramChange.objects.create(
        program=program,
        changed_by=cleo,
        author_name="cleo",
        summary="Fewer repetitions",
        before=program.exercises,
        after=program.exercises,
    )
    sessions: dict[str, Client] = {}
    keys: dict[str, str] = {}
    for name, user in users.items():
        client = Client()
        if user is not None:
            client.force_login(user)
            if name in STAFF:
                confirm_second_factor(client, user)
            keys[name] = issue_token(user, "script")[1]
        sessions[name] = client
    return {"alice": alice, "bea": bea, "users": users, "sessions": sessions, "keys": keys}


@pytest.fixture
def world() -> dict[str, Any]:
    return build_world()


def ask(world: dict[str, Any], persona: str, how: str, url: str, **extra: Any) -> Any:
    """GET ``url`` as ``persona``: by its signed-in browser ("session") or by its key alone ("key")."""
    if how == "session":
        return world["sessions"][persona].get(url, **extra)
    key = world["keys"].get(persona, "sct_not-a-key-anyone-was-given")
    return Client().get(url, HTTP_AUTHORIZATION=f"Bearer {key}", **extra)


def body(response: Any) -> dict[str, Any]:
    assert response["Content-Type"] == FHIR_JSON, response["Content-Type"]
    found: dict[str, Any] = json.loads(response.content)
    return found


def outcome_code(response: Any) -> str:
    found = body(response)
    assert found["resourceType"] == "OperationOutcome"
    assert problems(found) == []
    assert found["issue"][0]["severity"] == "error"
    return str(found["issue"][0]["code"])


def alices_record(world: dict[str, Any]) -> list[dict[str, Any]]:
    return list(patient_resources(world["alice"]))


def views_of(world: dict[str, Any], action: str = AuditEvent.Action.VIEW) -> int:
    return AuditEvent.objects.filter(patient=world["alice"], action=action).count()


def test_the_world_has_every_kind_of_record(world: dict[str, Any]) -> None:
    types = {resource["resourceType"] for resource in alices_record(world)}
    assert {"Patient", "Observation", "Practitioner", "CarePlan", "Provenance"} <= types


@pytest.mark.parametrize("how", ["session", "key"])
@pytest.mark.parametrize("persona", PERSONAS)
def test_only_alice_her_clinic_and_site_admins_read_her_patient_resource(
    world: dict[str, Any], persona: str, how: str
) -> None:
    response = ask(world, persona, how, f"{BASE}/Patient/{world['alice'].uuid}")
    if persona == "visitor":
        assert response.status_code == 401
        assert response["WWW-Authenticate"].startswith("Bearer")
        assert outcome_code(response) == "login"
    elif persona in READS_ALICE:
        assert response.status_code == 200
        assert body(response) == alices_record(world)[0]
        assert problems(body(response)) == []
    else:
        assert response.status_code == 404
        assert outcome_code(response) == "not-found"
        # The same answer as for someone who is not there at all.
        nobody = uuid.uuid4()
        missing = ask(world, persona, how, f"{BASE}/Patient/{nobody}")
        assert missing.status_code == 404
        assert (
            body(missing)["issue"]
            == json.loads(response.content.decode().replace(str(world["alice"].uuid), str(nobody)))["issue"]
        )


@pytest.mark.parametrize("how", ["session", "key"])
@pytest.mark.parametrize("persona", PERSONAS)
def test_every_resource_of_alices_record_is_read_only_by_those_who_may(
    world: dict[str, Any], persona: str, how: str
) -> None:
    for resource in alices_record(world):
        response = ask(world, persona, how, f"{BASE}/{resource['resourceType']}/{resource['id']}")
        if persona == "visitor":
            assert response.status_code == 401
        elif persona in READS_ALICE:
            assert response.status_code == 200, resource["resourceType"]
            assert body(response) == resource
        else:
            assert response.status_code == 404, f"{persona} reads {resource['resourceType']}"


@pytest.mark.parametrize("persona", ["cleo", "ada", "root"])
def test_each_staff_read_of_alices_record_is_audited_and_her_own_is_not(
    world: dict[str, Any], persona: str
) -> None:
    alice = world["alice"]
    for how in ("session", "key"):
        before = views_of(world)
        assert ask(world, persona, how, f"{BASE}/Patient/{alice.uuid}").status_code == 200
        assert ask(world, persona, how, f"{BASE}/Observation?patient={alice.uuid}").status_code == 200
        events = AuditEvent.objects.filter(patient=alice).order_by("-pk")[:2]
        assert views_of(world) == before + 2
        assert {event.actor_name for event in events} == {persona}
        assert {event.path for event in events} == {f"{BASE}/Patient/{alice.uuid}", f"{BASE}/Observation"}
    before = views_of(world)
    ask(world, "alice", "key", f"{BASE}/Patient/{alice.uuid}")
    ask(world, "alice", "session", f"{BASE}/Observation?patient={alice.uuid}")
    ask(world, "hugo", "session", f"{BASE}/Patient/{alice.uuid}")
    assert views_of(world) == before


def test_everything_is_audited_as_an_export(world: dict[str, Any]) -> None:
    before = views_of(world, AuditEvent.Action.EXPORT)
    response = ask(world, "cleo", "key", f"{BASE}/Patient/{world['alice'].uuid}/$everything")
    assert response.status_code == 200
    assert views_of(world, AuditEvent.Action.EXPORT) == before + 1


@pytest.mark.parametrize("how", ["session", "key"])
@pytest.mark.parametrize("persona", PERSONAS)
def test_searches_and_everything_show_alices_record_only_to_those_who_may(
    world: dict[str, Any], persona: str, how: str
) -> None:
    alice = world["alice"]
    record = alices_record(world)
    observations = [r for r in record if r["resourceType"] == "Observation"]
    search = ask(world, persona, how, f"{BASE}/Observation?patient=Patient/{alice.uuid}&_count=200")
    everything = ask(world, persona, how, f"{BASE}/Patient/{alice.uuid}/$everything?_count=200")
    if persona == "visitor":
        assert (search.status_code, everything.status_code) == (401, 401)
        return
    found = body(search)
    assert search.status_code == 200 and found["type"] == "searchset"
    if persona in READS_ALICE:
        assert found["total"] == len(observations)
        assert [entry["resource"] for entry in found["entry"]] == observations
        assert everything.status_code == 200
        matches = [e["resource"] for e in body(everything)["entry"] if e["search"]["mode"] == "match"]
        assert matches == record
    else:
        # Not theirs: an empty result, as for a patient who is not there.
        assert found["total"] == 0 and "entry" not in found
        assert everything.status_code == 404
        assert outcome_code(everything) == "not-found"


@pytest.mark.parametrize("persona", ["alice", "cleo", "root"])
def test_a_search_without_a_patient_finds_only_readable_records(world: dict[str, Any], persona: str) -> None:
    bea_ids = {r["id"] for r in patient_resources(world["bea"])}
    alice_ids = {r["id"] for r in alices_record(world)}
    for resource_type in ("Observation", "Practitioner", "Patient"):
        found = body(ask(world, persona, "key", f"{BASE}/{resource_type}?_count=200"))
        ids = {entry["resource"]["id"] for entry in found.get("entry", [])}
        assert ids, resource_type
        assert ids <= alice_ids | (bea_ids if persona == "root" else set())
        assert found["total"] == len(ids)


def test_patients_see_only_themselves_in_a_patient_search(world: dict[str, Any]) -> None:
    found = body(ask(world, "bea", "session", f"{BASE}/Patient"))
    assert [entry["resource"]["id"] for entry in found["entry"]] == [str(world["bea"].uuid)]
    by_id = body(ask(world, "bea", "session", f"{BASE}/Patient?_id={world['alice'].uuid}"))
    assert by_id["total"] == 0


def test_a_key_never_falls_back_to_the_session(world: dict[str, Any]) -> None:
    alice, bea_browser = world["alice"], world["sessions"]["bea"]
    url = f"{BASE}/Patient/{alice.uuid}"
    # bea's browser, sending alice's key, is alice.
    assert bea_browser.get(url, HTTP_AUTHORIZATION=f"Bearer {world['keys']['alice']}").status_code == 200
    # alice's own browser, sending a wrong key, is nobody.
    for header in ("Bearer sct_wrong", "Bearer ", "Basic YWxpY2U6cHc=", "Bearer " + "x" * 5000):
        response = world["sessions"]["alice"].get(url, HTTP_AUTHORIZATION=header)
        assert response.status_code == 401, header[:20]
        assert outcome_code(response) == "login"
        assert response["WWW-Authenticate"].startswith("Bearer")


def test_a_revoked_key_and_an_inactive_owner_are_refused(world: dict[str, Any]) -> None:
    url = f"{BASE}/Patient/{world['alice'].uuid}"
    assert ask(world, "cleo", "key", url).status_code == 200
    ApiToken.objects.filter(user=world["users"]["cleo"]).update(revoked=timezone.now())
    response = ask(world, "cleo", "key", url)
    assert response.status_code == 401 and outcome_code(response) == "login"
    User.objects.filter(username="alice").update(is_active=False)
    assert ask(world, "alice", "key", url).status_code == 401


def test_staff_must_confirm_their_code_before_a_session_reads_records(world: dict[str, Any]) -> None:
    unconfirmed = Client()
    unconfirmed.force_login(world["users"]["cleo"])
    response = unconfirmed.get(f"{BASE}/Patient/{world['alice'].uuid}")
    assert response.status_code == 401 and outcome_code(response) == "login"
    assert "code" in body(response)["issue"][0]["diagnostics"]


@pytest.mark.parametrize("how", ["session", "key"])
@pytest.mark.parametrize("persona", PERSONAS)
def test_the_shared_definitions_are_read_by_anyone_signed_in(
    world: dict[str, Any], persona: str, how: str
) -> None:
    shared = definitions()
    assert {item["resourceType"] for item in shared} == {"Questionnaire", "ActivityDefinition", "Device"}
    for item in (shared[0], shared[-1]):
        read = ask(world, persona, how, f"{BASE}/{item['resourceType']}/{item['id']}")
        listed = ask(world, persona, how, f"{BASE}/{item['resourceType']}?_id={item['id']}")
        if persona == "visitor":
            assert (read.status_code, listed.status_code) == (401, 401)
            continue
        assert read.status_code == 200 and body(read) == item
        assert [entry["resource"] for entry in body(listed)["entry"]] == [item]
    if persona != "visitor":
        assert ask(world, persona, how, f"{BASE}/Questionnaire/not-one-of-ours").status_code == 404


def test_answers_are_valid_fhir_r4(world: dict[str, Any]) -> None:
    alice = world["alice"]
    for url in (
        f"{BASE}/metadata",
        f"{BASE}/Patient/{alice.uuid}",
        f"{BASE}/Observation?patient={alice.uuid}&_count=3",
        f"{BASE}/Patient/{alice.uuid}/$everything?_count=200",
        f"{BASE}/Questionnaire",
    ):
        response = ask(world, "cleo", "key", url)
        assert response.status_code == 200, url
        assert problems(body(response)) == [], url


def test_head_answers_like_get_without_a_body(world: dict[str, Any]) -> None:
    key = world["keys"]["alice"]
    response = Client().head(f"{BASE}/Patient/{world['alice'].uuid}", HTTP_AUTHORIZATION=f"Bearer {key}")
    assert response.status_code == 200
    assert response["Content-Type"] == FHIR_JSON
    assert response.content == b""
