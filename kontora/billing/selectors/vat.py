"""Which VAT rates an invoice line may take (INV-03): by the payee's tax regime in force on the document's date.

Pure functions over data passed in: the regimes of a legal entity with their validity dates, and the VAT rates
with theirs (the rows of `directories.VatRate`, or the rates shipped in `directories.data.initial`).

- the general regime offers the basic rate in force (20 % until 2025-12-31, 22 % from 2026-01-01 by Federal Law
  425-FZ; the default), 10 %, 0 % and «без НДС» (exempt supplies);
- the simplified regime with VAT (Federal Law 176-FZ) offers its reduced rates, 5 % and 7 % (the default is the
  one the entity chose), and «без НДС»;
- without VAT (the simplified regime exempt from VAT, or a VAT exemption) offers «без НДС» only.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal
from enum import StrEnum
from typing import Protocol

from django.utils.translation import gettext as _

from kontora.core.errors import Refused
from kontora.directories.data.initial import VAT_RATES


class Regime(StrEnum):
    """A legal entity's tax regime as far as VAT is concerned."""

    GENERAL = "general"
    SIMPLIFIED_VAT = "simplified_vat"
    WITHOUT_VAT = "without_vat"


class RateRow(Protocol):
    """A VAT rate with its validity (`directories.VatRate` fits): `rate` None is «без НДС»."""

    @property
    def rate(self) -> Decimal | None: ...
    @property
    def valid_from(self) -> datetime.date | None: ...
    @property
    def valid_to(self) -> datetime.date | None: ...


@dataclass(frozen=True)
class Rate:
    """A VAT rate valid over a period (open ends are None)."""

    rate: Decimal | None
    valid_from: datetime.date | None = None
    valid_to: datetime.date | None = None


@dataclass(frozen=True)
class RegimePeriod:
    """A legal entity's regime from `valid_from` to `valid_to` (inclusive; None is open); `reduced_rate` is the
    simplified regime's chosen rate (5 or 7)."""

    regime: Regime
    valid_from: datetime.date | None = None
    valid_to: datetime.date | None = None
    reduced_rate: Decimal | None = None


@dataclass(frozen=True)
class Offer:
    """The rates a line may take on a date, in the order shown, and the one pre-filled (None is «без НДС»)."""

    rates: tuple[Decimal | None, ...]
    default: Decimal | None


BASIC = (Decimal(20), Decimal(22))
REDUCED_GENERAL = (Decimal(10), Decimal(0))
REDUCED_SIMPLIFIED = (Decimal(5), Decimal(7))
SHIPPED: tuple[Rate, ...] = tuple(Rate(rate, start, end) for _name, rate, start, end in VAT_RATES)


def _valid(row: RateRow | RegimePeriod, on: datetime.date) -> bool:
    return (row.valid_from is None or row.valid_from <= on) and (row.valid_to is None or on <= row.valid_to)


def regime_on(periods: Iterable[RegimePeriod], on: datetime.date) -> RegimePeriod:
    """The regime in force on `on`; refused when none covers the date (the legal entity's card must say)."""
    found = [period for period in periods if _valid(period, on)]
    if not found:
        raise Refused(_("The legal entity has no tax regime on %(date)s.") % {"date": on.strftime("%d.%m.%Y")})
    return max(found, key=lambda period: period.valid_from or datetime.date.min)


def vat_offer(regime: RegimePeriod | Regime, on: datetime.date, rates: Sequence[RateRow] = SHIPPED) -> Offer:
    """The VAT rates offered on `on` under `regime`, and the default, among the `rates` valid that day."""
    period = regime if isinstance(regime, RegimePeriod) else RegimePeriod(regime)
    valid = {row.rate for row in rates if _valid(row, on)}

    def kept(wanted: Iterable[Decimal | None]) -> tuple[Decimal | None, ...]:
        return tuple(rate for rate in wanted if rate in valid)

    if period.regime == Regime.GENERAL:
        basic = kept(sorted(BASIC, reverse=True))
        offered = (*basic, *kept(REDUCED_GENERAL), *kept([None]))
        default = basic[0] if basic else None
    elif period.regime == Regime.SIMPLIFIED_VAT:
        reduced = kept(REDUCED_SIMPLIFIED)
        offered = (*reduced, *kept([None]))
        default = period.reduced_rate if period.reduced_rate in reduced else (reduced[0] if reduced else None)
    else:
        offered, default = (None,), None
    if default not in offered:
        raise Refused(_("No VAT rate of the tax regime is in force on %(date)s.") % {"date": on.strftime("%d.%m.%Y")})
    return Offer(rates=offered, default=default)
