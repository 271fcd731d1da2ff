"""Directories' records for tests, with their search keys set as the services set them."""

from __future__ import annotations

from typing import Any

import factory

from kontora.core.text import search_key
from kontora.directories.models import (
    Attribute,
    AttributeOption,
    Bank,
    NomenclatureItem,
    Priority,
    Region,
    Settlement,
    Unit,
)
from kontora.directories.services.words import words_keep


class _Named(factory.django.DjangoModelFactory):
    """A directory item whose `name_key` follows its name."""

    class Meta:
        abstract = True

    name_key = factory.LazyAttribute(lambda item: search_key(item.name))


class PriorityFactory(_Named):
    class Meta:
        model = Priority

    name = factory.Sequence(lambda n: f"Приоритет {n}")


class UnitFactory(_Named):
    class Meta:
        model = Unit

    name = factory.Sequence(lambda n: f"Единица {n}")
    short_name = factory.Sequence(lambda n: f"ед{n}")


class RegionFactory(_Named):
    """A region with a code no region of the initial base has (they are "01" … "99", a few skipped)."""

    class Meta:
        model = Region
        django_get_or_create = ("code",)

    code = factory.Sequence(lambda n: f"{chr(65 + n // 10 % 26)}{n % 10}")
    name = factory.Sequence(lambda n: f"Тестовый край {n}")
    short_name = factory.LazyAttribute(lambda region: region.name)


class SettlementFactory(_Named):
    class Meta:
        model = Settlement

    region = factory.SubFactory(RegionFactory)
    name = factory.Sequence(lambda n: f"Тестоград {n}")
    kind = "г"


class AttributeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Attribute

    name = factory.Sequence(lambda n: f"Признак {n}")
    label = factory.LazyAttribute(lambda attribute: attribute.name)
    kind = Attribute.Kind.DIRECTORY
    is_active = True


class AttributeOptionFactory(_Named):
    class Meta:
        model = AttributeOption

    attribute = factory.SubFactory(AttributeFactory)
    name = factory.Sequence(lambda n: f"значение {n}")


class BankFactory(_Named):
    class Meta:
        model = Bank

    bik = factory.Sequence(lambda n: f"0445{n:05d}")
    name = factory.Sequence(lambda n: f"АО Тестбанк {n}")
    corr_account = factory.LazyAttribute(lambda bank: f"30101810{bank.bik[-3:]:0>12}")
    city = "г Москва"


class NomenclatureItemFactory(_Named):
    """An item written directly, with a code far above those the numbering service gives in a test."""

    class Meta:
        model = NomenclatureItem

    code = factory.Sequence(lambda n: 900_000 + n)
    name = factory.Sequence(lambda n: f"Товар {n:05d}")

    @classmethod
    def _create(cls, model_class: type[NomenclatureItem], *args: Any, **kwargs: Any) -> NomenclatureItem:
        kwargs.setdefault("article_key", search_key(kwargs.get("article", "")))
        item: NomenclatureItem = super()._create(model_class, *args, **kwargs)
        words_keep(item)  # its word tails, as the item's service keeps them
        return item
