"""Sums in words for the print forms (INV-06): «Сумма прописью» with rouble and kopeck word forms."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from kontora.billing.selectors.words import sum_in_words

pytestmark = pytest.mark.feature("INV-06")


@pytest.mark.parametrize(("amount", "words"), [
    ("1", "Один рубль 00 копеек"),
    ("2", "Два рубля 00 копеек"),
    ("5", "Пять рублей 00 копеек"),
    ("21", "Двадцать один рубль 00 копеек"),
    ("101", "Сто один рубль 00 копеек"),
    ("1000000.01", "Один миллион рублей 01 копейка"),
    ("0.00", "Ноль рублей 00 копеек"),
    ("1200.05", "Одна тысяча двести рублей 05 копеек"),
    ("2.02", "Два рубля 02 копейки"),
    ("11.11", "Одиннадцать рублей 11 копеек"),
    ("1234.5", "Одна тысяча двести тридцать четыре рубля 50 копеек"),
])
def test_sums_in_words(amount: str, words: str) -> None:
    assert sum_in_words(Decimal(amount)) == words


def test_a_fraction_of_a_kopeck_or_a_negative_amount_has_no_words() -> None:
    with pytest.raises(ValidationError):
        sum_in_words(Decimal("1.005"))
    with pytest.raises(ValueError, match="negative"):
        sum_in_words(Decimal("-1"))
