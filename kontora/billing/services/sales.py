"""Sales of the client card's «Продажи» journal (SAL-01): recorded by a user who may edit the client, changed and
deleted later only by their author or an administrator; dated before today only with «Изменение данных прошлым
числом» (`change_past_data`). Every write is audited in its transaction; a form's stale save is refused
(core.conflicts)."""

from __future__ import annotations

from collections.abc import Mapping
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from kontora.accounts.models import User
from kontora.billing import locks, policies
from kontora.billing.models import PaymentKind, Sale
from kontora.clients.models import Client
from kontora.core.audit import audit_record, changes_between, created_changes, deleted_changes, snapshot
from kontora.core.conflicts import Edit, check
from kontora.core.errors import NotAllowed
from kontora.directories.models import NomenclatureItem

SALE_FIELDS = ("date", "item", "quantity", "amount", "paid", "paid_on", "payment_method", "responsible", "note")


def value_of(record: models.Model, name: str) -> Any:
    """The record's value of a field as kept (a relation as its key)."""
    return getattr(record, record._meta.get_field(name).attname)  # type: ignore[union-attr]


def value_given(model: type[models.Model], value: Any, name: str) -> Any:
    if model._meta.get_field(name).is_relation:
        return getattr(value, "pk", value)
    return value


def _check(sale: Sale, changed: set[str]) -> None:
    """The sale's rules, each error next to its field (a retired goods item stays on a sale that has it)."""
    errors: dict[str, str] = {}
    sale.note = (sale.note or "").strip()
    if sale.date is None:
        errors["date"] = _("Enter the date of the sale.")
    if sale.item_id is None:
        errors["item"] = _("Choose the goods sold.")
    elif "item" in changed and not NomenclatureItem.objects.filter(pk=sale.item_id, is_active=True).exists():
        errors["item"] = _("These goods are no longer in use: choose others.")
    if sale.quantity is None or Decimal(sale.quantity) <= 0:
        errors["quantity"] = _("The quantity must be greater than zero.")
    if sale.amount is None or Decimal(sale.amount) < 0:
        errors["amount"] = _("The amount cannot be negative.")
    if sale.responsible_id is None:
        errors["responsible"] = _("Choose who is responsible.")
    if sale.payment_method and sale.payment_method not in PaymentKind.values:
        errors["payment_method"] = _("Choose cash or non-cash.")
    if not sale.paid:
        sale.paid_on = None
    if errors:
        raise ValidationError(errors)


def _label(sale: Sale) -> str:
    return f"{sale.date:%d.%m.%Y}" if sale.date else ""


def sale_create(*, acting_user: User, client: Client, values: Mapping[str, Any]) -> Sale:
    """Records a sale of goods to the client (Ins in the card's «Продажи»): by a user who may edit the client; the
    responsible is the author unless another one is chosen."""
    with transaction.atomic():
        if not policies.can_write_for(acting_user, client):
            raise NotAllowed
        fields = {name: values.get(name) for name in SALE_FIELDS}
        fields["responsible"] = fields["responsible"] or acting_user
        fields["note"] = fields["note"] or ""
        fields["payment_method"] = fields["payment_method"] or ""
        fields["paid"] = bool(fields["paid"])
        sale = Sale(client=client, author=acting_user, changed_by=acting_user, created_at=timezone.now(),
                    **fields)
        _check(sale, set(SALE_FIELDS))
        policies.refuse_past_date(acting_user, sale.date)
        sale.save(force_insert=True)
        audit_record(actor=acting_user, event="billing.sale.create", target=sale, client=client,
                     summary=_("Sale recorded: %(date)s") % {"date": _label(sale)},
                     changes=created_changes(sale, SALE_FIELDS))
    return sale


def sale_update(*, acting_user: User, sale: Sale, values: Mapping[str, Any], edit: Edit | None = None) -> Sale:
    """Changes the given fields of a sale (a form gives those the user changed, with its `edit`): its author or an
    administrator, on a client he may edit; a sale dated before today, or moved there, needs the past-date right."""
    with transaction.atomic():
        current = locks.sale_to_change(sale.pk)
        if not policies.sales.can(acting_user, "change", current):
            raise NotAllowed
        if edit is not None:
            check([edit], current, target=current)
        before = snapshot(current, SALE_FIELDS)
        was_dated = current.date
        changed = {name for name in SALE_FIELDS if name in values
                   and value_of(current, name) != value_given(Sale, values[name], name)}
        for name in changed:
            value = values[name]
            if name in ("note", "payment_method"):
                value = value or ""
            elif name == "paid":
                value = bool(value)
            setattr(current, name, value)
        _check(current, changed)
        if not changed:
            return current
        policies.refuse_past_date(acting_user, was_dated, current.date)
        current.changed_by = acting_user
        current.save()
        audit_record(actor=acting_user, event="billing.sale.update", target=current, client=current.client_id,
                     summary=_("Sale changed: %(date)s") % {"date": _label(current)},
                     changes=changes_between(Sale, before, snapshot(current, SALE_FIELDS), SALE_FIELDS))
    return current


def sale_delete(*, acting_user: User, sale: Sale) -> None:
    """Deletes a sale: its author or an administrator, on a client he may edit (a past-dated one with the right)."""
    with transaction.atomic():
        current = locks.sale_to_change(sale.pk)
        if not policies.sales.can(acting_user, "change", current):
            raise NotAllowed
        policies.refuse_past_date(acting_user, current.date)
        audit_record(actor=acting_user, event="billing.sale.delete", target=current, client=current.client_id,
                     summary=_("Sale deleted: %(date)s") % {"date": _label(current)},
                     changes=deleted_changes(current, SALE_FIELDS))
        current.delete()
