"""How big a request body may be, checked from its declared length before anything reads it.

Django reads a whole form body into memory when a view first asks for it, and the JSON API reads its
body itself (:mod:`sciatrack.api.body`); a body over the limit is answered 413 before either starts, so
no one can make a server hold megabytes it will refuse anyway. A ``Content-Length`` that is not a whole
number is answered 400 here too: Django would read it with ``int()`` and answer 500.

The limits live here and nowhere else: the API's parser and its documentation read them from this module.
"""

from __future__ import annotations

from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse, JsonResponse

from sciatrack.domain.plain_input import whole_number

# A full session log (7 exercises with their longest reasons) is under 6 KiB, a full intake under 3 KiB.
MAX_JSON_BODY_BYTES = 64 * 1024
# A session log nests 3 deep ({"exercises": [{...}]}), an intake 2; Python's JSON reader recurses once
# per level and fails with a RecursionError near 1,000.
MAX_JSON_DEPTH = 10
# A length with more digits than this is no upload of ours; it is answered as a bad length.
MAX_DECLARED_LENGTH = 999_999_999
# Where the JSON API is served (``sciatrack.urls``).
API_PREFIX = "/api/"


def body_limit(path: str) -> int | None:
    """The most bytes a request to ``path`` may carry, or None for no limit of ours."""
    if path.startswith(API_PREFIX):
        return MAX_JSON_BODY_BYTES
    form_limit: int | None = settings.DATA_UPLOAD_MAX_MEMORY_SIZE
    return form_limit


def declared_length(request: HttpRequest) -> int | None:
    """The body's declared length in bytes (0 when none is declared), or None when it is not a number."""
    raw = request.META.get("CONTENT_LENGTH") or "0"
    return whole_number(raw, 0, MAX_DECLARED_LENGTH) if isinstance(raw, str) else None


def body_refused(request: HttpRequest, status: int, message: str) -> HttpResponse:
    """The answer to a body that is not read: JSON naming ``body`` for the API, plain words for pages."""
    if request.path_info.startswith(API_PREFIX):
        detail = "The body was not read; nothing was stored."
        return JsonResponse(
            {"detail": detail, "problems": [{"field": "body", "message": message}]}, status=status
        )
    return HttpResponse(f"body: {message}\n", status=status, content_type="text/plain; charset=utf-8")


class RequestLimitsMiddleware:
    """Refuses a body over its path's limit (413) or with a nonsense length (400), unread."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        length = declared_length(request)
        if length is None:
            return body_refused(
                request, 400, "the Content-Length header must be a whole number of bytes, under 1 GB"
            )
        limit = body_limit(request.path_info)
        if limit is not None and length > limit:
            if request.path_info.startswith(API_PREFIX):
                return body_refused(request, 413, f"must be at most {limit // 1024} KiB of JSON")
            return body_refused(request, 413, f"must be at most {limit // 1024} KiB")
        return self.get_response(request)
