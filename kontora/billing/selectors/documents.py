"""Reads of acts and invoice-facturas (INV-05), scoped by the user asking.

- `journal_page`, `journal_totals`: «Журнал актов» and «Журнал счетов-фактур» — the documents of clients the user
  opens, his own (he wrote them) unless he holds «журналы всех сотрудников», in a period, newest first, in keyset
  pages; the totals of the documents not cancelled, exact sums of kopecks.
- `client_page`, `client_totals`: the card's panes — one client's documents, every author's, to whoever opens it.
- `access_act`, `access_factura`: one document or 404; `document_lines`: its lines in order.
"""

from __future__ import annotations

import datetime
from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db.models import Count, F, Q, QuerySet

from kontora.billing import policies
from kontora.billing.models import Act, InvoiceFactura, IssuedDocument
from kontora.billing.selectors.payments import capped_count
from kontora.clients.models import Client
from kontora.core.money import money_sum
from kontora.core.ui.pager import AFTER, Keyset, Page

NEWEST_FIRST = Keyset("-date", "-id")
EVERYONE, MINE = "all", "mine"
Document = Act | InvoiceFactura


@dataclass(frozen=True)
class JournalChoice:
    """The journal's filter: a period of document dates, a status, whose documents (for those who see everyone's)."""

    date_from: datetime.date | None = None
    date_to: datetime.date | None = None
    status: str = ""
    whose: str = ""


@dataclass(frozen=True, slots=True)
class Totals:
    count: int
    net: Decimal
    vat: Decimal
    gross: Decimal


def _shown(rows: QuerySet[Any]) -> QuerySet[Any]:
    return rows.annotate(client_name=F("client__short_name"), entity_name=F("legal_entity__short_name"),
                         author_name=F("author__full_name"), invoice_number=F("invoice__number"),
                         invoice_prefix=F("invoice__prefix"))


def _journal(model: type[Document], user: Any, choice: JournalChoice) -> QuerySet[Any]:
    rows: QuerySet[Any] = (policies.journal_acts(user) if model is Act else policies.journal_facturas(user))
    return _chosen(rows, user, choice)


def hidden_count(model: type[Document], user: Any, choice: JournalChoice, cursor: Mapping[str, str]) -> int:
    """How many documents of the choice client access alone keeps from the user, up to HIDDEN_CAP + 1 — on the
    journal's first page."""
    if cursor.get(AFTER):
        return 0
    rows: QuerySet[Any] = policies.hidden_acts(user) if model is Act else policies.hidden_facturas(user)
    return capped_count(_chosen(rows, user, choice))


def _chosen(rows: QuerySet[Any], user: Any, choice: JournalChoice) -> QuerySet[Any]:
    if choice.whose == MINE:
        rows = rows.filter(author=user)
    if choice.date_from:
        rows = rows.filter(date__gte=choice.date_from)
    if choice.date_to:
        rows = rows.filter(date__lte=choice.date_to)
    if choice.status:
        rows = rows.filter(status=choice.status)
    return rows


def journal_page(model: type[Document], user: Any, choice: JournalChoice, *, cursor: Mapping[str, str],
                 size: int = 50) -> Page[Any]:
    """A page of the journal, newest first, with the client, legal entity, author and basis invoice (one query)."""
    return NEWEST_FIRST.page(_shown(_journal(model, user, choice)), cursor, size=size)


def _totals(rows: QuerySet[Any]) -> Totals:
    live = ~Q(status=IssuedDocument.Status.CANCELLED)
    found = rows.aggregate(rows=Count("id"), net_sum=money_sum("net", filter=live),
                           vat_sum=money_sum("vat", filter=live), gross_sum=money_sum("gross", filter=live))
    return Totals(count=found["rows"], net=found["net_sum"], vat=found["vat_sum"], gross=found["gross_sum"])


def journal_totals(model: type[Document], user: Any, choice: JournalChoice) -> Totals:
    """How many documents the filter finds, and the sums of those not cancelled (one query)."""
    return _totals(_journal(model, user, choice))


def client_page(model: type[Document], client: Client, *, cursor: Mapping[str, str], size: int = 50) -> Page[Any]:
    """The card's pane: the client's documents, newest first (the client is one the caller has opened)."""
    return NEWEST_FIRST.page(_shown(model.objects.filter(client_id=client.pk)), cursor, size=size)


def client_totals(model: type[Document], client: Client) -> Totals:
    return _totals(model.objects.filter(client_id=client.pk))


def access_act(user: Any, act_id: Any) -> Act:
    """The act, or 404 — the same whether it does not exist or its client is one the user may not open."""
    return policies.acts.get(user, act_id)


def access_factura(user: Any, factura_id: Any) -> InvoiceFactura:
    return policies.facturas.get(user, factura_id)


def document_lines(document: Document) -> list[Any]:
    return list(document.lines.order_by("position"))


def clients_with_documents(client_ids: list[int]) -> set[int]:
    """Those of the clients that have an act or an invoice-factura (asked before an import's clients are taken
    back)."""
    return (set(Act.objects.filter(client_id__in=client_ids).values_list("client_id", flat=True).distinct())
            | set(InvoiceFactura.objects.filter(client_id__in=client_ids)
                  .values_list("client_id", flat=True).distinct()))
