"""``POST /api/sessions``: store the log of one guided session, once per idempotency key.

The browser's session cookie authenticates (with its CSRF token), or a script's personal key
(``Authorization: Bearer``); only a person with a patient record can keep a log. The body is checked
by the domain's own parser, so the browser and the terminal guide are held to the same rules. A log
whose ``idempotency_key`` is already stored for this person is not stored again: the answer is the
stored log with status 200 instead of 201.
"""

from __future__ import annotations

import json
import uuid
from typing import Any

from django.http import HttpRequest
from ninja import Router, Schema, Status
from ninja.security import SessionAuth

from sciatrack.api.auth import TokenAuth
from sciatrack.care import checking
from sciatrack.care.models import Program
from sciatrack.care.programs import store_log
from sciatrack.domain.session_log import SessionLogError, parse_session_log

router = Router(tags=["sessions"])


class ProblemOut(Schema):
    field: str
    message: str


class InvalidLogOut(Schema):
    detail: str
    problems: list[ProblemOut]


class StoredLogOut(Schema):
    uuid: str
    idempotency_key: str
    needs_review: bool
    created: bool


def invalid(detail: str, problems: list[dict[str, str]]) -> Status[dict[str, Any]]:
    return Status(422, {"detail": detail, "problems": problems})


@router.post(
    "",
    auth=[SessionAuth(), TokenAuth()],
    summary="Store a session log",
    description="Stores what was done in one guided session. Sending the same idempotency_key again "
    "stores nothing and returns the stored log (200). Optional `program`: the uuid of the program followed.",
    response={200: StoredLogOut, 201: StoredLogOut, 403: dict[str, str], 422: InvalidLogOut},
)
def create_session_log(request: HttpRequest) -> Status[dict[str, Any]]:
    patient = checking.patient_of(request)
    if patient is None:
        return Status(403, {"detail": "Only a person with a patient record can keep a session log."})
    try:
        data = json.loads(request.body or b"null")
    except (json.JSONDecodeError, UnicodeDecodeError) as error:
        return invalid("The body is not valid JSON.", [{"field": "body", "message": str(error)}])
    program = None
    if isinstance(data, dict) and data.get("program") is not None:
        program_uuid = _uuid_or_none(data["program"])
        if program_uuid is not None:
            program = Program.objects.filter(uuid=program_uuid, patient=patient).first()
        if program is None:
            problem = {"field": "program", "message": "must be the uuid of one of your programs, or null"}
            return invalid("The log has 1 problem(s); nothing was stored.", [problem])
    if isinstance(data, dict):
        data = {key: value for key, value in data.items() if key != "program"}
    try:
        log = parse_session_log(data)
    except SessionLogError as error:
        problems = [{"field": p.field, "message": p.message} for p in error.problems]
        return invalid(f"The log has {len(problems)} problem(s); nothing was stored.", problems)
    record, created = store_log(patient, log, program)
    body = {
        "uuid": str(record.uuid),
        "idempotency_key": str(record.idempotency_key),
        "needs_review": record.needs_review,
        "created": created,
    }
    return Status((201 if created else 200), body)


def _uuid_or_none(value: object) -> str | None:
    try:
        return str(uuid.UUID(str(value)))
    except ValueError:
        return None
