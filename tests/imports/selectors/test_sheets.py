"""Reading a client list to import (IMP-01, step 1): .xlsx, .ods and CSV read as text cells — identifier cells
typed as numbers turned back into their digits —, the CSV's encoding and delimiter found and overridable, and the
refusals (too large, an unknown kind, not a spreadsheet, nothing in it), each beside a file that passes."""

from __future__ import annotations

import datetime
import io
import zipfile
from pathlib import Path

import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import translation

from kontora.core.errors import Refused
from kontora.imports.selectors.sheets import Row, cell_text, table_open

pytestmark = pytest.mark.feature("IMP-01")

DATA = Path(__file__).resolve().parents[1] / "data"
EXAMPLE = ['ООО "Арсенал-Сервис"', "Арсенал-Сервис", "Хакасия Респ.", "Абакан", "Московский", "600301",
           "ул. Т. Шевченко, 62а, офис 301", "(3902) 235-588", "(3902) 231-453", "info@grants.ru", "www.grants.ru",
           "Клиент Смирнова", "Гришина Оксана Викторовна", "oksana@grants.ru"]


def _rows(path: Path | str, **kwargs) -> list[Row]:
    with table_open(path, **kwargs) as table:
        return list(table.rows())


def _workbook(path: Path, sheets: dict[str, dict[str, object]]) -> Path:
    book = openpyxl.Workbook()
    book.remove(book.active)
    for name, cells in sheets.items():
        sheet = book.create_sheet(name)
        for address, value in cells.items():
            sheet[address] = value
    book.save(path)
    return path


# --- what is read ---

def test_the_manuals_example_is_read_from_xlsx_with_its_sheets_listed():
    # when
    with table_open(DATA / "arsenal.xlsx") as table:
        rows = list(table.rows())
    # then
    assert (table.kind, table.sheets, table.sheet) == ("xlsx", ["Клиенты", "Пустой"], "Клиенты")
    assert rows[0].number == 1 and rows[0].cells[14] == "ИНН"
    assert rows[1] == Row(2, [*EXAMPLE, "7707083893"])
    assert [row.number for row in rows] == [1, 2, 3, 4, 5, 6]


def test_numbers_typed_in_cells_come_back_as_the_digits_typed():
    # when
    rows = _rows(DATA / "numbers.xlsx")
    # then: a phone, an INN, a KPP and a postal code kept by the spreadsheet as floats
    first, second, third, fourth = (row.cells for row in rows)
    assert (first[5], first[7], first[8], first[14], first[15]) == (
        "600301", "73902235588", "73902231453", "7707083893", "770701001")
    assert second[7] == "123456789010"  # 1.2345678901e+11: no exponent, no ".0"
    assert (second[14], second[15]) == ("274062111", "27401001")  # the zeros are the column's business (columns)
    assert third[14] == "12345678943"
    assert fourth[11] == "01.03.2024"


@pytest.mark.parametrize(("value", "text"), [
    (None, ""), ("as typed ", "as typed "), (73902235588.0, "73902235588"), (1.2345678901e11, "123456789010"),
    (600301, "600301"), (-5.0, "-5"), (3.5, "3.5"), (1e-05, "0.00001"), (float("nan"), ""),
    (datetime.date(2024, 3, 1), "01.03.2024"), (datetime.datetime(2024, 3, 1), "01.03.2024"),
    (datetime.datetime(2024, 3, 1, 9, 5), "01.03.2024 09:05"), (datetime.time(9, 5), "09:05"),
])
def test_a_cell_as_text(value, text):
    assert cell_text(value) == text


def test_booleans_read_in_the_users_language():
    # when / then
    with translation.override("ru"):
        assert (cell_text(True), cell_text(False)) == ("да", "нет")
    with translation.override("en"):
        assert (cell_text(True), cell_text(False)) == ("yes", "no")


def test_a_workbook_is_recognised_by_its_content_not_its_name(tmp_path):
    # given: an .xlsx saved under .xls, as offices often have them
    renamed = tmp_path / "clients.xls"
    renamed.write_bytes((DATA / "arsenal.xlsx").read_bytes())
    # when
    with table_open(renamed) as table:
        rows = list(table.rows())
    # then
    assert (table.kind, table.sheet, rows[1]) == ("xls", "Клиенты", Row(2, [*EXAMPLE, "7707083893"]))


def test_the_manuals_example_is_read_from_ods():
    # when
    with table_open(DATA / "arsenal.ods") as table:
        rows = list(table.rows())
    # then
    assert (table.kind, table.sheets, table.sheet) == ("ods", ["Клиенты"], "Клиенты")
    assert rows == [Row(1, [*EXAMPLE[:7], "73902235588", *EXAMPLE[8:]])]


def test_a_windows_1251_csv_with_semicolons_is_recognised():
    # when
    with table_open(DATA / "cp1251.csv") as table:
        rows = list(table.rows())
    # then
    assert (table.kind, table.encoding, table.delimiter, table.sheets) == ("csv", "windows-1251", ";", [])
    assert rows[1] == Row(2, EXAMPLE)


def test_a_utf8_csv_with_commas_is_recognised_with_quoted_cells_whole():
    # when
    with table_open(DATA / "utf8.csv") as table:
        rows = list(table.rows())
    # then
    assert (table.encoding, table.delimiter) == ("utf-8", ",")
    assert rows[0] == Row(1, EXAMPLE)
    assert rows[1].cells[:4] == ["ООО «Ёлка»", "Ёлка", "г. Москва", "Москва"]


def test_a_bom_and_tabs_are_recognised_and_the_bom_is_no_part_of_the_first_cell(tmp_path):
    # given
    path = tmp_path / "clients.csv"
    path.write_bytes("\ufeffНаименование\tИНН\r\nООО «Ёлка»\t7707083893\r\n".encode())
    # when
    with table_open(path) as table:
        rows = list(table.rows())
    # then
    assert (table.encoding, table.delimiter) == ("utf-8-sig", "\t")
    assert rows == [Row(1, ["Наименование", "ИНН"]), Row(2, ["ООО «Ёлка»", "7707083893"])]


def test_the_user_overrides_the_encoding_and_the_delimiter_found():
    # when
    with table_open(DATA / "utf8.csv", delimiter=";") as table:
        one_cell = next(table.rows())
    with table_open(DATA / "cp1251.csv", encoding="utf-8") as table:
        garbled = next(table.rows())
    # then
    assert table.encoding == "utf-8"
    assert len(one_cell.cells) == 1 and one_cell.cells[0].startswith("ООО")
    assert "Полное наименование" not in garbled.cells


def test_an_upload_is_read_and_its_rows_read_again_from_the_first(tmp_path):
    # given
    upload = SimpleUploadedFile("Клиенты.csv", (DATA / "cp1251.csv").read_bytes(), "text/csv")
    # when
    with table_open(upload) as table:
        first, again = list(table.rows()), list(table.rows())
    # then
    assert table.filename == "Клиенты.csv"
    assert first == again and len(first) == 2


def test_the_first_filled_sheet_is_read_by_default_and_another_on_request(tmp_path):
    # given
    path = _workbook(tmp_path / "book.xlsx", {"Пусто": {}, "Клиенты": {"A1": "ООО «Ёлка»"}, "Ещё": {"A1": "АО «Ось»"}})
    # when
    with table_open(path) as default, table_open(path, sheet="Ещё") as chosen:
        default_rows, chosen_rows = list(default.rows()), list(chosen.rows())
    # then
    assert default.sheets == ["Пусто", "Клиенты", "Ещё"]
    assert (default.sheet, default_rows) == ("Клиенты", [Row(1, ["ООО «Ёлка»"])])
    assert (chosen.sheet, chosen_rows) == ("Ещё", [Row(1, ["АО «Ось»"])])


def test_rows_and_columns_keep_their_places_in_the_sheet(tmp_path):
    # given: the table starts at C3, row 4 is empty
    path = _workbook(tmp_path / "book.xlsx", {"Лист": {"C3": "ООО «Ёлка»", "D3": 7707083893, "C5": "АО «Ось»"}})
    # when
    rows = _rows(path)
    # then
    assert rows == [Row(3, ["", "", "ООО «Ёлка»", "7707083893"]), Row(5, ["", "", "АО «Ось»", ""])]


# --- refusals, each beside a file that passes ---

def _refusal(path: Path | str | object, **kwargs) -> str:
    with translation.override("ru"), pytest.raises(Refused) as refused:
        table_open(path, **kwargs)
    return refused.value.message


def test_a_picture_named_xlsx_is_not_a_spreadsheet(tmp_path):
    # given
    picture = tmp_path / "clients.xlsx"
    picture.write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 8)
    # when
    message = _refusal(picture)
    # then
    assert message == ("«clients.xlsx» — не таблица: сохраните её из Excel или LibreOffice как .xlsx, .xls, .ods "
                       "или .csv и выберите снова.")
    assert _rows(DATA / "arsenal.xlsx")  # the control: a workbook of the same kind is read


def test_a_word_document_named_xlsx_is_not_a_spreadsheet(tmp_path):
    # given
    document = tmp_path / "clients.xlsx"
    with zipfile.ZipFile(document, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("word/document.xml", "<w:document/>")
    # when / then
    assert "не таблица" in _refusal(document)


def test_a_picture_named_csv_is_not_a_spreadsheet(tmp_path):
    # given
    picture = tmp_path / "clients.csv"
    picture.write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR")
    # when / then
    assert "не таблица" in _refusal(picture)
    assert _rows(DATA / "cp1251.csv")  # the control


def test_a_workbook_without_a_filled_cell_is_refused(tmp_path):
    # given
    empty = _workbook(tmp_path / "empty.xlsx", {"Лист1": {}, "Лист2": {"B2": "  "}})
    filled = _workbook(tmp_path / "filled.xlsx", {"Лист1": {}, "Лист2": {"B2": "ООО «Ёлка»"}})
    # when / then
    assert _refusal(empty) == "В «empty.xlsx» нет ни одной заполненной ячейки ни на одном листе: импортировать нечего."
    assert _rows(filled) == [Row(2, ["", "ООО «Ёлка»"])]


def test_an_empty_sheet_chosen_is_refused(tmp_path):
    # given
    path = _workbook(tmp_path / "book.xlsx", {"Клиенты": {"A1": "ООО «Ёлка»"}, "Пусто": {}})
    # when / then
    assert _refusal(path, sheet="Пусто") == "Лист «Пусто» пуст: выберите лист с клиентами."
    assert _refusal(path, sheet="Нет такого") == "В файле нет листа «Нет такого»."
    assert _rows(path, sheet="Клиенты") == [Row(1, ["ООО «Ёлка»"])]


def test_an_empty_csv_is_refused(tmp_path):
    # given
    empty = tmp_path / "empty.csv"
    empty.write_bytes(b";;\r\n \r\n")
    # when / then
    assert _refusal(empty) == "В «empty.csv» нет ни одной заполненной ячейки: импортировать нечего."


@pytest.mark.parametrize("name", ["clients.txt", "clients.pdf", "clients"])
def test_an_unknown_kind_of_file_is_refused(tmp_path, name):
    # given
    path = tmp_path / name
    path.write_bytes((DATA / "utf8.csv").read_bytes())
    # when / then
    assert _refusal(path) == "Файлы такого вида не импортируются: выберите файл .xlsx, .xls, .ods или .csv."
    assert _rows(path, filename="clients.csv")  # the same bytes, named as what they are


def test_a_file_over_the_limit_is_refused_by_its_size_without_being_read(tmp_path):
    # given: 200 MB that take no disk (a sparse file), and a stream that fails the test if read
    sparse = tmp_path / "clients.xlsx"
    with sparse.open("wb") as handle:
        handle.truncate(200 * 1024 * 1024)

    class Unread(io.RawIOBase):
        size = 200 * 1024 * 1024

        def read(self, *args):
            raise AssertionError("the file was read")

    # when / then
    assert _refusal(sparse) == ("Файл больше 50 МБ: разделите его на несколько файлов и импортируйте их по "
                                "очереди.")
    assert "больше 50 МБ" in _refusal(Unread(), filename="clients.xlsx")


def test_the_limit_is_a_setting(settings, tmp_path):
    # given
    settings.IMPORT_MAX_FILE_BYTES = 1024 * 1024
    big = tmp_path / "big.csv"
    big.write_bytes((DATA / "utf8.csv").read_bytes() * 2000)  # ~1.2 MB
    # when / then
    assert _refusal(big) == "Файл больше 1 МБ: разделите его на несколько файлов и импортируйте их по очереди."
    assert _rows(DATA / "arsenal.xlsx")  # the control: a file under the limit


def test_a_stream_that_cannot_seek_is_read_up_to_the_limit(settings):
    # given
    data = (DATA / "cp1251.csv").read_bytes()

    class Unseekable(io.RawIOBase):
        def __init__(self):
            self.inner = io.BytesIO(data)

        def readable(self):
            return True

        def read(self, size=-1):
            return self.inner.read(size)

    # when
    rows = _rows(Unseekable(), filename="clients.csv")
    settings.IMPORT_MAX_FILE_BYTES = len(data) - 1
    # then
    assert len(rows) == 2
    assert "больше" in _refusal(Unseekable(), filename="clients.csv")
