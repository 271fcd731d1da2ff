"""Invoice line arithmetic (INV-03): per-line rounding, totals as sums of printed lines, refusals."""

from __future__ import annotations

from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from kontora.billing.selectors.amounts import Line, invoice_totals, line_amounts
from kontora.core.errors import Refused

pytestmark = pytest.mark.feature("INV-03")

D = Decimal
rates = st.sampled_from([None, D(0), D(5), D(7), D(10), D(20), D(22)])
lines = st.builds(
    Line,
    quantity=st.decimals(min_value=D("0.001"), max_value=D(10_000), places=3),
    price=st.decimals(min_value=D(0), max_value=D(1_000_000), places=4),
    discount=st.decimals(min_value=D(0), max_value=D(100), places=2),
    vat_rate=rates,
    vat_included=st.booleans(),
)


def test_vat_on_top_worked_example() -> None:
    # given 3 × 33.33 with 22 % on top / when counted / then 99.99 + 22.00 = 121.99
    amounts = line_amounts(Line(D(3), D("33.33"), vat_rate=D(22), vat_included=False))
    assert (amounts.net, amounts.vat, amounts.gross) == (D("99.99"), D("22.00"), D("121.99"))


def test_vat_included_worked_example() -> None:
    # 1 200.00 with 20 % included: VAT 200.00; 100.00 with 22 % included: 18.03 (18.0327…)
    assert line_amounts(Line(D(1), D(1200), vat_rate=D(20))).vat == D("200.00")
    amounts = line_amounts(Line(D(1), D(100), vat_rate=D(22)))
    assert (amounts.net, amounts.vat, amounts.gross) == (D("81.97"), D("18.03"), D("100.00"))


def test_discount_and_half_up_rounding() -> None:
    # 1 × 0.05 with 10 % off = 0.045 → 0.05 (half up, not to even)
    assert line_amounts(Line(D(1), D("0.05"), discount=D(10))).gross == D("0.05")
    # 2.5 × 19.99 with 15 % off = 42.47875 → 42.48, without VAT
    amounts = line_amounts(Line(D("2.5"), D("19.99"), discount=D(15), vat_rate=None))
    assert (amounts.net, amounts.vat, amounts.gross) == (D("42.48"), D("0.00"), D("42.48"))


def test_totals_are_sums_of_printed_lines_not_of_exact_amounts() -> None:
    # given three lines of 0.333… VAT each: the exact sum would round to 1.00, the printed lines say 0.99
    line = Line(D(1), D("2.00"), vat_rate=D(20))  # VAT 0.3333… → 0.33
    totals = invoice_totals([line, line, line])
    assert totals.vat == D("0.99")
    assert totals.gross == D("6.00")
    assert totals.net == D("5.01")
    assert totals.vat_by_rate == {D(20): D("0.99")}


@pytest.mark.parametrize(("line", "field", "message"), [
    (Line(D(1), None), "price", "В строке не указана цена."),
    (Line(D(1), D(-1)), "price", "Цена не может быть отрицательной."),
    (Line(D(0), D(10)), "quantity", "Количество должно быть больше нуля."),
    (Line(D(-2), D(10)), "quantity", "Количество должно быть больше нуля."),
    (Line(None, D(10)), "quantity", "Количество должно быть больше нуля."),
    (Line(D(1), D(10), discount=D("100.01")), "discount", "Скидка должна быть от 0 до 100 %."),
    (Line(D(1), D(10), discount=D(-1)), "discount", "Скидка должна быть от 0 до 100 %."),
])
def test_bad_lines_are_refused_with_their_field(line: Line, field: str, message: str) -> None:
    with pytest.raises(Refused) as raised:
        invoice_totals([Line(D(1), D(1)), line])
    assert (raised.value.field, raised.value.message) == (field, message)


@given(st.lists(lines, min_size=1, max_size=30))
def test_totals_equal_the_sum_of_lines_and_net_plus_vat_is_gross(drawn: list[Line]) -> None:
    totals = invoice_totals(drawn)
    assert totals.net == sum((amounts.net for amounts in totals.lines), D(0))
    assert totals.vat == sum((amounts.vat for amounts in totals.lines), D(0))
    assert totals.gross == sum((amounts.gross for amounts in totals.lines), D(0))
    assert totals.net + totals.vat == totals.gross
    assert sum(totals.vat_by_rate.values(), D(0)) == totals.vat
    for amounts in totals.lines:
        assert amounts.net + amounts.vat == amounts.gross
        for value in (amounts.net, amounts.vat, amounts.gross):
            assert value.as_tuple().exponent == -2
        assert amounts.vat >= 0 and amounts.net >= 0
        if amounts.vat_rate is None:
            assert amounts.vat == 0


@given(lines)
def test_included_and_on_top_agree(line: Line) -> None:
    # given a line with VAT on top / when its gross is sold as a price with VAT included
    on_top = line_amounts(Line(line.quantity, line.price, line.discount, line.vat_rate, vat_included=False))
    included = line_amounts(Line(D(1), on_top.gross, vat_rate=line.vat_rate, vat_included=True))
    # then the same gross, and the VAT counted back differs by at most a kopeck (each was rounded once)
    assert included.gross == on_top.gross
    assert abs(included.vat - on_top.vat) <= D("0.01")
    assert abs(included.net - on_top.net) <= D("0.01")
