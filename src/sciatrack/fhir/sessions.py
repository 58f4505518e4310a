"""Guided sessions and diary days as Observations.

A session is one Observation of LOINC 55411-3 "Exercise duration" (the HL7 Physical Activity IG's code for
the length of one period of exercise), from its start to its end, with a component per exercise (its
seconds, and whether it was done, skipped or stopped, in words), based on the program's CarePlan. The
leg pain the person rated before and after is two pain Observations. A Procedure was not chosen: these are
the person's own reports of what they did, which is what the Physical Activity IG records as Observations.
"""

from __future__ import annotations

from functools import cache
from typing import TYPE_CHECKING, Any

from sciatrack.content.loader import exercise_names

from .ids import day, derived_id, instant, patient_ref, reference
from .observations import (
    EXERCISE_DURATION_CODE,
    PainSite,
    activity_category,
    duration_quantity,
    pain_observation,
    sciatrack_concept,
)
from .text import fhir_string

if TYPE_CHECKING:
    from sciatrack.care.models import DiaryEntry, SessionLog


def diary_id(entry: DiaryEntry, patient_uuid: str) -> str:
    # A diary day has no uuid of its own; the patient and the day name it (one entry per day).
    return derived_id("diary", patient_uuid, entry.day.isoformat())


def diary_resources(entry: DiaryEntry, patient_uuid: str) -> list[dict[str, Any]]:
    """The day's leg and back pain; the day is the effective date (the diary records a day, not a time)."""
    name = diary_id(entry, patient_uuid)
    when = day(entry.day)
    return [
        pain_observation(derived_id(name, "leg"), patient_uuid, PainSite.LEG, entry.leg_pain, when),
        pain_observation(derived_id(name, "back"), patient_uuid, PainSite.LOW_BACK, entry.back_pain, when),
    ]


# The library's names, read once: the content is read once per process anyway.
_exercise_names = cache(exercise_names)


@cache
def _status_coding(status: str) -> list[dict[str, Any]]:
    """The coding of an exercise's outcome in a session (done, skipped, ...); one list shared by every
    component with that outcome."""
    status_words = status.replace("_", " ") or "unknown"
    code = sciatrack_concept(f"session-exercise-{status or 'unknown'}", f"Exercise {status_words}")
    coding: list[dict[str, Any]] = code["coding"]
    return coding


def _component(item: dict[str, Any], names: dict[str, str]) -> dict[str, Any]:
    name = names.get(str(item.get("id")), str(item.get("id")))
    status = str(item.get("status", ""))
    words = f"{name}: {status.replace('_', ' ')}" if status else name
    reason = fhir_string(str(item.get("stop_reason") or ""))
    if reason is not None:
        words += f" ({reason})"
    return {
        "code": {"coding": _status_coding(status), "text": words},
        "valueQuantity": duration_quantity(float(item.get("seconds") or 0)),
    }


def _duration(log: SessionLog, patient_uuid: str) -> dict[str, Any]:
    subject = patient_ref(patient_uuid)
    seconds = (log.finished_at - log.started_at).total_seconds()
    names = _exercise_names()
    resource: dict[str, Any] = {
        "resourceType": "Observation",
        "id": str(log.uuid),
        "status": "final",
        "category": activity_category(),
        "code": EXERCISE_DURATION_CODE,
        "subject": subject,
        "effectivePeriod": {"start": instant(log.started_at), "end": instant(log.finished_at)},
        "performer": [subject],
        "valueQuantity": duration_quantity(max(seconds, 0.0)),
        "component": [_component(item, names) for item in log.exercises],
    }
    notes = [f"{log.kind.capitalize()} session"]
    if log.ended_early:
        reason = fhir_string(log.end_reason)
        notes.append("ended early" + (f": {reason}" if reason is not None else ""))
    resource["note"] = [{"text": ", ".join(notes) + "."}]
    if log.program_id is not None and log.program is not None:
        resource["basedOn"] = [reference("CarePlan", str(log.program.uuid))]
    if not resource["component"]:
        del resource["component"]
    return resource


def session_resources(log: SessionLog, patient_uuid: str) -> list[dict[str, Any]]:
    """The session's duration, and its leg pain before (at its start) and after (at its end)."""
    duration = _duration(log, patient_uuid)
    log_uuid = duration["id"]  # the session's uuid as text, made once
    based_on = duration.get("basedOn")
    found = [
        duration,
        pain_observation(
            derived_id("session", log_uuid, "pain-before"),
            patient_uuid,
            PainSite.LEG,
            log.pain_before,
            instant(log.started_at),
            based_on=based_on,
        ),
    ]
    if log.pain_after is not None:
        found.append(
            pain_observation(
                derived_id("session", log_uuid, "pain-after"),
                patient_uuid,
                PainSite.LEG,
                log.pain_after,
                instant(log.finished_at),
                based_on=based_on,
            )
        )
    return found
