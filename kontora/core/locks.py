"""Row locks of core's own tables, and the one way any app takes a row lock.

Every `select_for_update` of the program lives in an app's `locks.py` and goes through `locked`: rows are
taken in primary-key order (two services locking the same rows cannot deadlock), with `no_key=True` unless
the key itself changes (inserts of rows pointing at the locked one need not wait), and `of=("self",)` so a
joined table is never locked by accident. SQLite has no row locks: its writers queue for the base instead.
"""

from __future__ import annotations

from typing import TypeVar

from django.db.models import Model, QuerySet

from kontora.core.models import NumberCounter

M = TypeVar("M", bound=Model)


def locked(queryset: QuerySet[M], *, key_update: bool = False) -> QuerySet[M]:
    """The rows of `queryset`, locked until the transaction ends, in primary-key order."""
    return queryset.select_for_update(no_key=not key_update, of=("self",)).order_by("pk")


def number_counter(*, kind: str, entity: int, year: int) -> NumberCounter:
    return locked(NumberCounter.objects.filter(kind=kind, entity=entity, year=year)).get()
