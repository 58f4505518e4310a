"""What Django's transaction layer knows but does not offer through a public call."""

from __future__ import annotations

from collections.abc import Callable

from django.db import transaction


def waiting_for_commit(callback: Callable[[], object], using: str) -> bool:
    """Whether ``callback``, given to ``transaction.on_commit`` on ``using``, still waits for the commit.

    A rolled-back transaction or savepoint drops its callbacks without telling anyone, so the only way
    to know is to look among those still waiting (Django keeps them on the connection as
    ``(savepoints, callback, robust)`` entries).
    """
    waiting = transaction.get_connection(using).run_on_commit
    return any(entry[1] is callback for entry in waiting)
