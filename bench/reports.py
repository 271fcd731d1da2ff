"""Reports: the renderers of the report framework at the sizes issue 15 names, each beside its bare baseline.

- a 10,000-row report to XLSX (its groups, subtotals, total and head) beside the bare XLSX writer writing the same
  rows (target ≤ 2 s);
- 100,000 rows to XLSX: the peak memory of the writing process beside the bare writer's (target ≤ 300 MB);
- the PDF at the paged formats' row cap: seconds a page and peak memory (targets ≤ 0.2 s a page, ≤ 600 MB) beside
  WeasyPrint drawing a bare table of the same rows.

Each write runs in a child process of its own (`python -m bench.reports write KIND ROWS PATH`), so each peak
resident memory (ru_maxrss) is its own; medians of the rounds.
"""

from __future__ import annotations

import datetime
import json
import os
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

from bench import ROOT, Result, django_in

ROUNDS = int(os.environ.get("KONTORA_BENCH_REPORT_ROUNDS", "3"))
GROUP = 500  # rows a group


def _rows(count: int, start: int = 0) -> Iterator[list[Any]]:
    day = datetime.date(2026, 1, 1)
    for i in range(start, start + count):
        yield [f"ООО «Альфа-{i % 997}» торговый дом", day + datetime.timedelta(days=i % 365), i % 17 + 1,
               Decimal(i * 37 % 100_000) / 100]


def _result(count: int) -> Any:
    from django.utils import timezone

    from kontora.reports.framework.result import DATE, INTEGER, MONEY, TEXT, Column, Result, Section

    columns = [Column("client", "Клиент", TEXT, width=40), Column("day", "Дата", DATE),
               Column("count", "Количество", INTEGER, total=True), Column("sum", "Сумма", MONEY, total=True)]
    sections = (Section(f"Менеджер {g + 1}", _rows(min(GROUP, count - g * GROUP), g * GROUP))
                for g in range((count + GROUP - 1) // GROUP))
    return Result(title="Отчёт для замера", columns=columns, sections=sections, generated_by="Замер",
                  generated_at=timezone.now(), zone="Europe/Moscow", parameters=[("Период", "2026")],
                  report="bench")


def write(kind: str, count: int, path: Path) -> dict[str, float]:
    from django.utils import translation

    translation.activate("ru")
    started = time.perf_counter()
    pages = 0
    with path.open("wb") as target:
        if kind == "report-xlsx":
            from kontora.reports.framework.render import xlsxfile

            xlsxfile.write(_result(count), target)
        elif kind == "bare-xlsx":
            from kontora.core.xlsx import XlsxWriter

            with XlsxWriter(target, sheet="Отчёт", frozen_rows=1) as sheet:
                sheet.header(["Клиент", "Дата", "Количество", "Сумма"])
                for row in _rows(count):
                    sheet.row(row)
        elif kind == "report-pdf":
            from kontora.reports.framework.render import paged

            body = paged.pdf_bytes(_result(count))
            target.write(body)
        elif kind == "bare-pdf":
            from weasyprint import HTML

            cells = "".join(f"<tr><td>{a}</td><td>{b:%d.%m.%Y}</td><td>{c}</td><td>{d}</td></tr>"
                            for a, b, c, d in _rows(count))
            body = HTML(string=f"<table><thead><tr><th>Клиент</th><th>Дата</th><th>Количество</th><th>Сумма</th>"
                               f"</tr></thead><tbody>{cells}</tbody></table>").write_pdf()
            target.write(body)
        else:
            raise SystemExit(f"unknown kind {kind}")
    seconds = time.perf_counter() - started
    if kind.endswith("pdf"):
        import pypdf

        pages = len(pypdf.PdfReader(str(path)).pages)
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    return {"seconds": seconds, "peak_mb": peak, "pages": pages}


def _child(kind: str, count: int, path: Path, home: str) -> dict[str, float]:
    completed = subprocess.run(
        [sys.executable, "-m", "bench.reports", "write", kind, str(count), str(path), home],
        check=True, capture_output=True, text=True, cwd=ROOT, env={**os.environ, "PYTHONPATH": str(ROOT)})
    measured: dict[str, float] = json.loads(completed.stdout.strip().splitlines()[-1])
    return measured


def _median(kind: str, count: int, folder: str) -> dict[str, float]:
    runs = [_child(kind, count, Path(folder) / f"{kind}.out", folder) for _ in range(ROUNDS)]
    return {key: statistics.median(run[key] for run in runs) for key in runs[0]}


def run() -> list[Result]:
    from kontora.reports.framework.render.common import PAGED_CAP

    with tempfile.TemporaryDirectory(prefix="kontora-bench-reports-") as folder:
        xlsx10k, bare10k = _median("report-xlsx", 10_000, folder), _median("bare-xlsx", 10_000, folder)
        xlsx100k, bare100k = _median("report-xlsx", 100_000, folder), _median("bare-xlsx", 100_000, folder)
        pdf, bare_pdf = _median("report-pdf", PAGED_CAP, folder), _median("bare-pdf", PAGED_CAP, folder)
    return [
        Result("reports", "10,000-row report to XLSX / the bare writer", xlsx10k["seconds"], bare10k["seconds"],
               "s", "10,000 rows in 20 groups"),
        Result("reports", "100,000 rows to XLSX: peak memory / the bare writer's", xlsx100k["peak_mb"],
               bare100k["peak_mb"], "MB", "100,000 rows in 200 groups"),
        Result("reports", "PDF at the row cap: seconds a page / bare WeasyPrint table", pdf["seconds"] / pdf["pages"],
               bare_pdf["seconds"] / bare_pdf["pages"], "s", f"{PAGED_CAP:,} rows, {pdf['pages']:.0f} pages"),
        Result("reports", "PDF at the row cap: peak memory / bare WeasyPrint table", pdf["peak_mb"],
               bare_pdf["peak_mb"], "MB", f"{PAGED_CAP:,} rows"),
    ]


def main(argv: list[str]) -> int:
    if len(argv) == 5 and argv[0] == "write":
        django_in(argv[4])
        print(json.dumps(write(argv[1], int(argv[2]), Path(argv[3]))))
        return 0
    print("usage: python -m bench.reports write KIND ROWS PATH HOME", file=sys.stderr)
    return 2


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
