"""The print module (core.printing): a template drawn to PDF by WeasyPrint — Cyrillic in an embedded font, «стр. N из
M» at the foot of each page, a long table's header on every page, A4 portrait or landscape, nothing fetched from the
network."""

from __future__ import annotations

import io
import socket
from pathlib import Path
from typing import Any

import pypdf
import pytest
from django.utils import translation

from kontora.core import printing

A4 = (595.28, 841.89)  # points

TEMPLATE = """{% extends "core/printing/base.html" %}
{% block content %}
<p>Ёжик съел щи — проверка печати</p>
<img src="http://example.invalid/tracker.png" alt="">
<link rel="stylesheet" href="https://example.invalid/remote.css">
<table><thead><tr><th>Заголовок столбца</th><th>Сумма</th></tr></thead>
<tbody>{% for row in rows %}<tr><td>Строка {{ row }}</td><td>{{ row }}</td></tr>{% endfor %}</tbody></table>
{% endblock %}
"""


@pytest.fixture
def form(settings: Any, tmp_path: Path) -> str:
    """A printed form of the test's own: a paragraph, two remote resources and a table of `rows`."""
    (tmp_path / "test_form.html").write_text(TEMPLATE, encoding="utf-8")
    engine = settings.TEMPLATES[0]
    settings.TEMPLATES = [{**engine, "DIRS": [tmp_path, *engine["DIRS"]]}]
    return "test_form.html"


def _pdf(data: bytes) -> pypdf.PdfReader:
    assert data.startswith(b"%PDF-")
    return pypdf.PdfReader(io.BytesIO(data))


def _fonts(page: Any) -> dict[str, Any]:
    """The page's fonts by name, each with its descriptor (where an embedded font file would be)."""
    found = {}
    for font in page["/Resources"]["/Font"].values():
        font = font.get_object()
        descendant = font["/DescendantFonts"][0].get_object() if "/DescendantFonts" in font else font
        found[str(font["/BaseFont"])] = descendant["/FontDescriptor"].get_object()
    return found


def _size(page: Any) -> tuple[float, float]:
    return round(float(page.mediabox.width), 2), round(float(page.mediabox.height), 2)


@pytest.mark.django_db
def test_a_pdf_carries_cyrillic_text_in_an_embedded_font(form: str) -> None:
    # when a form with Russian text is printed
    with translation.override("ru"):
        data = printing.pdf_render(form, {"rows": [1]}, title="Печатная форма")
    # then its text reads back in Cyrillic
    page = _pdf(data).pages[0]
    text = page.extract_text()
    assert "Ёжик съел щи — проверка печати" in text and "Печатная форма" in text
    # and its font is DejaVu Sans (the print stylesheet, a static file, was applied), embedded in the file
    fonts = _fonts(page)
    assert any(name.endswith("+DejaVu-Sans") for name in fonts), fonts.keys()
    assert all("/FontFile2" in descriptor or "/FontFile3" in descriptor for descriptor in fonts.values())


@pytest.mark.django_db
def test_a_two_page_table_numbers_its_pages_and_repeats_its_header(form: str) -> None:
    # when a table too long for one page is printed
    with translation.override("ru"):
        reader = _pdf(printing.pdf_render(form, {"rows": range(1, 56)}))
    # then it takes two pages, each numbered «стр. N из 2», each with the table's header
    assert len(reader.pages) == 2
    first, second = (page.extract_text() for page in reader.pages)
    assert "стр. 1 из 2" in first and "стр. 2 из 2" in second
    assert "Заголовок столбца" in first and "Заголовок столбца" in second
    assert "Строка 1 1\n" in first and "Строка 55 55" in second


@pytest.mark.django_db
def test_the_page_numbers_follow_the_language(form: str) -> None:
    with translation.override("en"):
        text = _pdf(printing.pdf_render(form, {"rows": [1]})).pages[0].extract_text()
    assert "page 1 of 1" in text and "стр." not in text


@pytest.mark.django_db
def test_a4_portrait_by_default_and_landscape_when_asked(form: str) -> None:
    portrait = _pdf(printing.pdf_render(form, {"rows": [1]})).pages[0]
    landscape = _pdf(printing.pdf_render(form, {"rows": [1]}, landscape=True)).pages[0]
    assert _size(portrait) == pytest.approx(A4, abs=0.5)
    assert _size(landscape) == pytest.approx(A4[::-1], abs=0.5)


@pytest.mark.django_db
def test_printing_never_goes_to_the_network(form: str, monkeypatch: Any, caplog: Any) -> None:
    # given a form naming an image and a stylesheet on other servers, and sockets that record any connection
    connections: list[Any] = []

    def refuse(*args: Any, **kwargs: Any) -> Any:
        connections.append(args)
        raise OSError("no network in tests")

    monkeypatch.setattr(socket, "create_connection", refuse)
    monkeypatch.setattr(socket.socket, "connect", refuse)
    # when it is printed
    data = printing.pdf_render(form, {"rows": [1]})
    # then the PDF is made without a single connection: the fetcher refused both addresses
    assert connections == []
    refused = [record.getMessage() for record in caplog.records if "fetches only" in record.getMessage()]
    assert len(refused) == 2
    assert "проверка печати" in _pdf(data).pages[0].extract_text()


def test_the_fetcher_serves_only_the_programs_static_files() -> None:
    # a static file of the program, under the print origin
    assert printing.static_file(f"{printing.ORIGIN}/static/kontora/printing.css") is not None
    # anything else: another host, a path outside the static files, a climb out of them, a local file
    assert printing.static_file("http://example.invalid/static/kontora/printing.css") is None
    assert printing.static_file(f"{printing.ORIGIN}/clients/1/") is None
    assert printing.static_file(f"{printing.ORIGIN}/static/../settings.py") is None
    assert printing.static_file("file:///etc/passwd") is None


@pytest.mark.django_db
def test_a_pdf_response_is_a_private_pdf(form: str) -> None:
    response = printing.pdf_response(form, {"rows": [1]}, filename="form.pdf")
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == 'inline; filename="form.pdf"'
    assert "no-store" in response["Cache-Control"]
    assert len(_pdf(response.content).pages) == 1
