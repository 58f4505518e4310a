"""A completed safety check (an :class:`~sciatrack.care.models.Intake`) as FHIR resources."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from .ids import derived_id, instant
from .observations import PainSite, pain_observation
from .provenance import rules_provenance
from .questionnaires import measure_resources
from .triage import triage_flag, triage_response

if TYPE_CHECKING:
    from sciatrack.care.models import Intake

# The answers' keys of the two ratings, and the site each rates.
PAIN_ANSWERS = (("leg_now", PainSite.LEG), ("back_now", PainSite.LOW_BACK))


def pain_resources(intake: Intake, patient_uuid: str, response: dict[str, Any]) -> list[dict[str, Any]]:
    """The check's leg and back pain ratings (answers ``pain.leg_now`` and ``pain.back_now``), each
    derived from the check's answers (``response``)."""
    pain = intake.answers.get("pain") or {}
    return [
        pain_observation(
            derived_id("intake", intake.uuid, "pain", key),
            patient_uuid,
            site,
            int(pain[key]),
            instant(intake.created),
            derived_from=[{"reference": f"QuestionnaireResponse/{response['id']}"}],
        )
        for key, site in PAIN_ANSWERS
        if pain.get(key) is not None
    ]


def intake_resources(intake: Intake, patient_uuid: str, *, newest: bool) -> list[dict[str, Any]]:
    """Every resource of one check (see :func:`sciatrack.fhir.rows.intake_resources`): what the person
    answered, then what the rules made of it and the Provenance of that."""
    response = triage_response(intake, patient_uuid)
    flag = triage_flag(intake, patient_uuid, newest=newest)
    measures = measure_resources(intake, patient_uuid)
    # The rules made the advice and the scores; the answers and item ratings are the person's own.
    scores = [item for item in measures if "valueQuantity" in item or "hasMember" in item]
    made_by_rules = [flag, *scores]
    provenance = rules_provenance(
        derived_id("intake", intake.uuid, "provenance"), made_by_rules, intake.created, intake.content_version
    )
    return [
        *pain_resources(intake, patient_uuid, response),
        response,
        *measures,
        flag,
        provenance,
    ]
