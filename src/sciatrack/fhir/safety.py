"""What was said about a check after it: danger signs reported since (a safety update) and clearances.

A safety update is the person's "yes" to danger signs asked again after a check, and the advice of the
whole tier table run again on the check's answers with those signs (``SafetyUpdate.result``). It is
exported as the check is: a QuestionnaireResponse of the signs answered yes (against the check's own
Questionnaire, ``triage-check``), a Flag with the advice (made by :func:`.triage.advice_flag`, as a
check's is: its status, code and words follow the check's rule exactly) and a Provenance naming the
Sciatrack Device, whose ``entity`` names the check's answers and the signs the advice was made from.

The newest advice is what the pages act on (``Intake.advice``: the newest check's newest safety update,
else the check's own result), so only that one Flag may be active: the check's Flag turns inactive once
a safety update follows it, and an update's Flag once a later update or a later check does
(:func:`intake_resources_with_safety`).

A :class:`~sciatrack.care.models.Clearance` (a clinician, or the person after a doctor checked them,
let a held check start the exercise program) is a Provenance: the clearer, as ``verifier`` (a
clinician) or ``informant`` (the person reporting what their doctor said), vouched for the exercise
program on the day they saw the person. It edits no Flag: the advice stays as given, and a clearance
covers only the exercise, never the danger signs. A ``ResumeClearance`` needs nothing here: it is kept
in the program's change history, which :mod:`.plan` exports as the clinician's Provenance.
"""

from __future__ import annotations

from html import escape
from typing import TYPE_CHECKING, Any

from sciatrack.care.models import Intake, SafetyUpdate
from sciatrack.content.red_flag_questions import red_flag_groups
from sciatrack.domain.safety_update import danger_signs

from .checks import intake_resources
from .codes import PRACTITIONER_IDENTIFIER_SYSTEM, PROVENANCE_PARTICIPANT_TYPE, concept
from .ids import derived_id, instant, patient_ref, ref_of, reference
from .observations import sciatrack_concept
from .provenance import rules_provenance
from .questionnaires import canonical
from .text import fhir_string
from .triage import TRIAGE_QUESTIONNAIRE, advice_flag, check_flag_id, check_response_id

if TYPE_CHECKING:
    from sciatrack.care.models import Clearance

__all__ = [
    "FLAG_DETAIL",
    "clearance_resources",
    "intake_resources_with_safety",
    "safety_update_resources",
]

# FHIR R4 core extension on Flag, 0..*, valueReference: "Points to the Observation, AllergyIntolerance or
# other record that provides additional supporting information about this flag"
# (https://hl7.org/fhir/R4/extension-flag-detail.html). Belongs in codes.py (see docs/fhir.md).
FLAG_DETAIL = "http://hl7.org/fhir/StructureDefinition/flag-detail"
# A safety update row keeps no content version of its own (its rules ran after the check's); the policy
# says so rather than borrowing the check's version, which may name other rules.
UNRECORDED_CONTENT_VERSION = "unrecorded"
CLEARANCE_CODE = "exercise-clearance"
CLEARER = "clearer"  # the id of the contained Practitioner who cleared
CLEARANCE_WORDS = "Cleared for the exercise program"


def update_flag_id(update: SafetyUpdate) -> str:
    return derived_id("safety-update", update.uuid, "flag")


def update_response(update: SafetyUpdate, patient_uuid: str) -> dict[str, Any]:
    """The danger signs answered yes, as answers ``true`` to the check's own questions.

    Only the yes answers are stored (which questions were asked depends on where they were asked and on
    the content of that day), so the response holds those alone: a question without an answer here was
    not answered yes, nothing more is claimed.
    """
    signs = set(update.signs)
    items: list[dict[str, Any]] = []
    for group in red_flag_groups():
        answered = [
            {"linkId": question.key, "answer": [{"valueBoolean": True}]}
            for question in group.questions
            if question.key in signs
        ]
        if answered:
            items.append({"linkId": group.slug, "item": answered})
    response: dict[str, Any] = {
        "resourceType": "QuestionnaireResponse",
        "id": derived_id("safety-update", update.uuid, "response", TRIAGE_QUESTIONNAIRE),
        "questionnaire": canonical(TRIAGE_QUESTIONNAIRE),
        "status": "completed",
        "subject": patient_ref(patient_uuid),
        "authored": instant(update.created),
        "author": patient_ref(patient_uuid),
        "source": patient_ref(patient_uuid),
    }
    if items:  # a top-up answered no throughout has none; FHIR JSON allows no empty array
        response["item"] = items
    return response


def _sign_words(sign: str) -> str:
    """A sign as the person was asked it: the danger sign's label, else the check's question."""
    labels = {danger.flag: danger.label for danger in danger_signs()}
    questions = {
        question.key: question.question for group in red_flag_groups() for question in group.questions
    }
    return labels.get(sign) or questions.get(sign) or sign  # an unknown key is still said, never dropped


def _reports_html(update: SafetyUpdate) -> str:
    """For the Flag's narrative: which signs were reported, where, and the check they add to."""
    source = dict(SafetyUpdate.Source.choices).get(update.source, update.source)
    signs = "".join(f"<li>{escape(_sign_words(sign))}</li>" for sign in update.signs)
    answers = f"QuestionnaireResponse/{check_response_id(update.intake.uuid)}"
    check = f"the check of {escape(instant(update.intake.created))} ({answers})"
    if signs:
        return f"<p>Answered yes since {check}, {escape(source.lower())}:</p><ul>{signs}</ul>"
    return f"<p>No sign answered yes since {check}, {escape(source.lower())}.</p>"


# Where :func:`sciatrack.fhir.rows.with_reports` puts a check's reports and clearances, as plain lists.
UPDATES = "fhir_safety_updates"
CLEARANCES = "fhir_clearances"


def reports_of(check: Intake) -> list[SafetyUpdate]:
    """The check's danger-sign reports, oldest first (as loaded by ``with_reports``, else as prefetched)."""
    found = getattr(check, UPDATES, None)
    if found is None:
        found = sorted(check.safety_updates.all(), key=lambda update: (update.created, update.pk))
    return list(found)


def clearances_of(check: Intake) -> list[Clearance]:
    found = getattr(check, CLEARANCES, None)
    return list(found) if found is not None else list(check.clearances.all())


def safety_update_resources(update: SafetyUpdate, patient_uuid: str, *, newest: bool) -> list[dict[str, Any]]:
    """A safety update: the signs answered yes (QuestionnaireResponse), the advice of the rules run again
    (Flag, active when ``newest`` — no later update or check of the patient — and an alert tier) and the
    Provenance of that advice.

    Reads the row and ``update.intake`` (prefetch ``safety_updates`` from the check, which sets it, or
    ``select_related("intake")``).
    """
    response = update_response(update, patient_uuid)
    flag = advice_flag(
        update_flag_id(update),
        update.result,
        update.tier,
        update.created,
        patient_uuid,
        newest=newest,
        more_html=_reports_html(update),
    )
    flag["extension"] = [{"url": FLAG_DETAIL, "valueReference": ref_of(response)}]
    provenance = rules_provenance(
        derived_id("safety-update", update.uuid, "provenance"),
        [flag],
        update.created,
        UNRECORDED_CONTENT_VERSION,
    )
    provenance["entity"] = [
        {"role": "source", "what": reference("QuestionnaireResponse", check_response_id(update.intake.uuid))},
        {"role": "source", "what": ref_of(response)},
    ]
    return [response, flag, provenance]


def _clearer(clearance: Clearance, patient_uuid: str) -> tuple[dict[str, Any], list[dict[str, Any]]]:
    """Who cleared (the Provenance's agent) and what it contains: the person, or the clinician as a
    contained Practitioner known only by their clinician uuid (never their name, whatever the clinic's
    setting: this row reads no clinic). Contained, not shared: a shared Practitioner of that uuid may
    carry the name (a program change's), and two versions of one resource must not meet in an export."""
    if clearance.by == clearance.By.PERSON:
        informant = concept(PROVENANCE_PARTICIPANT_TYPE, "informant", "Informant")
        return {"type": informant, "who": patient_ref(patient_uuid)}, []
    clinician: dict[str, Any] = {"resourceType": "Practitioner", "id": CLEARER}
    if clearance.by_clinician is not None:  # None once that clinician's record went
        uuid = str(clearance.by_clinician.uuid)
        clinician["identifier"] = [{"system": PRACTITIONER_IDENTIFIER_SYSTEM, "value": uuid}]
    verifier = concept(PROVENANCE_PARTICIPANT_TYPE, "verifier", "Verifier")
    who = {"reference": f"#{CLEARER}", "display": clearance.By.CLINICIAN.label}
    return {"type": verifier, "who": who}, [clinician]


def clearance_resources(clearance: Clearance, patient_uuid: str) -> list[dict[str, Any]]:
    """A clearance as a Provenance: who vouched for the exercise program, the day they saw the person
    (``occurredDateTime``), their note as the reason, and the advice it was given for as targets: the
    check's Flag and the Flag of each earlier safety update of the check that it covers.

    Reads the row, ``clearance.by_clinician`` and ``clearance.intake`` with its ``safety_updates``
    (prefetch ``clearances__by_clinician`` and ``safety_updates`` from the check).
    """
    check = clearance.intake
    covered = [
        update
        for update in reports_of(check)
        if update.created < clearance.created and clearance.covers(update.where, update.result)
    ]
    targets = [
        reference("Flag", check_flag_id(check.uuid)),
        *(reference("Flag", update_flag_id(update)) for update in covered),
    ]
    agent, contained = _clearer(clearance, patient_uuid)
    provenance: dict[str, Any] = {
        "resourceType": "Provenance",
        "id": derived_id("clearance", clearance.uuid, "provenance"),
        "target": targets,
        "occurredDateTime": clearance.seen_on.isoformat(),
        "recorded": instant(clearance.created),
        "activity": sciatrack_concept(CLEARANCE_CODE, CLEARANCE_WORDS),
        "agent": [agent],
    }
    if contained:
        provenance["contained"] = contained
    note = fhir_string(clearance.note)
    if note is not None:
        provenance["reason"] = [{"text": note}]
    return [provenance]


def intake_resources_with_safety(intake: Intake, patient_uuid: str, *, newest: bool) -> list[dict[str, Any]]:
    """A check with what was said after it: its own resources, then each safety update (oldest first)
    and its clearance. ``newest``: no later check of the patient. Only the newest advice is active: the
    check's own Flag when it has no safety update, else its newest update's.

    Reads the row and its prefetched ``safety_updates`` and ``clearances__by_clinician``.
    """
    updates = reports_of(intake)
    resources = intake_resources(intake, patient_uuid, newest=newest and not updates)
    for update in updates:
        resources += safety_update_resources(update, patient_uuid, newest=newest and update is updates[-1])
    for clearance in clearances_of(intake):
        resources += clearance_resources(clearance, patient_uuid)
    return resources
