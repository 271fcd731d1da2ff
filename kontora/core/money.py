"""Money kept exact end to end: `Decimal` rubles in Python, integer kopecks in the database.

One rounding rule (kopecks, ROUND_HALF_UP) for every computed amount (`money`); stored amounts are never rounded
silently: a value with a fraction of a kopeck is refused where it enters the base (`kopecks`, `MoneyField`).
SQL sums run over the integer column (`money_sum`), so they are exact on SQLite too, where a `DecimalField` has
numeric affinity and `SUM()` runs in floating point.
"""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from typing import Any

from django.core import validators as django_validators
from django.core.exceptions import ValidationError
from django.db import connection, models
from django.db.models.expressions import Combinable
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _

KOPECK = Decimal("0.01")
KOPECKS_IN_RUBLE = 100


def money(value: Decimal | int | str) -> Decimal:
    """`value` rounded to kopecks, half up (the accountants' rounding): 1.005 → 1.01, -1.005 → -1.01."""
    return Decimal(value).quantize(KOPECK, rounding=ROUND_HALF_UP)


def _decimal(value: Decimal | int | str) -> Decimal:
    if isinstance(value, float | bool):
        # A float already lost the kopeck it may have meant (0.1 + 0.2); a bool is not money.
        raise ValidationError(_("An amount of money must be a decimal number, not %(kind)s."),
                              code="money_type", params={"kind": type(value).__name__})
    try:
        number = Decimal(value)
    except (InvalidOperation, TypeError, ValueError):
        raise ValidationError(_("«%(value)s» is not an amount of money."), code="money_invalid",
                              params={"value": value}) from None
    if not number.is_finite():
        raise ValidationError(_("«%(value)s» is not an amount of money."), code="money_invalid",
                              params={"value": value})
    return number


def kopecks(value: Decimal | int | str) -> int:
    """The exact number of kopecks in `value` rubles; a fraction of a kopeck is refused, never rounded away.

    Round first with `money()` where rounding is the rule (a computed VAT), so that a stored amount is always
    the one the user saw.
    """
    number = _decimal(value)
    scaled = number * KOPECKS_IN_RUBLE
    if scaled != scaled.to_integral_value():
        raise ValidationError(_("The amount %(value)s has a fraction of a kopeck."), code="money_fraction",
                              params={"value": value})
    return int(scaled)


def rubles(value: int | Decimal) -> Decimal:
    """Kopecks back to rubles, always with two places: 123405 → Decimal('1234.05')."""
    if isinstance(value, Decimal) and value != value.to_integral_value():
        raise ValueError(f"not a whole number of kopecks: {value}")
    return (Decimal(int(value)) / KOPECKS_IN_RUBLE).quantize(KOPECK)


class MoneyField(models.BigIntegerField):  # type: ignore[type-arg]
    """An amount of money: a `Decimal` with two places in Python, integer kopecks in a BIGINT column.

    Lookups (`amount__gte=Decimal("10.50")`) compare kopecks; aggregate with `money_sum`; a constant in SQL
    arithmetic goes in as `money_value(...)` (a bare Decimal would be added as rubles to the kopecks), and an
    annotation computed in SQL is read back as money through `as_money(...)` (Django types `F() + F()` as an integer).
    """

    description = _("Amount of money (stored in kopecks)")
    # What django-stubs' plugin types a model's attribute as: set from a Decimal (or kopecks' expression), read as
    # a Decimal.
    _pyi_private_set_type: Decimal | int | str | Combinable  # type: ignore[assignment]
    _pyi_private_get_type: Decimal  # type: ignore[assignment]

    def from_db_value(self, value: Any, expression: Any, connection: Any) -> Decimal | None:
        return None if value is None else rubles(value)

    def to_python(self, value: Any) -> Decimal | None:
        if value is None or value == "":
            return None
        if isinstance(value, str):
            value = value.strip().replace(" ", "").replace("\u00a0", "").replace(",", ".")
        return rubles(kopecks(value))

    def get_prep_value(self, value: Any) -> int | None:
        if isinstance(value, Combinable) or hasattr(value, "resolve_expression"):
            return value  # type: ignore[no-any-return]
        if value is None or value == "":
            return None
        return kopecks(value)

    @cached_property
    def validators(self) -> list[Any]:
        # BIGINT limits hold kopecks; the value validated is rubles, so the limits are scaled down.
        low, high = connection.ops.integer_field_range(self.get_internal_type())
        scaled: list[Any] = []
        if low is not None:
            scaled.append(django_validators.MinValueValidator(rubles(low)))
        if high is not None:
            scaled.append(django_validators.MaxValueValidator(rubles(high)))
        return [*self._validators, *scaled]  # type: ignore[attr-defined]

    def formfield(self, **kwargs: Any) -> Any:
        from django import forms

        return super(models.IntegerField, self).formfield(**{
            "form_class": forms.DecimalField, "max_digits": 17, "decimal_places": 2, **kwargs,
        })


def money_sum(expression: str | Any, **extra: Any) -> models.Sum:
    """`Sum()` of a `MoneyField` (or an expression over one) done on the kopecks: exact, `Decimal` out, 0.00 if none."""
    return models.Sum(expression, output_field=MoneyField(), default=models.Value(0, output_field=MoneyField()),
                      **extra)


def money_value(amount: Decimal | int | str) -> models.Value:
    """A constant amount for SQL arithmetic over a `MoneyField` (`F("paid") + money_value(sum)`): sent as kopecks."""
    return models.Value(rubles(kopecks(amount)), output_field=MoneyField())


def as_money(expression: Any) -> models.ExpressionWrapper:
    """An SQL expression over kopecks (`F("total") - F("paid")`) read back as a `Decimal` amount."""
    return models.ExpressionWrapper(expression, output_field=MoneyField())
