"""Compiled statements reused across requests, for hot reads of a fixed shape (the registry's pages).

Django builds and compiles a queryset on every call. For the registry at a million clients that costs
more than the index seek itself on SQLite (about 2 ms against 0.5 ms, bench/RESULTS.md). `fetch`
compiles the queryset once per shape, built with marker values in the places that change from call to
call, finds the markers among the statement's parameters, and afterwards only binds the values and runs
the SQL. Rows go through the converters Django itself would apply, so they are the values
`values_list` returns.

A shape whose markers do not come out as plain parameters (a value Django rewrites, e.g. a LIKE
pattern) is never cached: `fetch` then builds the queryset with the real values every time.
"""

from __future__ import annotations

import itertools
import logging
from collections.abc import Callable, Hashable, Mapping
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from typing import Any

from django.conf import settings
from django.core.exceptions import EmptyResultSet, FullResultSet
from django.db import connection
from django.db.backends.sqlite3.base import FORMAT_QMARK_REGEX
from django.db.backends.sqlite3.operations import DatabaseOperations as SQLiteOperations
from django.db.models import QuerySet

log = logging.getLogger(__name__)

# Markers: values no statement has as a constant. Integers stay inside every integer field's range, or
# Django would fold a comparison with them into "all rows" / "no rows" and the marker would vanish.
_INT_BASE = 2_000_000_000
_DATE_BASE = datetime(1901, 1, 1, tzinfo=UTC)


def _marker(value: Any, index: int) -> Any:
    if isinstance(value, bool):
        raise TypeError("booleans change a statement's shape: put them in the key")
    if isinstance(value, int):
        return _INT_BASE + index
    if isinstance(value, str):
        return f"\x1fmarker-{index}\x1f"
    if isinstance(value, datetime):
        return _DATE_BASE.replace(second=index % 60, minute=index // 60)
    if isinstance(value, date):  # a day (a DateField's): of 1901's first months, as no journal's choice is
        return _DATE_BASE.date() + timedelta(days=index)
    raise TypeError(f"no marker for {type(value).__name__}")


def _bound(value: Any) -> Any:
    """A value as the driver receives it (what Django's field preparation does for these types)."""
    if isinstance(value, datetime):
        if settings.USE_TZ and value.tzinfo is None:
            raise ValueError("naive datetime")
        return connection.ops.adapt_datetimefield_value(value)
    if isinstance(value, date):
        return connection.ops.adapt_datefield_value(value)
    return value


@dataclass(frozen=True)
class _Compiled:
    sql: str
    qmark: str  # the SQL as SQLite's driver takes it (? for %s)
    params: tuple[Any, ...]
    slots: tuple[tuple[int, str], ...]  # (position in params, name of the value)
    converters: tuple[tuple[int, Callable[[Any], Any]], ...]  # (position in a row, its conversion)


def _conversion(converters: tuple[Callable[..., Any], ...], expression: Any) -> Callable[[Any], Any]:
    """A column's conversion: Django's converters in turn — but SQLite's text of a moment read straight by
    `fromisoformat`, as Django's own parse does first, without its checks around it (a journal of a day's tasks
    has hundreds of moments, and those checks cost more than reading the text)."""
    if len(converters) == 1 and getattr(converters[0], "__func__", None) is _SQLITE_DATETIME:
        zone, convert = connection.timezone, converters[0]

        def moment(value: Any) -> Any:
            if isinstance(value, str):
                try:
                    parsed = datetime.fromisoformat(value)
                except ValueError:
                    return convert(value, expression, connection)
                return parsed if parsed.tzinfo is not None or not settings.USE_TZ else parsed.replace(tzinfo=zone)
            return convert(value, expression, connection)

        return moment

    def apply(value: Any) -> Any:
        for convert in converters:
            value = convert(value, expression, connection)
        return value

    return apply


_SQLITE_DATETIME = SQLiteOperations.convert_datetimefield_value
_cache: dict[tuple[Any, ...], _Compiled | None] = {}  # None: the shape cannot be prepared


def _compile(queryset: QuerySet[Any], markers: Mapping[str, Any]) -> _Compiled | None:
    compiler = queryset.query.get_compiler(using=queryset.db)
    try:
        sql, params = compiler.as_sql()
    except (EmptyResultSet, FullResultSet):  # folded away: let Django build it with the real values
        return None
    wanted = {_bound(marker): name for name, marker in markers.items()}
    slots, found = [], set()
    for position, param in enumerate(params):
        name = wanted.get(param) if isinstance(param, Hashable) else None
        if name is not None:
            slots.append((position, name))
            found.add(name)
        elif isinstance(param, str) and "\x1fmarker-" in param:
            return None  # a marker rewritten into another value: not a plain parameter
    if found != set(markers):
        return None
    fields = [s[0] for s in compiler.select[0: compiler.col_count]]
    converters = tuple(
        (position, _conversion(tuple(convs), expression))
        for position, (convs, expression) in compiler.get_converters(fields).items()
    )
    qmark = FORMAT_QMARK_REGEX.sub("?", sql).replace("%%", "%") if connection.vendor == "sqlite" else sql
    return _Compiled(sql, qmark, tuple(params), tuple(slots), converters)


def _run(compiled: _Compiled, params: list[Any]) -> list[Any]:
    """The statement's rows. On SQLite, Django's cursor turns each statement's %s into ? by a regular expression,
    which for a journal's long SQL takes about as long as SQLite takes to read its page: the statement turned once
    is run on the driver's own cursor, still inside Django's wrapper (its execute wrappers — the request's time
    budget — and its errors). Where queries are logged (DEBUG, a test counting them) it takes Django's way, whose
    log writes the SQL with its values in place of the %s."""
    if connection.vendor == "sqlite" and not connection.queries_logged:
        connection.ensure_connection()
        cursor = connection.make_cursor(connection.connection.cursor())
        sql = compiled.qmark
    else:
        cursor, sql = connection.cursor(), compiled.sql
    with cursor:
        cursor.execute(sql, params)
        return cursor.fetchall()


def fetch(
    key: Hashable, values: Mapping[str, Any], build: Callable[[Mapping[str, Any]], QuerySet[Any]],
) -> list[tuple[Any, ...]]:
    """The rows of `build(values)` (a values_list queryset) as tuples, compiled once per `key`.

    `key` must name everything that changes the statement's shape (sort, direction, the user's
    working mode, which values are NULL …); `values` holds what changes per call (ints, strings, days,
    aware datetimes), and `build` must use them only as plain comparison values.
    """
    full_key = (connection.vendor, connection.alias, key)
    if full_key not in _cache:
        counter = itertools.count(1)
        markers = {name: _marker(value, next(counter)) for name, value in values.items()}
        _cache[full_key] = _compile(build(markers), markers)
        if _cache[full_key] is None:
            log.warning("statement %r cannot be prepared: built anew on each call", key)
    compiled = _cache[full_key]
    if compiled is None:
        return [tuple(row) for row in build(values)]
    params = list(compiled.params)
    for position, name in compiled.slots:
        params[position] = _bound(values[name])
    rows = _run(compiled, params)
    if not compiled.converters:
        return [tuple(row) for row in rows]
    out = []
    for row in rows:
        row = list(row)
        for position, convert in compiled.converters:
            row[position] = convert(row[position])
        out.append(tuple(row))
    return out


def forget() -> None:
    """Drops every compiled statement (tests that change settings the SQL depends on)."""
    _cache.clear()
