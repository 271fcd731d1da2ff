"""Reads of billing's reports (`reports/definitions/billing.py`): invoices issued and paid over a period, the
receivables by age on a date, sales and works over a period. Each is one or two grouped queries summed in SQL
(kopecks, exact), whatever the number of documents.

Every read starts from the card-level client set (`_opened`): a document of a client the user may not open is
neither summed nor named. `authors` narrows to the employees a report is about (empty: every employee); the report
passes the user's own id alone when he may not report on everyone (`reports.framework.base.Scope`).
"""

from __future__ import annotations

import datetime
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any, NamedTuple, TypeVar

from django.db import connection
from django.db.models import Count, F, Model, Q, QuerySet, Sum
from django.db.models.functions import Coalesce

from kontora.accounts.models import User
from kontora.billing.models import Invoice, PaymentAllocation, Sale, Work
from kontora.clients import access
from kontora.clients.models import Client
from kontora.core.money import money_sum

M = TypeVar("M", bound=Model)

# An invoice that still waits for money: issued and not (fully) paid. A draft is not owed yet, a cancelled one never.
OPEN = (Invoice.Status.ISSUED, Invoice.Status.PARTLY_PAID)
# Issued in a period: every invoice dated in it but drafts and cancelled ones.
COUNTED = (Invoice.Status.ISSUED, Invoice.Status.PARTLY_PAID, Invoice.Status.PAID)
ZERO = Decimal("0.00")
CENT = Decimal("0.01")


def _opened(user: Any, rows: QuerySet[M], field: str = "client") -> QuerySet[M]:
    """The rows whose client the user may open. Nothing but privacy keeps a card from most users of a big base
    (`opens_every_shared`): then the few private clients of others are left out, rather than a check per row."""
    if access.visibility_shape(user) == access.NOBODY:
        return rows.none()
    if access.opens_every_shared(user):
        return rows.exclude(**{f"{field}_id__in": access.others_private_clients(user).values("pk")})
    return rows.filter(access.opens_row_client(user, field))


def _by_authors(rows: QuerySet[M], authors: Sequence[int], field: str = "author") -> QuerySet[M]:
    return rows.filter(**{f"{field}_id__in": list(authors)}) if authors else rows


# --- «Счета: выставлено и оплачено» ------------------------------------------------------------------------------

MANAGER, ENTITY = "author", "legal_entity"


@dataclass(frozen=True)
class Turnover:
    """One group's figures: invoices issued in the period (their number, amount and what is still due on them) and
    the money paid in the period towards any of the group's invoices."""

    author_id: int | None
    author: str
    entity_id: int | None
    entity: str
    invoices: int = 0
    issued: Decimal = ZERO
    due: Decimal = ZERO
    paid: Decimal = ZERO


def invoice_turnover(user: Any, *, start: datetime.date, end: datetime.date, authors: Sequence[int] = (),
                     by: Sequence[str] = (MANAGER,)) -> list[Turnover]:
    """Per group of `by` (the author, the payee legal entity, or both): the invoices dated in [start, end] — their
    count, gross and due — and the live payments dated in it counted towards the group's invoices (whenever those
    were dated). Two grouped queries."""
    keys = [f"{name}_id" for name in by]
    names = {MANAGER: "author__full_name", ENTITY: "legal_entity__short_name"}
    invoices = _by_authors(_opened(user, Invoice.objects.filter(date__gte=start, date__lte=end,
                                                                status__in=COUNTED)), authors)
    issued = (invoices.order_by().values(*keys).annotate(
        n=Count("id"), gross_sum=money_sum("gross"), due_sum=money_sum("due"),
        **{f"{name}_name": F(names[name]) for name in by}))
    allocations = PaymentAllocation.objects.filter(payment__date__gte=start, payment__date__lte=end,
                                                   payment__cancelled_at__isnull=True)
    allocations = _opened(user, allocations, "invoice__client")
    if authors:
        allocations = allocations.filter(invoice__author_id__in=list(authors))
    paid = (allocations.order_by().values(*(f"invoice__{key}" for key in keys)).annotate(
        amount_sum=money_sum("amount"), **{f"{name}_name": F(f"invoice__{names[name]}") for name in by}))
    found: dict[tuple[Any, ...], dict[str, Any]] = {}
    for row in issued:
        key = tuple(row[k] for k in keys)
        found[key] = {"invoices": row["n"], "issued": row["gross_sum"], "due": row["due_sum"],
                      **{f"{name}_name": row[f"{name}_name"] for name in by}}
    for row in paid:
        key = tuple(row[f"invoice__{k}"] for k in keys)
        found.setdefault(key, {f"{name}_name": row[f"{name}_name"] for name in by})["paid"] = row["amount_sum"]
    result = []
    for key, figures in found.items():
        ids = dict(zip(keys, key, strict=True))
        result.append(Turnover(
            author_id=ids.get("author_id"), author=figures.get("author_name") or "",
            entity_id=ids.get("legal_entity_id"), entity=figures.get("legal_entity_name") or "",
            invoices=figures.get("invoices", 0), issued=figures.get("issued", ZERO), due=figures.get("due", ZERO),
            paid=figures.get("paid", ZERO)))
    return sorted(result, key=lambda t: (t.author.casefold(), t.author_id or 0, t.entity.casefold(),
                                         t.entity_id or 0))


# --- «Задолженность (дебиторская)» ---------------------------------------------------------------------------------

# The ages of a debt, in days past its due date: (label key, first day, last day); None is open.
AGES = (("current", None, 0), ("days_30", 1, 30), ("days_60", 31, 60), ("days_90", 61, 90), ("over_90", 91, None))


class Debt(NamedTuple):
    """What one client owes on one manager's invoices on a date, by age. (A named tuple: the report makes one per
    client and manager, tens of thousands in a big base, and a tuple is made several times faster than a frozen
    dataclass.)"""

    client_id: int
    client: str
    author_id: int
    author: str
    invoices: int
    ages: tuple[Decimal, ...]  # in the order of AGES

    @property
    def total(self) -> Decimal:
        return sum(self.ages, ZERO)


def debts_query(user: Any, *, on: datetime.date, authors: Sequence[int] = ()) -> QuerySet[Any, Any]:
    """The grouped query of the receivables: per client and author, the due of the open invoices dated up to `on`,
    summed by age on that day. An invoice without a due date is due on its date. The open invoices are two ranges
    (by status, up to the date) of `billing_invoice_debts_ageing`, which holds every column read: the table is not
    read, and the grouping is a sort of the open ones only."""
    term = Coalesce("due_date", "date")
    rows = _by_authors(_opened(user, Invoice.objects.filter(status__in=OPEN, date__lte=on)), authors)
    sums = {}
    for key, first, last in AGES:
        # Overdue by d days: term = on − d; so the age [first, last] is the terms [on − last, on − first].
        condition = Q()
        if first is None:
            condition &= Q(term__gte=on)
        else:
            condition &= Q(term__lte=on - datetime.timedelta(days=first))
        if last is not None and first is not None:
            condition &= Q(term__gte=on - datetime.timedelta(days=last))
        sums[key] = money_sum("due", filter=condition)
    return (rows.alias(term=term).order_by().values("client_id", "author_id")
            .annotate(n=Count("*"), **sums))


def debts_ageing(user: Any, *, on: datetime.date, authors: Sequence[int] = ()) -> list[Debt]:
    """The receivables on `on` per client and manager (the invoice's author), with the clients' and managers'
    names, ordered by manager, then client. One query: `debts_query` with the names joined to its groups (a
    client's name is read once per debtor, not per invoice) and its rows read raw — tens of thousands of groups
    through the ORM's row converters cost several times the SQL."""
    grouped, params = debts_query(user, on=on, authors=authors).query.sql_with_params()
    name = connection.ops.quote_name
    # As integers: PostgreSQL sums a BIGINT into a numeric, which its driver would parse into a Decimal a row.
    ages = ", ".join(f"CAST(g.{name(key)} AS BIGINT)" for key, _first, _last in AGES)
    sql = (f"SELECT g.client_id, c.{name('short_name')}, g.author_id, u.{name('full_name')}, g.n, {ages} "  # noqa: S608 — names of ours
           f"FROM ({grouped}) g INNER JOIN {name(Client._meta.db_table)} c ON c.id = g.client_id "
           f"LEFT JOIN {name(User._meta.db_table)} u ON u.id = g.author_id")
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        found = cursor.fetchall()
    # By manager (his name, then his id), then by client: each manager's rows sorted apart, so the sort compares
    # the clients' names only. The sums are kopecks: × 0.01 is exact and has two places, as `money_sum` gives.
    managers: dict[int, list[Any]] = {}
    for row in found:
        managers.setdefault(row[2], []).append(row)
    debts = []
    for author_id in sorted(managers, key=lambda pk: ((managers[pk][0][3] or "").casefold(), pk)):
        rows = managers[author_id]
        rows.sort(key=lambda row: ((row[1] or "").casefold(), row[0]))
        author = rows[0][3] or ""
        debts += [Debt._make((client_id, client or "", author_id, author, count,
                              (a * CENT if a else ZERO, b * CENT if b else ZERO, c * CENT if c else ZERO,
                               d * CENT if d else ZERO, e * CENT if e else ZERO)))  # the five AGES
                  for client_id, client, _author_id, _author, count, a, b, c, d, e in rows]
    return debts


# --- «Продажи и работы» ----------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class SalesLine:
    """A manager's sales of one goods group in the period."""

    manager_id: int
    manager: str
    group: str
    quantity: Decimal
    amount: Decimal
    count: int


@dataclass(frozen=True)
class WorksLine:
    """A manager's works of one type in the period."""

    manager_id: int
    manager: str
    work_type: str
    count: int
    norm_hours: Decimal
    amount: Decimal


def sales_by_group(user: Any, *, start: datetime.date, end: datetime.date, authors: Sequence[int] = (),
                   goods_group: int | None = None) -> list[SalesLine]:
    """Per responsible manager and goods group (an item without a group: its folder's name), the sales dated in
    [start, end]: their number, quantity and amount. One grouped query."""
    rows = _by_authors(_opened(user, Sale.objects.filter(date__gte=start, date__lte=end)), authors, "responsible")
    if goods_group is not None:
        rows = rows.filter(item__goods_group_id=goods_group)
    found = (rows.order_by()
             .values("responsible_id", manager=F("responsible__full_name"),
                     group=Coalesce(F("item__goods_group__name"), F("item__folder__name")))
             .annotate(n=Count("id"), quantity_sum=Sum("quantity"), amount_sum=money_sum("amount")))
    lines = [SalesLine(manager_id=row["responsible_id"], manager=row["manager"] or "", group=row["group"] or "",
                       quantity=Decimal(row["quantity_sum"] or 0).quantize(Decimal("0.001")),
                       amount=row["amount_sum"], count=row["n"]) for row in found]
    return sorted(lines, key=lambda line: (line.manager.casefold(), line.manager_id, line.group.casefold()))


def works_by_type(user: Any, *, start: datetime.date, end: datetime.date,
                  authors: Sequence[int] = ()) -> list[WorksLine]:
    """Per responsible manager and type of work, the works dated in [start, end]: their number, norm-hours and
    amount. One grouped query."""
    rows = _by_authors(_opened(user, Work.objects.filter(date__gte=start, date__lte=end)), authors, "responsible")
    found = (rows.order_by().values("responsible_id", "work_type", manager=F("responsible__full_name"))
             .annotate(n=Count("id"), hours=Sum("norm_hours"), amount_sum=money_sum("amount")))
    lines = [WorksLine(manager_id=row["responsible_id"], manager=row["manager"] or "", work_type=row["work_type"],
                       count=row["n"], norm_hours=Decimal(row["hours"] or 0).quantize(Decimal("0.01")),
                       amount=row["amount_sum"]) for row in found]
    return sorted(lines, key=lambda line: (line.manager.casefold(), line.manager_id, line.work_type.casefold()))
