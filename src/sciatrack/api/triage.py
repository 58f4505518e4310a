"""``POST /api/triage``: the intake JSON in, the explained triage result out.

The body is validated by the domain's own intake parser (not by ninja's schema), so the API, the web
form and the command line refuse exactly the same inputs with exactly the same messages.
"""

from __future__ import annotations

import json
from typing import Any

from django.conf import settings
from django.http import HttpRequest
from ninja import Router, Schema, Status

from sciatrack.domain.intake import IntakeError, parse_intake
from sciatrack.domain.triage import result_to_json, triage

router = Router(tags=["triage"])


class ProblemOut(Schema):
    field: str
    message: str


class InvalidIntakeOut(Schema):
    detail: str
    problems: list[ProblemOut]


INTAKE_EXAMPLE_PATH = "/work/shared/vignettes"  # documentation only; see docs/ for the full schema

INTAKE_BODY = {
    "requestBody": {
        "required": True,
        "content": {
            "application/json": {
                "schema": {
                    "type": "object",
                    "description": 'Intake answers, "schema": "sciatrack.intake/2" (or "sciatrack.intake/1" '
                    "for answers given before version 2; see the triage and program contract).",
                    "required": [
                        "schema",
                        "age",
                        "onset_weeks",
                        "pain",
                        "regions",
                        "side",
                        "sensations",
                        "worse_with",
                        "better_with",
                        "red_flags",
                    ],
                }
            }
        },
    }
}


def invalid(detail: str, problems: list[dict[str, str]]) -> Status[dict[str, Any]]:
    return Status(422, {"detail": detail, "problems": problems})


@router.post(
    "",
    summary="Triage an intake",
    description="Returns the tier, where to go (`where`), every matched rule with its reason, what to do "
    "now, the safety questions a version-1 intake never asked (`not_asked`), and whether exercise is "
    "allowed. Nothing is stored.",
    response={200: dict[str, Any], 422: InvalidIntakeOut},
    openapi_extra=INTAKE_BODY,
)
def triage_intake(request: HttpRequest) -> Status[dict[str, Any]]:
    try:
        data = json.loads(request.body or b"null")
    except (json.JSONDecodeError, UnicodeDecodeError) as error:
        return invalid("The body is not valid JSON.", [{"field": "body", "message": str(error)}])
    try:
        answers = parse_intake(data)
    except IntakeError as error:
        problems = [{"field": p.field, "message": p.message} for p in error.problems]
        return invalid(f"The intake has {len(problems)} problem(s); nothing was triaged.", problems)
    result = triage(answers, emergency_number=settings.SCIATRACK_EMERGENCY_NUMBER)
    return Status(200, result_to_json(result))
