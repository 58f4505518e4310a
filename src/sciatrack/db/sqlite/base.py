"""Django's SQLite backend, with transactions queued by a file lock instead of SQLite's sleep-and-retry.

When a transaction finds another holding SQLite's write lock, SQLite sleeps and tries again (after 1,
then 2, 5, 10 ms and longer), so under load the waiting writers sleep far longer than the lock is held
and the processor sits idle. Here every transaction first takes an exclusive ``flock`` on the file
``<database>-writer.lock``; the kernel hands it to the next waiter the moment it is released, and SQLite's
own lock is then free when ``BEGIN IMMEDIATE`` asks for it. The file lock is released when the
transaction commits or rolls back, and by the kernel if the process dies.

SQLite copies the write-ahead log into the database (a checkpoint) as part of the commit that takes
the log past 1,000 pages, while that writer still holds the file lock, so every queued writer would wait
for the copy, and the request that happened to fill it would wait too. Here each connection checkpoints
by itself once :data:`CHECKPOINT_EVERY` of its queued writes have gone by, at the end of the request
(when Django checks its connections, after the answer has been sent) and outside the lock: a passive
checkpoint lets other writers carry on meanwhile. SQLite's own threshold is raised to
:data:`SQLITE_CHECKPOINT_PAGES`, which bounds the log where no request ends (commands, scripts).

Transactions (``atomic`` blocks) queue this way, and so does a single write wrapped in
:meth:`DatabaseWrapper.queued_write` (as :func:`sciatrack.db.plain_sql.insert` does); any other statement
outside a transaction still relies on SQLite's busy timeout. In-memory databases (as the test suite's)
have no file and are left alone.
"""

from __future__ import annotations

import fcntl
import os
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from django.db.backends.sqlite3 import base

# A connection's turns in the writer queue (its transactions and queued writes) between its own
# checkpoints; with several processes writing, the log is copied more often than this. A stored session
# log writes about six pages.
CHECKPOINT_EVERY = 200
# SQLite's own checkpoint threshold, in pages of the log (its default is 1,000).
SQLITE_CHECKPOINT_PAGES = 10_000


class DatabaseWrapper(base.DatabaseWrapper):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._writer_lock: int | None = None  # the lock file's descriptor, opened on first use
        self._holds_writer_lock = False
        self._writes_since_checkpoint = 0
        self._checkpoint_due = False

    def get_new_connection(self, conn_params: Any) -> Any:
        connection = super().get_new_connection(conn_params)
        if self.writer_lock_path() is not None:
            connection.execute(f"PRAGMA wal_autocheckpoint={SQLITE_CHECKPOINT_PAGES}")
        # The count of writes goes on across connections: with CONN_MAX_AGE=0 each request has a new one.
        return connection

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
        """Give up the lock if held; every :data:`CHECKPOINT_EVERY` turns in the queue, a checkpoint
        comes due (see :meth:`close_if_unusable_or_obsolete`)."""
        if self._holds_writer_lock and self._writer_lock is not None:
            fcntl.flock(self._writer_lock, fcntl.LOCK_UN)
            self._writes_since_checkpoint += 1
            if self._writes_since_checkpoint >= CHECKPOINT_EVERY:
                self._writes_since_checkpoint = 0
                self._checkpoint_due = True
        self._holds_writer_lock = False

    def close_if_unusable_or_obsolete(self) -> None:
        """Run a checkpoint that came due, then Django's own check (which may close the connection).

        Django calls this as each request starts and once its answer has gone out.
        """
        if self._checkpoint_due and self.connection is not None and not self.in_atomic_block:
            self._checkpoint_due = False
            self.connection.execute("PRAGMA wal_checkpoint(PASSIVE)")
        super().close_if_unusable_or_obsolete()

    @contextmanager
    def queued_write(self) -> Iterator[None]:
        """Hold the writer lock while the block runs one write statement outside a transaction.

        SQLite runs such a statement in a transaction of its own, committed when it ends, which is
        cheaper than an ``atomic`` block around it; this gives it the same place in the queue. Inside
        a transaction, which holds the lock already until it ends, this does nothing.
        """
        if self._holds_writer_lock or not self.get_autocommit():
            yield
            return
        self._lock_writers()
        try:
            yield
        finally:
            self._unlock_writers()

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
