"""The VAT rate in force (INV-03): by the payee's tax regime and the document's date."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest

from kontora.billing.selectors.vat import Offer, Rate, Regime, RegimePeriod, regime_on, vat_offer
from kontora.core.errors import Refused
from kontora.directories.models import VatRate

pytestmark = pytest.mark.feature("INV-03")

D = Decimal
NEW_YEAR_EVE = datetime.date(2025, 12, 31)
NEW_YEAR = datetime.date(2026, 1, 1)


def test_the_general_regime_takes_20_percent_until_2025_and_22_from_2026() -> None:
    assert vat_offer(Regime.GENERAL, NEW_YEAR_EVE) == Offer(rates=(D(20), D(10), D(0), None), default=D(20))
    assert vat_offer(Regime.GENERAL, NEW_YEAR) == Offer(rates=(D(22), D(10), D(0), None), default=D(22))


def test_the_simplified_regime_offers_5_or_7_percent_or_none() -> None:
    assert vat_offer(Regime.SIMPLIFIED_VAT, NEW_YEAR) == Offer(rates=(D(5), D(7), None), default=D(5))
    chose_seven = RegimePeriod(Regime.SIMPLIFIED_VAT, reduced_rate=D(7))
    assert vat_offer(chose_seven, NEW_YEAR).default == D(7)


def test_without_vat_offers_none_only() -> None:
    assert vat_offer(Regime.WITHOUT_VAT, NEW_YEAR) == Offer(rates=(None,), default=None)


def test_the_rates_of_the_directory_are_used() -> None:
    # given a directory where 22 % starts later than the law says (an administrator's edit)
    rates = [Rate(D(20), None, datetime.date(2026, 1, 31)), Rate(D(22), datetime.date(2026, 2, 1)), Rate(None)]
    # then the 20 % stays offered in January and no 10 %/0 % are offered (they are not in the directory)
    assert vat_offer(Regime.GENERAL, datetime.date(2026, 1, 15), rates) == Offer(rates=(D(20), None), default=D(20))


def test_the_regime_in_force_on_a_date() -> None:
    periods = [
        RegimePeriod(Regime.WITHOUT_VAT, valid_to=NEW_YEAR_EVE),
        RegimePeriod(Regime.SIMPLIFIED_VAT, valid_from=NEW_YEAR, reduced_rate=D(7)),
    ]
    assert regime_on(periods, NEW_YEAR_EVE).regime == Regime.WITHOUT_VAT
    assert vat_offer(regime_on(periods, NEW_YEAR), NEW_YEAR).default == D(7)
    with pytest.raises(Refused) as raised:
        regime_on(periods[:1], NEW_YEAR)
    assert raised.value.message == "У юридического лица не указан режим налогообложения на 01.01.2026."


def test_before_2025_the_simplified_regime_had_no_vat() -> None:
    assert vat_offer(Regime.SIMPLIFIED_VAT, datetime.date(2024, 12, 31)) == Offer(rates=(None,), default=None)


def test_a_regime_whose_rates_are_not_in_force_is_refused() -> None:
    # given a directory without «без НДС» and without the reduced rates
    with pytest.raises(Refused) as raised:
        vat_offer(Regime.SIMPLIFIED_VAT, NEW_YEAR, [Rate(D(22))])
    assert raised.value.message == "На 01.01.2026 не действует ни одна ставка НДС этого режима налогообложения."


@pytest.mark.django_db
def test_the_rows_of_the_vat_rate_directory_fit() -> None:
    # given the VAT rates the base is shipped with (directories.VatRate, rates with periods)
    rows = list(VatRate.objects.all())
    # then they answer as the law says on both sides of the new year
    assert vat_offer(Regime.GENERAL, NEW_YEAR_EVE, rows).default == D(20)
    assert vat_offer(Regime.GENERAL, NEW_YEAR, rows) == Offer(rates=(D(22), D(10), D(0), None), default=D(22))
    assert vat_offer(Regime.SIMPLIFIED_VAT, NEW_YEAR, rows).rates == (D(5), D(7), None)
