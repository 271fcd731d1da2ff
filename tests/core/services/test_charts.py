"""Charts drawn on the server (core.charts): clean SVG with the Cyrillic texts, the same picture as PNG and in a
PDF, read back by independent readers (ElementTree, Pillow, WeasyPrint and pypdf)."""

from __future__ import annotations

import base64
import io
from xml.etree import ElementTree

import pytest
from django.utils import translation
from PIL import Image
from pypdf import PdfReader

from kontora.core import charts
from kontora.core.charts import Chart, Series

SERIES = [Series("Звонок", [3, 5, None]), Series("Встреча <script>alert(1)</script>", [1, 2, 4])]


def _texts(picture: bytes) -> str:
    return " ".join(ElementTree.fromstring(picture).itertext())


@pytest.mark.feature("RPT-04")
@pytest.mark.parametrize("kind", charts.KINDS)
def test_every_kind_is_a_clean_svg_with_its_cyrillic_texts_and_the_same_picture_as_png(kind: str) -> None:
    # given a chart whose series name a user typed like markup
    chart = Chart(kind, "События по типам", SERIES, labels=["Январь", "Февраль", "Март"], width=600, height=300)
    # when
    picture = charts.svg(chart)
    # then it is one SVG document holding the texts, the typed markup as text
    root = ElementTree.fromstring(picture)
    assert root.tag == f"{{{charts.SVG_NS}}}svg" and (root.get("width"), root.get("height")) == ("600", "300")
    texts = _texts(picture)
    assert "События по типам" in texts and "Звонок" in texts and "<script>alert(1)</script>" in texts
    # and nothing in it runs or leaves the picture
    tags = {element.tag.rsplit("}", 1)[-1] for element in root.iter()}
    assert "script" not in tags and "foreignObject" not in tags
    assert not [name for element in root.iter() for name in element.attrib
                if name.rsplit("}", 1)[-1].startswith("on")]
    assert b"http://" not in picture.replace(b"http://www.w3.org/", b"")
    assert b"//kozea.github.io" not in picture
    # and its PNG is the same size, twice as dense
    image = Image.open(io.BytesIO(charts.png(picture)))
    assert image.format == "PNG" and image.size == (1200, 600)


def test_what_pygal_writes_into_the_svg_is_what_is_taken_out() -> None:
    # the positive control of the cleaning: pygal's own output holds a script, and a made-up handler and link go
    raw = ('<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink"><script>x()</script>'
           '<g onclick="x()"><a xlink:href="https://example.org/"><text>Звонок</text></a>'
           '<use xlink:href="#dot"/></g></svg>')
    cleaned = charts._cleaned(raw)
    assert b"script" not in cleaned and b"onclick" not in cleaned and b"example.org" not in cleaned
    assert b'href="#dot"' in cleaned and "Звонок" in _texts(cleaned)
    from pygal import Bar

    drawn = Bar(js=[]).render(is_unicode=True)
    assert "<script" in drawn and b"<script" not in charts._cleaned(drawn)


def test_an_empty_chart_says_so_in_the_users_language_and_an_unknown_kind_is_refused() -> None:
    with translation.override("ru"):
        picture = charts.svg(Chart("pie", "Статистика по событиям", []))
    assert "Нет данных" in _texts(picture)
    with pytest.raises(ValueError, match="a chart is one of"):
        Chart("radar", "Нет такого", SERIES)


@pytest.mark.feature("RPT-04")
def test_the_same_svg_draws_into_a_pdf_through_the_print_modules_engine() -> None:
    from weasyprint import HTML

    picture = charts.svg(Chart("bar", "Персональная статистика", SERIES, labels=["Январь", "Февраль", "Март"]))
    url = charts.data_url(picture)
    assert base64.b64decode(url.removeprefix("data:image/svg+xml;base64,")) == picture
    pdf = HTML(string=f'<img src="{url}" style="width: 16cm">').write_pdf()
    text = PdfReader(io.BytesIO(pdf)).pages[0].extract_text()
    assert "Персональная статистика" in text and "Февраль" in text  # drawn as vector text, not a raster
