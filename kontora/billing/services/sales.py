"""Sales of the client card's «Продажи» journal (SAL-01): written as every journal row is (`services.journal`),
with the sale's own rules: the goods sold (a retired item stays on a sale that has it), a positive quantity, cash or
non-cash."""

from __future__ import annotations

from collections.abc import Mapping
from decimal import Decimal
from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from kontora.accounts.models import User
from kontora.billing import locks, policies
from kontora.billing.models import PaymentKind, Sale
from kontora.billing.services.journal import Audit, RowSpec, row_create, row_delete, row_update
from kontora.clients.models import Client
from kontora.core.conflicts import Edit
from kontora.directories.models import NomenclatureItem

SALE_FIELDS = ("date", "item", "quantity", "amount", "paid", "paid_on", "payment_method", "responsible", "note")


def _rules(sale: Sale, changed: set[str]) -> dict[str, str]:
    errors: dict[str, str] = {}
    if sale.date is None:
        errors["date"] = _("Enter the date of the sale.")
    if sale.item_id is None:
        errors["item"] = _("Choose the goods sold.")
    elif "item" in changed and not NomenclatureItem.objects.filter(pk=sale.item_id, is_active=True).exists():
        errors["item"] = _("These goods are no longer in use: choose others.")
    if sale.quantity is None or Decimal(sale.quantity) <= 0:
        errors["quantity"] = _("The quantity must be greater than zero.")
    if sale.payment_method and sale.payment_method not in PaymentKind.values:
        errors["payment_method"] = _("Choose cash or non-cash.")
    return errors


def _label(sale: Sale) -> dict[str, str]:
    return {"date": f"{sale.date:%d.%m.%Y}" if sale.date else ""}


SALES: RowSpec[Sale] = RowSpec(
    model=Sale, fields=SALE_FIELDS, policy=policies.sales, lock=locks.sale_to_change, rules=_rules, label=_label,
    created=Audit("billing.sale.create", gettext_lazy("Sale recorded: %(date)s")),
    updated=Audit("billing.sale.update", gettext_lazy("Sale changed: %(date)s")),
    deleted=Audit("billing.sale.delete", gettext_lazy("Sale deleted: %(date)s")),
    texts=("note", "payment_method"),
)


def sale_create(*, acting_user: User, client: Client, values: Mapping[str, Any]) -> Sale:
    """Records a sale of goods to the client (Ins in the card's «Продажи»)."""
    return row_create(SALES, acting_user=acting_user, client=client, values=values)


def sale_update(*, acting_user: User, sale: Sale, values: Mapping[str, Any], edit: Edit | None = None) -> Sale:
    """Changes the given fields of a sale (its author or an administrator)."""
    return row_update(SALES, acting_user=acting_user, row=sale, values=values, edit=edit)


def sale_delete(*, acting_user: User, sale: Sale) -> None:
    """Deletes a sale (its author or an administrator)."""
    row_delete(SALES, acting_user=acting_user, row=sale)
