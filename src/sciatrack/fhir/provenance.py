"""Who made what: the Sciatrack Device for what the rules made, a Practitioner for a clinician's change."""

from __future__ import annotations

from functools import cache
from importlib.metadata import PackageNotFoundError, version
from typing import TYPE_CHECKING, Any

from sciatrack.content.version import content_version

from .codes import PRACTITIONER_IDENTIFIER_SYSTEM, PROVENANCE_PARTICIPANT_TYPE, V3_DATA_OPERATION, concept
from .ids import derived_id, instant, ref_of, reference
from .text import fhir_string

if TYPE_CHECKING:
    from datetime import datetime

    from sciatrack.care.models import ProgramChange

DEVICE_ID = "sciatrack"


@cache
def software_version() -> str:
    try:
        return version("sciatrack")
    except PackageNotFoundError:  # run from a source tree that was never installed
        return "unknown"


def device() -> dict[str, Any]:
    """Sciatrack itself, with the software's version and the clinical content's fingerprint."""
    return {
        "resourceType": "Device",
        "id": DEVICE_ID,
        "status": "active",
        "manufacturer": "Sciatrack",
        "deviceName": [{"name": "Sciatrack", "type": "manufacturer-name"}],
        "version": [
            {"type": {"text": "software"}, "value": software_version()},
            {"type": {"text": "content"}, "value": content_version()},
        ],
    }


@cache
def _activity(code: str, display: str) -> dict[str, Any]:
    return concept(V3_DATA_OPERATION, code, display)


@cache
def _agent_type(code: str, display: str) -> dict[str, Any]:
    # Shared by every Provenance of that agent type: made once, never changed.
    return concept(PROVENANCE_PARTICIPANT_TYPE, code, display)


def rules_provenance(
    provenance_id: str, targets: list[dict[str, Any]], recorded: datetime, record_content_version: str
) -> dict[str, Any]:
    """The rules (the Sciatrack Device) made ``targets``, with the content version stored with the row."""
    return {
        "resourceType": "Provenance",
        "id": provenance_id,
        "target": [ref_of(target) for target in targets],
        "recorded": instant(recorded),
        "activity": _activity("CREATE", "create"),
        "policy": [f"urn:sciatrack:content-version:{record_content_version}"],
        "agent": [
            {
                "type": _agent_type("assembler", "Assembler"),
                "who": reference("Device", DEVICE_ID, f"Sciatrack (content {record_content_version})"),
            }
        ],
    }


def practitioner_id(change: ProgramChange) -> str:
    """A clinician's stable pseudonym: from their clinician uuid, else from their account, else the change."""
    user = change.changed_by
    clinician = getattr(user, "clinician", None) if user is not None else None
    if clinician is not None:
        return str(clinician.uuid)
    if user is not None:
        return derived_id("user", user.pk)
    return derived_id("program-change", change.program_id, change.pk, "author")


def practitioner(change: ProgramChange, *, names: bool) -> dict[str, Any]:
    """The clinician who made ``change``; their name (the change's ``author_name``) only when allowed."""
    found_id = practitioner_id(change)
    resource: dict[str, Any] = {
        "resourceType": "Practitioner",
        "id": found_id,
        "identifier": [{"system": PRACTITIONER_IDENTIFIER_SYSTEM, "value": found_id}],
    }
    name = fhir_string(change.author_name) if names else None
    if name is not None:
        resource["name"] = [{"text": name}]
    return resource


def change_provenance(
    provenance_id: str, targets: list[dict[str, Any]], change: ProgramChange, who: dict[str, Any]
) -> dict[str, Any]:
    """A clinician (``who``, a Practitioner) changed the program: its summary says what."""
    resource: dict[str, Any] = {
        "resourceType": "Provenance",
        "id": provenance_id,
        "target": [ref_of(target) for target in targets],
        "recorded": instant(change.created),
        "activity": _activity("UPDATE", "revise"),
        "agent": [{"type": _agent_type("author", "Author"), "who": ref_of(who)}],
    }
    summary = fhir_string(change.summary)
    if summary is not None:
        resource["reason"] = [{"text": summary}]
    return resource
