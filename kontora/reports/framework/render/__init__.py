"""One renderer per format, shared by every report (RPT-04): a report hands over a `Result`, never a file.

CSV, XLSX, XML and the HTML file stream, so their size is unbounded. PDF, its page images, Word, OpenDocument text
and spreadsheet lay the whole document out in memory (WeasyPrint took 1.2 GB for 10,000 rows): a report longer
than `PAGED_CAP` rows is refused in them with the advice to take XLSX or CSV.
"""

from __future__ import annotations

from django.utils.translation import gettext_lazy

from kontora.reports.framework.render import csvfile, htmlfile, odf, paged, wordfile, xlsxfile, xmlfile
from kontora.reports.framework.render.common import PAGED_CAP, Format, capped, file_name, too_long

__all__ = ["PAGED_CAP", "Format", "capped", "file_name", "formats", "too_long"]


def formats() -> dict[str, Format]:
    items = [
        Format("pdf", gettext_lazy("PDF"), "pdf", "application/pdf", paged.write_pdf, paged=True),
        Format("docx", gettext_lazy("Word (.docx)"), "docx",
               "application/vnd.openxmlformats-officedocument.wordprocessingml.document", wordfile.write, paged=True),
        Format("xlsx", gettext_lazy("Excel (.xlsx)"), "xlsx",
               "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", xlsxfile.write),
        Format("html", gettext_lazy("HTML"), "html", "text/html; charset=utf-8", htmlfile.write, htmlfile.stream),
        Format("xml", gettext_lazy("XML"), "xml", "application/xml; charset=utf-8", xmlfile.write, xmlfile.stream),
        Format("csv", gettext_lazy("CSV"), "csv", "text/csv; charset=utf-8", csvfile.write, csvfile.stream),
        Format("odt", gettext_lazy("OpenDocument text (.odt)"), "odt", "application/vnd.oasis.opendocument.text",
               odf.write_text, paged=True),
        Format("ods", gettext_lazy("OpenDocument spreadsheet (.ods)"), "ods",
               "application/vnd.oasis.opendocument.spreadsheet", odf.write_spreadsheet, paged=True),
        Format("png", gettext_lazy("PNG images"), "png", "image/png", paged.write_png, paged=True),
        Format("jpeg", gettext_lazy("JPEG images"), "jpg", "image/jpeg", paged.write_jpeg, paged=True),
        Format("gif", gettext_lazy("GIF images"), "gif", "image/gif", paged.write_gif, paged=True),
    ]
    return {item.code: item for item in items}
