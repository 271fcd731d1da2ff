"""Every format of RPT-04 from one report with Cyrillic text, groups and totals, each read back by a reader that is
not its writer: the XLSX by openpyxl (its sums as numbers), Word and OpenDocument by their XML read with lxml, the
PDF's text by pypdf, the page images by Pillow, the XML validated against docs/reports/report.xsd."""

from __future__ import annotations

import csv
import datetime
import io
import re
import zipfile
from decimal import Decimal
from pathlib import Path

import pytest
from django.utils import translation
from lxml import etree
from PIL import Image

from kontora.core.charts import Chart, Series
from kontora.core.errors import Refused
from kontora.reports.framework import render
from kontora.reports.framework.render import PAGED_CAP, formats
from kontora.reports.framework.result import DATE, INTEGER, MONEY, TEXT, Column, Result, Section

ROOT = Path(__file__).resolve().parents[3]
COLUMNS = [Column("client", "Клиент", TEXT, width=30), Column("day", "Дата", DATE),
           Column("count", "Количество", INTEGER, total=True), Column("sum", "Сумма", MONEY, total=True)]


def _result(rows_per_group: int = 3, *, groups: int = 2) -> Result:
    sections = [Section(f"Менеджер Иванов {g}", [[f"=ООО «Ёлка» {g}-{i}", datetime.date(2026, 12, 1 + i % 28), i + 1,
                                                   Decimal("1000.10") * (i + 1)] for i in range(rows_per_group)])
                for g in range(groups)]
    return Result(title="Проверка отчёта", columns=COLUMNS, sections=iter(sections), generated_by="Иванов И. И.",
                  generated_at=datetime.datetime(2026, 12, 4, 7, 15, tzinfo=datetime.UTC), zone="Europe/Moscow",
                  parameters=[("Период", "01.12.2026 – 04.12.2026")], report="test",
                  charts=[Chart("pie", "События по типам", [Series("Звонок", [3]), Series("Встреча", [5])])])


def _file(code: str, result: Result | None = None) -> tuple[bytes, str]:
    chosen = formats()[code]
    target = io.BytesIO()
    with translation.override("ru"):
        extension = chosen.write(result or _result(), target) or chosen.extension
    return target.getvalue(), extension


TOTAL = Decimal("1000.10") * 6 * 2  # 1 + 2 + 3 in each of the two groups


@pytest.fixture(autouse=True)
def _db(db: object) -> None:
    """The renderers read the translation catalogues and static files only; the base is not touched."""


@pytest.mark.feature("RPT-04")
def test_xlsx_holds_real_numbers_and_dates_and_sums_typed_as_numbers() -> None:
    import openpyxl

    body, _ = _file("xlsx")
    sheet = openpyxl.load_workbook(io.BytesIO(body)).active
    rows = [list(row) for row in sheet.iter_rows(values_only=True)]
    heading = rows.index(["Клиент", "Дата", "Количество", "Сумма"])
    assert rows[0][0] == "Проверка отчёта" and "Сформировал Иванов И. И. 04.12.2026 10:15" in rows[heading - 2][0]
    data = [row for row in rows[heading + 1:] if isinstance(row[2], int | float) and str(row[0]).startswith("=")]
    assert len(data) == 6 and data[0][1] == datetime.datetime(2026, 12, 1)
    assert Decimal(str(sum(row[3] for row in data))).quantize(Decimal("0.01")) == TOTAL
    total = rows[-1]
    assert total[0] == "Итого" and total[2] == 12 and Decimal(str(total[3])).quantize(Decimal("0.01")) == TOTAL
    assert rows[heading + 1][0] == "Менеджер Иванов 0"  # a group's heading
    # a value starting with "=" is text, never a formula
    assert sheet.cell(heading + 3, 1).data_type == "s"
    assert sheet.freeze_panes == f"A{heading + 2}"


@pytest.mark.feature("RPT-04")
def test_csv_has_the_rows_with_neutralised_formulas_and_the_sums() -> None:
    body, _ = _file("csv")
    assert body.startswith("\ufeff".encode())
    rows = list(csv.reader(io.StringIO(body.decode("utf-8-sig")), delimiter=";"))
    assert rows[0] == ["Клиент", "Дата", "Количество", "Сумма"]
    assert rows[1] == ["Менеджер Иванов 0"]
    assert rows[2] == ["'=ООО «Ёлка» 0-0", "01.12.2026", "1", "1000,10"]
    assert rows[-1] == ["Итого", "", "12", "12001,20"]


@pytest.mark.feature("RPT-04")
def test_xml_follows_the_documented_schema() -> None:
    body, _ = _file("xml")
    schema = etree.XMLSchema(etree.parse(str(ROOT / "docs" / "reports" / "report.xsd")))
    document = etree.fromstring(body)
    assert schema.validate(etree.ElementTree(document)), schema.error_log
    ns = {"k": "urn:kontora:report:1"}
    assert [g.get("label") for g in document.findall("k:body/k:group", ns)] == ["Менеджер Иванов 0",
                                                                                "Менеджер Иванов 1"]
    total = {c.get("key"): c.text for c in document.findall("k:total/k:cell", ns)}
    assert total == {"client": "Итого", "day": None, "count": "12", "sum": "12001.20"}
    first = document.find("k:body/k:group/k:row", ns)
    assert [c.text for c in first] == ["=ООО «Ёлка» 0-0", "2026-12-01", "1", "1000.10"]


def test_the_xml_schema_refuses_a_report_out_of_shape() -> None:
    # positive control of the validation above: an undeclared kind is refused
    body, _ = _file("xml")
    schema = etree.XMLSchema(etree.parse(str(ROOT / "docs" / "reports" / "report.xsd")))
    broken = etree.fromstring(body.replace(b'kind="money"', b'kind="roubles"'))
    assert not schema.validate(etree.ElementTree(broken))


def _texts(xml: bytes) -> str:
    return " ".join(t.strip() for t in etree.fromstring(xml).itertext() if t.strip())


@pytest.mark.feature("RPT-04")
def test_html_file_stands_alone_with_the_same_table() -> None:
    body, _ = _file("html")
    page = body.decode()
    assert page.startswith("<!doctype html>") and "<style>" in page and "<link" not in page
    assert "data:image/svg+xml;base64," in page  # the chart inside the file
    text = re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", page))
    assert "Сформировал Иванов И. И. 04.12.2026 10:15" in text
    assert "=ООО «Ёлка» 1-2 03.12.2026 3 3 000,30" in text.replace("\xa0", " ")
    assert "Итого 12 12 001,20" in text.replace("\xa0", " ")


@pytest.mark.feature("RPT-04")
def test_docx_has_the_title_the_table_with_a_repeated_heading_and_the_chart() -> None:
    body, _ = _file("docx")
    archive = zipfile.ZipFile(io.BytesIO(body))
    document = archive.read("word/document.xml")
    text = _texts(document).replace("\xa0", " ")
    assert "Проверка отчёта" in text and "Сформировал Иванов И. И. 04.12.2026 10:15" in text
    assert "Менеджер Иванов 1" in text and "Итого 12 12 001,20" in text
    assert b"w:tblHeader" in document
    assert any(name.startswith("word/media/") and name.endswith(".png") for name in archive.namelist())


@pytest.mark.feature("RPT-04")
def test_odt_has_the_text_and_the_chart_and_ods_has_typed_cells() -> None:
    body, _ = _file("odt")
    archive = zipfile.ZipFile(io.BytesIO(body))
    content = archive.read("content.xml")
    text = _texts(content).replace("\xa0", " ")
    assert "Проверка отчёта" in text and "Итого 12 12 001,20" in text and b"table-header-rows" in content
    assert any(name.endswith(".png") for name in archive.namelist())

    body, _ = _file("ods")
    content = zipfile.ZipFile(io.BytesIO(body)).read("content.xml")
    ns = {"table": "urn:oasis:names:tc:opendocument:xmlns:table:1.0",
          "office": "urn:oasis:names:tc:opendocument:xmlns:office:1.0"}
    cells = etree.fromstring(content).findall(".//table:table-cell", ns)
    floats = [c for c in cells if c.get(f"{{{ns['office']}}}value-type") == "float"]
    dates = [c.get(f"{{{ns['office']}}}date-value") for c in cells
             if c.get(f"{{{ns['office']}}}value-type") == "date"]
    sums = [Decimal(c.get(f"{{{ns['office']}}}value")) for c in floats]
    assert TOTAL in sums and 12 in sums and "2026-12-01" in dates


@pytest.mark.feature("RPT-04")
def test_pdf_text_matches_the_screen_and_images_are_one_per_page() -> None:
    import pypdf

    body, _ = _file("pdf", _result(40, groups=3))
    reader = pypdf.PdfReader(io.BytesIO(body))
    pages = len(reader.pages)
    assert pages >= 2
    text = "\n".join(page.extract_text() for page in reader.pages).replace("\xa0", " ")
    assert "Проверка отчёта" in text and "Менеджер Иванов 2" in text
    assert "Итого 2 460 2 460 246,00" in text
    assert f"стр. {pages} из {pages}" in text
    fonts = {str(font) for page in reader.pages for font in (page["/Resources"].get("/Font") or {}).values()}
    assert fonts  # embedded (the print module's tests check DejaVu)

    for code, kind in (("png", "PNG"), ("jpeg", "JPEG"), ("gif", "GIF")):
        body, extension = _file(code, _result(40, groups=3))
        assert extension == "zip"
        archive = zipfile.ZipFile(io.BytesIO(body))
        assert len(archive.namelist()) == pages
        image = Image.open(io.BytesIO(archive.read(archive.namelist()[0])))
        assert image.format == kind and image.width > 800 and image.height > image.width  # A4 portrait

    body, extension = _file("png")  # one page: the image itself
    assert extension == "png" and Image.open(io.BytesIO(body)).format == "PNG"


@pytest.mark.feature("RPT-04")
def test_paged_formats_refuse_past_their_cap_and_name_the_streamed_ones() -> None:
    long = _result(PAGED_CAP // 2 + 1)
    with translation.override("ru"), pytest.raises(Refused) as refused:
        render.capped(long)
    assert "Excel (XLSX) или CSV" in str(refused.value)
    # the streamed formats take it
    body, _ = _file("csv", _result(PAGED_CAP // 2 + 1))
    rows = 2 * (PAGED_CAP // 2 + 1)
    assert body.count(b"\r\n") == rows + 1 + 2 + 2 + 1  # the heading, two groups with their subtotals, the total
