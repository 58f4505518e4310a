"""The session engine: Django's database sessions, read with one plain SQL statement.

Every signed-in request reads its session. The ORM spends far longer building that query than the
database spends answering it, so ``load`` runs the same statement directly. Everything else (saving,
expiry, deleting on sign-out) is Django's own database backend, so the sessions stay in the one
database all worker processes share: signing out in one process is seen by all of them at once.
"""

from __future__ import annotations

from typing import Any

from django.contrib.sessions.backends import db
from django.db import connections, router
from django.utils import timezone


class SessionStore(db.SessionStore):
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
