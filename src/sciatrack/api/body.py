"""The one place the JSON API reads a request body: size, text, nesting and numbers checked, then parsed.

Each route hands the parsed value to the domain's own parser (``parse_intake``, ``parse_session_log``),
which names every bad field. What comes before that is here, so no route reads ``request.body`` with
``json.loads`` itself. A body that cannot be read raises :class:`BodyError`, answered 400 (or 413 for
one over the size limit) with the field ``body`` named, before any route logic runs.
"""

from __future__ import annotations

import json
import math
import re

from django.http import HttpRequest, JsonResponse
from django.http.request import RawPostDataException

from sciatrack.lib.request_limits import MAX_JSON_BODY_BYTES, MAX_JSON_DEPTH

# No field of ours needs a number longer than this; Python's int() gives up past 4,300 digits anyway.
MAX_NUMBER_CHARACTERS = 40

# A JSON string: brackets inside one do not nest anything.
_JSON_STRING = re.compile(r'"[^"\\]*(?:\\.[^"\\]*)*"', re.DOTALL)
_BRACKET = re.compile(r"[\[\]{}]")


class BodyError(Exception):
    """A body that cannot be read as JSON: ``message`` says what the ``body`` must be."""

    def __init__(self, status: int, message: str) -> None:
        super().__init__(message)
        self.status = status
        self.message = message


def body_error_response(request: HttpRequest, error: object) -> JsonResponse:
    """The API's answer to a :class:`BodyError`, in the shape every refused request gets."""
    assert isinstance(error, BodyError)  # the only exception this handler is registered for
    problem = {"field": "body", "message": error.message}
    detail = "The body could not be read; nothing was stored."
    return JsonResponse({"detail": detail, "problems": [problem]}, status=error.status)


def nested_deeper_than(text: str, limit: int) -> bool:
    """Whether the JSON ``text`` opens more than ``limit`` brackets inside one another."""
    if text.count("[") + text.count("{") <= limit:
        return False  # the common case, answered without a scan: it cannot nest deeper than it opens
    depth = 0
    for bracket in _BRACKET.finditer(_JSON_STRING.sub("", text)):
        depth += 1 if bracket.group() in "[{" else -1
        if depth > limit:
            return True
    return False


def _whole_number(text: str) -> int:
    if len(text) > MAX_NUMBER_CHARACTERS:
        raise ValueError(f"a number has more than {MAX_NUMBER_CHARACTERS} digits")
    return int(text)


def _decimal_number(text: str) -> float:
    number = float(text) if len(text) <= MAX_NUMBER_CHARACTERS else math.inf
    if not math.isfinite(number):
        raise ValueError(f"a number is too long or too big ({text[:20]}...)")
    return number


def _not_a_number(name: str) -> float:
    raise ValueError(f"{name} is not a number JSON knows")


def read_json(request: HttpRequest) -> object:
    """The request's body as JSON data; raises :class:`BodyError` for a body that cannot be read."""
    try:
        raw = request.body
    except RawPostDataException:  # a form parser read the stream first: there is no JSON left to read
        raise BodyError(400, "must be JSON, not a form") from None
    if len(raw) > MAX_JSON_BODY_BYTES:  # a body sent without a declared length the server checked
        raise BodyError(413, f"must be at most {MAX_JSON_BODY_BYTES // 1024} KiB of JSON")
    if not raw.strip():
        raise BodyError(400, "is empty: send a JSON object")
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError:
        raise BodyError(400, "must be text in UTF-8") from None
    if nested_deeper_than(text, MAX_JSON_DEPTH):
        raise BodyError(400, f"must not nest more than {MAX_JSON_DEPTH} levels of [ ] or {{ }}")
    try:
        return json.loads(
            text, parse_int=_whole_number, parse_float=_decimal_number, parse_constant=_not_a_number
        )
    except RecursionError:  # the depth check above should make this impossible; still never a 500
        raise BodyError(400, f"must not nest more than {MAX_JSON_DEPTH} levels of [ ] or {{ }}") from None
    except ValueError as error:  # json.JSONDecodeError is one
        raise BodyError(400, f"is not valid JSON: {error}") from None
