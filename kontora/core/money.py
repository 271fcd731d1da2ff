"""The one rounding helper for money: kopecks, ROUND_HALF_UP, Decimal in and out."""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal

KOPECK = Decimal("0.01")


def money(value: Decimal | int | str) -> Decimal:
    """`value` rounded to kopecks, half up (the accountants' rounding): 1.005 → 1.01, -1.005 → -1.01."""
    return Decimal(value).quantize(KOPECK, rounding=ROUND_HALF_UP)
