"""Who is calling the API: a script with a personal key, or a signed-in browser with its CSRF token.

The key is tried first. A request carrying ``Authorization: Bearer <key>`` is the key's owner or
nobody (401): it never falls back to a session, so no cookie, and no CSRF token, plays any part in it.
Browsers cannot add that header to a request another site makes them send, which is why a key needs
no CSRF token. A request without a key is the browser's session, and its CSRF token is checked; a
caller nobody signed in gets 401 before any CSRF check, since there is nothing of theirs to protect.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import SuspiciousOperation
from django.http import HttpRequest
from django.http.multipartparser import MultiPartParserError
from ninja.errors import AuthenticationError, HttpError
from ninja.security import HttpBearer, SessionAuth
from ninja.utils import check_csrf

from sciatrack.accounts.tokens import user_for_key

from .body import BodyError

CSRF_FAILED = (
    "The page's safety token (CSRF) was missing or wrong: reload the page and try again. "
    "A script sends its personal key instead."
)


class PersonalKeyAuth(HttpBearer):
    """A live personal key signs the request in as its owner (no session, no CSRF); a wrong one is 401."""

    def authenticate(self, request: HttpRequest, token: str) -> Any:
        user = user_for_key(token)
        if user is None:
            raise AuthenticationError
        request.user = user
        return user


class SignedInBrowserAuth(SessionAuth):
    """The session cookie of a signed-in person, with the CSRF token their page gave them."""

    def _get_key(self, request: HttpRequest) -> str | None:
        if not request.user.is_authenticated:
            return None
        if not getattr(request, "_ninja_csrf_exempt", False):
            # The CSRF check reads a form body from the request's stream; reading the body first keeps
            # it for the route, which reads it as JSON (sciatrack.api.body).
            try:
                request.body  # noqa: B018
                refused = check_csrf(request)
            except (MultiPartParserError, SuspiciousOperation):
                raise BodyError(400, "must be JSON; it was sent as a form that cannot be read") from None
            if refused is not None:
                raise HttpError(403, CSRF_FAILED)
        return request.COOKIES.get(self.param_name)
