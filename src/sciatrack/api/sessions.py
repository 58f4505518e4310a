"""``POST /api/sessions``: store the log of one guided session, once per idempotency key.

A script's personal key (``Authorization: Bearer``) authenticates, or else the browser's session cookie
with its CSRF token (:mod:`.auth`); only a person with a patient record can keep a log. The body is read
by :func:`~sciatrack.api.body.read_json` and checked by the domain's own parser, so the browser and the
terminal guide are held to the same rules. A log whose ``idempotency_key`` is already stored for this
person is not stored again: the answer is the stored log with status 200 instead of 201, when the
log sent says what the stored one says; a different log under a used key is refused (422 naming
``idempotency_key``) and stores nothing. An optional ``patient`` (the uuid of the person the log was
recorded for, as the page's outbox sends it) must be the signed-in person's: a log recorded by someone
else on a shared device is refused (403) and stays in that device's outbox for its owner.
"""

from __future__ import annotations

import uuid
from typing import Any, Literal

from django.http import HttpRequest, JsonResponse
from ninja import Router, Schema, Status

from sciatrack.accounts.models import Patient
from sciatrack.care.managers import KeyReusedError
from sciatrack.care.models import Program
from sciatrack.domain.session_log import SessionLogError, parse_session_log
from sciatrack.program.programs import store_log

from .auth import PersonalKeyAuth, SignedInBrowserAuth
from .body import read_json
from .body_schemas import SESSION_LOG_SCHEMA, json_body, responses
from .errors import ErrorOut, ProblemsOut, invalid

router = Router(tags=["sessions"])


class StoredLogOut(Schema):
    uuid: str
    idempotency_key: str
    needs_review: bool
    created: bool


ANSWERS = {
    200: StoredLogOut,
    201: StoredLogOut,
    400: ProblemsOut,
    401: ErrorOut,
    403: ErrorOut,
    413: ProblemsOut,
    422: ProblemsOut,
}
STORED = {201: "The log was stored.", 200: "A log with this idempotency_key was already stored; nothing new."}


@router.post(
    "",
    auth=[PersonalKeyAuth(), SignedInBrowserAuth()],
    summary="Store a session log",
    description="Stores what was done in one guided session. Sending the same idempotency_key again "
    "stores nothing and returns the stored log (200). Optional `program`: the uuid of the program followed; "
    "optional `kind`: `full` (the default) or `short`, the bad day's session. A short session and one ended "
    "early each count as a session."
    "\n\nA script sends its personal key as `Authorization: Bearer <key>` and needs nothing else. A browser "
    "signed in with its session cookie sends the CSRF token of the page it came from as the header "
    "`X-CSRFToken`.",
    response=ANSWERS,
    openapi_extra={**json_body(SESSION_LOG_SCHEMA), "responses": responses(ANSWERS, STORED)},
)
def create_session_log(request: HttpRequest) -> Status[dict[str, Any]] | JsonResponse:
    data = read_json(request)
    # `program` and `patient` are the API's own fields, not the log's: taken out here, the rest is the log.
    raw_program = data.pop("program", None) if isinstance(data, dict) else None
    raw_patient = data.pop("patient", None) if isinstance(data, dict) else None
    patient, program = _patient_and_program(request, _uuid_or_none(raw_program))
    if patient is None:
        return Status(403, {"detail": "Only a person with a patient record can keep a session log."})
    problems = []
    whose = whose_entry(patient, raw_patient)
    if whose == "other":
        return Status(403, {"detail": OTHER_PERSON})
    if whose == "unreadable":
        problems.append(PATIENT_PROBLEM)
    if raw_program is not None and program is None:
        problems.append({"field": "program", "message": "must be the uuid of one of your programs, or null"})
    try:
        log = parse_session_log(data)
    except SessionLogError as error:
        problems += [{"field": p.field, "message": p.message} for p in error.problems]
    if problems:
        return invalid(f"The log has {len(problems)} problem(s); nothing was stored.", problems)
    try:
        record, created = store_log(patient, log, program)
    except KeyReusedError:
        return invalid("Nothing was stored.", [KEY_REUSED])
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

    One plain statement (:meth:`sciatrack.accounts.managers.PatientManager.with_program`) instead of two
    ORM queries: this runs on every stored session.
    """
    user: Any = request.user
    if not user.is_authenticated:
        return None, None
    return Patient.objects.with_program(user.pk, program_uuid)


PATIENT_PROBLEM = {"field": "patient", "message": "must be the uuid of the person the entry was recorded for"}
KEY_REUSED = {
    "field": "idempotency_key",
    "message": "this key was already used for a different entry; make a new key for a new entry",
}
OTHER_PERSON = (
    "patient: this entry was recorded by another person on this device; "
    "it is kept until they sign in to send it."
)


def whose_entry(patient: Patient, raw_patient: object) -> Literal["theirs", "other", "unreadable"]:
    """Whether the entry's ``patient`` field (``raw_patient``; absent counts as theirs) names the
    signed-in ``patient``, someone else, or is no uuid at all."""
    if raw_patient is None:
        return "theirs"
    named = _uuid_or_none(raw_patient)
    if named is None:
        return "unreadable"
    return "theirs" if named == str(patient.uuid) else "other"


def _uuid_or_none(value: object) -> str | None:
    if not isinstance(value, str):
        return None
    try:
        return str(uuid.UUID(value))
    except ValueError:
        return None
