"""Rows stored before today's input rules that those rules refuse: kept as they are, out of sight.

Migration care 0011 writes ``quarantine_reason`` on each such check, session log or diary day (a log
dated in year 1, a pain of 11, answers that no longer parse). The row itself is never changed: it is a
record of what was sent. It is left out of everything that reads a person's records, in one place: the
default manager ``objects`` of each of these models hides it, and with it every related list
(``patient.session_logs``, ``patient.intakes``, ``patient.diary``), the pages, the exports and the
registry's sync. The plain SQL reads do the same: :func:`sciatrack.db.plain_sql.fetch` adds the
manager's :attr:`HidesQuarantined.shown_only` condition, and the few hand-written statements add it
themselves. ``all_objects`` sees every row: the site admin lists the quarantined ones, and a session log
sent again with its idempotency key finds the one stored.
"""

from __future__ import annotations

from typing import ClassVar, TypeVar

from django.db import models

M = TypeVar("M", bound=models.Model)

QUARANTINE_FIELD = "quarantine_reason"
# What a row shown on pages has: no reason to keep it out.
SHOWN = {QUARANTINE_FIELD: ""}


class HidesQuarantined(models.Manager[M]):
    """Every row but the quarantined ones: the default manager of a model with ``quarantine_reason``.

    Use it as a mixin before another manager class to keep that manager's own methods.
    """

    # The condition every read through this manager adds; plain SQL reads add it too.
    shown_only: ClassVar[dict[str, str]] = SHOWN

    def get_queryset(self) -> models.QuerySet[M]:
        return super().get_queryset().filter(**self.shown_only)


def quarantined(queryset: models.QuerySet[M]) -> models.QuerySet[M]:
    """The rows of ``queryset`` kept out of pages."""
    return queryset.exclude(**SHOWN)


def shown(queryset: models.QuerySet[M]) -> models.QuerySet[M]:
    """The rows of ``queryset`` the pages show."""
    return queryset.filter(**SHOWN)
