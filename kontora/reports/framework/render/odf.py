"""OpenDocument through odfpy: a text (.odt) laid out like the Word file — charts as PNG, the heading row repeated
on each page — and a spreadsheet (.ods) whose cells are typed as a spreadsheet reads them: numbers as floats with
their exact text, dates and date-times as dates."""

from __future__ import annotations

import datetime
import io
from decimal import Decimal
from typing import IO, Any

from kontora.core import charts
from kontora.reports.framework.render.common import capped
from kontora.reports.framework.result import GROUP, ROW, Column, Result, cell_text, walk


def _styles(document: Any) -> dict[str, Any]:
    from odf.style import ParagraphProperties, Style, TableColumnProperties, TextProperties

    bold = Style(name="KBold", family="paragraph")
    bold.addElement(TextProperties(fontweight="bold"))
    number = Style(name="KNumber", family="paragraph")
    number.addElement(ParagraphProperties(textalign="end"))
    bold_number = Style(name="KBoldNumber", family="paragraph")
    bold_number.addElement(ParagraphProperties(textalign="end"))
    bold_number.addElement(TextProperties(fontweight="bold"))
    title = Style(name="KTitle", family="paragraph")
    title.addElement(TextProperties(fontsize="14pt", fontweight="bold"))
    column = Style(name="KColumn", family="table-column")
    column.addElement(TableColumnProperties(useoptimalcolumnwidth="true"))
    for style in (bold, number, bold_number, title, column):
        document.automaticstyles.addElement(style)
    return {"bold": bold, "number": number, "bold_number": bold_number, "title": title, "column": column}


def write_text(result: Result, target: IO[bytes]) -> None:
    from odf.draw import Frame, Image
    from odf.opendocument import OpenDocumentText
    from odf.table import Table, TableCell, TableColumn, TableHeaderRows, TableRow
    from odf.text import P

    whole = capped(result)
    document = OpenDocumentText()
    styles = _styles(document)
    body = document.text
    body.addElement(P(stylename=styles["title"], text=whole.title))
    for name, value in whole.parameters:
        body.addElement(P(text=f"{name}: {value}"))
    body.addElement(P(text=whole.generated_line()))
    for note in whole.notes:
        body.addElement(P(text=note))
    for number, chart in enumerate(whole.charts, start=1):
        picture = charts.png(charts.svg(chart))
        path = document.addPicture(f"Pictures/chart-{number}.png", "image/png", picture)
        frame = Frame(width="16cm", height=f"{16 * chart.height / chart.width:.2f}cm", anchortype="as-char")
        frame.addElement(Image(href=path))
        paragraph = P()
        paragraph.addElement(frame)
        body.addElement(paragraph)
    columns = list(whole.columns)
    grid = Table(name="report")
    grid.addElement(TableColumn(numbercolumnsrepeated=len(columns), stylename=styles["column"]))
    header = TableHeaderRows()  # repeated at the top of each page
    row = TableRow()
    for column in columns:
        cell = TableCell()
        cell.addElement(P(stylename=styles["bold"], text=column.label))
        row.addElement(cell)
    header.addElement(row)
    grid.addElement(header)
    for line in walk(whole):
        row = TableRow()
        if line.kind == GROUP:
            cell = TableCell(numbercolumnsspanned=len(columns))
            cell.addElement(P(stylename=styles["bold"], text=line.label))
            row.addElement(cell)
        else:
            for column, value in zip(columns, line.values, strict=True):
                style = ("number" if column.numeric else None) if line.kind == ROW else (
                    "bold_number" if column.numeric else "bold")
                cell = TableCell()
                cell.addElement(P(stylename=styles[style], text=cell_text(column, value)) if style
                                else P(text=cell_text(column, value)))
                row.addElement(cell)
        grid.addElement(row)
    body.addElement(grid)
    _save(document, target)


def _typed(column: Column, value: Any, style: Any) -> Any:
    from odf.table import TableCell
    from odf.text import P

    text = cell_text(column, value)
    if isinstance(value, bool) or value is None or value == "":
        cell = TableCell()
    elif isinstance(value, int | Decimal | float):
        cell = TableCell(valuetype="float", value=str(value))
    elif isinstance(value, datetime.datetime):
        cell = TableCell(valuetype="date", datevalue=value.replace(tzinfo=None).isoformat(timespec="seconds"))
    elif isinstance(value, datetime.date):
        cell = TableCell(valuetype="date", datevalue=value.isoformat())
    else:
        cell = TableCell(valuetype="string")
    if text:
        cell.addElement(P(stylename=style, text=text) if style is not None else P(text=text))
    return cell


def write_spreadsheet(result: Result, target: IO[bytes]) -> None:
    from odf.opendocument import OpenDocumentSpreadsheet
    from odf.table import Table, TableCell, TableColumn, TableRow
    from odf.text import P

    whole = capped(result)
    document = OpenDocumentSpreadsheet()
    styles = _styles(document)
    columns = list(whole.columns)
    sheet = Table(name=whole.title[:31] or "report")
    sheet.addElement(TableColumn(numbercolumnsrepeated=len(columns), stylename=styles["column"]))

    def text_row(text: str, style: Any = None) -> None:
        row = TableRow()
        cell = TableCell(valuetype="string")
        cell.addElement(P(stylename=style, text=text) if style is not None else P(text=text))
        row.addElement(cell)
        sheet.addElement(row)

    text_row(whole.title, styles["bold"])
    for name, value in whole.parameters:
        text_row(f"{name}: {value}")
    text_row(whole.generated_line())
    for note in whole.notes:
        text_row(note)
    header = TableRow()
    for column in columns:
        cell = TableCell(valuetype="string")
        cell.addElement(P(stylename=styles["bold"], text=column.label))
        header.addElement(cell)
    sheet.addElement(header)
    for line in walk(whole):
        if line.kind == GROUP:
            text_row(line.label, styles["bold"])
            continue
        row = TableRow()
        for column, value in zip(columns, line.values, strict=True):
            row.addElement(_typed(column, value, None if line.kind == ROW else styles["bold"]))
        sheet.addElement(row)
    document.spreadsheet.addElement(sheet)
    _save(document, target)


def _save(document: Any, target: IO[bytes]) -> None:
    buffer = io.BytesIO()
    document.write(buffer)
    target.write(buffer.getvalue())
