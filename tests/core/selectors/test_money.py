"""Money is exact end to end (INV-01): Decimal rubles in Python, integer kopecks in the column, exact SQL sums."""

from __future__ import annotations

import random
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import connection, models
from django.test.utils import isolate_apps
from hypothesis import given
from hypothesis import strategies as st

from kontora.core.money import MoneyField, as_money, kopecks, money, money_sum, money_value, rubles

pytestmark = pytest.mark.feature("INV-01")

amounts = st.decimals(min_value=Decimal("-1e12"), max_value=Decimal("1e12"), places=2, allow_nan=False,
                      allow_infinity=False)


@given(amounts)
def test_kopecks_and_rubles_round_trip(amount: Decimal) -> None:
    # given an amount with whole kopecks / when it goes to kopecks and back / then nothing is lost
    assert rubles(kopecks(amount)) == amount
    assert rubles(kopecks(amount)).as_tuple().exponent == -2


@given(amounts)
def test_the_field_round_trips_through_its_column(amount: Decimal) -> None:
    field = MoneyField()
    stored = field.get_prep_value(amount)
    assert isinstance(stored, int)
    assert field.from_db_value(stored, None, connection) == amount
    assert field.to_python(str(amount)) == amount


def test_the_field_reads_what_it_is_given() -> None:
    field = MoneyField()
    assert field.to_python("1 234,5") == Decimal("1234.50")
    assert field.to_python(7) == Decimal("7.00")
    assert field.to_python(None) is None
    assert field.get_prep_value(None) is None
    # PostgreSQL answers SUM(bigint) as numeric: a Decimal of whole kopecks
    assert field.from_db_value(Decimal(123405), None, connection) == Decimal("1234.05")


@pytest.mark.parametrize("value", ["0.001", "10.005", Decimal("1.999")])
def test_a_fraction_of_a_kopeck_is_refused_not_rounded(value: object) -> None:
    with pytest.raises(ValidationError) as raised:
        MoneyField().get_prep_value(value)
    assert raised.value.code == "money_fraction"
    with pytest.raises(ValidationError):
        kopecks(value)  # type: ignore[arg-type]


@pytest.mark.parametrize("value", [0.1, "abc", "NaN", "Infinity", True])
def test_what_is_not_money_is_refused(value: object) -> None:
    with pytest.raises(ValidationError):
        MoneyField().to_python(value)


def test_rounding_is_half_up_to_the_kopeck() -> None:
    assert money(Decimal("1.005")) == Decimal("1.01")
    assert money(Decimal("1.0049")) == Decimal("1.00")
    assert money(Decimal("-1.005")) == Decimal("-1.01")
    assert money(Decimal("2.675")) == Decimal("2.68")  # a float would give 2.67


def test_the_form_field_takes_two_decimals() -> None:
    form_field = MoneyField().formfield()
    assert form_field.decimal_places == 2
    assert form_field.clean("12.34") == Decimal("12.34")


@pytest.mark.django_db
@isolate_apps("kontora.core")
def test_a_sql_sum_of_many_amounts_equals_the_exact_sum() -> None:
    # given a table with a money column (a temporary one: no migration), many amounts with kopecks
    class Probe(models.Model):
        amount = MoneyField()

        class Meta:
            app_label = "core"
            managed = False
            db_table = "money_probe"

        def __str__(self) -> str:
            return str(self.amount)

    with connection.cursor() as cursor:
        cursor.execute("CREATE TEMPORARY TABLE money_probe (id integer PRIMARY KEY, amount bigint NOT NULL)")
    try:
        generator = random.Random(56042)
        values = [Decimal(generator.randrange(1, 10_000_000)) / 100 for _ in range(20_000)]
        values += [Decimal("0.10"), Decimal("0.20"), Decimal("0.30")] * 1000
        Probe.objects.bulk_create([Probe(id=n, amount=value) for n, value in enumerate(values, start=1)],
                                  batch_size=500)

        # when the base sums them
        total = Probe.objects.aggregate(total=money_sum("amount"))["total"]
        big = Probe.objects.filter(amount__gte=Decimal("50000.00")).aggregate(total=money_sum("amount"))["total"]
        none = Probe.objects.filter(amount__lt=0).aggregate(total=money_sum("amount"))["total"]

        # then to the kopeck what Python's exact sum says, and a Decimal with two places
        assert total == sum(values, Decimal(0))
        assert isinstance(total, Decimal) and total.as_tuple().exponent == -2
        assert big == sum((value for value in values if value >= Decimal("50000.00")), Decimal(0))
        assert none == Decimal("0.00")
        assert Probe.objects.get(id=1).amount == values[0]
        # and arithmetic in SQL with a constant amount stays in kopecks
        plus = Probe.objects.annotate(plus=as_money(models.F("amount") + money_value("1.05"))).get(id=1).plus
        assert plus == values[0] + Decimal("1.05")
        Probe.objects.filter(id=1).update(amount=models.F("amount") - money_value(values[0]))
        assert Probe.objects.get(id=1).amount == Decimal("0.00")
    finally:
        with connection.cursor() as cursor:
            cursor.execute("DROP TABLE money_probe")
