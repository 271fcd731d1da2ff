"""XLSX: Kontora's own streaming writer (`kontora.core.xlsx`) beside XlsxWriter in constant-memory mode.

Issue 15 keeps one XLSX writer for the whole product: the library, unless ours is more than twice as fast with the
same correctness (the tests read both back). Both write the same report-shaped rows — a code, a Cyrillic name,
an INN as text, a date, a moment, an amount, a share and a note, some notes beginning with «=» (text, never a
formula) — with a bold frozen header and column widths, into a file. Each write runs in a child process of its
own (`python -m bench.xlsx write WRITER ROWS PATH`), the two alternated round by round, so each child's peak
resident memory (ru_maxrss) is its own; medians of the rounds.
"""

from __future__ import annotations

import datetime
import json
import os
import random
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from decimal import Decimal
from pathlib import Path
from typing import Any

from bench import ROOT, Result

ROWS = int(os.environ.get("KONTORA_BENCH_XLSX_ROWS", "100000"))
ROUNDS = int(os.environ.get("KONTORA_BENCH_XLSX_ROUNDS", "5"))
HEADER = ["Код", "Клиент", "ИНН", "Дата", "Момент", "Сумма, ₽", "Доля", "Примечание"]
WIDTHS = [8, 40, 14, 11, 16, 14, 8, 40]
_NOTES = ["Обсудили условия поставки", "Клиент просит скидку на объём", "=СУММ(A1:A9)", "+7 (495) 123-45-67",
          "@упоминание", "Выставили счёт на предоплату"]


def rows(count: int) -> Iterator[list[Any]]:
    """The same rows for every writer and round (seeded)."""
    rng = random.Random(15)  # the same rows every run
    first_day, first_moment = datetime.date(2026, 1, 1), datetime.datetime(2026, 1, 1, 9)
    for i in range(count):
        yield [i + 1, f"ООО «Альфа{rng.randint(1, 999)}» торговый дом", str(7_700_000_000 + i),
               first_day + datetime.timedelta(days=i % 365), first_moment + datetime.timedelta(minutes=i),
               Decimal(rng.randint(0, 10**8)) / 100, round(rng.random(), 4), rng.choice(_NOTES)]


def write_ours(path: Path, count: int) -> None:
    from kontora.core.xlsx import XlsxWriter

    with path.open("wb") as target, XlsxWriter(target, sheet="Отчёт", widths=WIDTHS, frozen_rows=1) as xlsx:
        xlsx.header(HEADER)
        for row in rows(count):
            xlsx.row(row)


def write_library(path: Path, count: int) -> None:
    import xlsxwriter

    # Texts as texts: the library would otherwise turn «=…» into formulas and addresses into links.
    book = xlsxwriter.Workbook(str(path), {"constant_memory": True, "strings_to_formulas": False,
                                           "strings_to_urls": False, "strings_to_numbers": False})
    sheet = book.add_worksheet("Отчёт")
    bold = book.add_format({"bold": True})
    day, moment = book.add_format({"num_format": "DD.MM.YYYY"}), book.add_format({"num_format": "DD.MM.YYYY HH:MM"})
    for column, width in enumerate(WIDTHS):
        sheet.set_column(column, column, width)
    sheet.freeze_panes(1, 0)
    sheet.write_row(0, 0, HEADER, bold)
    for number, row in enumerate(rows(count), start=1):
        sheet.write_number(number, 0, row[0])
        sheet.write_string(number, 1, row[1])
        sheet.write_string(number, 2, row[2])
        sheet.write_datetime(number, 3, row[3], day)
        sheet.write_datetime(number, 4, row[4], moment)
        sheet.write_number(number, 5, row[5])
        sheet.write_number(number, 6, row[6])
        sheet.write_string(number, 7, row[7])
    book.close()


WRITERS = {"ours": write_ours, "library": write_library}


def _child(writer: str, count: int, path: Path) -> dict[str, float]:
    completed = subprocess.run(
        [sys.executable, "-m", "bench.xlsx", "write", writer, str(count), str(path)],
        check=True, capture_output=True, text=True, cwd=ROOT, env={**os.environ, "PYTHONPATH": str(ROOT)})
    measured: dict[str, float] = json.loads(completed.stdout)
    return measured


def run() -> list[Result]:
    times: dict[str, list[float]] = {name: [] for name in WRITERS}
    peaks: dict[str, list[float]] = {name: [] for name in WRITERS}
    sizes: dict[str, float] = {}
    with tempfile.TemporaryDirectory(prefix="kontora-bench-xlsx-") as folder:
        for _ in range(ROUNDS):
            for name in WRITERS:
                path = Path(folder) / f"{name}.xlsx"
                measured = _child(name, ROWS, path)
                times[name].append(measured["seconds"])
                peaks[name].append(measured["peak_mb"])
                sizes[name] = path.stat().st_size / 2**20
    sized = f"{ROWS:,} rows × {len(HEADER)} columns"
    return [
        Result("xlsx", "write, ours / XlsxWriter constant_memory", statistics.median(times["ours"]),
               statistics.median(times["library"]), "s", sized),
        Result("xlsx", "peak memory of the writing process", statistics.median(peaks["ours"]),
               statistics.median(peaks["library"]), "MB", sized),
        Result("xlsx", "file size", sizes["ours"], sizes["library"], "MB", sized),
    ]


def main(argv: list[str]) -> int:
    if len(argv) == 4 and argv[0] == "write" and argv[1] in WRITERS:
        started = time.perf_counter()
        WRITERS[argv[1]](Path(argv[3]), int(argv[2]))
        seconds = time.perf_counter() - started
        peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        print(json.dumps({"seconds": seconds, "peak_mb": peak}))
        return 0
    print("usage: python -m bench.xlsx write ours|library ROWS PATH", file=sys.stderr)
    return 2


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
