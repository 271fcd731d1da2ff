"""Reads of the payments' pages (INV-04, CLI-14): Журналы → «Журнал платежей», the card's «Платежи», one payment's
page, and what the payment form offers.

- `payments_page` / `payments_totals`: the journal, newest first in keyset pages, and its footer. Without a client
  it lists the payments of the clients the user may open — his own only unless he sees every employee's
  (`policies.journal_payments`) — and counts those client access alone keeps from him; with a client (the card's
  pane, `?client=`) every payment of that client, to whoever opens it.
- `payment_allocations`, `open_invoices`: what a payment paid, and the client's invoices money may still go to.
"""

from __future__ import annotations

import datetime
from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db.models import Count, OuterRef, Q, QuerySet, Subquery

from kontora.billing import policies
from kontora.billing.models import Invoice, Payment, PaymentAllocation
from kontora.clients.models import Client
from kontora.core.money import as_money, money_sum
from kontora.core.ui.pager import AFTER, BEFORE, Keyset, Page

NEWEST_FIRST = Keyset("-date", "-id")
LIVE, CANCELLED = "live", "cancelled"
HIDDEN_CAP = 1000
# Invoices money may go to: issued and not yet paid in full (a draft is issued first; a cancelled one takes none).
PAYABLE = (Invoice.Status.ISSUED, Invoice.Status.PARTLY_PAID)


@dataclass(frozen=True)
class PaymentChoice:
    """The journal's filter as the selectors take it: "" or None for "any"."""

    date_from: datetime.date | None = None
    date_to: datetime.date | None = None
    kind: str = ""  # a Payment.Kind
    legal_entity: int | None = None
    state: str = ""  # LIVE or CANCELLED
    client: Client | None = None  # one client the user opens: all its payments, every employee's
    mine: bool = False  # his own only, though he may see every employee's


@dataclass(frozen=True)
class Totals:
    count: int
    amount: Decimal  # the live payments' sum
    advance: Decimal  # of it, not counted towards any invoice
    cancelled: int


def _applied() -> Subquery:
    return Subquery(PaymentAllocation.objects.filter(payment=OuterRef("pk")).order_by().values("payment")
                    .annotate(total=money_sum("amount")).values("total"))


def _chosen(rows: QuerySet[Payment], user: Any, choice: PaymentChoice) -> QuerySet[Payment]:
    if choice.date_from is not None:
        rows = rows.filter(date__gte=choice.date_from)
    if choice.date_to is not None:
        rows = rows.filter(date__lte=choice.date_to)
    if choice.kind:
        rows = rows.filter(kind=choice.kind)
    if choice.legal_entity is not None:
        rows = rows.filter(legal_entity_id=choice.legal_entity)
    if choice.mine:
        rows = rows.filter(policies.own_payments(user))
    if choice.state == LIVE:
        rows = rows.filter(cancelled_at__isnull=True)
    elif choice.state == CANCELLED:
        rows = rows.filter(cancelled_at__isnull=False)
    return rows


def _listed(user: Any, choice: PaymentChoice) -> QuerySet[Payment]:
    """The journal's payments before paging: one client's every payment, or the user's journal."""
    if choice.client is not None:
        # The caller has opened the client (clients.policies.clients.get): its payments are card data he reads.
        rows = Payment.objects.filter(client_id=choice.client.pk)
    else:
        rows = policies.journal_payments(user)
    return _chosen(rows, user, choice)


def payments_page(user: Any, choice: PaymentChoice, *, cursor: Mapping[str, str], size: int = 50) -> Page[Payment]:
    """A page of the journal, newest first, with each payment's client, payee, invoice, author and the part applied
    to invoices (`applied`): one query a page, no OFFSET or COUNT."""
    rows = _listed(user, choice).select_related("client", "legal_entity", "invoice", "author", "cancelled_by") \
        .annotate(applied=as_money(_applied()))
    return NEWEST_FIRST.page(rows, cursor, size=size)


def payments_totals(user: Any, choice: PaymentChoice) -> Totals:
    """The journal's footer over every row of the choice (not just the page): how many payments, the live ones' sum
    and the advance left of it, how many are cancelled. Two queries."""
    rows = _listed(user, choice)
    live = Q(cancelled_at__isnull=True)
    found = rows.aggregate(rows=Count("id"), total=money_sum("amount", filter=live),
                           dropped=Count("id", filter=~live))
    applied = PaymentAllocation.objects.filter(payment__in=rows.filter(live).values("pk")).aggregate(
        total=money_sum("amount"))["total"]
    return Totals(count=found["rows"], amount=found["total"], advance=found["total"] - applied,
                  cancelled=found["dropped"])


def hidden_count(user: Any, choice: PaymentChoice, cursor: Mapping[str, str]) -> int:
    """How many payments of the choice client access alone keeps from the user, up to HIDDEN_CAP + 1 — on the
    journal's first page, and never for one client's journal (it would count a client the user may only list)."""
    if choice.client is not None or AFTER in cursor or BEFORE in cursor:
        return 0
    return capped_count(_chosen(policies.hidden_payments(user), user, choice))


def capped_count(rows: QuerySet[Any]) -> int:
    """How many rows, counted up to HIDDEN_CAP + 1 only (the journals say «more than HIDDEN_CAP»)."""
    return rows.order_by()[: HIDDEN_CAP + 1].count()


def payment_allocations(payment: Payment) -> list[PaymentAllocation]:
    """What the payment paid: its allocations with their invoices, in the order they were made (one query)."""
    return list(PaymentAllocation.objects.filter(payment=payment).select_related("invoice", "created_by")
                .order_by("id"))


def open_invoices(client: Client | int) -> QuerySet[Invoice]:
    """The client's invoices money may still go to, oldest first."""
    return (Invoice.objects.filter(client=client, status__in=PAYABLE, due__gt=0)
            .order_by("date", "number", "id"))


def client_invoices(client: Client | int) -> QuerySet[Invoice]:
    """Every invoice of the client (a form names one; the service says why it cannot be paid)."""
    return Invoice.objects.filter(client=client)
