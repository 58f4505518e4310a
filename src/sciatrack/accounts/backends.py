"""Django's password backend, with the signed-in user read by one plain SQL statement.

Every signed-in request loads its user; :func:`sciatrack.db.plain_sql.fetch_one` reads the same row the
ORM would, in about a fifth of the time. Signing in, passwords and permissions are Django's own.
"""

from __future__ import annotations

from typing import Any

from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend

from sciatrack.db.plain_sql import fetch_one

# The dotted path, for ``login(..., backend=...)`` where a user is signed in without a password check.
PASSWORD_BACKEND = "sciatrack.accounts.backends.PasswordBackend"  # noqa: S105 - a dotted path, not a secret


class PasswordBackend(ModelBackend):
    def get_user(self, user_id: Any) -> Any:
        """The active user with this primary key, or None (as :class:`ModelBackend` answers)."""
        user_model = get_user_model()
        # ``user_id`` comes from the session already as the key's Python type (auth's get_user sees to it).
        key = user_model._meta.pk
        assert key is not None
        user = fetch_one(user_model, key.name, user_id)
        return user if user is not None and self.user_can_authenticate(user) else None
