"""The safety check's triage: its questions as a Questionnaire, a check's answers as a
QuestionnaireResponse, and the advice as a Flag.

Every word comes from the content (``red_flag_questions.yaml`` for the questions, ``nprs.yaml`` for the two
pain ratings) or from the stored result (the advice and reasons the person was given), never from here.
"""

from __future__ import annotations

from datetime import datetime
from html import escape
from typing import TYPE_CHECKING, Any

from sciatrack.content.red_flag_questions import load_red_flag_words, red_flag_groups
from sciatrack.content.rules_loader import get_questionnaire
from sciatrack.content.version import content_version
from sciatrack.domain.vocabulary import TIERS, Tier

from .codes import FLAG_CATEGORY, concept
from .ids import derived_id, instant, patient_ref
from .observations import sciatrack_concept
from .questionnaires import MAX_VALUE, MIN_VALUE, canonical

if TYPE_CHECKING:
    from sciatrack.care.models import Intake

TRIAGE_QUESTIONNAIRE = "triage-check"
PAIN_GROUP = "pain"
PAIN_QUESTIONNAIRE = "nprs"


def triage_questionnaire() -> dict[str, Any]:
    """The check's pain ratings and red-flag questions, grouped as they are asked."""
    pain = get_questionnaire(PAIN_QUESTIONNAIRE)
    not_sure = load_red_flag_words().not_sure
    items: list[dict[str, Any]] = [
        {
            "linkId": PAIN_GROUP,
            "text": pain.heading,
            "type": "group",
            "item": [
                {
                    "linkId": item.id,
                    "text": item.text,
                    "type": "integer",
                    "extension": [
                        {"url": MIN_VALUE, "valueInteger": item.min},
                        {"url": MAX_VALUE, "valueInteger": item.max},
                    ],
                }
                for item in pain.items
            ],
        }
    ]
    for group in red_flag_groups():
        questions = []
        for question in group.questions:
            entry: dict[str, Any] = {"linkId": question.key, "text": question.question, "type": "boolean"}
            help_text = " ".join(part for part in (question.explain, not_sure) if part)
            entry["item"] = [{"linkId": f"{question.key}-help", "text": help_text, "type": "display"}]
            questions.append(entry)
        items.append({"linkId": group.slug, "text": group.title, "type": "group", "item": questions})
    return {
        "resourceType": "Questionnaire",
        "id": TRIAGE_QUESTIONNAIRE,
        "url": canonical(TRIAGE_QUESTIONNAIRE),
        "version": content_version(),
        "name": "SciatrackSafetyCheck",
        "title": "Sciatrack safety check",
        "status": "active",
        "subjectType": ["Patient"],
        "item": items,
    }


def triage_response(intake: Intake, patient_uuid: str) -> dict[str, Any]:
    """The check's pain ratings and red-flag answers; a question the check did not ask has no answer."""
    pain = intake.answers.get("pain") or {}
    flags = intake.answers.get("red_flags") or {}
    pain_items = [
        {"linkId": item.id, "answer": [{"valueInteger": int(pain[item.id])}]}
        for item in get_questionnaire(PAIN_QUESTIONNAIRE).items
        if pain.get(item.id) is not None
    ]
    items: list[dict[str, Any]] = []
    if pain_items:
        items.append({"linkId": PAIN_GROUP, "item": pain_items})
    for group in red_flag_groups():
        answered = [
            {"linkId": question.key, "answer": [{"valueBoolean": flags[question.key]}]}
            for question in group.questions
            if isinstance(flags.get(question.key), bool)
        ]
        if answered:
            items.append({"linkId": group.slug, "item": answered})
    return {
        "resourceType": "QuestionnaireResponse",
        "id": check_response_id(intake.uuid),
        "questionnaire": canonical(TRIAGE_QUESTIONNAIRE),
        "status": "completed",
        "subject": patient_ref(patient_uuid),
        "authored": instant(intake.created),
        "author": patient_ref(patient_uuid),
        "source": patient_ref(patient_uuid),
        "item": items,
    }


def check_response_id(intake_uuid: object) -> str:
    """The id of a check's answers (its QuestionnaireResponse to the triage Questionnaire)."""
    return derived_id("intake", intake_uuid, "response", TRIAGE_QUESTIONNAIRE)


def check_flag_id(intake_uuid: object) -> str:
    """The id of the Flag of a check's own advice."""
    return derived_id("intake", intake_uuid, "flag")


def _narrative(headline: str, tier: str, reasons: list[str], more_html: str) -> dict[str, Any]:
    """The advice and its reasons as a readable narrative (a Flag has no element for the reasons)."""
    listed = "".join(f"<li>{escape(reason)}</li>" for reason in reasons)
    body = f"<p>{escape(headline)} (triage: {escape(tier)})</p>"
    if listed:
        body += f"<p>Because:</p><ul>{listed}</ul>"
    body += more_html
    return {"status": "generated", "div": f'<div xmlns="http://www.w3.org/1999/xhtml">{body}</div>'}


def advice_flag(
    flag_id: str,
    result: dict[str, Any],
    tier_name: str,
    start: datetime,
    patient_uuid: str,
    *,
    newest: bool,
    more_html: str = "",
) -> dict[str, Any]:
    """The Flag of an advice (``result_to_json`` of the rules, with its tier): active while it is the
    patient's newest advice and an alert. ``more_html``: escaped XHTML added to the narrative. A check's
    advice and a safety update's are both said this way."""
    tier = Tier(tier_name) if tier_name in TIERS else None
    tier_word = tier.word if tier is not None else tier_name
    headline = str((result.get("advice") or {}).get("headline") or tier_word)
    reasons = [str(reason.get("text", "")) for reason in result.get("reasons") or [] if reason.get("text")]
    active = newest and (tier is None or tier.is_alert)  # a tier no rule names is read as the safe side
    return {
        "resourceType": "Flag",
        "id": flag_id,
        "text": _narrative(headline, tier_word, reasons, more_html),
        "status": "active" if active else "inactive",
        "category": [concept(FLAG_CATEGORY, "clinical", "Clinical")],
        "code": sciatrack_concept(f"triage-{tier_name}", f"{headline} (triage: {tier_word})"),
        "subject": patient_ref(patient_uuid),
        "period": {"start": instant(start)},
    }


def triage_flag(intake: Intake, patient_uuid: str, *, newest: bool) -> dict[str, Any]:
    """The advice of the check's current result; active while it is the newest check and an alert."""
    return advice_flag(
        check_flag_id(intake.uuid),
        intake.triage_result,
        intake.current_tier,
        intake.created,
        patient_uuid,
        newest=newest,
    )
