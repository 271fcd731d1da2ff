"""Reads of invoices and payments (INV-01 … INV-04), scoped by the user asking.

- `invoice_defaults`: what a new invoice is pre-filled with (the default legal entity and its default account);
- `regime_periods`, `rates_offered`: the payee's tax regime and the VAT rates its lines may take on a date;
- `access_invoice`, `access_payment`: one record or 404;
- `invoice_payments`, `client_advance`: an invoice's payments, a client's unapplied advance.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db.models import OuterRef, QuerySet, Subquery

from kontora.billing import policies
from kontora.billing.models import Invoice, Payment, PaymentAllocation
from kontora.billing.selectors.vat import Offer, Regime, RegimePeriod, regime_on, vat_offer
from kontora.core.models import BankAccount, LegalEntity, TaxRegime
from kontora.core.money import as_money, money_sum
from kontora.directories.models import VatRate

ZERO = Decimal("0.00")


@dataclass(frozen=True)
class InvoiceDefaults:
    legal_entity: LegalEntity | None
    bank_account: BankAccount | None


def default_account(legal_entity: LegalEntity | int | None) -> BankAccount | None:
    """The entity's default account, or its first one."""
    if legal_entity is None:
        return None
    return BankAccount.objects.filter(legal_entity=legal_entity).order_by("-is_default", "id").first()


def invoice_defaults(*, fetched_by: Any) -> InvoiceDefaults:
    """The payee a new invoice is pre-filled with: the default legal entity and its default bank account."""
    entity = LegalEntity.objects.order_by("-is_default", "id").first()
    return InvoiceDefaults(legal_entity=entity, bank_account=default_account(entity))


def regime_periods(legal_entity: LegalEntity | int) -> list[RegimePeriod]:
    """The entity's tax regimes with their periods; an entity with none stated is taken as the general regime."""
    rows = TaxRegime.objects.filter(legal_entity=legal_entity).order_by("valid_from", "id")
    periods = [RegimePeriod(Regime(row.regime), row.valid_from, row.valid_to, row.reduced_rate) for row in rows]
    return periods or [RegimePeriod(Regime.GENERAL)]


def rates_offered(legal_entity: LegalEntity | int, on: datetime.date) -> Offer:
    """The VAT rates the payee's lines may take on `on` (refused when no regime or rate covers the date)."""
    regime = regime_on(regime_periods(legal_entity), on)
    return vat_offer(regime, on, list(VatRate.objects.all()))


def access_invoice(user: Any, invoice_id: Any) -> Invoice:
    """The invoice, or 404 — the same whether it does not exist or belongs to a client the user may not open."""
    return policies.invoices.get(user, invoice_id)


def access_payment(user: Any, payment_id: Any) -> Payment:
    return policies.payments.get(user, payment_id)


def invoice_list(*, fetched_by: Any, client: Any = None, status: str | None = None) -> QuerySet[Invoice]:
    """The invoices the user may see, newest first; of one client or status when asked."""
    rows = policies.visible_invoices(fetched_by)
    if client is not None:
        rows = rows.filter(client=client)
    if status:
        rows = rows.filter(status=status)
    return rows.select_related("client", "legal_entity", "author").order_by("-date", "-id")


def invoice_payments(*, fetched_by: Any, invoice: Invoice) -> QuerySet[Payment]:
    """The payments counted towards the invoice (named by it or applied from an advance), live and cancelled,
    each with the part counted towards this invoice (`applied`)."""
    applied = (PaymentAllocation.objects.filter(payment=OuterRef("pk"), invoice=invoice).order_by()
               .values("payment").annotate(total=money_sum("amount")).values("total"))
    return (policies.visible_payments(fetched_by).filter(allocations__invoice=invoice).distinct()
            .annotate(applied=as_money(Subquery(applied))).order_by("date", "id"))


def payment_unapplied(payment: Payment) -> Decimal:
    """The part of a live payment not counted towards any invoice: the client's advance."""
    if payment.is_cancelled:
        return ZERO
    applied = PaymentAllocation.objects.filter(payment=payment).aggregate(total=money_sum("amount"))["total"]
    return payment.amount - applied


def client_advance(*, fetched_by: Any, client: Any) -> Decimal:
    """The client's advance balance: his live payments less what is applied to invoices (0 for a client the user
    may not open)."""
    live = policies.visible_payments(fetched_by).filter(client=client, cancelled_at__isnull=True)
    received = live.aggregate(total=money_sum("amount"))["total"]
    applied = PaymentAllocation.objects.filter(payment__in=live.values("pk")).aggregate(
        total=money_sum("amount"))["total"]
    return received - applied


def clients_with_invoices(client_ids: list[int]) -> set[int]:
    """Those of the clients that have an invoice (asked before an import's clients are taken back)."""
    return set(Invoice.objects.filter(client_id__in=client_ids).values_list("client_id", flat=True).distinct())


def clients_with_payments(client_ids: list[int]) -> set[int]:
    """Those of the clients that have a payment, cancelled ones included (never deleted)."""
    return set(Payment.objects.filter(client_id__in=client_ids).values_list("client_id", flat=True).distinct())
