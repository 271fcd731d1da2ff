"""The rows of the client card's «Продажи» and «Работы» journals (SAL-01, SAL-02), written one way: recorded by a
user who may edit the client, changed and deleted later only by their author or an administrator (the row's policy),
dated before today only with the past-date right (`policies.refuse_past_date`); every write audited in its
transaction, a form's stale save refused (core.conflicts). What differs between a sale and a work is its `RowSpec`:
its model, fields, own rules and audit events (`services.sales`, `services.works`)."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from decimal import Decimal
from typing import Any, Generic, TypeVar

from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from kontora.accounts.models import User
from kontora.billing import policies
from kontora.billing.models import JournalRow
from kontora.clients.models import Client
from kontora.core.audit import audit_record, changes_between, created_changes, deleted_changes, snapshot
from kontora.core.conflicts import Edit, check
from kontora.core.errors import NotAllowed
from kontora.core.permissions import Policy

R = TypeVar("R", bound=JournalRow)


@dataclass(frozen=True)
class Audit:
    event: str  # "billing.sale.create"
    summary: Any  # a lazy text with the row's `label` placeholders: "Sale recorded: %(date)s"


@dataclass(frozen=True)
class RowSpec(Generic[R]):
    """What makes a journal's row a sale or a work."""

    model: type[R]
    fields: tuple[str, ...]  # written by the services, audited, read by the form
    policy: Policy[R]
    lock: Callable[[int], R]  # the row locked for a change (billing.locks)
    rules: Callable[[R, set[str]], dict[str, str]]  # the row's own rules: field → message (`changed`: fields set)
    label: Callable[[R], Mapping[str, str]]  # the placeholders of the audit summaries
    created: Audit
    updated: Audit
    deleted: Audit
    texts: tuple[str, ...] = ()  # kept as "" when empty, stripped
    zeros: tuple[str, ...] = ()  # numbers kept as 0 when empty

    def clean(self, name: str, value: Any) -> Any:
        """A given value as the row keeps it."""
        if name in self.texts:
            return value or ""
        if name == "paid":
            return bool(value)
        if name in self.zeros and value is None:
            return Decimal("0")
        return value

    def audit(self, what: Audit, acting_user: User, row: R, changes: Any) -> None:
        audit_record(actor=acting_user, event=what.event, target=row, client=row.client_id,
                     summary=str(what.summary) % self.label(row), changes=changes)


def value_of(record: models.Model, name: str) -> Any:
    """The record's value of a field as kept (a relation as its key)."""
    return getattr(record, record._meta.get_field(name).attname)  # type: ignore[union-attr]


def value_given(model: type[models.Model], value: Any, name: str) -> Any:
    if model._meta.get_field(name).is_relation:
        return getattr(value, "pk", value)
    return value


def _check(spec: RowSpec[R], row: R, changed: set[str]) -> None:
    """The row's rules, each error next to its field; a row not paid has no payment date."""
    for name in spec.texts:
        setattr(row, name, (getattr(row, name) or "").strip())
    errors = spec.rules(row, changed)
    if row.amount is None or Decimal(row.amount) < 0:
        errors["amount"] = _("The amount cannot be negative.")
    if row.responsible_id is None:
        errors["responsible"] = _("Choose who is responsible.")
    if not row.paid:
        row.paid_on = None
    if errors:
        raise ValidationError(errors)


def row_create(spec: RowSpec[R], *, acting_user: User, client: Client, values: Mapping[str, Any]) -> R:
    """Records a row of the client's journal (Ins in it): by a user who may edit the client; the responsible is the
    author unless another one is chosen."""
    with transaction.atomic():
        if not policies.can_write_for(acting_user, client):
            raise NotAllowed
        fields = {name: spec.clean(name, values.get(name)) for name in spec.fields}
        fields["responsible"] = fields["responsible"] or acting_user
        row = spec.model(client=client, author=acting_user, changed_by=acting_user, created_at=timezone.now(),
                         **fields)
        _check(spec, row, set(spec.fields))
        policies.refuse_past_date(acting_user, row.date)
        row.save(force_insert=True)
        spec.audit(spec.created, acting_user, row, created_changes(row, spec.fields))
    return row


def row_update(spec: RowSpec[R], *, acting_user: User, row: R, values: Mapping[str, Any],
               edit: Edit | None = None) -> R:
    """Changes the given fields of a row (a form gives those the user changed, with its `edit`): its author or an
    administrator, on a client he may edit; a row dated before today, or moved there, needs the past-date right."""
    with transaction.atomic():
        current = spec.lock(row.pk)
        if not spec.policy.can(acting_user, "change", current):
            raise NotAllowed
        if edit is not None:
            check([edit], current, target=current)
        before = snapshot(current, spec.fields)
        was_dated = current.date
        changed = {name for name in spec.fields if name in values
                   and value_of(current, name) != value_given(spec.model, spec.clean(name, values[name]), name)}
        for name in changed:
            setattr(current, name, spec.clean(name, values[name]))
        _check(spec, current, changed)
        if not changed:
            return current
        policies.refuse_past_date(acting_user, was_dated, current.date)
        current.changed_by = acting_user
        current.save()
        spec.audit(spec.updated, acting_user, current,
                   changes_between(spec.model, before, snapshot(current, spec.fields), spec.fields))
    return current


def row_delete(spec: RowSpec[R], *, acting_user: User, row: R) -> None:
    """Deletes a row: its author or an administrator, on a client he may edit (a past-dated one with the right)."""
    with transaction.atomic():
        current = spec.lock(row.pk)
        if not spec.policy.can(acting_user, "delete", current):
            raise NotAllowed
        policies.refuse_past_date(acting_user, current.date)
        spec.audit(spec.deleted, acting_user, current, deleted_changes(current, spec.fields))
        current.delete()
