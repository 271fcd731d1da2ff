"""Sums in words («Сумма прописью», INV-06): «Одна тысяча двести рублей 05 копеек», as Russian invoices print.

num2words spells the rubles with their word form (рубль / рубля / рублей) and writes the kopecks in two digits
with theirs (копейка / копейки / копеек); the text starts with a capital letter.
"""

from __future__ import annotations

from decimal import Decimal

from num2words import num2words

from kontora.core.money import kopecks, rubles


def sum_in_words(amount: Decimal) -> str:
    """The amount spelled in Russian, capitalised, kopecks in digits: 1200.05 → «Одна тысяча двести рублей 05 копеек».

    The amount must be whole kopecks (a fraction is refused, not rounded) and not negative.
    """
    exact = rubles(kopecks(amount))
    if exact < 0:
        raise ValueError(f"a negative amount has no words on an invoice: {amount}")
    text = num2words(exact, lang="ru", to="currency", currency="RUB", cents=False, separator="")
    return text[0].upper() + text[1:]
