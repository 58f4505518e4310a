"""The baseline questionnaires of a check (SBI, PEG, PSFS): their Questionnaire definitions built from the
content files, each answered set as a QuestionnaireResponse, and the scores as Observations.

The words of every question come from ``src/sciatrack/content/questionnaires/*.yaml`` (read through
:func:`~sciatrack.content.rules_loader.get_questionnaire`), never from here.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from sciatrack.content.rules_loader import get_questionnaire
from sciatrack.content.version import content_version

from .codes import (
    CATEGORY_SURVEY,
    LOINC,
    PEG_MEAN,
    PEG_MEAN_DISPLAY,
    PEG_PANEL,
    PEG_PANEL_DISPLAY,
    QUESTIONNAIRE_BASE,
    UCUM,
    UCUM_SCORE,
    concept,
)
from .ids import derived_id, instant, patient_ref, ref_of
from .observations import category, sciatrack_concept
from .text import fhir_string

if TYPE_CHECKING:
    from sciatrack.care.models import Intake
    from sciatrack.content.rules_schema import Questionnaire as QuestionnaireWords

# The questionnaires exported, in the order a check asks them.
MEASURES = ("sbi", "peg", "psfs")
# Core extensions for the 0-10 (or 0-6) range of an answer (https://hl7.org/fhir/R4/extensibility-registry.html).
MIN_VALUE = "http://hl7.org/fhir/StructureDefinition/minValue"
MAX_VALUE = "http://hl7.org/fhir/StructureDefinition/maxValue"
MAX_OCCURS = "http://hl7.org/fhir/StructureDefinition/questionnaire-maxOccurs"
# Linkids of a PSFS activity (a repeating group: the activity the person named and its 0-10 rating).
PSFS_GROUP, PSFS_NAME, PSFS_SCORE = "activity", "activity-name", "activity-score"
# Sciatrack's own codes for scores that have no published code.
SCORE_CODES = {"sbi": "sbi-total", "psfs": "psfs-mean"}


def canonical(questionnaire_id: str) -> str:
    return f"{QUESTIONNAIRE_BASE}/{questionnaire_id}"


def _range(low: int, high: int) -> list[dict[str, Any]]:
    return [{"url": MIN_VALUE, "valueInteger": low}, {"url": MAX_VALUE, "valueInteger": high}]


def _items(words: QuestionnaireWords) -> list[dict[str, Any]]:
    if words.named_items is not None:
        named = words.named_items
        return [
            {
                "linkId": PSFS_GROUP,
                "text": named.prompt,
                "type": "group",
                "repeats": True,
                "required": True,
                "extension": [{"url": MAX_OCCURS, "valueInteger": named.max_count}],
                "item": [
                    {"linkId": PSFS_NAME, "text": named.prompt, "type": "string", "required": True},
                    {
                        "linkId": PSFS_SCORE,
                        "text": f"{named.min} = {named.low_label}; {named.max} = {named.high_label}",
                        "type": "integer",
                        "required": True,
                        "extension": _range(named.min, named.max),
                    },
                ],
            }
        ]
    return [
        {
            "linkId": item.id,
            "text": item.text,
            "type": "integer",
            "required": True,
            "extension": _range(item.min, item.max),
        }
        for item in words.items
    ]


def questionnaire_definition(questionnaire_id: str) -> dict[str, Any]:
    """The Questionnaire of one of :data:`MEASURES`, its words from the content file."""
    words = get_questionnaire(questionnaire_id)
    resource: dict[str, Any] = {
        "resourceType": "Questionnaire",
        "id": questionnaire_id,
        "url": canonical(questionnaire_id),
        "version": content_version(),
        "name": words.short_name.replace("-", "").upper() or "Q",
        "title": words.name,
        "status": "active",
        "subjectType": ["Patient"],
        "description": words.intro,
        "item": _items(words),
    }
    if questionnaire_id == "peg":
        resource["code"] = [{"system": LOINC, "code": PEG_PANEL, "display": PEG_PANEL_DISPLAY}]
    return resource


def _psfs_name(activity: Any) -> dict[str, Any]:
    """The activity the person named, as they typed it (a FHIR string: see :mod:`.text`)."""
    item: dict[str, Any] = {"linkId": PSFS_NAME}
    name = fhir_string(str(activity))
    if name is not None:
        item["answer"] = [{"valueString": name}]
    return item


def _answers(questionnaire_id: str, responses: Any) -> list[dict[str, Any]]:
    words = get_questionnaire(questionnaire_id)
    if words.named_items is not None:
        return [
            {
                "linkId": PSFS_GROUP,
                "item": [
                    _psfs_name(entry["activity"]),
                    {"linkId": PSFS_SCORE, "answer": [{"valueInteger": int(entry["score"])}]},
                ],
            }
            for entry in responses or []
        ]
    return [
        {"linkId": item.id, "text": item.text, "answer": [{"valueInteger": int(responses[item.id])}]}
        for item in words.items
        if isinstance(responses, dict) and responses.get(item.id) is not None
    ]


def _score_quantity(score: float) -> dict[str, Any]:
    return {"value": round(float(score), 2), "unit": "score", "system": UCUM, "code": UCUM_SCORE}


def _observation(
    observation_id: str, patient_uuid: str, code: dict[str, Any], when: str, response: dict[str, Any]
) -> dict[str, Any]:
    subject = patient_ref(patient_uuid)
    return {
        "resourceType": "Observation",
        "id": observation_id,
        "status": "final",
        "category": category(CATEGORY_SURVEY),
        "code": code,
        "subject": subject,
        "effectiveDateTime": when,
        "performer": [subject],
        "derivedFrom": [ref_of(response)],
    }


def _peg_observations(
    intake: Intake, patient_uuid: str, measure: dict[str, Any], when: str, response: dict[str, Any]
) -> list[dict[str, Any]]:
    """The PEG panel (LOINC 91148-7) whose members are the three items and the mean (LOINC 91147-9)."""
    words = get_questionnaire("peg")
    responses = measure.get("responses") or {}
    members: list[dict[str, Any]] = []
    for item in words.items:
        if responses.get(item.id) is None:
            continue
        found = _observation(
            derived_id("intake", intake.uuid, "peg", item.id),
            patient_uuid,
            sciatrack_concept(f"peg-{item.id}", item.text),
            when,
            response,
        )
        found["valueInteger"] = int(responses[item.id])
        members.append(found)
    if measure.get("score") is not None:
        mean = _observation(
            derived_id("intake", intake.uuid, "peg", "mean"),
            patient_uuid,
            concept(LOINC, PEG_MEAN, PEG_MEAN_DISPLAY),
            when,
            response,
        )
        mean["valueQuantity"] = _score_quantity(measure["score"])
        members.append(mean)
    panel = _observation(
        derived_id("intake", intake.uuid, "peg", "panel"),
        patient_uuid,
        concept(LOINC, PEG_PANEL, PEG_PANEL_DISPLAY),
        when,
        response,
    )
    panel["hasMember"] = [ref_of(member) for member in members]
    return [panel, *members]


def measure_resources(intake: Intake, patient_uuid: str) -> list[dict[str, Any]]:
    """For each of SBI, PEG and PSFS the check kept: its QuestionnaireResponse, then its Observations."""
    when = instant(intake.created)
    found: list[dict[str, Any]] = []
    for questionnaire_id in MEASURES:
        measure = (intake.measures or {}).get(questionnaire_id)
        if not isinstance(measure, dict):
            continue
        response = {
            "resourceType": "QuestionnaireResponse",
            "id": derived_id("intake", intake.uuid, "response", questionnaire_id),
            "questionnaire": canonical(questionnaire_id),
            "status": "completed",
            "subject": patient_ref(patient_uuid),
            "authored": when,
            "author": patient_ref(patient_uuid),
            "source": patient_ref(patient_uuid),
            "item": _answers(questionnaire_id, measure.get("responses")),
        }
        found.append(response)
        if questionnaire_id == "peg":
            found += _peg_observations(intake, patient_uuid, measure, when, response)
        elif measure.get("score") is not None:
            words = get_questionnaire(questionnaire_id)
            score = _observation(
                derived_id("intake", intake.uuid, questionnaire_id, "score"),
                patient_uuid,
                sciatrack_concept(SCORE_CODES[questionnaire_id], f"{words.name}, {words.scoring} score"),
                when,
                response,
            )
            score["valueQuantity"] = _score_quantity(measure["score"])
            found.append(score)
    return found
