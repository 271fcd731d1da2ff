"""Numbers of documents and codes of records (DESIGN "Numbering").

Documents (`number_next`): gapless per (kind, legal entity, the document date's year). The counter row is
created if missing (`INSERT … ON CONFLICT DO NOTHING`), then locked and advanced in the caller's transaction:
two users issuing invoices wait for each other for the length of one transaction, and a rolled-back document
gives its number back. The user's prefix («АМ-») is printed in front of the number (`number_shown`); it is
not part of the counter.

Record codes (`code_next`: clients, nomenclature items) need only be unique, and creations must not wait for
each other: on PostgreSQL they come from a sequence per kind (`kontora_code_<kind>`, created by the owning
app's migration), whose `nextval` never blocks; on SQLite, where writers already take turns for the whole
base, from a counter row advanced in the creating transaction. Whatever writes codes by itself (the demo
fill, an import, a restore) calls `code_catch_up` afterwards, so the next code is above every code in use.
"""

from __future__ import annotations

from typing import Any

from django.db import connection, transaction
from django.utils.translation import gettext as _

from kontora.core import locks
from kontora.core.audit import audit_record
from kontora.core.errors import Refused
from kontora.core.hooks import CODE_KINDS
from kontora.core.models import NumberCounter


def _entity_id(legal_entity: Any) -> int:
    if legal_entity is None:
        return 0
    return int(getattr(legal_entity, "pk", legal_entity))


def _counter(kind: str, entity: int, year: int) -> NumberCounter:
    NumberCounter.objects.bulk_create(
        [NumberCounter(kind=kind, entity=entity, year=year)], ignore_conflicts=True,
    )
    return locks.number_counter(kind=kind, entity=entity, year=year)


def number_next(*, kind: str, legal_entity: Any = None, year: int | None = None) -> int:
    """The next gapless number of a document kind; call inside the transaction that saves the document."""
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("number_next runs inside the transaction that saves the document")
    counter = _counter(kind, _entity_id(legal_entity), year or 0)
    counter.last += 1
    counter.save(update_fields=["last"])
    return counter.last


def numbers_next(*, kind: str, legal_entity: Any = None, year: int | None = None, count: int) -> range:
    """`count` next gapless numbers at once, for a bulk fill (the demo) writing that many documents in the
    calling transaction; the counter is locked and advanced as `number_next` does it."""
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("numbers_next runs inside the transaction that saves the documents")
    if count <= 0:
        return range(0)
    counter = _counter(kind, _entity_id(legal_entity), year or 0)
    first = counter.last + 1
    counter.last += count
    counter.save(update_fields=["last"])
    return range(first, counter.last + 1)


def number_peek(*, kind: str, legal_entity: Any = None, year: int | None = None) -> int:
    """The number the next document would get (for the administrator's page; not a reservation)."""
    last = NumberCounter.objects.filter(kind=kind, entity=_entity_id(legal_entity), year=year or 0).values_list(
        "last", flat=True).first()
    return (last or 0) + 1


def number_set_next(*, acting_user: Any, kind: str, legal_entity: Any = None, year: int | None = None,
                    next_number: int) -> None:
    """An administrator moves the next number up (a new office continuing a paper journal); never down to a
    number already given."""
    with transaction.atomic():
        counter = _counter(kind, _entity_id(legal_entity), year or 0)
        if next_number <= counter.last:
            raise Refused(
                _("Number %(number)d has already been given; the next number can only be %(next)d or more.")
                % {"number": counter.last, "next": counter.last + 1},
                field="next_number",
            )
        old = counter.last + 1
        counter.last = next_number - 1
        counter.save(update_fields=["last"])
        audit_record(
            actor=acting_user, event="core.number.set_next", target=counter,
            summary=_("Next document number changed"),
            changes=[{"field": _("Next number"), "old": str(old), "new": str(next_number)}],
            extra={"kind": kind, "entity": counter.entity, "year": counter.year},
        )


def number_shown(number: int, prefix: str = "") -> str:
    """The number as documents print it: the user's prefix, a dash, the number («АМ-422»)."""
    return f"{prefix}-{number}" if prefix else str(number)


def sequence_name(kind: str) -> str:
    """The PostgreSQL sequence of a code kind (created by the owning app's migration)."""
    return f"kontora_code_{kind}"


def code_next(kind: str) -> int:
    """A new unique code of a record kind."""
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SELECT nextval(%s::regclass)", [sequence_name(kind)])
        else:
            key = f"code:{kind}"
            cursor.execute(
                "INSERT INTO core_numbercounter (kind, entity, year, last) VALUES (%s, 0, 0, 0) "
                "ON CONFLICT (kind, entity, year) DO NOTHING", [key],
            )
            cursor.execute(
                "UPDATE core_numbercounter SET last = last + 1 WHERE kind = %s AND entity = 0 AND year = 0 "
                "RETURNING last", [key],
            )
        return int(cursor.fetchone()[0])


def codes_next(kind: str, count: int) -> list[int]:
    """`count` new unique codes of a record kind in one statement (an import's batch): a block of the SQLite
    counter, or as many values of the PostgreSQL sequence (not necessarily consecutive there)."""
    if count <= 0:
        return []
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SELECT nextval(%s::regclass) FROM generate_series(1, %s)", [sequence_name(kind), count])
            return sorted(int(row[0]) for row in cursor.fetchall())
        key = f"code:{kind}"
        cursor.execute(
            "INSERT INTO core_numbercounter (kind, entity, year, last) VALUES (%s, 0, 0, 0) "
            "ON CONFLICT (kind, entity, year) DO NOTHING", [key],
        )
        cursor.execute(
            "UPDATE core_numbercounter SET last = last + %s WHERE kind = %s AND entity = 0 AND year = 0 "
            "RETURNING last", [count, key],
        )
        last = int(cursor.fetchone()[0])
    return list(range(last - count + 1, last + 1))


def code_catch_up(kind: str) -> None:
    """Moves the kind's counter above the greatest code in its table (after codes were written directly).

    A base restored from an archive older than the kind's counter has none yet: its migration sets it."""
    item = CODE_KINDS.get(kind)
    qn = connection.ops.quote_name
    top = f"SELECT COALESCE(MAX({qn(item.column)}), 0) FROM {qn(item.table)}"  # noqa: S608  (registered names)
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            seq = sequence_name(kind)
            cursor.execute("SELECT to_regclass(%s)", [seq])
            if cursor.fetchone()[0] is None:
                return
            cursor.execute(
                f"SELECT setval(%s::regclass, GREATEST(v, 1), v >= 1) FROM (SELECT GREATEST(({top}), "  # noqa: S608
                f"(SELECT CASE WHEN is_called THEN last_value ELSE last_value - 1 END FROM {qn(seq)})) AS v) AS t",
                [seq],
            )
        else:
            if "core_numbercounter" not in connection.introspection.table_names(cursor):
                return
            key = f"code:{kind}"
            cursor.execute(
                "INSERT INTO core_numbercounter (kind, entity, year, last) VALUES (%s, 0, 0, 0) "
                "ON CONFLICT (kind, entity, year) DO NOTHING", [key],
            )
            cursor.execute(
                f"UPDATE core_numbercounter SET last = MAX(last, ({top})) "  # noqa: S608
                "WHERE kind = %s AND entity = 0 AND year = 0", [key],
            )


def codes_catch_up() -> None:
    """Every registered kind (after a restore)."""
    for item in CODE_KINDS.items():
        code_catch_up(item.kind)
