"""The FHIR mapping of a real stored history (a demo persona's, stored through the app's own code paths):
every rating, score, advice and program shows up coded as docs/fhir.md says, every resource is valid R4,
and ids are well formed and the same on every export."""

from __future__ import annotations

import importlib
from collections import Counter
from typing import Any

import pytest
from django.conf import settings
from django.contrib.auth.models import User

from sciatrack.accounts.models import Clinic, Clinician, Patient
from sciatrack.care.models import DiaryEntry, Intake, Program, ProgramChange, SessionLog
from sciatrack.content.dosage_text import describe_dosage
from sciatrack.content.schema import Dosage
from sciatrack.content.version import content_version
from sciatrack.demo_histories import PERSONAS, add_history, check_answers
from sciatrack.domain.intake import parse_intake
from sciatrack.domain.triage import result_to_json, triage
from sciatrack.fhir import codes
from sciatrack.fhir.ids import ID_PATTERN
from sciatrack.fhir.provenance import software_version
from sciatrack.fhir.record import SERVED_TYPES, collection_bundle, definitions, patient_resources

pytestmark = pytest.mark.django_db

PERSONA = PERSONAS[0]
LEG = codes.LEG_SITE
BACK = codes.LOW_BACK_SITE


def _clinic(names: bool) -> Clinic:
    return Clinic.objects.create(name="Riverside Physio", slug=f"riverside-{names}", fhir_export_names=names)


def _patient(names: bool = False) -> Patient:
    patient = Patient.objects.create(display_name="Pat Lee", clinic=_clinic(names))
    assert add_history(patient, PERSONA)
    return patient


def _by_type(resources: list[dict[str, Any]], resource_type: str) -> list[dict[str, Any]]:
    return [item for item in resources if item["resourceType"] == resource_type]


def _index(resources: list[dict[str, Any]]) -> dict[str, dict[str, Any]]:
    return {f"{item['resourceType']}/{item['id']}": item for item in resources}


def _code(resource: dict[str, Any]) -> str:
    return str(resource["code"]["coding"][0]["code"])


def _pain(resources: list[dict[str, Any]]) -> list[dict[str, Any]]:
    return [o for o in _by_type(resources, "Observation") if _code(o) == codes.PAIN_SEVERITY_0_10]


def _site(observation: dict[str, Any]) -> str:
    return str(observation["bodySite"]["coding"][0]["code"])


def _store_alert_check(patient: Patient) -> Intake:
    """A follow-up check with numbness between the legs: the emergency tier, through the real triage."""
    answers = check_answers(PERSONA, 84)
    answers["red_flags"]["saddle_numbness"] = True
    parsed = parse_intake(answers)
    result = result_to_json(triage(parsed, emergency_number=settings.SCIATRACK_EMERGENCY_NUMBER))
    return Intake.objects.record(patient, parsed.to_json(), result)


def _validate_with_models(resource: dict[str, Any]) -> None:
    module = importlib.import_module(f"fhir.resources.R4B.{resource['resourceType'].lower()}")
    getattr(module, resource["resourceType"]).model_validate(resource)


def test_every_check_gives_its_leg_and_back_pain_with_body_sites() -> None:
    patient = _patient()
    resources = list(patient_resources(patient))
    pain = _pain(resources)
    intakes = list(Intake.objects.filter(patient=patient))
    assert intakes
    for intake in intakes:
        at = intake.created.isoformat()
        of_check = [o for o in pain if o["effectiveDateTime"] == at]
        sites = {_site(o): o["valueInteger"] for o in of_check}
        assert sites == {LEG: intake.answers["pain"]["leg_now"], BACK: intake.answers["pain"]["back_now"]}
    for observation in pain:
        assert observation["category"][0]["coding"][0]["code"] == "survey"
        assert observation["subject"] == {"reference": f"Patient/{patient.uuid}"}


def test_every_diary_day_and_session_rating_is_a_pain_observation() -> None:
    patient = _patient()
    pain = _pain(list(patient_resources(patient)))
    by_day = {(o["effectiveDateTime"], _site(o)): o["valueInteger"] for o in pain}
    entries = list(DiaryEntry.objects.filter(patient=patient))
    assert entries
    for entry in entries:
        assert by_day[(entry.day.isoformat(), LEG)] == entry.leg_pain
        assert by_day[(entry.day.isoformat(), BACK)] == entry.back_pain
    log = SessionLog.objects.filter(patient=patient).first()
    assert log is not None
    assert by_day[(log.started_at.isoformat(), LEG)] == log.pain_before


def test_peg_panel_items_and_mean_and_sbi_psfs_totals() -> None:
    patient = _patient()
    resources = list(patient_resources(patient))
    observations = _index(_by_type(resources, "Observation"))
    intake = Intake.objects.filter(patient=patient).order_by("created").first()
    assert intake is not None
    panels = [o for o in observations.values() if _code(o) == codes.PEG_PANEL]
    assert len(panels) == Intake.objects.filter(patient=patient).count()
    panel = next(p for p in panels if p["effectiveDateTime"] == intake.created.isoformat())
    members = [observations[ref["reference"]] for ref in panel["hasMember"]]
    items = {_code(m): m["valueInteger"] for m in members if "valueInteger" in m}
    assert items == {f"peg-{key}": value for key, value in intake.measures["peg"]["responses"].items()}
    means = [m for m in members if _code(m) == codes.PEG_MEAN]
    assert [m["valueQuantity"]["value"] for m in means] == [intake.measures["peg"]["score"]]
    scores = {
        _code(o): o["valueQuantity"]["value"]
        for o in observations.values()
        if o.get("effectiveDateTime") == intake.created.isoformat() and "valueQuantity" in o
    }
    assert scores["sbi-total"] == intake.measures["sbi"]["score"]
    assert scores["psfs-mean"] == intake.measures["psfs"]["score"]
    responses = {r["questionnaire"] for r in _by_type(resources, "QuestionnaireResponse")}
    assert {
        f"{codes.QUESTIONNAIRE_BASE}/{name}" for name in ("sbi", "peg", "psfs", "triage-check")
    } <= responses


def test_an_alert_check_is_an_active_flag_and_older_advice_is_inactive() -> None:
    patient = _patient()
    alert = _store_alert_check(patient)
    assert alert.is_alert
    flags = _by_type(list(patient_resources(patient)), "Flag")
    assert len(flags) == Intake.objects.filter(patient=patient).count()
    active = [f for f in flags if f["status"] == "active"]
    assert len(active) == 1
    assert alert.triage_result["advice"]["headline"] in active[0]["code"]["text"]
    for reason in alert.triage_result["reasons"]:
        assert reason["text"].split()[0] in active[0]["text"]["div"]
    # The same alert is inactive once a newer check is stored.
    _store_alert_check(patient)
    statuses = Counter(f["status"] for f in _by_type(list(patient_resources(patient)), "Flag"))
    assert statuses["active"] == 1


def test_the_program_is_a_care_plan_with_a_dosed_request_per_exercise() -> None:
    patient = _patient()
    resources = list(patient_resources(patient))
    index = _index(resources)
    newest = Program.objects.filter(patient=patient).order_by("-created").first()
    assert newest is not None
    plan = index[f"CarePlan/{newest.uuid}"]
    assert plan["status"] == "active" and plan["intent"] == "plan"
    requests = [index[activity["reference"]["reference"]] for activity in plan["activity"]]
    assert [r["instantiatesCanonical"][0].rsplit("/", 1)[1] for r in requests] == [
        item["id"] for item in newest.exercises
    ]
    for request, item in zip(requests, newest.exercises, strict=True):
        assert describe_dosage(Dosage.model_validate(item["dosage"])) in request["patientInstruction"]
        assert f"ActivityDefinition/{item['id']}" in {f"ActivityDefinition/{d['id']}" for d in definitions()}
    assert index[plan["goal"][0]["reference"]]["resourceType"] == "Goal"
    older = [p for p in _by_type(resources, "CarePlan") if p["id"] != str(newest.uuid)]
    assert older and all(p["status"] == "revoked" for p in older)


def test_provenance_names_the_device_with_software_and_content_version() -> None:
    patient = _patient()
    resources = list(patient_resources(patient))
    rules = [
        p
        for p in _by_type(resources, "Provenance")
        if p["agent"][0]["who"]["reference"] == "Device/sciatrack"
    ]
    assert (
        len(rules)
        == Intake.objects.filter(patient=patient).count() + Program.objects.filter(patient=patient).count()
    )
    device = next(d for d in definitions() if d["resourceType"] == "Device")
    assert {v["value"] for v in device["version"]} == {software_version(), content_version()}


def _clinician_change(patient: Patient, clinic: Clinic) -> ProgramChange:
    user = User.objects.create_user("ann", password="x", first_name="Ann", last_name="Example")
    Clinician.objects.create(user=user, clinic=clinic)
    program = Program.objects.filter(patient=patient).order_by("-created").first()
    assert program is not None
    return ProgramChange.objects.create(
        program=program,
        changed_by=user,
        author_name="Ann Example",
        summary="Fewer press-ups",
        before=program.exercises,
        after=program.exercises,
    )


@pytest.mark.parametrize("names", [False, True])
def test_a_clinician_change_is_a_practitioner_provenance_named_only_if_allowed(names: bool) -> None:
    patient = _patient(names)
    assert patient.clinic is not None
    change = _clinician_change(patient, patient.clinic)
    resources = list(patient_resources(patient))
    practitioners = _by_type(resources, "Practitioner")
    assert len(practitioners) == 1
    by_clinician = [
        p
        for p in _by_type(resources, "Provenance")
        if p["agent"][0]["who"]["reference"] == f"Practitioner/{practitioners[0]['id']}"
    ]
    assert len(by_clinician) == 1 and by_clinician[0]["reason"][0]["text"] == change.summary
    text = repr(resources)
    assert ("Ann Example" in text) is names
    assert ("Pat Lee" in text) is names
    assert _by_type(resources, "Patient")[0]["identifier"][0] == {
        "system": codes.PATIENT_IDENTIFIER_SYSTEM,
        "value": str(patient.uuid),
    }


def test_every_resource_parses_ids_are_well_formed_and_stable() -> None:
    patient = _patient()
    _store_alert_check(patient)
    assert patient.clinic is not None
    _clinician_change(patient, patient.clinic)
    first = list(patient_resources(patient))
    second = list(patient_resources(patient))
    assert [(r["resourceType"], r["id"]) for r in first] == [(r["resourceType"], r["id"]) for r in second]
    everything = first + definitions()
    keys = [(r["resourceType"], r["id"]) for r in everything]
    assert len(keys) == len(set(keys))
    assert {r["resourceType"] for r in everything} == set(SERVED_TYPES)
    for resource in everything:
        assert ID_PATTERN.match(resource["id"]), resource["id"]
        _validate_with_models(resource)


def test_the_bundle_holds_the_record_and_the_definitions_it_refers_to() -> None:
    patient = _patient()
    bundle = collection_bundle(patient, "https://example.org/fhir/")
    _validate_with_models(bundle)
    urls = [entry["fullUrl"] for entry in bundle["entry"]]
    assert urls[0] == f"https://example.org/fhir/Patient/{patient.uuid}"
    assert "https://example.org/fhir/Questionnaire/peg" in urls
    assert "https://example.org/fhir/Device/sciatrack" in urls
