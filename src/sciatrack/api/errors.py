"""The shapes of the API's refusals, one for every route, and the answer to a caller nobody knows.

A refused body or value answers ``{"detail": ..., "problems": [{"field": ..., "message": ...}]}`` with
every bad field named (400 unreadable, 413 too big, 422 invalid); a refused caller answers
``{"detail": ...}`` (401 unknown, 403 not allowed, 404 not found).
"""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest, JsonResponse
from ninja import Schema, Status


class ProblemOut(Schema):
    field: str
    message: str


class ProblemsOut(Schema):
    detail: str
    problems: list[ProblemOut]


class ErrorOut(Schema):
    detail: str


UNAUTHORIZED = "Sign in first, or send your personal key as the header Authorization: Bearer <key>."


def invalid(detail: str, problems: list[dict[str, str]]) -> Status[dict[str, Any]]:
    """A 422 naming each bad field."""
    return Status(422, {"detail": detail, "problems": problems})


def unauthorized(request: HttpRequest, error: object) -> JsonResponse:
    """401 for a caller who is not signed in and sent no live key, telling a script how to send one."""
    response = JsonResponse({"detail": UNAUTHORIZED}, status=401)
    response["WWW-Authenticate"] = 'Bearer realm="sciatrack"'
    return response
