"""PDF through the print module (A4 by the table's width, headers repeated, «стр. N из M», fonts embedded), and
the page images rendered from that PDF by PDFium: one image per page — the image itself for a one-page report,
a ZIP of the pages for a longer one."""

from __future__ import annotations

import io
import zipfile
from typing import IO

from django.utils.safestring import mark_safe

from kontora.core import charts
from kontora.core.printing import pdf_render
from kontora.reports.framework.render import table
from kontora.reports.framework.render.common import capped
from kontora.reports.framework.result import Result, walk

DPI = 110  # an A4 page of about 910 × 1290 pixels: readable, not heavy


def pdf_bytes(result: Result) -> bytes:
    whole = capped(result)
    context = {
        # WeasyPrint draws pygal's pie slices wrong (their arcs), so the PDF gets the PNG CairoSVG draws of the same
        # SVG (as Word and ODT do)
        "result": whole, "user": whole.generated_by,
        "charts": [charts.data_url(charts.png(charts.svg(chart)), mime="image/png") for chart in whole.charts],
        # every value escaped by `table`
        "head": mark_safe(table.head(whole.columns)),  # noqa: S308
        "colgroup": mark_safe(table.colgroup(whole.columns)),  # noqa: S308
        "rows": mark_safe("".join(table.rows(walk(whole), whole.columns))),  # noqa: S308
    }
    return pdf_render("reports/print.html", context, landscape=whole.landscape, title=whole.title)


def write_pdf(result: Result, target: IO[bytes]) -> str | None:
    target.write(pdf_bytes(result))
    return None


def _images(result: Result, kind: str, target: IO[bytes]) -> str | None:
    import pypdfium2

    document = pypdfium2.PdfDocument(pdf_bytes(result))
    try:
        pages = []
        for page in document:
            image = page.render(scale=DPI / 72).to_pil()
            if kind == "JPEG":
                image = image.convert("RGB")
            elif kind == "GIF":
                image = image.convert("P", palette=1, colors=256)  # Image.Palette.ADAPTIVE
            shot = io.BytesIO()
            image.save(shot, format=kind, **({"quality": 88} if kind == "JPEG" else {}))
            pages.append(shot.getvalue())
            page.close()
    finally:
        document.close()
    extension = {"PNG": "png", "JPEG": "jpg", "GIF": "gif"}[kind]
    if len(pages) == 1:
        target.write(pages[0])
        return None
    with zipfile.ZipFile(target, "w", compression=zipfile.ZIP_STORED) as archive:
        for number, picture in enumerate(pages, start=1):
            archive.writestr(f"page-{number:03d}.{extension}", picture)
    return "zip"


def write_png(result: Result, target: IO[bytes]) -> str | None:
    return _images(result, "PNG", target)


def write_jpeg(result: Result, target: IO[bytes]) -> str | None:
    return _images(result, "JPEG", target)


def write_gif(result: Result, target: IO[bytes]) -> str | None:
    return _images(result, "GIF", target)
