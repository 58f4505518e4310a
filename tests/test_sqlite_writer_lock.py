"""The SQLite backend queues transactions on a file lock: held from BEGIN to COMMIT or ROLLBACK only."""

from __future__ import annotations

import fcntl
import os
import threading
import time
from pathlib import Path
from typing import Any

import pytest
from django.db.utils import ConnectionHandler

from sciatrack.db.sqlite import base as sqlite_base
from sciatrack.db.sqlite.base import DatabaseWrapper


@pytest.fixture(autouse=True)
def own_databases(django_db_blocker: Any) -> Any:
    """These tests open their own database files, not the test database."""
    with django_db_blocker.unblock():
        yield


def database(path: Path | str, init_command: str = "") -> Any:
    options = {"transaction_mode": "IMMEDIATE", "timeout": 20, "init_command": init_command}
    handler = ConnectionHandler(
        {"default": {"ENGINE": "sciatrack.db.sqlite", "NAME": str(path), "OPTIONS": options}}
    )
    return handler["default"]


def lock_is_free(path: str) -> bool:
    descriptor = os.open(path, os.O_RDWR | os.O_CREAT)
    try:
        fcntl.flock(descriptor, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        return False
    else:
        fcntl.flock(descriptor, fcntl.LOCK_UN)
        return True
    finally:
        os.close(descriptor)


def begin(connection: Any) -> None:
    """What an outermost ``atomic`` block does on entering."""
    connection.set_autocommit(False, force_begin_transaction_with_broken_autocommit=True)


@pytest.mark.parametrize("end", ["commit", "rollback"])
def test_it_holds_the_lock_from_begin_until_the_transaction_ends(tmp_path: Path, end: str) -> None:
    connection = database(tmp_path / "db.sqlite3")
    assert isinstance(connection, DatabaseWrapper)
    lock = connection.writer_lock_path()
    assert lock == f"{tmp_path / 'db.sqlite3'}-writer.lock"
    connection.cursor().execute("CREATE TABLE note (text TEXT)")
    assert lock_is_free(lock)  # a statement outside a transaction takes no file lock
    begin(connection)
    connection.cursor().execute("INSERT INTO note VALUES ('kept')")
    assert not lock_is_free(lock)
    getattr(connection, end)()
    connection.set_autocommit(True)
    assert lock_is_free(lock)
    rows = connection.cursor().execute("SELECT count(*) FROM note").fetchone()[0]
    assert rows == (1 if end == "commit" else 0)
    connection.close()


def test_a_queued_write_holds_the_lock_outside_a_transaction_and_leaves_it_to_one(tmp_path: Path) -> None:
    connection = database(tmp_path / "db.sqlite3")
    lock = connection.writer_lock_path()
    connection.cursor().execute("CREATE TABLE note (text TEXT)")
    with connection.queued_write():
        assert not lock_is_free(lock)
        connection.cursor().execute("INSERT INTO note VALUES ('one statement')")
    assert lock_is_free(lock)
    begin(connection)
    with connection.queued_write():
        connection.cursor().execute("INSERT INTO note VALUES ('in a transaction')")
    assert not lock_is_free(lock)  # still the transaction's until it ends
    connection.commit()
    connection.set_autocommit(True)
    assert lock_is_free(lock)
    assert connection.cursor().execute("SELECT count(*) FROM note").fetchone()[0] == 2
    connection.close()


@pytest.mark.parametrize("conn_max_age", [None, 0], ids=["kept-open", "new-each-request"])
def test_it_checkpoints_the_log_once_its_queued_writes_are_done_and_a_request_ends(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, conn_max_age: int | None
) -> None:
    monkeypatch.setattr(sqlite_base, "CHECKPOINT_EVERY", 5)
    path = tmp_path / "db.sqlite3"
    connection = database(path, init_command="PRAGMA journal_mode=WAL")
    connection.settings_dict["CONN_MAX_AGE"] = conn_max_age
    assert connection.cursor().execute("PRAGMA wal_autocheckpoint").fetchone()[0] == (
        sqlite_base.SQLITE_CHECKPOINT_PAGES
    )
    with connection.queued_write():
        connection.cursor().execute("CREATE TABLE note (text TEXT)")
    # Another process's connection stays open, as in a server: SQLite copies the log when the last
    # connection closes, which would hide whether this one did.
    other = database(path)
    other.cursor().execute("SELECT count(*) FROM note")
    before = path.stat().st_size  # what the database file held after the last checkpoint
    for _ in range(3):
        with connection.queued_write():
            connection.cursor().execute("INSERT INTO note VALUES (%s)", ["x" * 20_000])
    connection.close_if_unusable_or_obsolete()  # a request ends after four writes: nothing due yet
    assert path.stat().st_size == before  # the rows are only in the log
    begin(connection)  # a transaction counts as one write too: the fifth
    connection.cursor().execute("INSERT INTO note VALUES (%s)", ["x" * 20_000])
    connection.commit()
    connection.set_autocommit(True)
    assert path.stat().st_size == before  # due, but not within the write
    connection.close_if_unusable_or_obsolete()
    assert path.stat().st_size > before + 4 * 20_000  # the log was copied into the file
    connection.close()
    other.close()


def test_a_second_writer_waits_for_the_first_and_then_sees_its_row(tmp_path: Path) -> None:
    path = tmp_path / "db.sqlite3"
    first = database(path)
    first.cursor().execute("CREATE TABLE note (text TEXT)")
    begin(first)
    first.cursor().execute("INSERT INTO note VALUES ('first')")
    seen: list[Any] = []

    def second_writer() -> None:
        second = database(path)
        started = time.monotonic()
        begin(second)  # blocks on the file lock until the first commits
        seen.append(time.monotonic() - started)
        seen.append([row[0] for row in second.cursor().execute("SELECT text FROM note").fetchall()])
        second.cursor().execute("INSERT INTO note VALUES ('second')")
        second.commit()
        second.set_autocommit(True)
        second.close()

    thread = threading.Thread(target=second_writer)
    thread.start()
    time.sleep(0.3)
    assert seen == []  # still waiting
    first.commit()
    first.set_autocommit(True)
    thread.join(timeout=10)
    waited, rows = seen
    assert waited >= 0.25 and rows == ["first"]
    texts = [row[0] for row in first.cursor().execute("SELECT text FROM note ORDER BY rowid").fetchall()]
    assert texts == ["first", "second"]
    first.close()


def test_an_in_memory_database_has_no_lock_file() -> None:
    connection = database(":memory:")
    assert connection.writer_lock_path() is None
    begin(connection)
    connection.rollback()
    connection.set_autocommit(True)
