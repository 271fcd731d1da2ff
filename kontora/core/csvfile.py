"""CSV files as the office's spreadsheets open them: UTF-8 with a BOM, «;» between cells, CRLF, written in pieces
for a streamed answer, and no cell a spreadsheet would run as a formula."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable
from typing import Any

# A spreadsheet opening a CSV runs a cell starting with these as a formula; a leading apostrophe makes it plain
# text. An XLSX needs none: its texts are inline strings, which are never formulas (issue 11, F4).
FORMULA_STARTS = ("=", "+", "-", "−", "@", "\t", "\r")
BOM = "\ufeff"


def neutralise(value: str) -> str:
    """A text cell that a spreadsheet would take for a formula gets a leading apostrophe."""
    return f"'{value}" if value.startswith(FORMULA_STARTS) else value


class Pieces:
    """`csv.writer` over a buffer that hands back what was written since the last `take` (a streamed piece)."""

    def __init__(self) -> None:
        self._buffer = io.StringIO()
        self._writer = csv.writer(self._buffer, delimiter=";", lineterminator="\r\n")

    def row(self, cells: Iterable[Any]) -> None:
        self._writer.writerow(cells)

    def take(self) -> str:
        text = self._buffer.getvalue()
        self._buffer.seek(0)
        self._buffer.truncate()
        return text
