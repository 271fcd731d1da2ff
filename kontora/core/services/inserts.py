"""Many rows inserted by multi-row INSERTs of plain column values — for the few writers of thousands of rows a
second (an import's batch of clients, their phone keys and history rows, its staged rows): the ORM's bulk_create
spends most of such a batch building a model instance and preparing each value of each row.

The caller gives each row as {attname: value}: texts, numbers, ids, booleans and None go as they are; JSON, times
and decimals are prepared by their fields; a column not given takes its field's default, and the `auto_now` /
`auto_now_add` stamps are now. Runs in the caller's transaction; nothing is answered (read keys back by a unique
column). On PostgreSQL the rows go by COPY.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from typing import Any

from django.db import connection, models
from django.utils import timezone

from kontora.core.money import MoneyField

_PREPARED = frozenset({"JSONField", "DateTimeField", "DateField", "TimeField", "DecimalField", "DurationField",
                       "UUIDField"})
MAX_ROWS = 500  # rows per statement (fewer when the base allows fewer parameters)


def rows_insert(model: type[models.Model], rows: Sequence[Mapping[str, Any]]) -> None:
    if not rows:
        return
    fields = [f for f in model._meta.concrete_fields if not f.primary_key]
    now = timezone.now()
    stamped = {f.attname: now for f in fields if getattr(f, "auto_now", False) or getattr(f, "auto_now_add", False)}
    defaults = {f.attname: f.get_default() for f in fields if f.attname not in stamped}
    # Values the base cannot take as Python has them (JSON, times, decimals) go through their field; the rest as given.
    # The defaults and the stamps are the same in every row: prepared once, a row's own values one by one.
    prepared = [f for f in fields if f.get_internal_type() in _PREPARED]
    base = {**defaults, **stamped}
    for field in prepared:
        base[field.attname] = field.get_db_prep_save(base[field.attname], connection)
    own = [f for f in prepared if f.attname not in stamped]

    def full(given: Mapping[str, Any]) -> dict[str, Any]:
        row = {**defaults, **given, **stamped}
        for field in prepared:
            row[field.attname] = field.get_db_prep_save(given[field.attname], connection) \
                if field in own and field.attname in given else base[field.attname]
        return row

    qn = connection.ops.quote_name
    columns = ", ".join(qn(str(f.column)) for f in fields)
    names = [f.attname for f in fields]
    if connection.vendor == "postgresql":
        # COPY: the rows stream as data. A multi-row INSERT of 500 rows has ~20,000 placeholders, which psycopg
        # splits again for every statement (too long for its cache) and the server parses and plans each time —
        # most of an import's batch on PostgreSQL.
        with connection.cursor() as cursor, cursor.cursor.copy(  # type: ignore[attr-defined]
                f"COPY {qn(model._meta.db_table)} ({columns}) FROM STDIN") as copy:
            for given in rows:
                row = full(given)
                copy.write_row([row[name] for name in names])
        return
    one = "(" + ", ".join(["%s"] * len(fields)) + ")"
    per = max(1, min(MAX_ROWS, (connection.features.max_query_params or 999) // len(fields)))
    with connection.cursor() as cursor:
        for start in range(0, len(rows), per):
            chunk = rows[start:start + per]
            values = [full(given) for given in chunk]
            # Names come from the model's own meta, quoted; every value goes as a parameter.
            cursor.execute(f"INSERT INTO {qn(model._meta.db_table)} ({columns}) VALUES "  # noqa: S608
                           + ", ".join([one] * len(chunk)), [row[name] for row in values for name in names])


def table_analyze(model: type[models.Model]) -> None:
    """Gathers PostgreSQL's statistics of a table a writer has just filled or rewritten by the thousand: until
    autovacuum comes round, the planner still sees it as it was (empty, or every row undecided) and reads a batch
    by a sequential scan and a sort — each of an import's batches read the whole remaining table. A sample, so
    bounded however big the table; SQLite's planner keeps to the index without statistics."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute(f"ANALYZE {connection.ops.quote_name(model._meta.db_table)}")


# The array type each kind of column travels in to PostgreSQL's unnest (JSON as text, cast back in the SET).
_PG_ARRAYS = {"ForeignKey": "bigint", "BigIntegerField": "bigint", "IntegerField": "bigint",
              "PositiveIntegerField": "bigint", "SmallIntegerField": "bigint", "PositiveSmallIntegerField": "bigint",
              "CharField": "text", "TextField": "text", "JSONField": "text", "BooleanField": "boolean",
              "DateTimeField": "timestamptz", "DateField": "date", "DecimalField": "numeric"}


def rows_update(model: type[models.Model], objects: Sequence[models.Model], fields: Sequence[str]) -> None:
    """Writes `fields` (names) of many rows of `model`, each its own values as the objects hold them: on PostgreSQL
    one UPDATE over the values as arrays (unnest), on SQLite one prepared statement run for every row — the ORM's
    bulk_update builds a CASE expression per field and row, and a save per row costs a round of the ORM each.
    Nothing else of a save happens (no `auto_now` stamp, no signal): the caller sets what it means to write."""
    if not objects:
        return
    meta = model._meta
    columns = [field for name in fields if isinstance(field := meta.get_field(name), models.Field)]
    qn = connection.ops.quote_name
    kinds = [field.get_internal_type() for field in columns]

    def value(obj: models.Model, field: models.Field[Any, Any], kind: str) -> Any:
        raw = getattr(obj, field.attname)
        if kind == "JSONField":
            return None if raw is None else json.dumps(raw, ensure_ascii=False)
        # Money travels as its kopecks (MoneyField's own preparation), not as the Decimal the object holds.
        return field.get_db_prep_save(raw, connection) if kind in _PREPARED or isinstance(field, MoneyField) else raw

    values = [[value(obj, field, kind) for obj in objects] for field, kind in zip(columns, kinds, strict=True)]
    table, key = qn(meta.db_table), qn(str(meta.pk.column))
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            arrays = ", ".join(f"%s::{_PG_ARRAYS[kind]}[]" for kind in kinds)
            names = ", ".join(f"c{n}" for n in range(len(columns)))
            sets = ", ".join(f"{qn(str(field.column))} = v.c{n}{'::jsonb' if kind == 'JSONField' else ''}"
                             for n, (field, kind) in enumerate(zip(columns, kinds, strict=True)))
            cursor.execute(f"UPDATE {table} AS t SET {sets} FROM unnest(%s::bigint[], {arrays}) "  # noqa: S608
                           f"AS v(k, {names}) WHERE t.{key} = v.k", [[obj.pk for obj in objects], *values])
            return
        assignments = ", ".join(f"{qn(str(field.column))} = %s" for field in columns)
        cursor.executemany(f"UPDATE {table} SET {assignments} WHERE {key} = %s",  # noqa: S608  (model names)
                           [[*(column[n] for column in values), obj.pk] for n, obj in enumerate(objects)])
