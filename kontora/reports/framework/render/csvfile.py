"""CSV: the table only (a heading row, group headings as rows, sums), values as a Russian spreadsheet reads them —
numbers with the decimal comma, dates as 04.12.2026 — and no cell that could run as a formula."""

from __future__ import annotations

import datetime
from collections.abc import Iterator
from decimal import Decimal
from typing import IO, Any

from django.utils.formats import get_format

from kontora.core.csvfile import BOM, Pieces, neutralise
from kontora.reports.framework.result import GROUP, Result, walk

BATCH = 200  # rows per streamed piece


def _cell(value: Any, comma: str) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "1" if value else "0"
    if isinstance(value, int | Decimal | float):
        return str(value).replace(".", comma)
    if isinstance(value, datetime.datetime):
        return f"{value:%d.%m.%Y %H:%M}"
    if isinstance(value, datetime.date):
        return f"{value:%d.%m.%Y}"
    return neutralise(str(value))


def stream(result: Result) -> Iterator[bytes]:
    comma = str(get_format("DECIMAL_SEPARATOR"))
    pieces = Pieces()
    pieces.row([neutralise(column.label) for column in result.columns])
    yield (BOM + pieces.take()).encode("utf-8")
    batch = 0
    for line in walk(result):
        if line.kind == GROUP:
            pieces.row([neutralise(line.label)])
        else:
            pieces.row([_cell(value, comma) for value in line.values])
        batch += 1
        if batch >= BATCH:
            yield pieces.take().encode("utf-8")
            batch = 0
    rest = pieces.take()
    if rest:
        yield rest.encode("utf-8")


def write(result: Result, target: IO[bytes]) -> None:
    for piece in stream(result):
        target.write(piece)
