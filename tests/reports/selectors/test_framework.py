"""The report framework's result: exact sums while walking, the data a saved or edited report is kept as, and the
caps of what is read into memory."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
from django.utils import translation

from kontora.core.errors import Refused
from kontora.reports.framework import edited, saved
from kontora.reports.framework.result import (
    DATE,
    DATETIME,
    GROUP,
    INTEGER,
    MONEY,
    ROW,
    SUBTOTAL,
    TEXT,
    TOTAL,
    Column,
    Result,
    Section,
    from_data,
    materialised,
    to_data,
    walk,
)

COLUMNS = [Column("name", "Имя", TEXT), Column("n", "Кол-во", INTEGER, total=True),
           Column("sum", "Сумма", MONEY, total=True), Column("day", "Дата", DATE),
           Column("at", "Момент", DATETIME)]
MOMENT = datetime.datetime(2026, 12, 4, 7, 15, tzinfo=datetime.UTC)


def _result(*sections: Section) -> Result:
    return Result(title="Т", columns=COLUMNS, sections=list(sections), generated_by="Я", generated_at=MOMENT,
                  zone="Europe/Moscow")


def test_walk_sums_each_group_and_the_total_exactly_and_shows_moments_on_the_reports_clock() -> None:
    # a hundred thousand kopecks: floating point would drift
    rows = [["a", 1, Decimal("0.10"), datetime.date(2026, 1, 1), MOMENT] for _ in range(100_000)]
    lines = list(walk(_result(Section("Группа", rows), Section("", [["b", 2, Decimal("0.01"), None, None]]))))
    kinds = [line.kind for line in lines]
    assert kinds[0] == GROUP and kinds.count(ROW) == 100_001 and kinds[-2:] == [ROW, TOTAL]
    subtotal = next(line for line in lines if line.kind == SUBTOTAL)
    assert subtotal.values[:3] == ("Итого: Группа", 100_000, Decimal("10000.00"))
    assert lines[-1].values[:3] == ("Итого", 100_002, Decimal("10000.01"))
    assert lines[1].values[4] == datetime.datetime(2026, 12, 4, 10, 15)  # Moscow, without its zone


def test_a_text_in_a_sums_column_adds_nothing() -> None:
    lines = list(walk(_result(Section("", [["a", "много", Decimal(1), None, None], ["b", 2, Decimal(2), None,
                                                                                     None]]))))
    assert lines[-1].values[1:3] == (2, Decimal(3))


def test_a_report_kept_as_data_comes_back_the_same() -> None:
    whole = materialised(_result(Section("Г", [["а", 1, Decimal("1.50"), datetime.date(2026, 2, 3), MOMENT],
                                               ["б", None, None, None, None]])))
    back = from_data(to_data(whole))
    assert [list(s.rows) for s in back.sections] == [list(s.rows) for s in whole.sections]
    assert (back.title, back.generated_at, back.zone, back.rows) == ("Т", MOMENT, "Europe/Moscow", 2)
    with pytest.raises((ValueError, KeyError, TypeError)):
        from_data({**to_data(whole), "zone": "Nowhere/Nothing"})


def test_the_caps_refuse_what_would_not_fit_in_memory() -> None:
    rows = ([str(i), i, Decimal(i), None, None] for i in range(edited.EDIT_CAP + 1))
    with translation.override("ru"), pytest.raises(Refused) as refused:
        edited.signed(_result(Section("", rows)))
    assert "слишком много, чтобы править его на странице" in str(refused.value)
    rows = ([str(i), i, Decimal(i), None, None] for i in range(saved.SAVE_CAP + 1))
    with translation.override("ru"), pytest.raises(Refused) as refused:
        saved.saved_file(_result(Section("", rows)))
    assert "слишком много, чтобы сохранить его" in str(refused.value)
    # positive control: at the cap it is kept
    assert edited.signed(_result(Section("", [["a", 1, Decimal(1), None, None]] * edited.EDIT_CAP)))[1].rows \
        == edited.EDIT_CAP


@pytest.mark.parametrize(("column", "typed", "kept"), [
    (COLUMNS[1], " 1 234 ", 1234), (COLUMNS[2], "1\u00a0234,50", Decimal("1234.50")), (COLUMNS[2], "много", "много"),
    (COLUMNS[3], "05.01.2027", datetime.date(2027, 1, 5)), (COLUMNS[4], "05.01.2027 09:30",
                                                            datetime.datetime(2027, 1, 5, 9, 30)),
    (COLUMNS[3], "вчера", "вчера"), (COLUMNS[0], "  ", None), (COLUMNS[2], "NaN", "NaN"),
])
def test_an_edited_cell_is_read_by_its_columns_kind(column: Column, typed: str, kept: object) -> None:
    assert edited._typed(column, typed) == kept
