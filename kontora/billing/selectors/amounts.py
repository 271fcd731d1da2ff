"""The arithmetic of invoice lines (INV-03): one line's amount without VAT, its VAT and its amount with VAT.

Each line is rounded to the kopeck on its own (half up) and the totals are sums of the rounded lines, so the total
printed under the table equals the sum of the printed lines — the way Russian invoices and invoice-facturas are
checked. The VAT is counted from the line's amount: out of it (`VAT included in the price`, amount × r / (100 + r))
or on top of it (amount × r / 100); the other column is the difference, so net + VAT = gross to the kopeck.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal

from django.utils.translation import gettext as _

from kontora.core.errors import Refused
from kontora.core.money import money

HUNDRED = Decimal(100)
ZERO = Decimal("0.00")


@dataclass(frozen=True)
class Line:
    """An invoice line as typed: `vat_rate` is a percentage, or None for «без НДС»."""

    quantity: Decimal | None
    price: Decimal | None
    discount: Decimal = Decimal(0)
    vat_rate: Decimal | None = None
    vat_included: bool = True


@dataclass(frozen=True)
class LineAmounts:
    """A line's printed amounts, each in kopecks (two places): `net + vat == gross` exactly."""

    net: Decimal
    vat: Decimal
    gross: Decimal
    vat_rate: Decimal | None


@dataclass(frozen=True)
class Totals:
    """The invoice's totals: sums of the rounded lines, and the VAT per rate (for «В том числе НДС» rows)."""

    net: Decimal
    vat: Decimal
    gross: Decimal
    lines: tuple[LineAmounts, ...]
    vat_by_rate: dict[Decimal | None, Decimal] = field(default_factory=dict)


def line_check(line: Line) -> None:
    """Refuses a line that cannot be priced, with the field to show the message at."""
    if line.price is None:
        raise Refused(_("The line has no price."), field="price")
    if line.price < 0:
        raise Refused(_("The price cannot be negative."), field="price")
    if line.quantity is None or line.quantity <= 0:
        raise Refused(_("The quantity must be greater than zero."), field="quantity")
    if not Decimal(0) <= line.discount <= HUNDRED:
        raise Refused(_("The discount must be between 0 and 100 %."), field="discount")
    if line.vat_rate is not None and line.vat_rate < 0:
        raise Refused(_("The VAT rate cannot be negative."), field="vat_rate")


def line_amounts(line: Line) -> LineAmounts:
    """The line's amount without VAT, its VAT and its amount with VAT, each rounded to the kopeck (half up)."""
    line_check(line)
    assert line.quantity is not None and line.price is not None  # checked above
    amount = money(line.quantity * line.price * (HUNDRED - line.discount) / HUNDRED)
    if line.vat_rate is None:
        return LineAmounts(net=amount, vat=ZERO, gross=amount, vat_rate=None)
    if line.vat_included:
        vat = money(amount * line.vat_rate / (HUNDRED + line.vat_rate))
        return LineAmounts(net=amount - vat, vat=vat, gross=amount, vat_rate=line.vat_rate)
    vat = money(amount * line.vat_rate / HUNDRED)
    return LineAmounts(net=amount, vat=vat, gross=amount + vat, vat_rate=line.vat_rate)


def invoice_totals(lines: Iterable[Line]) -> Totals:
    """Every line's amounts and the totals as the sums of the rounded lines; the first bad line is refused."""
    counted = tuple(line_amounts(line) for line in lines)
    by_rate: dict[Decimal | None, Decimal] = {}
    for amounts in counted:
        by_rate[amounts.vat_rate] = by_rate.get(amounts.vat_rate, ZERO) + amounts.vat
    return Totals(
        net=sum((amounts.net for amounts in counted), ZERO),
        vat=sum((amounts.vat for amounts in counted), ZERO),
        gross=sum((amounts.gross for amounts in counted), ZERO),
        lines=counted,
        vat_by_rate=by_rate,
    )
