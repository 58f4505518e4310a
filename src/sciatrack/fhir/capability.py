"""The CapabilityStatement at ``/fhir/R4/metadata``: exactly what this server answers, nothing more.

Each type the export emits (:data:`sciatrack.fhir.record.SERVED_TYPES`) is read and searched; the search
parameters come from :func:`sciatrack.fhir.api_search.search_parameters`, the one home of that rule, and
Patient adds the $everything operation (https://hl7.org/fhir/R4/patient-operation-everything.html).
"""

from __future__ import annotations

from typing import Any

from django.utils import timezone

from .api_search import search_parameters
from .provenance import software_version
from .record import SERVED_TYPES

FHIR_VERSION = "4.0.1"
INTERACTIONS = ("read", "search-type")
EVERYTHING = {
    "name": "everything",
    "definition": "http://hl7.org/fhir/OperationDefinition/Patient-everything",
}
SECURITY = (
    "Read-only. Send a personal key as the header Authorization: Bearer <key> (made on the account page), "
    "or use a signed-in browser session. A patient reads their own record; clinic staff read their "
    "clinic's patients, and every such read is written to the clinic's audit log. A record that is not "
    "there and one the caller may not read both answer 404."
)


def resource_entry(resource_type: str, definitional: bool) -> dict[str, Any]:
    entry: dict[str, Any] = {
        "type": resource_type,
        "interaction": [{"code": code} for code in INTERACTIONS],
        "versioning": "no-version",
        "readHistory": False,
        "updateCreate": False,
        "searchParam": [
            {"name": name, "type": kind} for name, kind in search_parameters(resource_type, definitional)
        ],
    }
    if resource_type == "Patient":
        entry["operation"] = [EVERYTHING]
    return entry


def capability_statement(base: str, definitional_types: frozenset[str]) -> dict[str, Any]:
    """The statement for the server at ``base`` (e.g. ``https://example.org/fhir/R4``)."""
    return {
        "resourceType": "CapabilityStatement",
        "id": "sciatrack",
        "name": "SciatrackFhirApi",
        "title": "Sciatrack FHIR R4 API",
        "status": "active",
        "date": timezone.now().date().isoformat(),
        "publisher": "Sciatrack",
        "kind": "instance",
        "software": {"name": "Sciatrack", "version": software_version()},
        "implementation": {"description": "Sciatrack, read-only FHIR R4 API", "url": base},
        "fhirVersion": FHIR_VERSION,
        "format": ["json"],
        "rest": [
            {
                "mode": "server",
                "security": {"cors": False, "description": SECURITY},
                "resource": [
                    resource_entry(resource_type, resource_type in definitional_types)
                    for resource_type in SERVED_TYPES
                ],
            }
        ],
    }
