"""``POST /api/triage``: the intake JSON in, the explained triage result out.

The body is read by :func:`~sciatrack.api.body.read_json` and validated by the domain's own intake
parser (not by ninja's schema), so the API, the web form and the command line refuse exactly the same
inputs with exactly the same messages. The schema in the API's document is built from the same names.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.http import HttpRequest
from ninja import Router, Status

from sciatrack.domain.intake import IntakeError, parse_intake
from sciatrack.domain.triage import result_to_json, triage

from .body import read_json
from .body_schemas import INTAKE_SCHEMA, json_body, responses
from .errors import ProblemsOut, invalid

router = Router(tags=["triage"])

ANSWERS = {200: dict[str, Any], 400: ProblemsOut, 413: ProblemsOut, 422: ProblemsOut}


@router.post(
    "",
    summary="Triage an intake",
    description="Returns the tier, where to go (`where`), every matched rule with its reason, what to do "
    "now, the safety questions a version-1 intake never asked (`not_asked`), and whether exercise is "
    "allowed. Nothing is stored, and no account is needed.",
    response=ANSWERS,
    openapi_extra={**json_body(INTAKE_SCHEMA), "responses": responses(ANSWERS, {200: "The triage result."})},
)
def triage_intake(request: HttpRequest) -> Status[dict[str, Any]]:
    data = read_json(request)
    try:
        answers = parse_intake(data)
    except IntakeError as error:
        problems = [{"field": p.field, "message": p.message} for p in error.problems]
        return invalid(f"The intake has {len(problems)} problem(s); nothing was triaged.", problems)
    result = triage(answers, emergency_number=settings.SCIATRACK_EMERGENCY_NUMBER)
    return Status(200, result_to_json(result))
