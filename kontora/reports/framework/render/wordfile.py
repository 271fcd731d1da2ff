"""Word (.docx) through python-docx: the title, the parameters, the «Сформировал» line, the charts as PNG (Word
cannot hold SVG: the same SVG drawn by CairoSVG), and the table with its heading row repeated on every page."""

from __future__ import annotations

import io
from typing import IO

from kontora.core import charts
from kontora.reports.framework.render.common import capped
from kontora.reports.framework.result import GROUP, ROW, Result, cell_text, walk


def write(result: Result, target: IO[bytes]) -> None:
    from docx import Document
    from docx.enum.section import WD_ORIENT
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn
    from docx.shared import Cm, Pt

    whole = capped(result)
    book = Document()
    section = book.sections[0]
    section.page_width, section.page_height = Cm(21), Cm(29.7)
    if whole.landscape:
        section.orientation = WD_ORIENT.LANDSCAPE
        section.page_width, section.page_height = section.page_height, section.page_width
    for margin in ("left_margin", "right_margin", "top_margin", "bottom_margin"):
        setattr(section, margin, Cm(1.5))
    book.styles["Normal"].font.size = Pt(9)
    book.add_heading(whole.title, level=1)
    for name, value in whole.parameters:
        paragraph = book.add_paragraph()
        paragraph.add_run(f"{name}: ").bold = True
        paragraph.add_run(value)
    book.add_paragraph(whole.generated_line())
    for note in whole.notes:
        book.add_paragraph(note)
    usable = Cm(27 if whole.landscape else 18)  # the page less its margins
    for chart in whole.charts:
        book.add_picture(io.BytesIO(charts.png(charts.svg(chart))), width=min(usable, Cm(17)))
    columns = list(whole.columns)
    grid = book.add_table(rows=1, cols=len(columns))
    grid.style = "Table Grid"
    heading = grid.rows[0]
    flag = OxmlElement("w:tblHeader")  # the heading row repeats at the top of each page
    flag.set(qn("w:val"), "true")
    heading._tr.get_or_add_trPr().append(flag)
    for cell, column in zip(heading.cells, columns, strict=True):
        cell.text = column.label
        cell.paragraphs[0].runs[0].bold = True
    for line in walk(whole):
        cells = grid.add_row().cells
        if line.kind == GROUP:
            merged = cells[0].merge(cells[-1]) if len(cells) > 1 else cells[0]
            merged.text = line.label
            merged.paragraphs[0].runs[0].bold = True
            continue
        for cell, column, value in zip(cells, columns, line.values, strict=True):
            cell.text = cell_text(column, value)
            paragraph = cell.paragraphs[0]
            if column.numeric:
                paragraph.alignment = WD_ALIGN_PARAGRAPH.RIGHT
            if line.kind != ROW and paragraph.runs:
                paragraph.runs[0].bold = True
    book.save(target)
