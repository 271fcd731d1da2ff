"""Excel: the product's one XLSX writer (kontora.core.xlsx), streamed row by row — real numbers and dates, sums
typed as numbers (no formulas), the column heading frozen, the columns as wide as the report declares. The title,
the parameters and the «Сформировал» line stand above the table."""

from __future__ import annotations

from typing import IO

from kontora.core.xlsx import XlsxWriter
from kontora.reports.framework.result import GROUP, ROW, Result, walk


def write(result: Result, target: IO[bytes]) -> None:
    head = [[result.title], *([f"{name}: {value}"] for name, value in result.parameters), [result.generated_line()],
            *([note] for note in result.notes), []]
    widths = [column.characters for column in result.columns]
    with XlsxWriter(target, sheet=result.title, widths=widths, frozen_rows=len(head) + 1) as sheet:
        for line in head:
            sheet.row(line)
        sheet.header([column.label for column in result.columns])
        for item in walk(result):
            if item.kind == GROUP:
                sheet.row([item.label], bold=True)
            else:
                sheet.row(item.values, bold=item.kind != ROW)
