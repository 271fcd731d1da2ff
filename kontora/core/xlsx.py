"""A streaming XLSX writer: rows go straight into the zip entry of the sheet, so memory stays flat and a
million rows take seconds, not minutes (openpyxl's write-only mode spends ~0.3 ms a row building objects).

Only what exports and reports need: one sheet, text (inline strings), numbers, booleans, dates and
date-times (one number format each), column widths and frozen top rows. Texts are written as text, never as
formulas. Kept over XlsxWriter's constant-memory mode because it writes the same rows about three times as fast
(bench/xlsx.py, bench/RESULTS.md) and streams into its target as it goes.
"""

from __future__ import annotations

import datetime
import math
import re
import zipfile
from collections.abc import Iterable, Sequence
from decimal import Decimal
from typing import IO, Any
from xml.sax.saxutils import escape

_EPOCH = datetime.datetime(1899, 12, 30)
# Characters XML 1.0 cannot carry; they are dropped from texts.
_ILLEGAL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")

_CONTENT_TYPES = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
    '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
    '<Default Extension="xml" ContentType="application/xml"/>'
    '<Override PartName="/xl/workbook.xml" '
    'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
    '<Override PartName="/xl/worksheets/sheet1.xml" '
    'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>'
    '<Override PartName="/xl/styles.xml" '
    'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.styles+xml"/>'
    "</Types>"
)
_ROOT_RELS = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    '<Relationship Id="rId1" '
    'Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" '
    'Target="xl/workbook.xml"/></Relationships>'
)
_WORKBOOK_RELS = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" '
    'Target="worksheets/sheet1.xml"/>'
    '<Relationship Id="rId2" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/styles" '
    'Target="styles.xml"/></Relationships>'
)
# Style 0: default; 1: date-time; 2: date; 3: bold (the header row).
_STYLES = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    '<styleSheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
    '<numFmts count="2"><numFmt numFmtId="164" formatCode="DD.MM.YYYY HH:MM"/>'
    '<numFmt numFmtId="165" formatCode="DD.MM.YYYY"/></numFmts>'
    '<fonts count="2"><font><sz val="11"/><name val="Calibri"/></font>'
    '<font><b/><sz val="11"/><name val="Calibri"/></font></fonts>'
    '<fills count="2"><fill><patternFill patternType="none"/></fill>'
    '<fill><patternFill patternType="gray125"/></fill></fills>'
    '<borders count="1"><border><left/><right/><top/><bottom/><diagonal/></border></borders>'
    '<cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/></cellStyleXfs>'
    '<cellXfs count="4"><xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/>'
    '<xf numFmtId="164" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/>'
    '<xf numFmtId="165" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/>'
    '<xf numFmtId="0" fontId="1" fillId="0" borderId="0" xfId="0" applyFont="1"/></cellXfs>'
    '<cellStyles count="1"><cellStyle name="Normal" xfId="0" builtinId="0"/></cellStyles>'
    "</styleSheet>"
)


def column_letter(index: int) -> str:
    """0 → A, 25 → Z, 26 → AA."""
    letters = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


def _cell(ref: str, value: Any, bold: bool) -> str:
    style = ' s="3"' if bold else ""
    if value is None or value == "":
        return ""
    if isinstance(value, bool):
        return f'<c r="{ref}" t="b"{style}><v>{int(value)}</v></c>'
    if isinstance(value, int) or (isinstance(value, float) and math.isfinite(value)) or (
            isinstance(value, Decimal) and value.is_finite()):
        return f'<c r="{ref}"{style}><v>{value}</v></c>'
    if isinstance(value, datetime.datetime):
        serial = (value.replace(tzinfo=None) - _EPOCH).total_seconds() / 86400
        return f'<c r="{ref}" s="1"><v>{serial:.10f}</v></c>'
    if isinstance(value, datetime.date):
        return f'<c r="{ref}" s="2"><v>{(value - _EPOCH.date()).days}</v></c>'
    text = escape(_ILLEGAL.sub("", str(value)))
    return f'<c r="{ref}" t="inlineStr"{style}><is><t xml:space="preserve">{text}</t></is></c>'


def _file_width(characters: float) -> float:
    """A column `characters` wide as the file states it: with Excel's 5-pixel padding, in 1/256 of the 7-pixel
    digit of the default font (ECMA-376 §18.3.1.13; XlsxWriter writes the same)."""
    return math.trunc((characters * 7 + 5) / 7 * 256) / 256


def _sheet_head(widths: Sequence[float], frozen_rows: int) -> str:
    """What comes before the rows: the frozen top rows (a header that stays on screen) and the column widths (in
    characters of the default font; 0 leaves a column as it is)."""
    head = ""
    if frozen_rows > 0:
        top = f"A{frozen_rows + 1}"
        head += ('<sheetViews><sheetView workbookViewId="0">'
                 f'<pane ySplit="{frozen_rows}" topLeftCell="{top}" activePane="bottomLeft" state="frozen"/>'
                 f'<selection pane="bottomLeft" activeCell="{top}" sqref="{top}"/></sheetView></sheetViews>')
    if widths:
        columns = "".join(f'<col min="{n}" max="{n}" width="{_file_width(width)}" customWidth="1"/>'
                          for n, width in enumerate(widths, start=1) if width and width > 0)
        head += f"<cols>{columns}</cols>" if columns else ""
    return head


class XlsxWriter:
    """`with XlsxWriter(file, sheet="Клиенты", widths=[8, 40], frozen_rows=1) as xlsx: xlsx.header([...]);
    xlsx.row([...])`. A number that is not finite (NaN, infinity) is written as its text."""

    def __init__(self, target: IO[bytes], *, sheet: str = "Sheet1", widths: Sequence[float] = (),
                 frozen_rows: int = 0) -> None:
        self._zip = zipfile.ZipFile(target, "w", compression=zipfile.ZIP_DEFLATED, compresslevel=1)
        self._sheet_name = escape(_ILLEGAL.sub("", sheet))[:31] or "Sheet1"
        self._sheet = self._zip.open("xl/worksheets/sheet1.xml", "w", force_zip64=True)
        self._rows = 0
        self._letters: list[str] = []
        self._put(
            '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
            '<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
            f"{_sheet_head(widths, frozen_rows)}<sheetData>"
        )

    def _put(self, text: str) -> None:
        self._sheet.write(text.encode("utf-8"))

    def header(self, values: Iterable[Any]) -> None:
        self.row(values, bold=True)

    def row(self, values: Iterable[Any], *, bold: bool = False) -> None:
        self._rows += 1
        number = self._rows
        cells = []
        for index, value in enumerate(values):
            while index >= len(self._letters):
                self._letters.append(column_letter(len(self._letters)))
            cells.append(_cell(f"{self._letters[index]}{number}", value, bold))
        self._put(f'<row r="{number}">{"".join(cells)}</row>')

    def close(self) -> None:
        self._put("</sheetData></worksheet>")
        self._sheet.close()
        self._zip.writestr("[Content_Types].xml", _CONTENT_TYPES)
        self._zip.writestr("_rels/.rels", _ROOT_RELS)
        self._zip.writestr("xl/_rels/workbook.xml.rels", _WORKBOOK_RELS)
        self._zip.writestr("xl/styles.xml", _STYLES)
        self._zip.writestr(
            "xl/workbook.xml",
            '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
            '<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" '
            'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">'
            f'<sheets><sheet name="{self._sheet_name}" sheetId="1" r:id="rId1"/></sheets></workbook>',
        )
        self._zip.close()

    def __enter__(self) -> XlsxWriter:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()
