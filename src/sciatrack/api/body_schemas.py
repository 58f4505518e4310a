"""The JSON Schemas of the API's request bodies, for its OpenAPI document only.

The domain's parsers (``parse_intake``, ``parse_session_log``) stay the only validators, so the web
form, the command line and the API refuse the same inputs with the same words. These schemas are built
from the same names and bounds (the vocabulary and the parsers' constants), so the document cannot drift
from what is checked. Rules a JSON Schema cannot say (each exercise once, a reason for a stopped one,
no NUL or unpaired surrogate in text, moments relative to the server's clock) are said in words.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from sciatrack.care.forms import DANGER_CHOICES, REACH_TEXT, SLEEP_CHOICES
from sciatrack.content.schema import EXERCISE_IDS
from sciatrack.domain import intake, session_log
from sciatrack.domain.plain_input import EARLIEST_MOMENT, FUTURE_SLACK, LONGEST_SESSION
from sciatrack.domain.vocabulary import (
    AGE_RANGE,
    ONSET_WEEKS_RANGE,
    PAIN_KEYS,
    PAIN_RANGE,
    RED_FLAG_KEYS,
    RED_FLAG_KEYS_V1,
    REGIONS,
    REGIONS_V1,
    SCHEMA_V1,
    SCHEMA_V2,
    SENSATIONS,
    SIDES,
    TRIGGERS,
)
from sciatrack.lib.request_limits import MAX_JSON_BODY_BYTES, MAX_JSON_DEPTH

from .body import MAX_NUMBER_CHARACTERS

PLAIN_TEXT = "Text without the NUL character or unpaired surrogates."


def whole_number(bounds: tuple[int, int], *, nullable: bool = False) -> dict[str, Any]:
    low, high = bounds
    return {"type": ["integer", "null"] if nullable else "integer", "minimum": low, "maximum": high}


def choices(allowed: tuple[str, ...]) -> dict[str, Any]:
    return {"type": "string", "enum": list(allowed)}


def choice_list(allowed: tuple[str, ...]) -> dict[str, Any]:
    return {
        "type": "array",
        "maxItems": intake.MAX_LIST_ITEMS,
        "items": choices(allowed),
        "description": "A repeated choice is kept once.",
    }


def intake_schema(version: str, regions: tuple[str, ...], red_flags: tuple[str, ...]) -> dict[str, Any]:
    """The answers of one intake version: every key required, no other key allowed."""
    fields = {
        "schema": {"type": "string", "const": version},
        "age": whole_number(AGE_RANGE),
        "onset_weeks": {
            "type": "number",
            "minimum": ONSET_WEEKS_RANGE[0],
            "maximum": ONSET_WEEKS_RANGE[1],
            "description": "Weeks since the pain began, for example 2 or 0.5.",
        },
        "pain": {
            "type": "object",
            "additionalProperties": False,
            "required": list(PAIN_KEYS),
            "properties": {key: whole_number(PAIN_RANGE) for key in PAIN_KEYS},
        },
        "regions": choice_list(regions),
        "side": choices(SIDES),
        "sensations": choice_list(SENSATIONS),
        "worse_with": choice_list(TRIGGERS),
        "better_with": choice_list(TRIGGERS),
        "red_flags": {
            "type": "object",
            "additionalProperties": False,
            "required": list(red_flags),
            "properties": {key: {"type": "boolean"} for key in red_flags},
            "description": "Every danger sign answered true or false; a missing one is never read as no.",
        },
    }
    return {
        "type": "object",
        "title": f"Intake {version}",
        "additionalProperties": False,
        "required": list(intake.TOP_LEVEL_KEYS),
        "properties": fields,
    }


INTAKE_SCHEMA: dict[str, Any] = {
    "oneOf": [
        intake_schema(SCHEMA_V2, REGIONS, RED_FLAG_KEYS),
        intake_schema(SCHEMA_V1, REGIONS_V1, RED_FLAG_KEYS_V1),
    ],
    "description": f'Intake answers in "{SCHEMA_V2}", or in "{SCHEMA_V1}" for answers given before it.',
}


def _text() -> dict[str, Any]:
    return {"type": "string", "maxLength": session_log.MAX_TEXT_LENGTH, "description": PLAIN_TEXT}


def _moment(words: str) -> dict[str, Any]:
    return {"type": "string", "format": "date-time", "description": words}


_WINDOW = (
    f"ISO 8601 with a time zone; not before {EARLIEST_MOMENT:%Y-%m-%d} and at most "
    f"{FUTURE_SLACK.days} day ahead of the server's clock."
)
PATIENT_FIELD: dict[str, Any] = {
    "type": "string",
    "format": "uuid",
    "description": "Optional: the uuid of the person the entry was recorded for. Someone else's is "
    "refused (403), so an entry recorded on a shared device is sent only by its owner.",
}
_LOGGED_EXERCISE: dict[str, Any] = {
    "type": "object",
    "additionalProperties": False,
    "required": [key for key in session_log.EXERCISE_KEYS if key not in session_log.OPTIONAL],
    "properties": {
        "id": choices(EXERCISE_IDS),
        "status": choices(tuple(status.value for status in session_log.ExerciseStatus)),
        "reps_done": whole_number((0, session_log.MAX_COUNT)),
        "holds_done": whole_number((0, session_log.MAX_COUNT)),
        "seconds": whole_number((0, session_log.MAX_EXERCISE_SECONDS)),
        "symptoms": {
            "type": ["string", "null"],
            "enum": [*(movement.value for movement in session_log.SymptomMovement), None],
            "description": "How the leg symptoms moved after the exercise.",
        },
        "stop_reason": {**_text(), "description": f"Required when status is stopped. {PLAIN_TEXT}"},
    },
}

SESSION_LOG_SCHEMA: dict[str, Any] = {
    "type": "object",
    "title": "Session log",
    "additionalProperties": False,
    "required": [key for key in session_log.LOG_KEYS if key not in session_log.OPTIONAL],
    "properties": {
        "idempotency_key": {
            "type": "string",
            "format": "uuid",
            "description": "Made once per session by the sender; sending it again stores nothing new.",
        },
        "started_at": _moment(_WINDOW),
        "finished_at": _moment(
            f"{_WINDOW} Not before started_at, and at most "
            f"{int(LONGEST_SESSION.total_seconds() // 3600)} hours after it."
        ),
        "pain_before": whole_number(PAIN_RANGE),
        "pain_after": whole_number(PAIN_RANGE, nullable=True),
        "exercises": {
            "type": "array",
            "minItems": 1,
            "maxItems": len(EXERCISE_IDS),
            "items": _LOGGED_EXERCISE,
            "description": "Each exercise at most once.",
        },
        "ended_early": {"type": "boolean"},
        "end_reason": _text(),
        "kind": {
            **choices(tuple(kind.value for kind in session_log.SessionKind)),
            "default": session_log.SessionKind.FULL.value,
            "description": "The full session, or the short one for a bad day (one round of each exercise "
            "at the lower dose). Both count as a session.",
        },
        "program": {
            "type": ["string", "null"],
            "format": "uuid",
            "description": "The uuid of your program that was followed, if any.",
        },
        "patient": PATIENT_FIELD,
    },
}


DIARY_ENTRY_SCHEMA: dict[str, Any] = {
    "type": "object",
    "title": "Diary entry",
    "additionalProperties": False,
    "required": [
        "idempotency_key",
        "day",
        "recorded_at",
        "danger_signs",
        "leg_pain",
        "back_pain",
        "reach",
        "sleep",
    ],
    "properties": {
        "idempotency_key": {
            "type": "string",
            "format": "uuid",
            "description": "Made once when the entry is recorded; sending it again stores nothing new.",
        },
        "patient": PATIENT_FIELD,
        "day": {
            "type": "string",
            "format": "date",
            "description": "The local day the entry is for: today or up to 7 days before.",
        },
        "recorded_at": _moment(f"When the entry was recorded; the latest recording of a day wins. {_WINDOW}"),
        "danger_signs": {
            **choices(tuple(DANGER_CHOICES)),
            "description": "`some` (yes, or not sure) stores the day and answers `next`: the danger-sign "
            "questions, to open at once.",
        },
        "leg_pain": whole_number(PAIN_RANGE),
        "back_pain": whole_number(PAIN_RANGE),
        "reach": choices(tuple(REACH_TEXT)),
        "sleep": choices(tuple(SLEEP_CHOICES)),
        "note": {"type": "string", "maxLength": 500, "description": PLAIN_TEXT},
    },
}


def json_body(schema: dict[str, Any]) -> dict[str, Any]:
    """An operation's ``openapi_extra``: a required JSON body of ``schema``."""
    return {"requestBody": {"required": True, "content": {"application/json": {"schema": schema}}}}


REFUSALS = {
    400: "The body could not be read: empty, not UTF-8, not JSON, a number of more than "
    f"{MAX_NUMBER_CHARACTERS} characters, or nested more than {MAX_JSON_DEPTH} levels deep. "
    "`problems` names the field `body`.",
    401: "Nobody is signed in, and no live personal key was sent (`Authorization: Bearer <key>`).",
    403: "Signed in without a patient record, or the page's CSRF token was missing or wrong.",
    413: f"The body is over {MAX_JSON_BODY_BYTES // 1024} KiB; it was not read. "
    "`problems` names the field `body`.",
    422: "The body was read but some values are not allowed: `problems` names each bad field and "
    "what is allowed there. Nothing was stored.",
}


def responses(statuses: Iterable[int], successes: dict[int, str]) -> dict[int, dict[str, str]]:
    """What each of an operation's ``statuses`` means, in words: its ``successes``, and each refusal."""
    return {status: {"description": successes.get(status) or REFUSALS[status]} for status in statuses}
