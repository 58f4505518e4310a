"""Pain ratings and guided sessions as Observations.

Every 0-10 pain rating (a check's leg and back pain, a diary day's, a session's pain before and after) is
one Observation coded LOINC 72514-3 with the body site it rates: ratings of different places are never
folded into one resource, so a reader can chart the leg and the back apart.
"""

from __future__ import annotations

from enum import Enum
from functools import cache
from typing import Any

from .codes import (
    CATEGORY_ACTIVITY,
    CATEGORY_SURVEY,
    EXERCISE_DURATION,
    EXERCISE_DURATION_DISPLAY,
    LEG_SITE,
    LEG_SITE_DISPLAY,
    LOINC,
    LOW_BACK_SITE,
    LOW_BACK_SITE_DISPLAY,
    OBSERVATION_CATEGORY,
    PAIN_SEVERITY_0_10,
    PAIN_SEVERITY_0_10_DISPLAY,
    SCIATRACK_CODES,
    SNOMED,
    UCUM,
    UCUM_MINUTE,
    coding,
    concept,
)
from .ids import patient_ref


class PainSite(Enum):
    """Where a rating is of: the SNOMED CT body structure and the words a person would use."""

    LEG = (LEG_SITE, LEG_SITE_DISPLAY, "Leg")
    LOW_BACK = (LOW_BACK_SITE, LOW_BACK_SITE_DISPLAY, "Low back")

    @property
    def body_site(self) -> dict[str, Any]:
        return _BODY_SITES[self]


_BODY_SITES = {site: concept(SNOMED, site.value[0], site.value[1], site.value[2]) for site in PainSite}


@cache
def category(code: str) -> list[dict[str, Any]]:
    """An Observation's category; one list per code, shared by every resource (none is changed after it
    is made, and the bulk export makes hundreds of thousands)."""
    return [concept(OBSERVATION_CATEGORY, code)]


PAIN_CODE = concept(LOINC, PAIN_SEVERITY_0_10, PAIN_SEVERITY_0_10_DISPLAY)


def pain_observation(
    observation_id: str,
    patient_uuid: str,
    site: PainSite,
    value: int,
    effective: str,
    *,
    derived_from: list[dict[str, Any]] | None = None,
    based_on: list[dict[str, Any]] | None = None,
) -> dict[str, Any]:
    """One 0-10 rating of the pain at ``site``, as the person reported it at ``effective``."""
    subject = patient_ref(patient_uuid)
    resource: dict[str, Any] = {
        "resourceType": "Observation",
        "id": observation_id,
        "status": "final",
        "category": category(CATEGORY_SURVEY),
        "code": PAIN_CODE,
        "subject": subject,
        "effectiveDateTime": effective,
        "performer": [subject],
        "valueInteger": value,
        "bodySite": site.body_site,
    }
    if based_on:
        resource["basedOn"] = based_on
    if derived_from:
        resource["derivedFrom"] = derived_from
    return resource


def duration_quantity(seconds: float) -> dict[str, Any]:
    """A duration in minutes (the unit of the Physical Activity IG's example), to 0.1 minute."""
    return {"value": round(seconds / 60, 1), "unit": "min", "system": UCUM, "code": UCUM_MINUTE}


EXERCISE_DURATION_CODE = concept(LOINC, EXERCISE_DURATION, EXERCISE_DURATION_DISPLAY)


def sciatrack_concept(code: str, words: str) -> dict[str, Any]:
    """A code of Sciatrack's own CodeSystem, with its words as text."""
    return {"coding": [coding(SCIATRACK_CODES, code, words)], "text": words}


def activity_category() -> list[dict[str, Any]]:
    return category(CATEGORY_ACTIVITY)
