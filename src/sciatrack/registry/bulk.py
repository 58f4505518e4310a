"""Fast inserts of many rows: COPY on PostgreSQL, ``executemany`` in one transaction on SQLite.

The rows skip Django's model layer on purpose: at registry scale (millions of rows) building model
instances costs more than the database work itself. Columns are given by their database names.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

from django.db import connection, models


def insert_rows(model: type[models.Model], columns: Sequence[str], rows: Iterable[Sequence[Any]]) -> int:
    """Insert ``rows`` (tuples in ``columns`` order) into ``model``'s table; returns how many.

    ``rows`` may be a generator, but one that queries the database must be drained first (``list``): on
    PostgreSQL the connection is busy with the COPY while the rows are read, and a query then waits forever.
    """
    table = connection.ops.quote_name(model._meta.db_table)
    names = ", ".join(connection.ops.quote_name(column) for column in columns)
    count = 0
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            raw = cursor.cursor  # the psycopg cursor underneath Django's wrapper
            with raw.copy(f"COPY {table} ({names}) FROM STDIN") as copy:
                for row in rows:
                    copy.write_row(row)
                    count += 1
            return count
        placeholders = ", ".join("%s" for _ in columns)
        batch: list[Sequence[Any]] = []
        for row in rows:
            batch.append(row)
            if len(batch) == 10_000:
                cursor.executemany(f"INSERT INTO {table} ({names}) VALUES ({placeholders})", batch)
                count += len(batch)
                batch = []
        if batch:
            cursor.executemany(f"INSERT INTO {table} ({names}) VALUES ({placeholders})", batch)
            count += len(batch)
    return count
