"""Who may see and act on invoices and payments (INV-01 … INV-04).

Invoices and payments are client-owned data: a user sees those of the clients whose card he may open
(`clients.access.openable_clients`, the card level) and writes them for the clients whose card he may edit.
Cancelling an invoice or a payment needs its own right besides (`cancel_invoices`, `cancel_payments`); a document
dated before today is written only with the right «change main data with a past date» (`change_past_data`).
"""

from __future__ import annotations

import datetime
from typing import Any

from django.db.models import QuerySet
from django.utils import timezone

from kontora.accounts.policies import has_right
from kontora.billing.models import Invoice, Payment
from kontora.clients import access
from kontora.clients.policies import OwnedPolicy

CANCEL_INVOICES = "cancel_invoices"
CANCEL_PAYMENTS = "cancel_payments"
CHANGE_PAST_DATA = "change_past_data"

invoices: OwnedPolicy[Invoice] = OwnedPolicy(Invoice, related=("client", "legal_entity", "bank_account", "author"))
payments: OwnedPolicy[Payment] = OwnedPolicy(Payment, related=("client", "invoice", "legal_entity", "author"))
POLICIES = (invoices, payments)


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
