"""A stored check under the current rules: its tier, place and result, beside the original.

A stored check is never edited. When the clinical contract changes, the same answers are triaged again
with the current rules; the columns that the pages act on (``current_tier``, ``where``) follow the newer
result, and ``advice_raised`` says when it is more pressing than what the person was first told, so
they see the new advice on their next visit and their clinician's dashboard lists them first.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from sciatrack.domain.intake import IntakeError, parse_intake
from sciatrack.domain.triage import result_to_json, triage
from sciatrack.domain.vocabulary import PLACES, SCHEMA, Tier, Where

# Version-1 results had no place; each tier then meant one place (contract version 1, section 2).
VERSION_1_PLACES: dict[str, Where] = {
    Tier.EMERGENCY: Where.EMERGENCY_DEPARTMENT_NOW,
    Tier.URGENT: Where.DOCTOR_TODAY,
    Tier.SOON: Where.DOCTOR_WITHIN_DAYS,
    Tier.ROUTINE: Where.CLINICIAN_REVIEW,
    Tier.SELF_CARE: Where.HOME_PROGRAM,
}


def place_of(result: Mapping[str, Any]) -> Where | None:
    """Where a stored result sent the person: its own ``where``, or the place its version-1 tier meant."""
    where = result.get("where")
    if isinstance(where, str) and where in PLACES:
        return Where(where)
    tier = result.get("tier")
    return VERSION_1_PLACES.get(tier) if isinstance(tier, str) else None


def current_fields(answers: Any, result: Mapping[str, Any], emergency_number: str) -> dict[str, Any]:
    """The current-result columns of a stored check with these ``answers`` and original ``result``.

    A check made with the current schema is current as it is. An older one is triaged again; if its
    answers no longer parse (they always did when stored), the original stands, as the safe choice is
    never to invent answers.
    """
    # A result that names no known tier (never stored by the app) is read as needing a doctor today:
    # the safe reading, and one that stops the exercises until a clinician or a new check says otherwise.
    original = place_of(result) or Where.DOCTOR_TODAY
    current = {
        "current_result": None,
        "current_tier": original.tier.value,
        "where": original.value,
        "advice_raised": False,
    }
    if isinstance(answers, dict) and answers.get("schema") == SCHEMA:
        return current
    try:
        parsed = parse_intake(answers)
    except IntakeError:
        return current
    newer = triage(parsed, emergency_number=emergency_number)
    return {
        "current_result": result_to_json(newer),
        "current_tier": newer.tier.value,
        "where": newer.where.value,
        "advice_raised": newer.where.pressure > original.pressure,
    }
