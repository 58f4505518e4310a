"""API authentication for scripts: a personal key sent as ``Authorization: Bearer <key>``."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from ninja.security import HttpBearer

from sciatrack.accounts.tokens import user_for_key


class TokenAuth(HttpBearer):
    """Accepts a live personal key and signs the request in as its owner (no session, no CSRF)."""

    def authenticate(self, request: HttpRequest, token: str) -> Any:
        user = user_for_key(token)
        if user is not None:
            request.user = user
        return user
