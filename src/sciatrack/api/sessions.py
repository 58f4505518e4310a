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

from django.db import connection
from django.http import HttpRequest, JsonResponse
from ninja import Router, Schema, Status
from ninja.security import SessionAuth

from sciatrack.accounts.models import Patient
from sciatrack.api.auth import TokenAuth
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
def create_session_log(request: HttpRequest) -> Status[dict[str, Any]] | JsonResponse:
    bad_json: ValueError | None = None
    try:
        data = json.loads(request.body or b"null")
    except (json.JSONDecodeError, UnicodeDecodeError) as error:
        data, bad_json = None, error
    wants_program = isinstance(data, dict) and data.get("program") is not None
    program_uuid = _uuid_or_none(data["program"]) if wants_program else None
    patient, program = _patient_and_program(request, program_uuid)
    if patient is None:
        return Status(403, {"detail": "Only a person with a patient record can keep a session log."})
    if bad_json is not None:
        return invalid("The body is not valid JSON.", [{"field": "body", "message": str(bad_json)}])
    if wants_program and program is None:
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
    # Answered directly rather than through Django Ninja's check against StoredLogOut, which would
    # only confirm the four fields above and costs about a twentieth of the whole request; a test holds
    # this answer to the schema the API documents.
    return JsonResponse(body, status=201 if created else 200)


def _patient_and_program(
    request: HttpRequest, program_uuid: str | None
) -> tuple[Patient | None, Program | None]:
    """The signed-in person's patient record and their program ``program_uuid`` (None when not theirs).

    One plain SQL statement instead of two ORM queries: this runs on every stored session, and building
    the queries costs far more than running them. The records come back with only their id loaded
    (as ``.only("id")`` would give), which is all a new log refers to; any other field loads on use.
    """
    user: Any = request.user
    if not user.is_authenticated:
        return None, None
    patients = connection.ops.quote_name(Patient._meta.db_table)
    programs = connection.ops.quote_name(Program._meta.db_table)
    uuid_value = Program._meta.get_field("uuid").get_db_prep_value(program_uuid, connection)
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT pa.id, pr.id FROM {patients} pa LEFT JOIN {programs} pr "
            f"ON pr.patient_id = pa.id AND pr.uuid = %s WHERE pa.user_id = %s",
            [uuid_value, user.pk],
        )
        row = cursor.fetchone()
    if row is None:
        return None, None
    patient = Patient.from_db(connection.alias, ["id"], [row[0]])
    program = Program.from_db(connection.alias, ["id"], [row[1]]) if row[1] is not None else None
    return patient, program


def _uuid_or_none(value: object) -> str | None:
    try:
        return str(uuid.UUID(str(value)))
    except ValueError:
        return None
