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

from sciatrack.db.sqlite.base import DatabaseWrapper


@pytest.fixture(autouse=True)
def own_databases(django_db_blocker: Any) -> Any:
    """These tests open their own database files, not the test database."""
    with django_db_blocker.unblock():
        yield


def database(path: Path | str) -> Any:
    handler = ConnectionHandler(
        {
            "default": {
                "ENGINE": "sciatrack.db.sqlite",
                "NAME": str(path),
                "OPTIONS": {"transaction_mode": "IMMEDIATE", "timeout": 20},
            }
        }
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
