"""A home exercise program as a CarePlan, its Goal and a ServiceRequest per exercise, following the HL7
Physical Activity IG's exercise prescription (a ServiceRequest based on the CarePlan, pertaining to the
Goal, performed by the patient), each ServiceRequest instantiating the exercise's ActivityDefinition."""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Any

from sciatrack.content.dosage_text import describe_dosage, project_dose_note
from sciatrack.content.rules_loader import get_questionnaire
from sciatrack.content.schema import Dosage, Frequency

from .codes import (
    EXERCISE_THERAPY,
    EXERCISE_THERAPY_DISPLAY,
    LOINC,
    PAIN_SEVERITY_0_10,
    PAIN_SEVERITY_0_10_DISPLAY,
    PERTAINS_TO_GOAL,
    SNOMED,
    UCUM,
    UCUM_REPETITION,
    UCUM_SECOND,
    concept,
)
from .definitions import activity_definition_url
from .ids import derived_id, instant, patient_ref, ref_of
from .patient import names_allowed
from .provenance import change_provenance, practitioner, rules_provenance

if TYPE_CHECKING:
    from sciatrack.care.models import Program, ProgramChange

ACTIVITY_DEFINITION = "ActivityDefinition"
EXERCISE_CATEGORY = concept(SNOMED, EXERCISE_THERAPY, EXERCISE_THERAPY_DISPLAY)
# Doses worked out and kept (see :func:`_prescription`): bounded, as clinicians may write their own.
PRESCRIPTIONS_KEPT = 4_096
_PRESCRIPTIONS: dict[str, tuple[dict[str, Any], dict[str, Any], str]] = {}
# What the program aims at, in the words of the pain rating the Goal measures.
GOAL_WORDS = "Leg pain eased to no more than a trace"


def _timing(dosage: Dosage) -> dict[str, Any]:
    """How often, as a Timing: n times a day, or once an hour while awake."""
    if dosage.frequency is Frequency.EVERY_WAKING_HOUR:
        repeat = {"frequency": 1, "period": 1, "periodUnit": "h"}
    else:
        repeat = {"frequency": dosage.times_per_day or 1, "period": 1, "periodUnit": "d"}
    return {"repeat": repeat, "code": {"text": describe_dosage(dosage)}}


def _quantity(dosage: Dosage) -> dict[str, Any]:
    """One set: repetitions (each side counted apart in the words), or a time range in seconds."""
    if dosage.reps is not None:
        return {
            "quantityQuantity": {
                "value": dosage.reps,
                "unit": "repetition",
                "system": UCUM,
                "code": UCUM_REPETITION,
            }
        }
    span = dosage.duration_seconds
    assert span is not None  # the content schema requires reps or a duration
    return {
        "quantityRange": {
            "low": {"value": span.min, "unit": "s", "system": UCUM, "code": UCUM_SECOND},
            "high": {"value": span.max, "unit": "s", "system": UCUM, "code": UCUM_SECOND},
        }
    }


def _prescription(name: str, stored: dict[str, Any]) -> tuple[dict[str, Any], dict[str, Any], str]:
    """An exercise's dose as a ServiceRequest's quantity, timing and instruction in words. Programs share
    a few doses, so each is worked out (validated and put in words) once and its parts shared by every
    request with that dose: an export of a clinic reads hundreds of thousands."""
    key = json.dumps([name, stored], sort_keys=True)
    found = _PRESCRIPTIONS.get(key)
    if found is None:
        dosage = Dosage.model_validate(stored)
        note = project_dose_note(dosage)
        instruction = f"{name}: {describe_dosage(dosage)}." + (f" {note}" if note else "")
        found = (_quantity(dosage), _timing(dosage), instruction)
        if len(_PRESCRIPTIONS) < PRESCRIPTIONS_KEPT:
            _PRESCRIPTIONS[key] = found
    return found


def _status(newest: bool) -> str:
    # A program replaced by a newer one was ended before it was finished: revoked, in FHIR's words.
    return "active" if newest else "revoked"


def _goal(program: Program, patient_uuid: str, newest: bool) -> dict[str, Any]:
    recovered = get_questionnaire("nprs").recovered
    goal: dict[str, Any] = {
        "resourceType": "Goal",
        "id": derived_id("program", program.uuid, "goal"),
        "lifecycleStatus": "active" if newest else "cancelled",
        "description": {"text": GOAL_WORDS},
        "subject": patient_ref(patient_uuid),
        "startDate": program.created.date().isoformat(),
    }
    if recovered is not None:
        goal["target"] = [
            {
                "measure": concept(LOINC, PAIN_SEVERITY_0_10, PAIN_SEVERITY_0_10_DISPLAY),
                "detailRange": {"low": {"value": 0}, "high": {"value": recovered.at_most}},
            }
        ]
    return goal


def _service_request(
    program: Program,
    item: dict[str, Any],
    patient_uuid: str,
    care_plan_id: str,
    goal: dict[str, Any],
    newest: bool,
) -> dict[str, Any]:
    quantity, timing, instruction = _prescription(str(item.get("name", item["id"])), item["dosage"])
    return {
        "resourceType": "ServiceRequest",
        "id": derived_id("program", program.uuid, "exercise", item["id"]),
        "extension": [{"url": PERTAINS_TO_GOAL, "valueReference": ref_of(goal)}],
        "instantiatesCanonical": [activity_definition_url(item["id"])],
        "basedOn": [{"reference": f"CarePlan/{care_plan_id}"}],
        "status": _status(newest),
        "intent": "plan",
        "category": [EXERCISE_CATEGORY],
        "code": {"text": str(item.get("name", item["id"]))},
        "subject": patient_ref(patient_uuid),
        **quantity,
        "occurrenceTiming": timing,
        "authoredOn": instant(program.updated),
        "performer": [patient_ref(patient_uuid)],
        "patientInstruction": instruction,
    }


def program_resources(
    program: Program, patient_uuid: str, changes: list[ProgramChange], *, newest: bool
) -> list[dict[str, Any]]:
    """Every resource of one program (see :func:`sciatrack.fhir.rows.program_resources`), ``changes``
    its clinician changes (each with ``changed_by.clinician`` read)."""
    care_plan_id = str(program.uuid)
    goal = _goal(program, patient_uuid, newest)
    requests = [
        _service_request(program, item, patient_uuid, care_plan_id, goal, newest)
        for item in program.exercises
    ]
    care_plan: dict[str, Any] = {
        "resourceType": "CarePlan",
        "id": care_plan_id,
        "status": _status(newest),
        "intent": "plan",
        "category": [EXERCISE_CATEGORY],
        "title": "Home exercise program",
        "subject": patient_ref(patient_uuid),
        "created": instant(program.created),
        "period": {"start": instant(program.created)},
        "goal": [ref_of(goal)],
        "activity": [{"reference": ref_of(request)} for request in requests],
    }
    found: list[dict[str, Any]] = [care_plan, goal, *requests]
    found.append(
        rules_provenance(
            derived_id("program", program.uuid, "provenance"),
            [care_plan, goal, *requests],
            program.created,
            program.content_version,
        )
    )
    names = names_allowed(program.patient.clinic)
    # Sorted here, whatever order they were read in.
    practitioners: dict[str, dict[str, Any]] = {}
    for change in sorted(changes, key=lambda change: (change.created, change.pk)):
        who = practitioner(change, names=names)
        if who["id"] not in practitioners:
            practitioners[who["id"]] = who
            found.append(who)
        found.append(
            change_provenance(
                derived_id("program-change", program.uuid, change.pk), [care_plan, *requests], change, who
            )
        )
    return found
