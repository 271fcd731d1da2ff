"""An HTML file that opens anywhere, offline: the print module's styles inside it, charts as `data:` images, the
table streamed row by row. It is downloaded (an attachment), never shown under the program's address."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import IO

from django.contrib.staticfiles import finders
from django.template.loader import render_to_string
from django.utils.safestring import SafeString, mark_safe

from kontora.core import charts
from kontora.reports.framework.render import table
from kontora.reports.framework.result import Result, walk

BATCH = 200


def chart_urls(result: Result) -> list[str]:
    return [charts.data_url(charts.svg(chart)) for chart in result.charts]


def _styles() -> SafeString:
    """The print module's stylesheet inside the file. The pages the program serves hold no inline style (the
    Content-Security-Policy); this file is only ever downloaded, and must open offline."""
    found = finders.find("kontora/printing.css")
    css = Path(str(found)).read_text(encoding="utf-8").replace("</", "<\\/") if found else ""
    return mark_safe(f"<style>{css}</style>")  # noqa: S308 - the program's own stylesheet


def stream(result: Result) -> Iterator[bytes]:
    top = render_to_string("reports/file_top.html",
                           {"result": result, "styles": _styles(), "charts": chart_urls(result)})
    yield (top + f'<table><thead>{table.head(result.columns)}</thead><tbody>').encode("utf-8")
    batch: list[str] = []
    for row in table.rows(walk(result), result.columns):
        batch.append(row)
        if len(batch) >= BATCH:
            yield "".join(batch).encode("utf-8")
            batch = []
    batch.append("</tbody></table></body></html>\n")
    yield "".join(batch).encode("utf-8")


def write(result: Result, target: IO[bytes]) -> None:
    for piece in stream(result):
        target.write(piece)
