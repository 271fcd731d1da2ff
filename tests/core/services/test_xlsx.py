"""The streaming XLSX writer, read back by an independent reader (openpyxl)."""

from __future__ import annotations

import datetime
import io
from decimal import Decimal

from openpyxl import load_workbook

from kontora.core.xlsx import XlsxWriter, column_letter


def test_column_letters() -> None:
    assert [column_letter(i) for i in (0, 25, 26, 51, 52, 701, 702)] == ["A", "Z", "AA", "AZ", "BA", "ZZ", "AAA"]


def test_values_round_trip_as_their_types_and_text_never_becomes_a_formula() -> None:
    target = io.BytesIO()
    with XlsxWriter(target, sheet="Клиенты & <партнёры>") as xlsx:
        xlsx.header(["Код", "Имя"])
        xlsx.row([1, "ООО «Ромашка» & <Ко>", "=SUM(A1:A2)", Decimal("10.50"), 2.5, True,
                  datetime.datetime(2026, 11, 28, 14, 5), datetime.date(2026, 1, 2), None, "с\x01имвол"])
        xlsx.row(list(range(30)))

    target.seek(0)
    sheet = load_workbook(target).active
    assert sheet is not None and sheet.title == "Клиенты & <партнёры>"
    assert [c.value for c in sheet[1]][:3] == ["Код", "Имя", None] and sheet["A1"].font.b
    row = [c.value for c in sheet[2]][:10]
    assert row == [1, "ООО «Ромашка» & <Ко>", "=SUM(A1:A2)", 10.5, 2.5, True,
                   datetime.datetime(2026, 11, 28, 14, 5), datetime.datetime(2026, 1, 2), None, "символ"]
    assert sheet["C2"].data_type == "s"  # stored as text, not as a formula
    assert sheet["G2"].number_format == "DD.MM.YYYY HH:MM"
    assert sheet["AD3"].value == 29
