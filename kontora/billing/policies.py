"""Who may see and act on billing's rows: invoices and payments (INV-01 … INV-04), sales and works (SAL-01, SAL-02).

All are client-owned data: a user sees those of the clients whose card he may open (the card level of
`clients.access`).

Invoices and payments are written for the clients whose card he may edit. Cancelling an invoice or a payment needs its
own right besides (`cancel_invoices`, `cancel_payments`); a document dated before today is written only with the
right «change main data with a past date» (`change_past_data`).

The card's sales and works journals list every author's rows to whoever opens the card; a row is changed and deleted
by its author or an administrator, on a client he may edit; everyone else reads it.
"""

from __future__ import annotations

import datetime
from typing import Any

from django.db.models import QuerySet
from django.utils import timezone

from kontora.accounts.policies import has_right
from kontora.billing.models import Act, Invoice, InvoiceFactura, Payment, Sale, Work
from kontora.clients import access
from kontora.clients import policies as client_policies
from kontora.clients.policies import OwnedPolicy
from kontora.core.permissions import Policy, is_administrator

CANCEL_INVOICES = "cancel_invoices"
CANCEL_PAYMENTS = "cancel_payments"
CHANGE_PAST_DATA = "change_past_data"

invoices: OwnedPolicy[Invoice] = OwnedPolicy(Invoice, related=("client", "legal_entity", "bank_account", "author"))
payments: OwnedPolicy[Payment] = OwnedPolicy(Payment, related=("client", "invoice", "legal_entity", "author"))
acts: OwnedPolicy[Act] = OwnedPolicy(Act, related=("client", "legal_entity", "invoice", "author"))
facturas: OwnedPolicy[InvoiceFactura] = OwnedPolicy(
    InvoiceFactura, related=("client", "legal_entity", "invoice", "payment", "author"))
POLICIES = (invoices, payments, acts, facturas)


def visible_invoices(user: Any) -> QuerySet[Invoice]:
    """The invoices of the clients the user may open."""
    return Invoice.objects.filter(client__in=access.openable_clients(user).values("pk"))


def visible_payments(user: Any) -> QuerySet[Payment]:
    """The payments of the clients the user may open."""
    return Payment.objects.filter(client__in=access.openable_clients(user).values("pk"))


def can_write_for(user: Any, client: Any) -> bool:
    """Invoices and payments of a client are written by those who may edit the client's card."""
    return access.standing(user, client).edits


def can_date(user: Any, date: datetime.date) -> bool:
    """A document dated before today needs the right to change past-dated data."""
    return date >= timezone.localdate() or bool(has_right(user, CHANGE_PAST_DATA))


def can_cancel_invoice(user: Any) -> bool:
    return bool(has_right(user, CANCEL_INVOICES))


def can_cancel_payment(user: Any) -> bool:
    return bool(has_right(user, CANCEL_PAYMENTS))


# --- sales and works ------------------------------------------------------------------------------------------------


def visible_sales(user: Any) -> QuerySet[Sale]:
    if access.visibility_shape(user) == access.NOBODY:
        return Sale.objects.none()
    return Sale.objects.filter(access.opens_row_client(user))


def visible_works(user: Any) -> QuerySet[Work]:
    if access.visibility_shape(user) == access.NOBODY:
        return Work.objects.none()
    return Work.objects.filter(access.opens_row_client(user))


def is_author_or_administrator(user: Any, record: Sale | Work) -> bool:
    """A sale or a work is changed later only by its author or an administrator (the manual: «Продажи»)."""
    return is_administrator(user) or (record.author_id is not None and record.author_id == getattr(user, "pk", None))


def _edits_client(user: Any, record: Sale | Work) -> bool:
    """A row is changed only on a client the user may edit (which he opens, so he reads the row)."""
    return bool(client_policies.clients.can(user, "change", record.client))


class SalePolicy(Policy[Sale]):
    model = Sale
    related = ("client", "item", "item__goods_group", "item__folder", "author", "responsible")

    def visible(self, user: Any) -> QuerySet[Sale]:
        return visible_sales(user)

    def can(self, user: Any, action: str, obj: Any) -> bool:
        if action == "view":
            return visible_sales(user).filter(pk=obj.pk).exists()
        if action in ("change", "delete"):
            return is_author_or_administrator(user, obj) and _edits_client(user, obj)
        raise ValueError(f"unknown action {action!r}")


class WorkPolicy(Policy[Work]):
    model = Work
    related = ("client", "receiver", "author", "responsible")

    def visible(self, user: Any) -> QuerySet[Work]:
        return visible_works(user)

    def can(self, user: Any, action: str, obj: Any) -> bool:
        if action == "view":
            return visible_works(user).filter(pk=obj.pk).exists()
        if action in ("change", "delete"):
            return is_author_or_administrator(user, obj) and _edits_client(user, obj)
        raise ValueError(f"unknown action {action!r}")


sales = SalePolicy()
works = WorkPolicy()


# --- acts and invoice-facturas (INV-05) ----------------------------------------------------------------------------

JOURNALS_ALL_USERS = "journals_all_users"


def sees_all_employees(user: Any) -> bool:
    """May the journals of acts and invoice-facturas show every employee's documents (the right «журналы всех
    сотрудников»)? Without it a user's journal shows the documents he wrote."""
    return bool(has_right(user, JOURNALS_ALL_USERS))


def journal_acts(user: Any) -> QuerySet[Act]:
    """The acts of the journal «Журнал актов»: of clients the user opens; his own unless he sees everyone's."""
    if access.visibility_shape(user) == access.NOBODY:
        return Act.objects.none()
    rows = Act.objects.filter(access.opens_row_client(user))
    return rows if sees_all_employees(user) else rows.filter(author=user)


def journal_facturas(user: Any) -> QuerySet[InvoiceFactura]:
    """The invoice-facturas of «Журнал счетов-фактур», by the same rule as the acts'."""
    if access.visibility_shape(user) == access.NOBODY:
        return InvoiceFactura.objects.none()
    rows = InvoiceFactura.objects.filter(access.opens_row_client(user))
    return rows if sees_all_employees(user) else rows.filter(author=user)


def can_cancel_document(user: Any) -> bool:
    """Acts and invoice-facturas are cancelled with the right that cancels invoices."""
    return bool(has_right(user, CANCEL_INVOICES))
