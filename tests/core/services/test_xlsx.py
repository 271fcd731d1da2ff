"""The streaming XLSX writer, read back by an independent reader (openpyxl)."""

from __future__ import annotations

import datetime
import io
import zipfile
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


def test_column_widths_and_a_frozen_header_are_kept_and_a_number_that_is_not_finite_is_text() -> None:
    # given
    target = io.BytesIO()
    # when
    with XlsxWriter(target, widths=[8, 0, 40.5], frozen_rows=1) as xlsx:
        xlsx.header(["Код", "Пусто", "Клиент"])
        xlsx.row([float("nan"), Decimal("Infinity"), 10**30])
    # then
    target.seek(0)
    sheet = load_workbook(target).active
    assert sheet is not None and sheet.freeze_panes == "A2"
    # widths as Excel states them: the characters, its 5-pixel padding, in 1/256 of a 7-pixel digit
    assert sheet.column_dimensions["A"].width == 2230 / 256 and sheet.column_dimensions["C"].width == 10550 / 256
    sheet_xml = zipfile.ZipFile(target).read("xl/worksheets/sheet1.xml").decode()
    assert '<col min="1"' in sheet_xml and '<col min="2"' not in sheet_xml  # a width of 0 leaves B as it is
    assert [sheet["A2"].data_type, sheet["B2"].data_type, sheet["C2"].data_type] == ["s", "s", "n"]
    assert (sheet["A2"].value, sheet["B2"].value, sheet["C2"].value) == ("nan", "Infinity", 10**30)


def test_without_widths_or_frozen_rows_the_sheet_has_neither() -> None:
    target = io.BytesIO()
    with XlsxWriter(target) as xlsx:
        xlsx.header(["Код"])
    target.seek(0)
    sheet = load_workbook(target).active
    assert sheet is not None and sheet.freeze_panes is None
    assert "<cols>" not in zipfile.ZipFile(target).read("xl/worksheets/sheet1.xml").decode()


def test_ours_and_xlsxwriter_write_the_benchmark_rows_alike(tmp_path) -> None:
    """The speed comparison of bench/xlsx.py compares like with like: the same values, types, header and layout
    read back from both files."""
    from bench.xlsx import rows, write_library, write_ours

    ours, library = tmp_path / "ours.xlsx", tmp_path / "library.xlsx"
    write_ours(ours, 500)
    write_library(library, 500)
    read = [load_workbook(path, read_only=False).active for path in (ours, library)]
    assert read[0] is not None and read[1] is not None
    values = [[[(cell.value, cell.data_type) for cell in row] for row in sheet.iter_rows()] for sheet in read]
    assert values[0] == values[1] and len(values[0]) == 501
    assert ("=СУММ(A1:A9)", "s") in [row[7] for row in values[0]]  # text, never a formula, in both
    assert [sheet.freeze_panes for sheet in read] == ["A2", "A2"]
    assert [sheet.column_dimensions["B"].width for sheet in read] == [10422 / 256] * 2
    assert [sheet["D2"].number_format for sheet in read] == ["DD.MM.YYYY", "DD.MM.YYYY"]
    first = next(rows(1))
    assert values[0][1][0] == (first[0], "n") and values[0][1][5] == (float(first[5]), "n")
