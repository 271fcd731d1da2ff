"""Row locks of core's own tables, and the one way any app takes a row lock.

Every `select_for_update` of the program lives in an app's `locks.py` and goes through `locked`: rows are
taken in primary-key order (two services locking the same rows cannot deadlock), with `no_key=True` unless
the key itself changes (inserts of rows pointing at the locked one need not wait), and `of=("self",)` so a
joined table is never locked by accident. SQLite has no row locks: its writers queue for the base instead.
"""

from __future__ import annotations

from typing import TypeVar

from django.db.models import Model, QuerySet

from kontora.core.models import (
    BankAccount,
    Department,
    LegalEntity,
    NumberCounter,
    OfficeDay,
    Position,
    SystemSettings,
    UserParameters,
)

M = TypeVar("M", bound=Model)


def locked(queryset: QuerySet[M], *, key_update: bool = False) -> QuerySet[M]:
    """The rows of `queryset`, locked until the transaction ends, in primary-key order."""
    return queryset.select_for_update(no_key=not key_update, of=("self",)).order_by("pk")


def number_counter(*, kind: str, entity: int, year: int) -> NumberCounter:
    return locked(NumberCounter.objects.filter(kind=kind, entity=entity, year=year)).get()


# --- core's own rows: each service locks what it changes, and any set of rows in primary-key order ----------


def legal_entities() -> list[LegalEntity]:
    """Every legal entity: changes of the defaults, additions and deletions serialise on the whole set."""
    return list(locked(LegalEntity.objects.all()))


def legal_entity(entity_id: int) -> LegalEntity:
    return locked(LegalEntity.objects.filter(pk=entity_id)).get()


def bank_account(account_id: int) -> BankAccount:
    return locked(BankAccount.objects.filter(pk=account_id).select_related("legal_entity")).get()


def department(department_id: int, *, key_update: bool = False) -> Department:
    """`key_update` for a deletion: a position or user card taking the department must wait for it."""
    return locked(Department.objects.filter(pk=department_id), key_update=key_update).get()


def position(position_id: int, *, key_update: bool = False) -> Position:
    """`key_update` for a deletion: a user card taking the position must wait for it."""
    return locked(Position.objects.filter(pk=position_id), key_update=key_update).get()


def system_settings() -> SystemSettings:
    """The base-wide settings row (it must exist: services.settings makes it)."""
    return locked(SystemSettings.objects.filter(pk=1)).get()


def user_parameters(user_id: int) -> UserParameters:
    """One user's parameters row (it must exist: services.settings makes it)."""
    return locked(UserParameters.objects.filter(user_id=user_id)).get()


def office_day(day_id: int) -> OfficeDay:
    return locked(OfficeDay.objects.filter(pk=day_id)).get()
