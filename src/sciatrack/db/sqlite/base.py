"""Django's SQLite backend, with transactions queued by a file lock instead of SQLite's sleep-and-retry.

When a transaction finds another holding SQLite's write lock, SQLite sleeps and tries again (after 1,
then 2, 5, 10 ms and longer), so under load the waiting writers sleep far longer than the lock is held
and the processor sits idle. Here every transaction first takes an exclusive ``flock`` on the file
``<database>-writer.lock``; the kernel hands it to the next waiter the moment it is released, and SQLite's
own lock is then free when ``BEGIN IMMEDIATE`` asks for it. The file lock is released when the
transaction commits or rolls back, and by the kernel if the process dies.

Only transactions (``atomic`` blocks) queue this way; a single statement outside one still relies on
SQLite's busy timeout. In-memory databases (as the test suite's) have no file and are left alone.
"""

from __future__ import annotations

import fcntl
import os
from typing import Any

from django.db.backends.sqlite3 import base


class DatabaseWrapper(base.DatabaseWrapper):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._writer_lock: int | None = None  # the lock file's descriptor, opened on first use
        self._holds_writer_lock = False

    def writer_lock_path(self) -> str | None:
        """The lock file beside the database file; None for an in-memory database."""
        if self.is_in_memory_db():
            return None
        return f"{self.settings_dict['NAME']}-writer.lock"

    def _lock_writers(self) -> None:
        path = self.writer_lock_path()
        if path is None or self._holds_writer_lock:
            return
        if self._writer_lock is None:
            self._writer_lock = os.open(path, os.O_RDWR | os.O_CREAT | os.O_CLOEXEC, 0o600)
        fcntl.flock(self._writer_lock, fcntl.LOCK_EX)
        self._holds_writer_lock = True

    def _unlock_writers(self) -> None:
        if self._holds_writer_lock and self._writer_lock is not None:
            fcntl.flock(self._writer_lock, fcntl.LOCK_UN)
        self._holds_writer_lock = False

    def _start_transaction_under_autocommit(self) -> None:
        self._lock_writers()
        try:
            super()._start_transaction_under_autocommit()  # type: ignore[misc]  # private in Django, so not in its stubs
        except BaseException:
            self._unlock_writers()
            raise

    def _commit(self) -> None:
        try:
            super()._commit()  # type: ignore[misc]  # private in Django, so not in its stubs
        finally:
            self._unlock_writers()

    def _rollback(self) -> None:
        try:
            super()._rollback()  # type: ignore[misc]  # private in Django, so not in its stubs
        finally:
            self._unlock_writers()

    def _close(self) -> None:
        try:
            super()._close()  # type: ignore[misc]  # private in Django, so not in its stubs
        finally:
            self._unlock_writers()
            if self._writer_lock is not None:
                os.close(self._writer_lock)
                self._writer_lock = None
