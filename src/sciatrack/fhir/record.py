"""The public interface of the FHIR export: a person's whole record, and the shared definitions.

Built from the row mappers of :mod:`.rows` (one home for each mapping); this module only reads the rows,
in a stable order, with the relations the mappers need.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from django.utils import timezone

from sciatrack.accounts.models import Patient
from sciatrack.care.models import DiaryEntry, Intake, Program, SessionLog

from . import definitions as _definitions
from .ids import derived_id, instant
from .rows import (
    diary_resources,
    intake_resources,
    patient_resource,
    program_resources,
    session_resources,
    with_changes,
    with_newest,
    with_reports,
)

__all__ = ["SERVED_TYPES", "collection_bundle", "definitions", "patient_resources"]

# Every resourceType the export emits, for the CapabilityStatement.
SERVED_TYPES: tuple[str, ...] = (
    "ActivityDefinition",
    "CarePlan",
    "Device",
    "Flag",
    "Goal",
    "Observation",
    "Patient",
    "Practitioner",
    "Provenance",
    "Questionnaire",
    "QuestionnaireResponse",
    "ServiceRequest",
)


def definitions() -> list[dict[str, Any]]:
    """The shared resources every export refers to: the Questionnaires (SBI, PSFS, PEG, the triage
    check), an ActivityDefinition per exercise and the Sciatrack Device."""
    return _definitions.definitions()


def patient_resources(patient: Patient) -> Iterator[dict[str, Any]]:
    """The Patient first, then everything about them: checks (oldest first), programs, sessions and
    diary days. Ids are stable across calls; references are relative."""
    patient = Patient.objects.select_related("clinic").get(pk=patient.pk)
    yield from _once(_all_resources(patient))


def _once(resources: Iterator[dict[str, Any]]) -> Iterator[dict[str, Any]]:
    """Each resource once: a clinician who changed two programs is one Practitioner."""
    seen: set[tuple[str, str]] = set()
    for resource in resources:
        key = (resource["resourceType"], resource["id"])
        if key not in seen:
            seen.add(key)
            yield resource


def _all_resources(patient: Patient) -> Iterator[dict[str, Any]]:
    patient_uuid = str(patient.uuid)
    yield patient_resource(patient)
    checks = with_reports(with_newest(Intake.objects.filter(patient=patient)))
    for intake in checks.order_by("created", "pk"):
        yield from intake_resources(intake, patient_uuid)
    programs = (
        with_changes(with_newest(Program.objects.filter(patient=patient)))
        .select_related("patient__clinic")
        .order_by("created", "pk")
    )
    for program in programs:
        yield from program_resources(program, patient_uuid)
    logs = SessionLog.objects.filter(patient=patient).select_related("program").order_by("started_at", "pk")
    for log in logs:
        yield from session_resources(log, patient_uuid)
    for entry in DiaryEntry.objects.filter(patient=patient).order_by("day"):
        yield from diary_resources(entry, patient_uuid)


def _referenced_definitions(resources: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The definitions some resource refers to (by reference or canonical URL), in definitions() order."""
    text = repr(resources)
    return [
        d for d in definitions() if f"{d['resourceType']}/{d['id']}" in text or d.get("url", "\0") in text
    ]


def collection_bundle(patient: Patient, base: str) -> dict[str, Any]:
    """A Bundle of type collection: the patient's resources and the definitions they refer to, each with
    ``fullUrl`` ``{base}/{type}/{id}``."""
    resources = list(patient_resources(patient))
    everything = resources + _referenced_definitions(resources)
    base = base.rstrip("/")
    return {
        "resourceType": "Bundle",
        "id": derived_id("bundle", patient.uuid, timezone.now().isoformat()),
        "type": "collection",
        "timestamp": instant(timezone.now()),
        "entry": [
            {"fullUrl": f"{base}/{item['resourceType']}/{item['id']}", "resource": item}
            for item in everything
        ],
    }
