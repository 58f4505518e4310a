"""The reminder clock of ``sciatrack serve``: a thread that runs the sender once a minute.

One per process (:func:`start_clock` starts it once); a failing run is logged and the next minute tries
again. Running it beside cron or a second server is safe: the sender sends each slot at most once.
"""

from __future__ import annotations

import logging
import threading
import time as clock

from django.db import close_old_connections

logger = logging.getLogger(__name__)

_lock = threading.Lock()
_started: ReminderClock | None = None


def seconds_to_next_minute(now: float) -> float:
    return 60.0 - (now % 60.0)


class ReminderClock(threading.Thread):
    def __init__(self) -> None:
        super().__init__(name="sciatrack-reminders", daemon=True)
        self.stopping = threading.Event()

    def run(self) -> None:
        from .sender import send_due

        while not self.stopping.wait(seconds_to_next_minute(clock.time())):
            try:
                close_old_connections()
                send_due()
            except Exception:
                logger.exception("sending reminders failed; trying again in a minute")
            finally:
                close_old_connections()


def start_clock() -> ReminderClock:
    """Start the process's one reminder clock (or return the one already running)."""
    global _started  # noqa: PLW0603 - the one clock of this process
    with _lock:
        if _started is None or not _started.is_alive():
            _started = ReminderClock()
            _started.start()
        return _started
