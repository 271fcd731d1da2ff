"""Billing's test data: our legal entity with its account, invoices built through the services, and factories of sales
and works (SAL-01, SAL-02), dated today, by their client's curator."""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Any

import factory
from django.utils import timezone

from kontora.billing.models import Invoice, Sale, Work
from kontora.billing.services.invoices import InvoiceData, LineData, invoice_create, invoice_issue
from kontora.core.models import BankAccount, LegalEntity
from kontora.directories.data.initial import VAT_RATES
from kontora.directories.models import VatRate
from tests.accounts.factories import UserFactory
from tests.clients.factories import ClientFactory
from tests.directories.factories import NomenclatureItemFactory


def payee(short_name: str = "ООО «Контора»", *, default: bool = True) -> LegalEntity:
    """One of our legal entities with a settlement account (the default ones when `default`)."""
    entity = LegalEntity.objects.create(full_name=short_name, short_name=short_name, inn="7707083893",
                                        is_default=default)
    BankAccount.objects.create(legal_entity=entity, bank_name="ПАО Сбербанк", bik="044525225",
                               corr_account="30101810400000000225", account=f"407028105380000{entity.pk:05d}",
                               is_default=default)
    return entity


def shipped_vat_rates() -> None:
    """The VAT rates the base is shipped with, back after a transactional test emptied the tables."""
    if not VatRate.objects.exists():
        VatRate.objects.bulk_create([
            VatRate(name=name, name_key=name.casefold(), rate=rate, valid_from=start, valid_to=end, order=order)
            for order, (name, rate, start, end) in enumerate(VAT_RATES)
        ])


def line(price: str, quantity: str = "1", vat_rate: str | None = "22", **kwargs: Any) -> LineData:
    return LineData(name=kwargs.pop("name", "Услуга"), quantity=Decimal(quantity), price=Decimal(price),
                    vat_rate=None if vat_rate is None else Decimal(vat_rate), **kwargs)


def issued_invoice(user: Any, client: Any, *prices: str, date: datetime.date | None = None,
                   **kwargs: Any) -> Invoice:
    """An issued invoice of the client with one line per price (VAT 22 % included)."""
    data = InvoiceData(client=client, date=date or timezone.localdate(), lines=[line(price) for price in prices],
                       **kwargs)
    invoice = invoice_create(acting_user=user, data=data)
    return invoice_issue(acting_user=user, invoice_id=invoice.pk)


class SaleFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Sale

    client = factory.SubFactory(ClientFactory)
    author = factory.SubFactory(UserFactory)
    responsible = factory.LazyAttribute(lambda sale: sale.author)
    date = factory.LazyFunction(timezone.localdate)
    item = factory.SubFactory(NomenclatureItemFactory)
    quantity = Decimal("1")
    amount = Decimal("100.00")
    note = factory.Sequence(lambda n: f"Продажа {n}")


class WorkFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Work

    client = factory.SubFactory(ClientFactory)
    author = factory.SubFactory(UserFactory)
    responsible = factory.LazyAttribute(lambda work: work.author)
    date = factory.LazyFunction(timezone.localdate)
    work_type = factory.Sequence(lambda n: f"Монтаж {n}")
    amount = Decimal("100.00")
    norm_hours = Decimal("1.50")
    description = factory.Sequence(lambda n: f"Работа {n}")


# --- bank statements (INV-04) -----------------------------------------------------------------------------------


def statement_document(number: str, amount: str, purpose: str, *, inn: str = "7711111111", to: str = "",
                       on: datetime.date | None = None, payer: str = "ООО «Плательщик»",
                       payer_account: str = "40702810100000000777", outgoing: bool = False) -> list[str]:
    """A payment document of a 1C exchange file: incoming to our account `to` (or paid from it, `outgoing`)."""
    day = f"{(on or timezone.localdate()):%d.%m.%Y}"
    if outgoing:
        return ["СекцияДокумент=Платежное поручение", f"Номер={number}", f"Дата={day}", f"Сумма={amount}",
                f"ПлательщикСчет={to}", "Плательщик1=ООО «Контора»", "ПлательщикИНН=7707083893",
                f"ДатаСписано={day}", "ПолучательСчет=40702810500000000002", "Получатель1=ИП Петров",
                "ПолучательИНН=770123456789", f"НазначениеПлатежа={purpose}", "КонецДокумента"]
    return ["СекцияДокумент=Платежное поручение", f"Номер={number}", f"Дата={day}", f"Сумма={amount}",
            f"ПлательщикСчет={payer_account}", f"Плательщик=ИНН {inn} {payer}", f"ПлательщикИНН={inn}",
            f"Плательщик1={payer}", f"ПлательщикРасчСчет={payer_account}", f"ПолучательСчет={to}",
            f"ДатаПоступило={day}", "Получатель1=ООО «Контора»", "ПолучательИНН=7707083893",
            f"ПолучательРасчСчет={to}", f"НазначениеПлатежа={purpose}", "КонецДокумента"]


def statement_file(account: str, *documents: list[str], encoding: str = "cp1251") -> bytes:
    """A 1C exchange file (`1CClientBankExchange`, Windows-1251) of our `account` with the documents."""
    day = f"{timezone.localdate():%d.%m.%Y}"
    lines = ["1CClientBankExchange", "ВерсияФормата=1.03", "Кодировка=Windows", "Отправитель=Бухгалтерия",
             f"ДатаСоздания={day}", f"ДатаНачала={day}", f"ДатаКонца={day}", f"РасчСчет={account}",
             "СекцияРасчСчет", f"ДатаНачала={day}", f"ДатаКонца={day}", f"РасчСчет={account}", "КонецРасчСчет"]
    for document in documents:
        lines += document
    lines.append("КонецФайла")
    return "\r\n".join(lines).encode(encoding)
