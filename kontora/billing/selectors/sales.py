"""Reads of the client card's «Продажи» and «Работы» journals (SAL-01, SAL-02, CLI-14): one client's rows, newest
first, in keyset pages, and the journal's totals. The journals belong to the card: `client` is one the caller has
opened (`clients.policies.clients.get`), and its rows are shown to whoever opens it, every author's."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Count, F, Q, Sum
from django.db.models.functions import Coalesce

from kontora.billing.models import Sale, Work
from kontora.clients.models import Client
from kontora.core.money import money_sum
from kontora.core.ui.pager import Keyset, Page

NEWEST_FIRST = Keyset("-date", "-id")


@dataclass(frozen=True, slots=True)
class Totals:
    count: int
    amount: Decimal
    paid: Decimal
    norm_hours: Decimal = Decimal("0")


def client_sales_page(client: Client, *, cursor: Mapping[str, str], size: int = 50) -> Page[Sale]:
    """The card's «Продажи»: the client's sales, newest first, with the goods, their group and the people (one
    query a page)."""
    rows = Sale.objects.filter(client_id=client.pk).annotate(
        item_name=F("item__name"), group_name=Coalesce(F("item__goods_group__name"), F("item__folder__name")),
        responsible_name=F("responsible__full_name"), author_name=F("author__full_name"))
    return NEWEST_FIRST.page(rows, cursor, size=size)


def client_sales_totals(client: Client) -> Totals:
    """The journal's footer: how many sales, their amount and the paid part (exact sums of kopecks)."""
    found = Sale.objects.filter(client_id=client.pk).aggregate(
        rows=Count("id"), total=money_sum("amount"), total_paid=money_sum("amount", filter=_paid()))
    return Totals(count=found["rows"], amount=found["total"], paid=found["total_paid"])


def client_works_page(client: Client, *, cursor: Mapping[str, str], size: int = 50) -> Page[Work]:
    """The card's «Работы»: the client's works, newest first, with the payment receiver and the people."""
    rows = Work.objects.filter(client_id=client.pk).annotate(
        receiver_name=F("receiver__short_name"), responsible_name=F("responsible__full_name"),
        author_name=F("author__full_name"))
    return NEWEST_FIRST.page(rows, cursor, size=size)


def client_works_totals(client: Client) -> Totals:
    """The journal's footer: how many works, their amount, the paid part and the norm-hours."""
    found = Work.objects.filter(client_id=client.pk).aggregate(
        rows=Count("id"), total=money_sum("amount"), total_paid=money_sum("amount", filter=_paid()),
        hours=Sum("norm_hours"))
    return Totals(count=found["rows"], amount=found["total"], paid=found["total_paid"],
                  norm_hours=Decimal(found["hours"] or 0).quantize(Decimal("0.01")))


def _paid() -> Q:
    return Q(paid=True)


def clients_with_sales_or_works(client_ids: list[int]) -> set[int]:
    """Those of the clients that have a sale or a work (asked before an import's clients are taken back)."""
    return (set(Sale.objects.filter(client_id__in=client_ids).values_list("client_id", flat=True).distinct())
            | set(Work.objects.filter(client_id__in=client_ids).values_list("client_id", flat=True).distinct()))
