"""The shared definitions every export refers to, the same for every person: the Questionnaires (SBI,
PSFS, PEG and the triage check), an ActivityDefinition per exercise of the library, and the Sciatrack
Device. Their words come from the content files."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from sciatrack.content.dosage_text import describe_dosage
from sciatrack.content.loader import load_exercises
from sciatrack.content.version import content_version

from .codes import ACTIVITY_DEFINITION_BASE, EXERCISE_THERAPY, EXERCISE_THERAPY_DISPLAY, SNOMED, concept
from .provenance import device
from .questionnaires import MEASURES, questionnaire_definition
from .triage import triage_questionnaire

if TYPE_CHECKING:
    from sciatrack.content.schema import Exercise


def activity_definition_url(exercise_id: str) -> str:
    """The canonical URL of an exercise's ActivityDefinition."""
    return f"{ACTIVITY_DEFINITION_BASE}/{exercise_id}"


def _computable_name(exercise_id: str) -> str:
    # FHIR's name is a computer-friendly one: letters and digits, starting with a capital (inv. adf-0).
    return "".join(part.capitalize() for part in exercise_id.replace("_", "-").split("-") if part)


def activity_definition(exercise: Exercise) -> dict[str, Any]:
    """One exercise of the library: what it is, how to do it, and its starting dose in words."""
    steps = "\n".join(f"{number}. {step}" for number, step in enumerate(exercise.steps, start=1))
    return {
        "resourceType": "ActivityDefinition",
        "id": exercise.id,
        "url": activity_definition_url(exercise.id),
        "identifier": [{"system": "urn:ietf:rfc:3986", "value": f"urn:uuid:{exercise.uuid}"}],
        "version": content_version(),
        "name": _computable_name(exercise.id),
        "title": exercise.name,
        "status": "active",
        "description": f"{exercise.summary}\n\n{exercise.start_position}\n\n{steps}",
        "purpose": exercise.purpose,
        "usage": f"Starting dose: {describe_dosage(exercise.dosage)}.",
        "kind": "ServiceRequest",
        "code": concept(SNOMED, EXERCISE_THERAPY, EXERCISE_THERAPY_DISPLAY, exercise.name),
    }


def definitions() -> list[dict[str, Any]]:
    """Questionnaires first, then the exercises in id order, then the Device."""
    library = load_exercises()
    return [
        *(questionnaire_definition(questionnaire_id) for questionnaire_id in MEASURES),
        triage_questionnaire(),
        *(activity_definition(library[exercise_id]) for exercise_id in sorted(library)),
        device(),
    ]
