"""The Patient resource: pseudonymous unless the person's clinic chose to export names."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from .codes import PATIENT_IDENTIFIER_SYSTEM
from .text import fhir_string

if TYPE_CHECKING:
    from sciatrack.accounts.models import Clinic, Patient


def names_allowed(clinic: Clinic | None) -> bool:
    """Whether an export may carry people's names: only when the clinic turned it on (never for a person
    using Sciatrack without a clinic, whose export has no one to decide for them otherwise)."""
    return clinic is not None and clinic.fhir_export_names


def patient_resource(patient: Patient) -> dict[str, Any]:
    """The person, known by their random uuid; reads ``patient.clinic`` (select it with the patient)."""
    resource: dict[str, Any] = {
        "resourceType": "Patient",
        "id": str(patient.uuid),
        "identifier": [{"system": PATIENT_IDENTIFIER_SYSTEM, "value": str(patient.uuid)}],
        "active": True,
    }
    if names_allowed(patient.clinic) and patient.display_name:
        name = fhir_string(patient.display_name)
        if name is not None:
            resource["name"] = [{"use": "usual", "text": name}]
    return resource
