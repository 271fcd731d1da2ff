"""A demonstration base's money side (`kontora demo`): invoices with lines, payments, acts and invoice-facturas
(`demo.documents`), sales and works of the demo's clients over the last two years' working days.

Deterministic for a seed. Invoices are written in date order, a transaction per BATCH: their numbers are taken from
the numbering service in blocks (`numbers_next`, per payee and year, the batch's counter rows locked), so numbers
follow dates, stay gapless and unique, and the next invoice a user issues gets the next number. Lines are priced by
`selectors.amounts` and the totals are their sums; an invoice's paid amount is the sum of the live allocations of its
payments, its due the rest, its status what the services would have left:

- old invoices mostly paid (in one payment, in two partial ones, from an advance paid before, or overpaid, the rest
  staying the client's advance), some partly paid or still unpaid (the debts report's ageing), a few cancelled;
- recent ones issued or drafts; now and then a payment was recorded and cancelled (storno) and does not count;
- some clients paid an advance not yet applied to any invoice.

Our legal entities are the base's own; a base without any gets two (an LLC on the general regime, the default,
and a sole trader without VAT). A base without nomenclature gets a small catalogue of goods and services.
Rows are plain executemany INSERTs (COPY on PostgreSQL), as the clients' and the history's fills.
"""

from __future__ import annotations

import datetime
import random
import time
from collections import defaultdict
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from decimal import Decimal
from functools import lru_cache
from typing import Any
from zoneinfo import ZoneInfo

from django.db import connection, transaction
from django.utils import timezone

from kontora.accounts.models import User
from kontora.billing.demo.documents import DocumentFill
from kontora.billing.demo.rows import moment_on, numbered, read_back
from kontora.billing.models import Invoice, InvoiceLine, Payment, PaymentAllocation, PaymentKind, Sale, Work
from kontora.billing.selectors.amounts import Line, LineAmounts, line_amounts
from kontora.billing.selectors.invoices import regime_periods
from kontora.billing.selectors.vat import Offer, regime_on, vat_offer
from kontora.clients.demo import Inserter, org_requisites, person_requisites
from kontora.clients.models import Client
from kontora.core.errors import Refused
from kontora.core.models import BankAccount, LegalEntity, TaxRegime
from kontora.core.money import kopecks, money
from kontora.core.numbering import codes_next
from kontora.core.selectors.calendar import office_zone, working_days
from kontora.core.text import search_key
from kontora.directories.models import GoodsGroup, NomenclatureItem, Unit, VatRate
from kontora.directories.services.words import NOMENCLATURE, words_rewrite

BATCH = 20_000  # invoices a transaction
HISTORY_DAYS = 730
RECENT_DAYS = 10  # invoices younger than this are mostly drafts and unpaid
MAX_LINES = 6
ADVANCE_SHARE = 0.02  # a client's advance not applied to anything, per invoice written
ACT_SHARE = 0.6  # of the paid invoices with services, those that have an act
FACTURA_SHARE = 0.3  # of the live invoices (and of the advances) of a payee with VAT, those with an invoice-factura
INVOICE_KIND, PAYMENT_KIND = "invoice", "payment"  # the services' numbering kinds

# (name, unit's short name, price, a service?, article)
CATALOGUE: list[tuple[str, str, str, bool, str]] = [
    ("Бумага офисная SvetoCopy A4, 500 листов", "упак", "320.00", False, "SC-A4-500"),
    ("Картридж HP 85A", "шт", "4900.00", False, "CE285A"),
    ("Ноутбук Lenovo IdeaPad 3 15,6\"", "шт", "54990.00", False, "82RK00"),
    ("Монитор Samsung 24\" S24C310", "шт", "13490.00", False, "LS24C310"),
    ("Кресло офисное «Бюрократ»", "шт", "8900.00", False, "CH-868"),
    ("Стол письменный 1200×600", "шт", "11200.00", False, "SP-1260"),
    ("Ручка шариковая синяя", "шт", "25.50", False, "PEN-B"),
    ("Папка-регистратор 75 мм", "шт", "189.00", False, "PR-75"),
    ("Кабель ВВГнг-LS 3×2,5", "м", "94.30", False, "VVG-3x2.5"),
    ("Перфоратор Bosch GBH 2-26", "шт", "15600.00", False, "GBH2-26"),
    ("Краска фасадная белая, 10 л", "шт", "3250.00", False, "KF-10"),
    ("Костюм рабочий летний", "компл", "2700.00", False, "KR-L"),
    ("Перчатки рабочие х/б", "пар", "38.00", False, "PX-B"),
    ("Коробка картонная 600×400×400", "шт", "95.00", False, "KK-644"),
    ("Плёнка стрейч 500 мм", "рул", "640.00", False, "STR-500"),
    ("Смеситель для раковины", "шт", "4150.00", False, "SM-R1"),
    ("ИБП APC Back-UPS 700", "шт", "9800.00", False, "BX700"),
    ("Вода питьевая, 19 л", "бут", "290.00", False, "W-19"),
    ("Доставка по городу", "усл. ед", "1500.00", True, ""),
    ("Монтаж оборудования", "ч", "2200.00", True, ""),
    ("Настройка сервера", "ч", "3500.00", True, ""),
    ("Техническое обслуживание оргтехники", "мес", "12000.00", True, ""),
    ("Консультация специалиста", "ч", "2500.00", True, ""),
    ("Заправка картриджа", "шт", "650.00", True, ""),
    ("Абонентское обслуживание 1С", "мес", "9900.00", True, ""),
    ("Погрузочно-разгрузочные работы", "ч", "900.00", True, ""),
]
_WORK_TYPES = ["Монтаж оборудования", "Пусконаладочные работы", "Техническое обслуживание", "Ремонт оргтехники",
               "Настройка локальной сети", "Выезд специалиста", "Установка программного обеспечения",
               "Сборка мебели"]
_WORK_NOTES = ["Работы выполнены в срок, претензий нет", "Выполнено по заявке клиента",
               "Замечания устранены на месте", "Работы по договору обслуживания", ""]
_SALE_NOTES = ["", "", "Самовывоз со склада", "Доставка включена", "По предоплате"]
_INVOICE_NOTES = ["", "", "", "Оплата в течение 5 банковских дней", "По договору поставки", "Предоплата 100 %"]
_CANCEL_INVOICE = ["Клиент отказался от заказа", "Выставлен повторно с исправлениями", "Ошибка в реквизитах"]
_CANCEL_PAYMENT = ["Ошибочно разнесённый платёж", "Возврат по заявлению клиента", "Платёж другого клиента"]


@dataclass(frozen=True)
class BillingResult:
    invoices: int = 0
    lines: int = 0
    payments: int = 0
    sales: int = 0
    works: int = 0
    acts: int = 0
    facturas: int = 0  # for shipments and for advances
    items_added: int = 0
    # Wall and CPU seconds (on a shared, busy machine the wall time says more about the neighbours).
    seconds: tuple[float, float] = (0.0, 0.0)


@dataclass(frozen=True)
class _Item:
    pk: int
    name: str
    unit: str
    price: Decimal
    service: bool


@dataclass
class _Payee:
    pk: int
    account: int | None
    periods: list[Any]
    offers: dict[datetime.date, Offer | None] = field(default_factory=dict)

    def offer(self, on: datetime.date, rates: list[VatRate]) -> Offer | None:
        """The VAT rates the payee's lines may take on `on`, None when its regime covers no such date."""
        if on not in self.offers:
            try:
                self.offers[on] = vat_offer(regime_on(self.periods, on), on, rates)
            except Refused:
                self.offers[on] = None
        return self.offers[on]


@lru_cache(maxsize=100_000)
def _amounts(line: Line) -> LineAmounts:
    return line_amounts(line)


# --- what the fill starts from: payees, nomenclature, clients --------------------------------------------------


def _payees(rng: random.Random) -> list[_Payee]:
    """Our legal entities with their default accounts and regimes; two demonstration ones in a base without any."""
    if not LegalEntity.objects.exists():
        for short, full, regime, default in (
            ("ООО «Контора»", "Общество с ограниченной ответственностью «Контора»", TaxRegime.Regime.GENERAL, True),
            ("ИП Соколов А. В.", "Индивидуальный предприниматель Соколов Андрей Викторович",
             TaxRegime.Regime.WITHOUT_VAT, False),
        ):
            if default:
                inn, kpp, ogrn = org_requisites(rng, "77")
            else:
                (inn, ogrn), kpp = person_requisites(rng, "77"), ""
            entity = LegalEntity.objects.create(
                full_name=full, short_name=short, inn=inn, kpp=kpp, ogrn=ogrn,
                legal_address="г. Москва, ул. Тверская, д. 7", director="Петрова Е. А." if default else
                "Соколов А. В.", chief_accountant="Иванова О. С." if default else "", is_default=default)
            BankAccount.objects.create(legal_entity=entity, bank_name="ПАО Сбербанк", bik="044525225",
                                       corr_account="30101810400000000225",
                                       account=f"407028{rng.randrange(10**14):014d}", is_default=default)
            TaxRegime.objects.create(legal_entity=entity, regime=regime)
    payees = []
    for entity in LegalEntity.objects.order_by("-is_default", "id"):
        account = (BankAccount.objects.filter(legal_entity=entity).order_by("-is_default", "id")
                   .values_list("pk", flat=True).first())
        payees.append(_Payee(pk=entity.pk, account=account, periods=regime_periods(entity)))
    return payees


def _catalogue() -> tuple[list[_Item], int]:
    """The priced active items of the nomenclature; a small catalogue of goods and services added when it has none.
    Returns the items and how many were added."""
    added = 0
    if not NomenclatureItem.objects.filter(is_active=True, sale_price__gt=0).exists():
        units = dict(Unit.objects.values_list("short_name", "pk"))
        groups = dict(GoodsGroup.objects.values_list("name", "pk"))
        codes = codes_next("nomenclature", len(CATALOGUE))
        created = NomenclatureItem.objects.bulk_create([
            NomenclatureItem(code=code, name=name, name_key=search_key(name), article=article,
                             article_key=search_key(article), unit_id=units.get(unit),
                             goods_group_id=groups.get("Услуги" if service else "Товары"),
                             purchase_price=money(Decimal(price) / Decimal("1.25")), markup=Decimal(25),
                             sale_price=Decimal(price))
            for code, (name, unit, price, service, article) in zip(codes, CATALOGUE, strict=True)
        ])
        words_rewrite(NOMENCLATURE, [item.pk for item in created])
        added = len(created)
    services = {name for name, _unit, _price, service, _article in CATALOGUE if service}
    rows = (NomenclatureItem.objects.filter(is_active=True, sale_price__gt=0).order_by("pk")
            .values_list("pk", "name", "unit__short_name", "sale_price", "goods_group__name")[:500])
    return [_Item(pk, name, unit or "шт", price, name in services or group == "Услуги")
            for pk, name, unit, price, group in rows], added


def _clients(first_code: int) -> tuple[list[int], list[int]]:
    rows = Client.objects.filter(code__gte=first_code).order_by("pk").values_list("pk", "curator_id")
    ids, curators = [], []
    for pk, curator in rows.iterator(chunk_size=50_000):
        ids.append(pk)
        curators.append(curator or 0)
    return ids, curators


def _names(client_ids: set[int]) -> dict[int, str]:
    """The payers' names as a bank prints them: the clients' full names."""
    names: dict[int, str] = {}
    ordered = sorted(client_ids)
    for start in range(0, len(ordered), 5_000):
        names.update(Client.objects.filter(pk__in=ordered[start:start + 5_000]).values_list("pk", "full_name"))
    return names


def _days(today: datetime.date) -> list[datetime.date]:
    return [day for day, worked in working_days(today - datetime.timedelta(days=HISTORY_DAYS), today).items()
            if worked]


def _dates(count: int, days: list[datetime.date]) -> Iterator[datetime.date]:
    """`count` dates spread over the days, in order."""
    per_day, extra = divmod(count, len(days))
    for number, day in enumerate(days):
        for _ in range(per_day + (number < extra)):
            yield day


# --- invoices and their payments -------------------------------------------------------------------------------


@dataclass
class _Filler:
    """One fill's state: what it draws from and the row writers."""

    rng: random.Random
    today: datetime.date
    zone: ZoneInfo
    payees: list[_Payee]
    items: list[_Item]
    rates: list[VatRate]
    clients: list[int]
    curators: list[int]
    users: list[int]
    prefixes: dict[int, str]
    documents: DocumentFill | None = None
    inserters: dict[str, Inserter] = field(default_factory=dict)
    counts: dict[str, int] = field(default_factory=lambda: defaultdict(int))

    def __post_init__(self) -> None:
        for name, model in (("invoice", Invoice), ("line", InvoiceLine), ("payment", Payment),
                            ("allocation", PaymentAllocation), ("sale", Sale), ("work", Work)):
            self.inserters[name] = Inserter(model)

    def basic_rate(self, entity: int, on: datetime.date) -> Decimal | None:
        """The VAT rate a line of the payee takes by default on `on`; None without VAT."""
        offer = next(payee for payee in self.payees if payee.pk == entity).offer(on, self.rates)
        return offer.default if offer is not None else None

    def _curator(self, index: int) -> int:
        return self.curators[index] or self.rng.choice(self.users)

    def invoice(self, day: datetime.date) -> dict[str, Any] | None:
        """An invoice of a random demo client dated `day`, with its lines and its payments' plan."""
        rng = self.rng
        index = rng.randrange(len(self.clients))
        payee = self.payees[0] if len(self.payees) == 1 or rng.random() < 0.85 else rng.choice(self.payees[1:])
        offer = payee.offer(day, self.rates)
        if offer is None:
            return None
        included = rng.random() < 0.85
        lines: list[dict[str, Any]] = []
        for position in range(1, rng.randint(1, MAX_LINES) + 1):
            item = rng.choice(self.items)
            if item.service:
                quantity = Decimal(rng.randint(1, 8))
            elif item.unit == "м":
                quantity = Decimal(rng.randint(5, 200)) / 2
            else:
                quantity = Decimal(rng.choice((1, 1, 2, 3, 5, 10, 20)))
            discount = Decimal(0) if rng.random() < 0.8 else Decimal(rng.choice((3, 5, 10)))
            rate = offer.default
            amounts = _amounts(Line(quantity=quantity, price=item.price, discount=discount, vat_rate=rate,
                                    vat_included=included))
            lines.append({"position": position, "item_id": item.pk, "name": item.name, "quantity": quantity,
                          "unit": item.unit, "price": kopecks(item.price), "discount": discount, "vat_rate": rate,
                          "net": kopecks(amounts.net), "vat": kopecks(amounts.vat),
                          "gross": kopecks(amounts.gross), "_service": item.service})
        gross = sum(line["gross"] for line in lines)
        author = self._curator(index)
        created = moment_on(day, self.zone, rng)
        row: dict[str, Any] = {
            "client_id": self.clients[index], "legal_entity_id": payee.pk, "bank_account_id": payee.account,
            "date": day.isoformat(), "due_date": (day + datetime.timedelta(days=rng.choice((5, 10, 14, 30))))
            .isoformat(), "number_year": day.year, "prefix": self.prefixes.get(author, ""),
            "vat_mode": str(Invoice.VatMode.INCLUDED if included else Invoice.VatMode.ON_TOP),
            "net": sum(line["net"] for line in lines), "vat": sum(line["vat"] for line in lines), "gross": gross,
            "paid": 0, "due": gross, "note": rng.choice(_INVOICE_NOTES), "author_id": author,
            "created_at": created, "changed_at": created, "changed_by_id": author,
            "_lines": lines, "_payments": [],
        }
        self._settle(row, day)
        return row

    def _payment(self, row: dict[str, Any], day: datetime.date, amount: int, applied: int, *,
                 named: bool = True, cancelled: bool = False) -> None:
        rng = self.rng
        cash = rng.random() < 0.1
        payment = {
            "client_id": row["client_id"], "legal_entity_id": row["legal_entity_id"], "date": day.isoformat(),
            "number_year": day.year, "amount": amount, "kind": str(Payment.Kind.CASH if cash else
                                                                   Payment.Kind.NON_CASH),
            "bank_document": "" if cash else str(rng.randint(1, 9999)), "prefix": row["prefix"],
            "author_id": row["author_id"], "created_at": moment_on(day, self.zone, rng), "_named": named,
            "_applied": applied,
        }
        if cancelled:
            payment.update(cancelled_at=moment_on(min(day + datetime.timedelta(days=1), self.today), self.zone, rng),
                           cancelled_by_id=row["author_id"], cancel_reason=rng.choice(_CANCEL_PAYMENT))
        row["_payments"].append(payment)

    def _settle(self, row: dict[str, Any], day: datetime.date) -> None:
        """The invoice's fate by its age: its status, its payments, and its paid and due amounts from them."""
        rng, gross = self.rng, row["gross"]
        age = (self.today - day).days
        draw = rng.random()
        if age < RECENT_DAYS:
            fate = ("draft" if draw < 0.3 else "issued" if draw < 0.75 else "partly" if draw < 0.85
                    else "paid" if draw < 0.96 else "cancelled")
        else:
            fate = ("draft" if draw < 0.005 else "issued" if draw < 0.07 else "partly" if draw < 0.12
                    else "cancelled" if draw < 0.16 else "paid")

        def later(most: int) -> datetime.date:
            return day + datetime.timedelta(days=rng.randint(0, max(0, min(age, most))))

        if fate == "draft":
            row["status"] = Invoice.Status.DRAFT
        elif fate == "cancelled":
            row.update(status=Invoice.Status.CANCELLED, due=0, cancelled_by_id=row["author_id"],
                       cancelled_at=moment_on(later(5), self.zone, rng), cancel_reason=rng.choice(_CANCEL_INVOICE))
        elif fate in ("issued", "partly"):
            if rng.random() < 0.05 and age > 0:  # recorded by mistake and cancelled: counts for nothing
                self._payment(row, later(20), gross, gross, cancelled=True)
            if fate == "partly" and gross >= 100_00:
                part = gross * rng.randint(2, 8) // 1000 * 100  # whole rubles, 20-80 %
                self._payment(row, later(20), part, part)
            row["status"] = Invoice.Status.PARTLY_PAID if row["_payments"] and fate == "partly" else (
                Invoice.Status.ISSUED)
        else:
            how = rng.random()
            if how < 0.12 and gross >= 200:  # in two parts
                first = gross // 200 * 100
                paid_on = later(15)
                self._payment(row, paid_on, first, first)
                rest_on = paid_on + datetime.timedelta(days=rng.randint(0, min(20, (self.today - paid_on).days)))
                self._payment(row, rest_on, gross - first, gross - first)
            elif how < 0.17:  # from an advance paid before the invoice, perhaps more than it
                extra = rng.choice((0, 0, 500_000))
                self._payment(row, day - datetime.timedelta(days=rng.randint(1, 10)), gross + extra, gross,
                              named=False)
            elif how < 0.2:  # overpaid: the rest stays the client's advance
                self._payment(row, later(20), gross + rng.randint(1, 50) * 100_00, gross)
            else:
                self._payment(row, later(20), gross, gross)
            row["status"] = Invoice.Status.PAID
        live = sum(p["_applied"] for p in row["_payments"] if "cancelled_at" not in p)
        row["status"] = str(row["status"])
        row["paid"] = live
        if row["status"] != Invoice.Status.CANCELLED:
            row["due"] = gross - live

    def advance(self, day: datetime.date) -> dict[str, Any]:
        """A client's advance not applied to any invoice yet."""
        rng = self.rng
        index = rng.randrange(len(self.clients))
        author = self._curator(index)
        row: dict[str, Any] = {"client_id": self.clients[index], "legal_entity_id": self.payees[0].pk, "prefix":
               self.prefixes.get(author, ""), "author_id": author, "_payments": []}
        self._payment(row, day, rng.randint(5, 200) * 1000_00, 0, named=False)
        return row["_payments"][0]

    def write(self, invoices: list[dict[str, Any]], advances: list[dict[str, Any]]) -> None:
        """A batch in one transaction: numbers taken in blocks, then invoices, lines, payments, allocations."""
        by_number = numbered(INVOICE_KIND, invoices)
        self.inserters["invoice"].insert(invoices)
        ids = read_back(Invoice, by_number)
        lines = []
        payments = list(advances)
        for row in invoices:
            pk = row["id"] = ids[(row["legal_entity_id"], row["number_year"], row["number"])]
            for line in row["_lines"]:
                line["invoice_id"] = pk
                lines.append(line)
            for payment in row["_payments"]:
                payment["_invoice"] = pk
                if payment["_named"]:
                    payment["invoice_id"] = pk
                payments.append(payment)
        self.inserters["line"].insert(lines)
        payments.sort(key=lambda payment: (payment["date"], payment["created_at"]))
        names = _names({payment["client_id"] for payment in payments})
        for payment in payments:
            payment["payer"] = names.get(payment["client_id"], "")
        by_number = numbered(PAYMENT_KIND, payments)
        self.inserters["payment"].insert(payments)
        payment_ids = read_back(Payment, by_number)
        for payment in payments:
            payment["_id"] = payment_ids[(payment["legal_entity_id"], payment["number_year"], payment["number"])]
        self.inserters["allocation"].insert([
            {"payment_id": p["_id"], "invoice_id": p["_invoice"], "amount": p["_applied"],
             "created_at": p["created_at"], "created_by_id": p["author_id"]}
            for p in payments if p["_applied"] > 0
        ])
        if self.documents is not None:
            self.documents.plan(invoices, payments)
            self.documents.write(max((_day_of(row) for row in [*invoices, *advances]), default=None))
        self.counts["invoices"] += len(invoices)
        self.counts["lines"] += len(lines)
        self.counts["payments"] += len(payments)


def _day_of(row: dict[str, Any]) -> datetime.date:
    return datetime.date.fromisoformat(row["date"])


# --- sales and works ---------------------------------------------------------------------------------------------


def _sales(filler: _Filler, count: int, days: list[datetime.date]) -> Iterator[dict[str, Any]]:
    rng = filler.rng
    goods = [item for item in filler.items if not item.service] or filler.items
    for day in _dates(count, days):
        index = rng.randrange(len(filler.clients))
        item = rng.choice(goods)
        quantity = Decimal(rng.choice((1, 1, 2, 3, 4, 5, 10, 12, 25)))
        paid = rng.random() < 0.75
        curator = filler._curator(index)
        stamp = moment_on(day, filler.zone, rng)
        yield {"client_id": filler.clients[index], "date": day.isoformat(), "item_id": item.pk,
               "quantity": quantity, "amount": kopecks(money(quantity * item.price)), "paid": paid,
               "paid_on": min(day + datetime.timedelta(days=rng.randint(0, 10)), filler.today).isoformat()
               if paid else None,
               "payment_method": str(rng.choice((PaymentKind.CASH, PaymentKind.NON_CASH, PaymentKind.NON_CASH)))
               if paid else "", "responsible_id": curator, "note": rng.choice(_SALE_NOTES), "author_id": curator,
               "created_at": stamp, "changed_at": stamp}


def _works(filler: _Filler, count: int, days: list[datetime.date]) -> Iterator[dict[str, Any]]:
    rng = filler.rng
    for day in _dates(count, days):
        index = rng.randrange(len(filler.clients))
        paid = rng.random() < 0.65
        curator = filler._curator(index)
        hours = Decimal(rng.randint(1, 32)) / 2
        stamp = moment_on(day, filler.zone, rng)
        units = rng.randint(1, 12)
        yield {"client_id": filler.clients[index], "date": day.isoformat(), "work_type": rng.choice(_WORK_TYPES),
               "output": f"{units} ед." if rng.random() < 0.6 else "", "receiver_id": rng.choice(filler.payees).pk,
               "responsible_id": curator, "amount": kopecks(money(hours * 2200)), "paid": paid,
               "paid_on": min(day + datetime.timedelta(days=rng.randint(0, 14)), filler.today).isoformat()
               if paid else None,
               "description": rng.choice(_WORK_NOTES), "norm_hours": hours, "author_id": curator,
               "created_at": stamp, "changed_at": stamp}


def _in_batches(rows: Iterator[dict[str, Any]], write: Callable[[list[dict[str, Any]]], None],
                size: int) -> None:
    batch: list[dict[str, Any]] = []
    for row in rows:
        batch.append(row)
        if len(batch) >= size:
            with transaction.atomic():
                write(batch)
            batch = []
    if batch:
        with transaction.atomic():
            write(batch)


def _analyze() -> None:
    tables = ["billing_invoice", "billing_invoiceline", "billing_payment", "billing_paymentallocation",
              "billing_sale", "billing_work", "billing_act", "billing_actline", "billing_invoicefactura",
              "billing_invoicefacturaline"]
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            for table in tables:
                cursor.execute(f"ANALYZE {table}")
        elif connection.in_atomic_block:  # VACUUM cannot run in a transaction (a test's)
            cursor.execute(f"ANALYZE {', '.join(tables)}")
        else:
            # Fresh statistics and a visibility map: index-only scans of the journal read no heap pages.
            cursor.execute(f"VACUUM (ANALYZE) {', '.join(tables)}")


def billing_fill(*, first_code: int, invoices: int, sales: int, works: int, users: list[int], seed: int = 1,
                 act_share: float = ACT_SHARE, factura_share: float = FACTURA_SHARE) -> BillingResult:
    """Adds `invoices` invoices (with lines and payments; acts for `act_share` of the paid ones with services,
    invoice-facturas for `factura_share` of the live ones and of the advances), `sales` sales and `works` works of
    the clients from code `first_code` on (the demo's), by their curators (`users` stand in for a client without
    one)."""
    started, cpu = time.monotonic(), time.process_time()
    clients, curators = _clients(first_code)
    if not clients or not (invoices or sales or works):
        return BillingResult()
    rng = random.Random(seed * 104_729 + 18)  # noqa: S311 — demonstration data must repeat for a seed
    zone = office_zone()
    today = timezone.now().astimezone(zone).date()
    with transaction.atomic():
        payees = _payees(random.Random(seed))  # noqa: S311 — its own draws: a base with payees fills the same
        items, added = _catalogue()
    filler = _Filler(rng=rng, today=today, zone=zone, payees=payees, items=items, rates=list(VatRate.objects.all()),
                     clients=clients, curators=curators, users=users or curators[:1],
                     prefixes=dict(User.objects.exclude(doc_prefix="").values_list("pk", "doc_prefix")))
    if act_share > 0 or factura_share > 0:
        filler.documents = DocumentFill(
            # its own draws: the invoices of a seed are the same whatever share of them gets documents
            rng=random.Random(seed * 7_919 + 5), today=today, zone=zone,  # noqa: S311
            act_share=act_share, factura_share=factura_share, rate_on=filler.basic_rate)
    days = _days(today)
    batch: list[dict[str, Any]] = []
    advances: list[dict[str, Any]] = []

    def flush() -> None:
        with transaction.atomic():
            filler.write(batch, advances)
        batch.clear()
        advances.clear()

    for day in _dates(invoices, days):
        row = filler.invoice(day)
        if row is not None:
            batch.append(row)
        if rng.random() < ADVANCE_SHARE:
            advances.append(filler.advance(day))
        if len(batch) >= BATCH:
            flush()
    if batch or advances:
        flush()
    if filler.documents is not None:
        with transaction.atomic():
            filler.documents.write(None)  # those dated after the last invoice
    sales_inserter, works_inserter = filler.inserters["sale"], filler.inserters["work"]
    _in_batches(_sales(filler, sales, days), sales_inserter.insert, BATCH * 2)
    _in_batches(_works(filler, works, days), works_inserter.insert, BATCH * 2)
    _analyze()
    documents = filler.documents.counts if filler.documents is not None else {}
    return BillingResult(invoices=filler.counts["invoices"], lines=filler.counts["lines"],
                         payments=filler.counts["payments"], sales=sales, works=works,
                         acts=documents.get("acts", 0), facturas=documents.get("facturas", 0), items_added=added,
                         seconds=(time.monotonic() - started, time.process_time() - cpu))
