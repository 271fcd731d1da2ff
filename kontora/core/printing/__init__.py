"""The product's one print module: a Django template (HTML with `kontora/printing.css`) drawn to PDF by WeasyPrint.

Every printed form of the program goes through here — the day plan today, the reports and billing's documents
later — so they share one look: A4 portrait or landscape, the body in DejaVu Sans (found by fontconfig and embedded
in the PDF as a subset, Cyrillic included), table headers repeated on every page, and «стр. N из M» at the foot of
each page. The same template serves the printable HTML page (the browser's own print) and the PDF.

WeasyPrint never goes to the network: its URL fetcher serves the program's own static files and `data:` URLs, and
refuses everything else (an address typed into a printed text must not make the server fetch it).
"""

from __future__ import annotations

import mimetypes
import re
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlsplit

from django.conf import settings
from django.contrib.staticfiles import finders
from django.http import HttpRequest, HttpResponse
from django.template.loader import render_to_string
from django.utils.translation import gettext as _

# The made-up origin the pages are laid out under: their `/static/…` links resolve to it, and nothing else does.
ORIGIN = "http://print.kontora.invalid"
BASE_TEMPLATE = "core/printing/base.html"


def static_file(url: str) -> Path | None:
    """The local file a printed page's URL names: one of the program's static files, or None."""
    parts = urlsplit(url)
    if f"{parts.scheme}://{parts.netloc}" != ORIGIN or not parts.path.startswith(settings.STATIC_URL):
        return None
    name = unquote(parts.path.removeprefix(settings.STATIC_URL))
    if not name or ".." in Path(name).parts:
        return None
    found = finders.find(name)
    return Path(found) if isinstance(found, str) else None


def _fetcher() -> Any:
    from weasyprint.urls import URLFetcher, URLFetcherResponse

    class LocalFetcher(URLFetcher):  # type: ignore[misc]
        """Static files and `data:` URLs only; no HTTP, no file:// beyond the static folders."""

        def fetch(self, url: str, headers: Any = None) -> Any:
            if url.startswith("data:"):
                return super().fetch(url, headers)
            path = static_file(url)
            if path is None:
                # WeasyPrint logs the refusal and draws the page without the resource.
                raise ValueError(f"the print module fetches only the program's static files, not {url[:200]!r}")
            mime = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
            return URLFetcherResponse(url, path.read_bytes(), {"Content-Type": mime})

    return LocalFetcher(allowed_protocols=("http", "data"), allow_redirects=False)


def _page_css() -> str:
    """The foot of every page: «стр. N из M» in the user's language (CSS counters around the translated words)."""
    counters = {"%(page)s": "counter(page)", "%(pages)s": "counter(pages)"}
    pieces = re.split(r"(%\(pages?\)s)", _("page %(page)s of %(pages)s"))
    content = " ".join(counters.get(piece) or _css_string(piece) for piece in pieces if piece)
    return ("@page { @bottom-right { content: " + content
            + "; font-family: 'DejaVu Sans', sans-serif; font-size: 8pt; } }")


def _css_string(text: str) -> str:
    if not text:
        return ""
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", " ") + '"'


def print_context(context: dict[str, Any], *, landscape: bool, title: str, pdf: bool) -> dict[str, Any]:
    """What `core/printing/base.html` reads besides the form's own values."""
    return {**context, "print_title": title, "print_landscape": landscape, "print_pdf": pdf}


def pdf_render(template: str, context: dict[str, Any], *, landscape: bool = False, title: str = "",
               request: HttpRequest | None = None) -> bytes:
    """The template (extending `core/printing/base.html`) drawn to a PDF: A4, portrait or `landscape`, fonts
    embedded, page numbers at the foot; `title` is the document's title (and the PDF's)."""
    from weasyprint import CSS, HTML

    html = render_to_string(template, print_context(context, landscape=landscape, title=title, pdf=True),
                            request=request)
    fetcher = _fetcher()
    document = HTML(string=html, base_url=ORIGIN + "/", url_fetcher=fetcher)
    return bytes(document.write_pdf(stylesheets=[CSS(string=_page_css(), url_fetcher=fetcher)]))


def pdf_response(template: str, context: dict[str, Any], *, filename: str, landscape: bool = False,
                 title: str = "", request: HttpRequest | None = None) -> HttpResponse:
    """A view's answer: the PDF, shown in the browser (inline) under `filename`; never kept by a shared cache."""
    body = pdf_render(template, context, landscape=landscape, title=title, request=request)
    response = HttpResponse(body, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="{filename}"'
    response["Cache-Control"] = "private, no-store"
    return response


def html_context(context: dict[str, Any], *, landscape: bool = False, title: str = "") -> dict[str, Any]:
    """The printable HTML page's context (the same template, with the print button, for the browser's print)."""
    return print_context(context, landscape=landscape, title=title, pdf=False)
