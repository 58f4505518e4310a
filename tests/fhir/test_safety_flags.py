"""Danger signs reported after a check, and clearances, in the FHIR export (sciatrack.fhir.safety).

The records are stored through the app's own doors: checks through ``Intake.objects.record``, safety
updates by posting the danger-sign questions as a browser does, clearances through ``clear_check``.
"""

from __future__ import annotations

import re
from datetime import date
from html import escape
from typing import Any

import pytest
from django.contrib.auth.models import User
from django.test import Client
from fhir.resources.R4B.flag import Flag
from fhir.resources.R4B.provenance import Provenance
from fhir.resources.R4B.questionnaireresponse import QuestionnaireResponse
from validation import problems

from sciatrack.accounts.models import Clinic, Clinician, Patient
from sciatrack.care.models import Intake, SafetyUpdate
from sciatrack.check.clearances import clear_check
from sciatrack.domain.clearance import ClearedBy
from sciatrack.domain.safety_update import danger_signs, triage_update
from sciatrack.domain.vocabulary import Tier, Where
from sciatrack.fhir import codes
from sciatrack.fhir.rows import NEWEST, with_newest
from sciatrack.fhir.safety import FLAG_DETAIL, intake_resources_with_safety, safety_update_resources
from sciatrack.fhir.triage import TRIAGE_QUESTIONNAIRE
from web.test_program import make_intake

pytestmark = pytest.mark.django_db

MODELS = {"Flag": Flag, "Provenance": Provenance, "QuestionnaireResponse": QuestionnaireResponse}
ALL_NO = {sign.flag: "no" for sign in danger_signs()}
EMERGENCY_SIGN = next(sign.flag for sign in danger_signs() if sign.emergency_alone)


@pytest.fixture
def person() -> Patient:
    user = User.objects.create_user("pat", password="a long test password")
    return Patient.objects.create(user=user, display_name="Pat")


def _report(patient: Patient, source: str, *signs: str) -> SafetyUpdate:
    """Answer the danger-sign questions as a browser does: ``signs`` yes, every other no."""
    client = Client(enforce_csrf_checks=True)
    assert patient.user is not None
    client.force_login(patient.user)
    page = client.get(f"/safety/?from={source}").content.decode()
    token = re.findall(r'name="csrfmiddlewaretoken" value="([^"]+)"', page)[0]
    answers = {**ALL_NO, **dict.fromkeys(signs, "yes")}
    response = client.post("/safety/", {"csrfmiddlewaretoken": token, "source": source, **answers})
    assert response.status_code == 302
    return SafetyUpdate.objects.filter(patient=patient).latest("created")


def _exported(patient: Patient) -> list[dict[str, Any]]:
    """Every check's resources with what was said after it, read as the export reads the rows."""
    checks = (
        with_newest(Intake.objects.filter(patient=patient))
        .prefetch_related("safety_updates", "clearances__by_clinician")
        .order_by("created", "pk")
    )
    resources: list[dict[str, Any]] = []
    for check in checks:
        resources += intake_resources_with_safety(check, str(patient.uuid), newest=getattr(check, NEWEST))
    return resources


def _flag_of(resources: list[dict[str, Any]], code: str, period_start: str) -> dict[str, Any]:
    found = [
        item
        for item in resources
        if item["resourceType"] == "Flag"
        and item["code"]["coding"][0]["code"] == code
        and item["period"]["start"] == period_start
    ]
    assert len(found) == 1, found
    return found[0]


def _valid(resources: list[dict[str, Any]]) -> None:
    for resource in resources:
        model = MODELS.get(resource["resourceType"])
        if model is not None:
            model.model_validate(resource)
        assert problems(resource) == [], (resource["resourceType"], problems(resource))


def test_a_danger_sign_reported_after_a_calm_check_is_the_active_flag_and_the_check_flag_is_not(
    person: Patient,
) -> None:
    check = make_intake(person, "disc-pattern-self-care")
    assert check.current_tier == Tier.SELF_CARE.value
    update = _report(person, "diary", EMERGENCY_SIGN)
    assert update.tier == Tier.EMERGENCY.value and update.signs == [EMERGENCY_SIGN]

    resources = _exported(person)
    _valid(resources)
    check_flag = _flag_of(resources, f"triage-{check.current_tier}", check.created.isoformat())
    update_flag = _flag_of(resources, f"triage-{update.tier}", update.created.isoformat())
    assert check_flag["status"] == "inactive"  # a newer advice supersedes the calm one
    assert update_flag["status"] == "active"
    headline = update.result["advice"]["headline"]
    assert update_flag["code"]["text"] == f"{headline} (triage: {Tier.EMERGENCY.word})"
    reasons = [reason["text"] for reason in update.result["reasons"]]
    assert reasons and all(escape(reason) in update_flag["text"]["div"] for reason in reasons)
    sign_label = next(sign.label for sign in danger_signs() if sign.flag == EMERGENCY_SIGN)
    assert escape(sign_label) in update_flag["text"]["div"]

    (detail,) = update_flag["extension"]
    assert detail["url"] == FLAG_DETAIL
    responses = {item["id"]: item for item in resources if item["resourceType"] == "QuestionnaireResponse"}
    signs_response = responses[detail["valueReference"]["reference"].removeprefix("QuestionnaireResponse/")]
    assert signs_response["questionnaire"].endswith(f"/Questionnaire/{TRIAGE_QUESTIONNAIRE}")
    answered = {
        question["linkId"]: question["answer"]
        for group in signs_response["item"]
        for question in group["item"]
    }
    assert answered == {EMERGENCY_SIGN: [{"valueBoolean": True}]}

    (provenance,) = [
        item
        for item in resources
        if item["resourceType"] == "Provenance"
        and {"reference": f"Flag/{update_flag['id']}"} in item["target"]
    ]
    sources = {entity["what"]["reference"] for entity in provenance["entity"]}
    assert f"QuestionnaireResponse/{signs_response['id']}" in sources
    check_response = [ref for ref in sources if ref != f"QuestionnaireResponse/{signs_response['id']}"]
    assert len(check_response) == 1 and check_response[0].removeprefix("QuestionnaireResponse/") in responses
    assert provenance["agent"][0]["who"]["reference"] == "Device/sciatrack"


def test_a_newer_full_check_makes_the_safety_update_flag_inactive(person: Patient) -> None:
    make_intake(person, "disc-pattern-self-care")
    update = _report(person, "session_start", EMERGENCY_SIGN)
    make_intake(person, "disc-pattern-self-care")
    resources = _exported(person)
    _valid(resources)
    assert _flag_of(resources, f"triage-{update.tier}", update.created.isoformat())["status"] == "inactive"
    assert all(item["status"] == "inactive" for item in resources if item["resourceType"] == "Flag")


def test_only_the_newest_of_two_safety_updates_is_active(person: Patient) -> None:
    make_intake(person, "disc-pattern-self-care")
    first = _report(person, "diary", EMERGENCY_SIGN)
    second = _report(person, "in_session", EMERGENCY_SIGN)
    resources = _exported(person)
    flags = {item["period"]["start"]: item["status"] for item in resources if item["resourceType"] == "Flag"}
    assert flags[first.created.isoformat()] == "inactive"
    assert flags[second.created.isoformat()] == "active"
    assert list(flags.values()).count("active") == 1


def test_the_flag_follows_newest_and_the_tier_as_a_check_flag_does(person: Patient) -> None:
    make_intake(person, "disc-pattern-self-care")
    update = _report(person, "diary", EMERGENCY_SIGN)
    update = SafetyUpdate.objects.select_related("intake").get(pk=update.pk)
    statuses = {
        newest: next(
            item["status"]
            for item in safety_update_resources(update, str(person.uuid), newest=newest)
            if item["resourceType"] == "Flag"
        )
        for newest in (True, False)
    }
    assert statuses == {True: "active", False: "inactive"}


def test_a_clinician_clearance_after_a_safety_update_is_a_provenance_of_both_flags(person: Patient) -> None:
    clinic = Clinic.objects.create(name="Riverside Physio", slug="riverside")
    person.clinic = clinic
    person.save()
    clinician = Clinician.objects.create(user=User.objects.create_user("kim"), clinic=clinic)
    check = make_intake(person, "disc-pattern-self-care")
    # A sign that, added to this check, sends the person to a doctor today: a result a clinician may clear.
    doctor_today = next(
        sign.flag
        for sign in danger_signs()
        if triage_update(check.to_domain(), [sign.flag], 0).where is Where.DOCTOR_TODAY
    )
    update = _report(person, "diary", doctor_today)
    assert update.where == Where.DOCTOR_TODAY.value
    check = Intake.objects.get(pk=check.pk)
    clearance = clear_check(
        check, ClearedBy.CLINICIAN, date(2026, 12, 3), "Seen in clinic.", clinician, "Kim"
    )

    resources = _exported(person)
    _valid(resources)
    (provenance,) = [item for item in resources if "occurredDateTime" in item]
    flags = {item["id"]: item for item in resources if item["resourceType"] == "Flag"}
    targets = {ref["reference"].removeprefix("Flag/") for ref in provenance["target"]}
    assert targets == set(flags)  # the check's and the update's advice
    assert provenance["occurredDateTime"] == clearance.seen_on.isoformat()
    assert provenance["reason"] == [{"text": "Seen in clinic."}]
    (agent,) = provenance["agent"]
    assert agent["type"]["coding"][0]["code"] == "verifier"
    (contained,) = provenance["contained"]
    assert agent["who"]["reference"] == f"#{contained['id']}"
    assert contained["identifier"] == [
        {"system": codes.PRACTITIONER_IDENTIFIER_SYSTEM, "value": str(clinician.uuid)}
    ]
    assert "Kim" not in repr(provenance)  # pseudonymous: the clinician's name stays out
    # The clearance lets the exercise start; the danger sign's advice stays active.
    update_flag = next(
        flag for flag in flags.values() if flag["period"]["start"] == update.created.isoformat()
    )
    assert update_flag["status"] == "active"


def test_a_person_clearance_of_a_soon_check_names_the_person_as_informant(person: Patient) -> None:
    check = make_intake(person, "recent-spinal-injection-soon")
    assert check.where == Where.DOCTOR_WITHIN_DAYS.value
    clear_check(check, ClearedBy.PERSON, date(2026, 12, 1), "")
    resources = _exported(person)
    _valid(resources)
    (provenance,) = [item for item in resources if "occurredDateTime" in item]
    (flag,) = [item for item in resources if item["resourceType"] == "Flag"]
    assert provenance["target"] == [{"reference": f"Flag/{flag['id']}"}]
    assert provenance["agent"][0]["who"] == {"reference": f"Patient/{person.uuid}"}
    assert provenance["agent"][0]["type"]["coding"][0]["code"] == "informant"
    assert "reason" not in provenance


def test_mapping_a_check_with_its_updates_and_clearance_reads_nothing_beyond_the_prefetch(
    person: Patient, django_assert_num_queries: Any
) -> None:
    check = make_intake(person, "disc-pattern-self-care")
    doctor_today = next(
        sign.flag
        for sign in danger_signs()
        if triage_update(check.to_domain(), [sign.flag], 0).where is Where.DOCTOR_TODAY
    )
    _report(person, "diary", doctor_today)
    clinic = Clinic.objects.create(name="Riverside Physio", slug="riverside")
    clinician = Clinician.objects.create(user=User.objects.create_user("kim"), clinic=clinic)
    clear_check(Intake.objects.get(pk=check.pk), ClearedBy.CLINICIAN, date(2026, 12, 3), "", clinician)
    rows = list(
        with_newest(Intake.objects.filter(patient=person)).prefetch_related(
            "safety_updates", "clearances__by_clinician"
        )
    )
    with django_assert_num_queries(0):
        for row in rows:
            intake_resources_with_safety(row, str(person.uuid), newest=getattr(row, NEWEST))


def test_a_top_up_answered_no_throughout_is_still_valid_and_supersedes_the_check_flag(
    person: Patient,
) -> None:
    check = make_intake(person, "disc-pattern-self-care")
    # The app stores a top-up with no sign answered yes too (the new questions page): the advice re-run.
    SafetyUpdate.objects.create(
        patient=person,
        intake=check,
        source=SafetyUpdate.Source.TOP_UP,
        signs=[],
        result=check.result,
        tier=check.current_tier,
        where=check.where,
    )
    resources = _exported(person)
    _valid(resources)
    (signs_response,) = [
        item
        for item in resources
        if item["resourceType"] == "QuestionnaireResponse"
        and item["id"] in repr(resources)
        and "item" not in item
    ]
    assert signs_response["status"] == "completed"
    assert [item["status"] for item in resources if item["resourceType"] == "Flag"] == [
        "inactive",
        "inactive",
    ]
