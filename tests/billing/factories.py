"""Factories of billing's rows: sales and works (SAL-01, SAL-02), dated today, by their client's curator."""

from __future__ import annotations

import datetime
from decimal import Decimal

import factory

from kontora.billing.models import Sale, Work
from tests.accounts.factories import UserFactory
from tests.clients.factories import ClientFactory
from tests.directories.factories import NomenclatureItemFactory


class SaleFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Sale

    client = factory.SubFactory(ClientFactory)
    author = factory.SubFactory(UserFactory)
    responsible = factory.LazyAttribute(lambda sale: sale.author)
    date = factory.LazyFunction(datetime.date.today)
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
    date = factory.LazyFunction(datetime.date.today)
    work_type = factory.Sequence(lambda n: f"Монтаж {n}")
    amount = Decimal("100.00")
    norm_hours = Decimal("1.50")
    description = factory.Sequence(lambda n: f"Работа {n}")
