"""Writes the small import files the tests read (committed beside this script; run it again after changing it):

    /work/main/.venv/bin/python tests/imports/data/make.py

- arsenal.xlsx — a header row with the manual's column names and an INN column, the manual's example row
  («Арсенал-Сервис»), then rows with deliberate errors: a wrong INN check number, a wrong e-mail, a city the
  directory lacks, a row without a name;
- numbers.xlsx — no header, the manual's order A–N with INN and KPP after it: phones, INNs, KPPs and postal codes
  typed as numbers (an INN and a KPP that lost their leading zero, a phone Excel shows as 1,23457E+11);
- arsenal.ods — the example row in OpenDocument, its postal code and phone numbers as numbers;
- cp1251.csv — Windows-1251, «;» between cells, a header, the example row;
- utf8.csv — UTF-8 without a BOM, «,» between cells (quoted where a cell has one), no header.
"""

from __future__ import annotations

import csv
import datetime
import io
from pathlib import Path

import openpyxl
from odf.opendocument import OpenDocumentSpreadsheet
from odf.table import Table, TableCell, TableRow
from odf.text import P

HERE = Path(__file__).resolve().parent

HEADER = ["Полное наименование", "Короткое наименование", "Регион", "Город", "Район", "Почтовый индекс", "Адрес",
          "Телефон", "Факс", "E-mail общий", "Web site", "Примечание", "ФИО контактного лица",
          "E-mail контактного лица", "ИНН"]
EXAMPLE = ['ООО "Арсенал-Сервис"', "Арсенал-Сервис", "Хакасия Респ.", "Абакан", "Московский", "600301",
           "ул. Т. Шевченко, 62а, офис 301", "(3902) 235-588", "(3902) 231-453", "info@grants.ru", "www.grants.ru",
           "Клиент Смирнова", "Гришина Оксана Викторовна", "oksana@grants.ru"]


def _with(row: list[str], **changes: str) -> list[str]:
    columns = {"name": 0, "short": 1, "city": 3, "email": 9, "inn": 14}
    changed = list(row)
    for key, value in changes.items():
        changed[columns[key]] = value
    return changed


def arsenal_xlsx() -> None:
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "Клиенты"
    sheet.append(HEADER)
    sheet.append([*EXAMPLE, "7707083893"])  # row 2: the manual's example, a valid INN typed as text
    sheet.append(_with([*EXAMPLE, "7707083894"], name='ООО "Арсенал-Плюс"', short="Арсенал-Плюс"))  # 3: INN
    sheet.append(_with([*EXAMPLE, ""], name='ООО "Грант"', short="Грант", email="info@@grants"))  # 4: e-mail
    sheet.append(_with([*EXAMPLE, ""], name='ООО "Тмутаракань-Торг"', short="", city="Тмутаракань"))  # 5: city
    sheet.append(_with([*EXAMPLE, ""], name="", short=""))  # 6: no name
    book.create_sheet("Пустой")
    book.save(HERE / "arsenal.xlsx")


def numbers_xlsx() -> None:
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "Лист1"
    row = list(EXAMPLE)
    row[5], row[7], row[8] = 600301, 73902235588, 73902231453  # type: ignore[call-overload]
    sheet.append([*row, 7707083893, 770701001])
    # An INN of Bashkortostan (0274062111) and its KPP (027401001) typed as numbers lose their leading zero; a
    # phone of 12 digits is kept as a float Excel shows as 1,23457E+11; a person's 12-digit INN lost its zero.
    second = _with(list(EXAMPLE), name='ООО "Уфа-Сервис"', short="Уфа-Сервис")
    second[5], second[7] = 450077, 1.2345678901e11  # type: ignore[call-overload]
    sheet.append([*second, 274062111, 27401001])
    third = _with(list(EXAMPLE), name="ИП Петров", short="ИП Петров")
    sheet.append([*third, 12345678943, ""])
    sheet.append(["ООО «Дата»", "", "", "", "", "", "", "", "", "", "", datetime.date(2024, 3, 1), "", ""])
    book.save(HERE / "numbers.xlsx")


def arsenal_ods() -> None:
    document = OpenDocumentSpreadsheet()
    table = Table(name="Клиенты")
    row = TableRow()
    numbers = {5: 600301, 7: 73902235588}
    for index, value in enumerate(EXAMPLE):
        if index in numbers:
            cell = TableCell(valuetype="float", value=numbers[index])
            cell.addElement(P(text=str(numbers[index])))
        else:
            cell = TableCell(valuetype="string")
            cell.addElement(P(text=value))
        row.addElement(cell)
    table.addElement(row)
    document.spreadsheet.addElement(table)
    document.save(str(HERE / "arsenal.ods"))


def _csv(rows: list[list[str]], delimiter: str) -> str:
    buffer = io.StringIO()
    csv.writer(buffer, delimiter=delimiter, lineterminator="\r\n").writerows(rows)
    return buffer.getvalue()


def cp1251_csv() -> None:
    text = _csv([HEADER[:14], EXAMPLE], ";")
    (HERE / "cp1251.csv").write_bytes(text.encode("windows-1251"))


def utf8_csv() -> None:
    second = _with(list(EXAMPLE), name="ООО «Ёлка»", short="Ёлка", city="Москва")
    second[2] = "г. Москва"
    text = _csv([EXAMPLE, second], ",")
    (HERE / "utf8.csv").write_bytes(text.encode("utf-8"))


if __name__ == "__main__":
    arsenal_xlsx()
    numbers_xlsx()
    arsenal_ods()
    cp1251_csv()
    utf8_csv()
