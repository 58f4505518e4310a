"""Reading one whole row of a model with one plain SQL statement, for the few reads on every request.

For a one-row lookup by key the ORM spends several times longer building the query than the database
spends answering it (about 0.25 ms against 0.05 ms on SQLite). :func:`fetch_one` runs the same SELECT
directly, turns each column into its Python value with the database's own converters (as the ORM does:
SQLite's dates come back as text, its booleans as 0 and 1) and builds the instance the ORM would.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import cache
from typing import Any, TypeVar

from django.db import connections, models, router

M = TypeVar("M", bound=models.Model)
Converter = Callable[[Any, Any, Any], Any]


@cache
def _select(model: type[models.Model], alias: str, key: str) -> tuple[str, list[str], list[Any]]:
    """The SELECT for ``model`` by the field ``key``, the attribute names it fills, and per column the
    expression and converters to apply (an empty list where the value needs none)."""
    connection = connections[alias]
    fields = model._meta.concrete_fields
    table = model._meta.db_table
    quote = connection.ops.quote_name
    columns = ", ".join(quote(str(field.column)) for field in fields)
    where = quote(str(model._meta.get_field(key).column))  # type: ignore[union-attr]
    sql = f"SELECT {columns} FROM {quote(table)} WHERE {where} = %s"
    conversions: list[Any] = []
    for field in fields:
        expression = field.get_col(table)
        converters = connection.ops.get_db_converters(expression) + field.get_db_converters(connection)
        conversions.append((expression, converters))
    return sql, [field.attname for field in fields], conversions


def fetch_one(model: type[M], key: str, value: Any) -> M | None:
    """The ``model`` instance whose field ``key`` (a unique one, e.g. ``"id"``) equals ``value``, or None."""
    alias = router.db_for_read(model)
    connection = connections[alias]
    sql, names, conversions = _select(model, alias, key)
    prepared = model._meta.get_field(key).get_db_prep_value(value, connection)  # type: ignore[union-attr]
    with connection.cursor() as cursor:
        cursor.execute(sql, [prepared])
        row = cursor.fetchone()
    if row is None:
        return None
    values = list(row)
    for index, (expression, converters) in enumerate(conversions):
        for convert in converters:
            values[index] = convert(values[index], expression, connection)
    return model.from_db(alias, names, values)
