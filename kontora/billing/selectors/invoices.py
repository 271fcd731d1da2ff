"""Reads of invoices and payments (INV-01 … INV-04), scoped by the user asking.

- `invoice_defaults`: what a new invoice is pre-filled with (the default legal entity and its default account);
- `regime_periods`, `rates_offered`: the payee's tax regime and the VAT rates its lines may take on a date;
- `access_invoice`, `access_payment`: one record or 404;
- `invoice_payments`, `client_advance`: an invoice's payments, a client's unapplied advance;
- `client_invoices_page`, `invoice_journal`, `invoice_totals_of`: the card's «Счета» and Журналы → «Журнал счетов»
  (keyset pages newest first, and the totals of the same choice);
- `nomenclature_found`, `client_contacts`: what the invoice form offers (goods by name or article, «Вниманию»).
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
from kontora.billing.selectors.payments import capped_count
from kontora.billing.selectors.vat import Offer, Regime, RegimePeriod, regime_on, vat_offer
from kontora.clients import access
from kontora.clients.models import Client, ContactPerson
from kontora.core.models import BankAccount, LegalEntity, TaxRegime
from kontora.core.money import as_money, money_sum
from kontora.core.numbering import number_shown
from kontora.core.text import search_key
from kontora.core.ui.pager import AFTER, Keyset, Page
from kontora.directories.models import NomenclatureItem, VatRate

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


# --- the journals: the card's «Счета» and Журналы → «Журнал счетов» (INV-01, CLI-14) ------------------------------

NEWEST_FIRST = Keyset("-date", "-id")
# What a journal's row shows: the invoice's own columns and the names of its client and payee (one query a page).
ROW_FIELDS = ("id", "client_id", "legal_entity_id", "author_id", "date", "due_date", "number", "prefix", "status",
              "gross", "paid", "due", "client__short_name", "legal_entity__short_name")


@dataclass(slots=True)
class InvoiceRow:
    """A journal's row of an invoice (ROW_FIELDS), read as values: fifty Invoice objects with their client and payee
    cost Django many times the index seek of the page (bench/RESULTS.md, issue 18). Invoice's attribute names."""

    id: int
    client_id: int
    legal_entity_id: int
    author_id: int
    date: datetime.date
    due_date: datetime.date | None
    number: int
    prefix: str
    status: str
    gross: Decimal
    paid: Decimal
    due: Decimal
    client_name: str
    legal_entity_name: str

    @property
    def pk(self) -> int:
        return self.id

    @property
    def shown_number(self) -> str:
        return number_shown(self.number, self.prefix)

    def get_status_display(self) -> str:
        return str(Invoice.Status(self.status).label)


@dataclass(frozen=True)
class InvoiceTotals:
    """A journal's footer: how many invoices, and the amount, paid and due of those not cancelled."""

    count: int
    gross: Decimal
    paid: Decimal
    due: Decimal


def client_invoices_page(client: Client, *, cursor: Mapping[str, str], size: int = 50) -> Page[InvoiceRow]:
    """The card's «Счета»: the client's invoices, every author's, newest first (`client` is one the caller has
    opened through `clients.policies.clients.get`); one query, compiled once."""
    return NEWEST_FIRST.read(model=Invoice, key="billing.client_invoices", values={"client": client.pk},
                             parts=[lambda v: Invoice.objects.filter(client_id=v["client"])], fields=ROW_FIELDS,
                             make=InvoiceRow, params=cursor, size=size)


@dataclass(frozen=True)
class JournalChoice:
    """The journal's filter as the selectors take it: None or "" for "any"; dates are days of the user's calendar
    (an invoice's date is a calendar day, compared as it is)."""

    date_from: datetime.date | None = None
    date_to: datetime.date | None = None
    status: str = ""
    legal_entity: Any = None
    client: Client | None = None  # one client's journal: every author's invoices of a client the user opens


def _choice_values(fetched_by: Any, choice: JournalChoice) -> dict[str, Any]:
    """What of the choice is compared in the statement (its presence shapes it): the viewer, unless one client's
    journal is read, the period, status, payee and client."""
    values: dict[str, Any] = {} if choice.client is not None else {"viewer": fetched_by.pk}
    if choice.date_from is not None:
        values["from"] = choice.date_from
    if choice.date_to is not None:
        values["to"] = choice.date_to
    if choice.status:
        values["status"] = choice.status
    if choice.legal_entity:
        values["entity"] = getattr(choice.legal_entity, "pk", choice.legal_entity)
    if choice.client is not None:
        values["client"] = choice.client.pk
    return values


def _journal_of(shape: access.Shape, everyone: bool, values: Mapping[str, Any]) -> QuerySet[Invoice]:
    """The journal's invoices for the values of `_choice_values` (or a prepared statement's markers of them)."""
    if "client" in values:
        invoices = Invoice.objects.filter(client_id=values["client"])
    else:
        invoices = Invoice.objects.filter(access.opens_row_client_in(shape, values["viewer"]))
        if not everyone:
            invoices = invoices.filter(author_id=values["viewer"])
    if "from" in values:
        invoices = invoices.filter(date__gte=values["from"])
    if "to" in values:
        invoices = invoices.filter(date__lte=values["to"])
    if "status" in values:
        invoices = invoices.filter(status=values["status"])
    if "entity" in values:
        invoices = invoices.filter(legal_entity_id=values["entity"])
    return invoices


def _journal_shape(fetched_by: Any, choice: JournalChoice) -> tuple[access.Shape, bool] | None:
    """The user's client access and whether he sees every author's invoices; None when he opens no client."""
    if choice.client is not None:
        return access.NOBODY, True  # one client's journal: every author's invoices of a client he has opened
    shape = access.visibility_shape(fetched_by)
    return None if shape == access.NOBODY else (shape, policies.sees_all_employees(fetched_by))


def journal_invoices(fetched_by: Any, choice: JournalChoice) -> QuerySet[Invoice]:
    """The invoices of the choice the user may see: of the clients whose card he opens, and without
    `journals_all_users` only his own (he is the author) — except one client's journal, which lists every author's
    invoices of that client, as the card does."""
    shape = _journal_shape(fetched_by, choice)
    return Invoice.objects.none() if shape is None else _journal_of(*shape, _choice_values(fetched_by, choice))


def hidden_invoices_count(fetched_by: Any, choice: JournalChoice, *, after: str = "") -> int:
    """How many invoices of the choice client access alone keeps from the user, up to HIDDEN_CAP + 1 — on the
    journal's first page, and never for one client's journal (it would count a client the user may only list)."""
    if choice.client is not None or after:
        return 0
    return capped_count(_chosen(policies.hidden_invoices(fetched_by), choice))


def _chosen(invoices: QuerySet[Invoice], choice: JournalChoice) -> QuerySet[Invoice]:
    if choice.date_from is not None:
        invoices = invoices.filter(date__gte=choice.date_from)
    if choice.date_to is not None:
        invoices = invoices.filter(date__lte=choice.date_to)
    if choice.status:
        invoices = invoices.filter(status=choice.status)
    if choice.legal_entity:
        invoices = invoices.filter(legal_entity=choice.legal_entity)
    return invoices


def invoice_journal(
    *, fetched_by: Any, date_from: datetime.date | None = None, date_to: datetime.date | None = None,
    status: str = "", legal_entity: Any = None, client: Client | None = None, after: str = "", size: int = 50,
) -> Page[InvoiceRow]:
    """Журналы → «Журнал счетов»: one keyset page of the invoices of the choice, newest first (one query, compiled
    once per shape of the choice)."""
    choice = JournalChoice(date_from=date_from, date_to=date_to, status=status, legal_entity=legal_entity,
                           client=client)
    shape = _journal_shape(fetched_by, choice)
    if shape is None:
        return Page([], "", "")
    values = _choice_values(fetched_by, choice)
    return NEWEST_FIRST.read(model=Invoice, key=("billing.invoice_journal", *shape, tuple(sorted(values))),
                             values=values, parts=[lambda v: _journal_of(*shape, v)], fields=ROW_FIELDS,
                             make=InvoiceRow, params={AFTER: after} if after else {}, size=size)


def invoice_totals_of(invoices: QuerySet[Invoice]) -> InvoiceTotals:
    """The footer of a journal's choice, in one query: every invoice counted, the money of those not cancelled
    (a cancelled invoice asks for nothing)."""
    live = ~Q(status=Invoice.Status.CANCELLED)
    found = invoices.order_by().aggregate(
        rows=Count("id"), gross_total=money_sum("gross", filter=live), paid_total=money_sum("paid", filter=live),
        due_total=money_sum("due", filter=live))
    return InvoiceTotals(count=found["rows"], gross=found["gross_total"], paid=found["paid_total"],
                         due=found["due_total"])


def client_invoices_totals(client: Client) -> InvoiceTotals:
    return invoice_totals_of(Invoice.objects.filter(client_id=client.pk))


# --- what the invoice form offers ---------------------------------------------------------------------------------

FOUND_MAX = 15


def nomenclature_found(text: str, *, limit: int = FOUND_MAX) -> list[NomenclatureItem]:
    """Active goods and services whose name contains the text or whose article starts with it, by name."""
    key = search_key(text)
    if not key:
        return []
    items = NomenclatureItem.objects.filter(is_active=True).filter(
        Q(name_key__contains=key) | Q(article_key__startswith=key))
    return list(items.select_related("unit", "vat_rate").order_by("name_key", "id")[:limit])


def client_contacts(client: Client | int | None) -> QuerySet[ContactPerson]:
    """The client's contact persons an invoice may be addressed to («Вниманию»)."""
    if client is None:
        return ContactPerson.objects.none()
    return ContactPerson.objects.filter(client=client).order_by("full_name", "id")
