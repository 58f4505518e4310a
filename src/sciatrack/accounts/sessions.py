"""The session engine: Django's database sessions, read with one plain SQL statement.

Every signed-in request reads its session. The ORM spends far longer building that query than the
database spends answering it, so ``load`` runs the same statement directly. Everything else (saving,
expiry, deleting on sign-out) is Django's own database backend, so the sessions stay in the one
database all worker processes share: signing out in one process is seen by all of them at once.

Checking a session's signature costs about as much as reading it, and a session's stored text stays the
same from one request to the next, so each process remembers the payloads whose signature it has
checked (:func:`verified_payload`), keyed by the exact stored text. The text comes from the database,
never from the browser, and any change to the session gives a new text, checked afresh.
"""

from __future__ import annotations

from functools import lru_cache
from typing import Any

from django.contrib.sessions.backends import db
from django.core import signing
from django.db import connections, router
from django.utils import timezone


class _PayloadOnly:
    """A serializer for :func:`signing.loads` that hands back the checked payload's bytes unparsed."""

    def loads(self, data: bytes) -> bytes:
        return data


@lru_cache(maxsize=4096)
def verified_payload(session_data: str, salt: str) -> bytes | None:
    """The serialized payload of ``session_data`` once its signature checks out; None when it does not."""
    try:
        payload: bytes = signing.loads(session_data, salt=salt, serializer=_PayloadOnly)  # type: ignore[arg-type]
        return payload
    except signing.BadSignature:
        return None


class SessionStore(db.SessionStore):
    def decode(self, session_data: bytes | str) -> dict[str, Any]:
        """As Django's ``decode``, but with the signature checked once per stored text; a fresh dict
        each time, so a change to one request's session never reaches another's."""
        payload = verified_payload(session_data, self.key_salt) if isinstance(session_data, str) else None
        if payload is None:
            return super().decode(session_data)  # logs the bad signature and answers {}, as Django does
        try:
            decoded: dict[str, Any] = self.serializer().loads(payload)
            return decoded
        except Exception:  # as Django's decode: a payload that does not parse is an empty session
            return {}

    def load(self) -> dict[str, Any]:
        model = self.model
        connection = connections[router.db_for_read(model)]
        table = connection.ops.quote_name(model._meta.db_table)
        # The same filter as Django's ``_get_session_from_db``: an expired row counts as no session.
        now = connection.ops.adapt_datetimefield_value(timezone.now())
        with connection.cursor() as cursor:
            cursor.execute(
                f"SELECT session_data FROM {table} WHERE session_key = %s AND expire_date > %s",
                [self.session_key, now],
            )
            row = cursor.fetchone()
        if row is None:
            self._session_key = None
            return {}
        return self.decode(row[0])
