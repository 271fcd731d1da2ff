"""The Flexi-filter's conditions about billing (the Statistics tab): unpaid invoices, money paid in a period, sales
in a period. Builders `(operator, value, user) -> Q` over clients, registered by `billing.hooks`; each is one `pk__in`
subquery over billing's rows (grouped where it sums), so the registry's filter stays one query.

They read card data (a client's invoices, payments and sales): registered with `reads=CARD`, so the engine compiles
them through `access.card_only` and they hold only on clients the user may open. Like the card's journals, they
count every employee's documents of such a client.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

from django.db.models import Q, QuerySet

from kontora.billing.models import Invoice, Payment, Sale
from kontora.core.money import money_sum

# An invoice waiting for money.
OPEN = (Invoice.Status.ISSUED, Invoice.Status.PARTLY_PAID)


def has_unpaid_invoices(operator: str, value: Any, user: Any) -> Q:
    """An issued invoice of the client not paid in full (a draft is not owed yet, a cancelled one never)."""
    q = Q(pk__in=Invoice.objects.filter(status__in=OPEN).values("client_id"))
    return q if operator == "is_true" else ~q


def _in_period(rows: QuerySet[Any], value: dict[str, Any]) -> QuerySet[Any]:
    """Rows dated in the period (document dates; an end left open is open)."""
    if value.get("from"):
        rows = rows.filter(date__gte=date.fromisoformat(value["from"]))
    if value.get("to"):
        rows = rows.filter(date__lte=date.fromisoformat(value["to"]))
    return rows


def _summed(rows: QuerySet[Any], operator: str, value: dict[str, Any]) -> Q:
    """"there are" / "there are none" rows in the period; "the sum at least / at most" of their amounts. A client
    without rows has the sum 0: "at most" holds for him, so it is "not more than", read as the clients above it."""
    rows = _in_period(rows, value)
    if operator in ("exists", "not_exists"):
        q = Q(pk__in=rows.values("client_id"))
        return q if operator == "exists" else ~q
    amount = Decimal(value["amount"])
    sums = rows.order_by().values("client_id").annotate(total=money_sum("amount"))
    if operator == "sum_ge":
        if amount <= 0:  # every client, those without rows too
            return Q(pk__isnull=False)
        return Q(pk__in=sums.filter(total__gte=amount).values("client_id"))
    return ~Q(pk__in=sums.filter(total__gt=amount).values("client_id"))


def paid_in_period(operator: str, value: dict[str, Any], user: Any) -> Q:
    """Payments received from the client in the period (by the payment's date; cancelled ones do not count),
    advances included: there are, none, or their sum at least / at most."""
    return _summed(Payment.objects.filter(cancelled_at__isnull=True), operator, value)


def sales_in_period(operator: str, value: dict[str, Any], user: Any) -> Q:
    """The client's sales in the period (by the sale's date): there are, none, or their amount at least / at
    most."""
    return _summed(Sale.objects.all(), operator, value)
