"""A client list to import, read as a table of text cells (IMP-01): .xlsx, .xls and .ods through python-calamine,
.csv in UTF-8 (with or without a BOM) or Windows-1251 with «;», «,» or tab between cells.

`table_open` refuses what cannot be read (too large, an unknown kind, not a spreadsheet, no rows) before anything
is done with it, and answers a `Table`: the sheets of the file, the one read, and for a CSV the encoding and
delimiter it found — shown to the user, who may choose others and open the file again. `Table.rows()` streams
the rows as `Row(number, cells)`: the row's number in the file and its cells as text, column A first, so that
100,000 rows are never held as Python objects at once.

Cells come back as the person typed them. A spreadsheet keeps a number typed into a cell as a float, so
calamine answers a phone `73902235588.0`, an INN `7707083893.0`, a postcode `600301.0`: an integral number is
turned back into its digits (never "…0" or an exponent), a date into dd.mm.yyyy. Leading zeros a number cell
dropped are put back only where the column says how long the value is (`columns.row_values`).
"""

from __future__ import annotations

import codecs
import csv
import io
import math
import os
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from pathlib import Path
from typing import IO, Any, NamedTuple

from django.conf import settings
from django.utils.translation import gettext as _
from python_calamine import CalamineError, CalamineWorkbook

from kontora.core.errors import Refused
from kontora.core.services.storage import stored_open

WORKBOOKS = ("xlsx", "xlsm", "xls", "ods")
CSV = "csv"
KINDS = (*WORKBOOKS, CSV)
ENCODINGS = ("utf-8-sig", "utf-8", "windows-1251")
DELIMITERS = (";", ",", "\t")
SAMPLE_BYTES = 64 * 1024  # what the encoding's and delimiter's guess looks at
SAMPLE_LINES = 50
CHUNK = 1024 * 1024
_BOM = codecs.BOM_UTF8
# A byte no text file has: a binary file (a picture, an archive) named .csv is no CSV.
_BINARY = (b"\x00",)


class Row(NamedTuple):
    number: int  # the row's number in the file, as the spreadsheet shows it (1 = the first row)
    cells: list[str]  # column A first


@dataclass
class Table:
    """An opened file: what was found in it and its rows. Close it (or use it as a context manager) when done."""

    filename: str
    kind: str  # one of KINDS
    sheets: list[str] = field(default_factory=list)  # every sheet's name, in the file's order ([] for a CSV)
    sheet: str = ""  # the sheet read
    encoding: str = ""  # a CSV's: one of ENCODINGS
    delimiter: str = ""  # a CSV's: one of DELIMITERS
    _workbook: Any = None
    _sheet_index: int = 0
    _stream: IO[bytes] | None = None
    _owned: bool = False  # the stream was opened here (a path, a copy), not handed in by the caller

    def rows(self) -> Iterator[Row]:
        """The rows with at least one filled cell, in order, each time from the first."""
        if self.kind == CSV:
            yield from _csv_rows(self)
        else:
            yield from _sheet_rows(self._workbook.get_sheet_by_index(self._sheet_index))

    def close(self) -> None:
        if self._workbook is not None:
            self._workbook.close()
            self._workbook = None
        if self._stream is not None and self._owned:
            self._stream.close()
        self._stream = None

    def __enter__(self) -> Table:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


# --- cells ---------------------------------------------------------------------------------------------------

def cell_text(value: Any) -> str:
    """A cell as the text the person typed: integral numbers as their digits, dates as dd.mm.yyyy."""
    if value is None:
        return ""
    if isinstance(value, str):
        return value
    if isinstance(value, bool):  # before int: a bool is an int
        return _("yes") if value else _("no")
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        if not math.isfinite(value):
            return ""
        if value.is_integer():
            return str(int(value))  # 1.2345678901e+11 → "123456789010": no ".0", no exponent
        return format(Decimal(repr(value)), "f")  # the shortest text of the float, without an exponent
    if isinstance(value, datetime):
        if value.time() == time(0, 0):
            return value.strftime("%d.%m.%Y")
        return value.strftime("%d.%m.%Y %H:%M")
    if isinstance(value, date):
        return value.strftime("%d.%m.%Y")
    if isinstance(value, time):
        return value.strftime("%H:%M") if value.second == 0 else value.strftime("%H:%M:%S")
    if isinstance(value, timedelta):
        minutes = int(value.total_seconds() // 60)
        return f"{minutes // 60}:{minutes % 60:02d}"
    return str(value)


# --- opening -------------------------------------------------------------------------------------------------

def max_file_bytes() -> int:
    return int(getattr(settings, "IMPORT_MAX_FILE_BYTES", 50 * 1024 * 1024))


def _size(source: Any) -> int | None:
    """The file's size without reading it: an upload's `size`, a path's, a seekable stream's end."""
    if isinstance(source, str | os.PathLike):
        return Path(source).stat().st_size
    size = getattr(source, "size", None)
    if isinstance(size, int):
        return size
    if getattr(source, "seekable", lambda: False)():
        here = source.tell()
        end = source.seek(0, io.SEEK_END)
        source.seek(here)
        return int(end)
    return None


def _binary(source: Any, limit: int) -> tuple[IO[bytes], bool]:
    """A seekable binary stream of the file, from its start, and whether it was opened here. A stream that cannot
    seek (an object storage's body) is copied into a temporary file, at most `limit` bytes: past them it is
    refused."""
    if isinstance(source, str | os.PathLike):
        return Path(source).open("rb"), True  # the Table closes it
    stream = getattr(source, "file", source)  # a Django upload wraps the real file
    if getattr(stream, "seekable", lambda: False)():
        stream.seek(0)
        return stream, False
    spooled = tempfile.SpooledTemporaryFile(max_size=8 * 1024 * 1024)
    copied = 0
    while chunk := stream.read(CHUNK):
        copied += len(chunk)
        if copied > limit:
            spooled.close()
            raise _too_large(limit)
        spooled.write(chunk)
    spooled.seek(0)
    return spooled, True  # type: ignore[return-value]


def _too_large(limit: int) -> Refused:
    return Refused(_("The file is larger than %(size)d MB: split it into several files and import them one by one.")
                   % {"size": limit // (1024 * 1024)})


def _not_a_spreadsheet(filename: str) -> Refused:
    return Refused(_("“%(name)s” is not a spreadsheet: save it from Excel or LibreOffice as .xlsx, .xls, .ods or "
                     ".csv and choose it again.") % {"name": filename})


def _kind(filename: str) -> str:
    kind = Path(filename).suffix.lower().lstrip(".")
    if kind not in KINDS:
        raise Refused(_("Files of this kind cannot be imported: choose an .xlsx, .xls, .ods or .csv file."))
    return kind


def table_open(
    source: Any, *, filename: str = "", sheet: str | int | None = None, encoding: str | None = None,
    delimiter: str | None = None,
) -> Table:
    """Opens a file to import: `source` is an upload (Django's UploadedFile), a binary stream or a path;
    `filename` (the name the user gave it, else the upload's or path's own) tells its kind. `sheet` (a name or
    an index) picks the sheet of a workbook, else the first with a filled cell; `encoding` and `delimiter` a
    CSV's, else they are guessed. Refused: a file over the size limit (told from its size, never read), an
    unknown kind, a file that is not a spreadsheet, a sheet or file without a filled cell."""
    filename = filename or Path(str(getattr(source, "name", "") or source)).name
    limit = max_file_bytes()
    size = _size(source)
    if size is not None and size > limit:
        raise _too_large(limit)
    kind = _kind(filename)
    stream, owned = _binary(source, limit)
    try:
        if kind == CSV:
            return _csv_open(stream, owned, filename, encoding, delimiter)
        return _workbook_open(stream, filename, kind, sheet)
    except BaseException:
        if owned:
            stream.close()
        raise
    finally:
        if owned and kind != CSV:
            stream.close()  # calamine holds the workbook's content now


# --- workbooks -----------------------------------------------------------------------------------------------

def _sheet_rows(worksheet: Any) -> Iterator[Row]:
    # calamine yields the rows from the sheet's first row, but the cells from the first column that has a value:
    # the columns left of it are put back, so that a cell's index is its column (A = 0) whatever the sheet.
    start = worksheet.start
    shift = [""] * (start[1] if start else 0)
    for index, cells in enumerate(worksheet.iter_rows()):
        texts = [cell_text(cell) for cell in cells]
        if any(text.strip() for text in texts):
            yield Row(index + 1, shift + texts if shift else texts)


def _filled(worksheet: Any) -> bool:
    return next(_sheet_rows(worksheet), None) is not None


def _workbook_open(stream: IO[bytes], filename: str, kind: str, sheet: str | int | None) -> Table:
    try:
        # From the bytes, not by the extension: a workbook saved as .xls but really .xlsx (often so) is read too.
        workbook = CalamineWorkbook.from_filelike(stream)
    except CalamineError as exc:
        if "password" in str(exc).lower():
            raise Refused(_("“%(name)s” is protected by a password: save it without one and choose it again.")
                          % {"name": filename}) from None
        raise _not_a_spreadsheet(filename) from None
    except Exception:  # calamine's parsers raise a few other kinds on a damaged file
        raise _not_a_spreadsheet(filename) from None
    table = Table(filename=filename, kind=kind, sheets=list(workbook.sheet_names), _workbook=workbook)
    try:
        table._sheet_index, table.sheet = _sheet_chosen(workbook, table.sheets, sheet, filename)
    except BaseException:
        workbook.close()
        raise
    return table


def sheet_names(source: Any, *, filename: str = "") -> list[str]:
    """A workbook's sheet names in the file's order, read from its list of sheets only (no sheet's cells are read):
    what the import page offers to choose from. [] for a CSV or a file that is not a readable workbook."""
    filename = filename or Path(str(getattr(source, "name", "") or source)).name
    if Path(filename).suffix.lower().lstrip(".") not in WORKBOOKS:
        return []
    try:
        stream, owned = _binary(source, max_file_bytes())
    except Refused:
        return []
    try:
        workbook = CalamineWorkbook.from_filelike(stream)
    except Exception:  # a damaged or protected file: the load says why
        return []
    finally:
        if owned:
            stream.close()
    try:
        return list(workbook.sheet_names)
    finally:
        workbook.close()


def stored_sheet_names(name: str, *, filename: str) -> list[str]:
    """`sheet_names` of an upload kept in the files' storage ([] once it is gone)."""
    if not name:
        return []
    try:
        kept = stored_open(name)
    except OSError:
        return []
    with kept.stream as stream:
        return sheet_names(stream, filename=filename)


def _sheet_chosen(workbook: Any, names: list[str], sheet: str | int | None, filename: str) -> tuple[int, str]:
    if sheet is None or sheet == "":
        for index, name in enumerate(names):
            if _filled(workbook.get_sheet_by_index(index)):
                return index, name
        raise Refused(_("“%(name)s” has no filled cell on any sheet: there is nothing to import.")
                      % {"name": filename})
    if isinstance(sheet, int):
        index = sheet
    elif sheet in names:
        index = names.index(sheet)
    else:
        index = -1
    if not 0 <= index < len(names):
        raise Refused(_("The file has no sheet “%(sheet)s”.") % {"sheet": sheet})
    if not _filled(workbook.get_sheet_by_index(index)):
        raise Refused(_("The sheet “%(sheet)s” is empty: choose a sheet with the clients.") % {"sheet": names[index]})
    return index, names[index]


# --- CSV -----------------------------------------------------------------------------------------------------

def _encoding_guess(stream: IO[bytes]) -> str:
    """UTF-8 with a BOM; UTF-8 when every byte of the file decodes as such (read in chunks, never whole); else
    Windows-1251, in which any byte is a letter."""
    stream.seek(0)
    if stream.read(len(_BOM)) == _BOM:
        return "utf-8-sig"
    stream.seek(0)
    decoder = codecs.getincrementaldecoder("utf-8")()
    try:
        while chunk := stream.read(CHUNK):
            decoder.decode(chunk)
        decoder.decode(b"", final=True)
    except UnicodeDecodeError:
        return "windows-1251"
    return "utf-8"


def _text(stream: IO[bytes], encoding: str) -> io.TextIOWrapper:
    stream.seek(0)
    # "replace": the one byte Windows-1251 lacks (0x98) must not stop the whole file.
    return io.TextIOWrapper(stream, encoding=encoding, errors="replace", newline="")


def _delimiter_guess(sample: str) -> str:
    """The delimiter that cuts the first lines into the same number of cells (more than one), most often; «;»
    first on a tie, as Russian Excel writes it."""
    lines = [line for line in sample.splitlines() if line.strip()][:SAMPLE_LINES]
    best, best_score = DELIMITERS[0], (-1, -1)
    for candidate in DELIMITERS:
        counts = [len(cells) for cells in csv.reader(lines, delimiter=candidate)]
        if not counts:
            continue
        usual = max(set(counts), key=counts.count)
        score = (counts.count(usual) if usual > 1 else 0, usual)
        if score > best_score:
            best, best_score = candidate, score
    return best


def _csv_open(stream: IO[bytes], owned: bool, filename: str, encoding: str | None, delimiter: str | None) -> Table:
    stream.seek(0)
    head = stream.read(SAMPLE_BYTES)
    if any(mark in head for mark in _BINARY):
        raise _not_a_spreadsheet(filename)
    if encoding is not None and encoding not in ENCODINGS:
        raise Refused(_("Unknown encoding “%(encoding)s”: choose UTF-8 or Windows-1251.") % {"encoding": encoding})
    if delimiter is not None and delimiter not in DELIMITERS:
        raise Refused(_("Cells may be separated by “;”, “,” or a tab."))
    if encoding == "utf-8" and head.startswith(_BOM):
        encoding = "utf-8-sig"  # the BOM is no part of the first cell
    encoding = encoding or _encoding_guess(stream)
    if delimiter is None:
        sample = head if len(head) < SAMPLE_BYTES else head.rsplit(b"\n", 1)[0]
        delimiter = _delimiter_guess(sample.decode(encoding, errors="replace"))
    table = Table(filename=filename, kind=CSV, encoding=encoding, delimiter=delimiter, _stream=stream, _owned=owned)
    if next(_csv_rows(table), None) is None:
        raise Refused(_("“%(name)s” has no filled cell: there is nothing to import.") % {"name": filename})
    return table


def _csv_rows(table: Table) -> Iterator[Row]:
    assert table._stream is not None, "the table is closed"
    text = _text(table._stream, table.encoding)
    try:
        reader = csv.reader(text, delimiter=table.delimiter)
        number = 0
        for cells in reader:
            number += 1  # a row, not a line: a quoted cell may hold line breaks
            if any(cell.strip() for cell in cells):
                yield Row(number, cells)
    except csv.Error:
        raise _not_a_spreadsheet(table.filename) from None
    finally:
        text.detach()  # the Table keeps the byte stream for the next pass

