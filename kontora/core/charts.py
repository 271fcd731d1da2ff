"""Charts drawn on the server: one SVG per chart (pygal), the same picture on screen, in a PDF and in its page
images; a PNG of that SVG (CairoSVG) for the formats that cannot hold SVG (Word, ODT).

The screen shows the SVG as an image of a `data:` URL, so the Content-Security-Policy needs nothing new and no
script of the chart ever runs. pygal writes an inline script (its tooltips' settings) and by default loads another
from a CDN: the CDN one is switched off, and the SVG is cleaned after drawing — scripts, event handlers, links
out of the picture and comments are taken out (`_cleaned`), so nothing in it reaches the network or runs.
"""

from __future__ import annotations

import base64
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any
from xml.etree import ElementTree

from django.utils.translation import gettext as _

SVG_NS, XLINK_NS = "http://www.w3.org/2000/svg", "http://www.w3.org/1999/xlink"
KINDS = ("bar", "stacked_bar", "line", "pie", "funnel")
FONT = "'DejaVu Sans', sans-serif"  # the print module's font: Cyrillic in the PDF and the PNG alike
_DROPPED = {f"{{{SVG_NS}}}script", f"{{{SVG_NS}}}foreignObject", "script", "foreignObject"}

ElementTree.register_namespace("", SVG_NS)
ElementTree.register_namespace("xlink", XLINK_NS)


@dataclass(frozen=True)
class Series:
    """One line, one colour of bars, one slice of a pie or one stage of a funnel (which take one value)."""

    name: str
    values: Sequence[float | None]


@dataclass(frozen=True)
class Chart:
    """`kind` is one of KINDS; `labels` name the points of the x axis (bars and lines)."""

    kind: str
    title: str
    series: Sequence[Series]
    labels: Sequence[str] = field(default_factory=tuple)
    width: int = 800
    height: int = 400

    def __post_init__(self) -> None:
        if self.kind not in KINDS:
            raise ValueError(f"a chart is one of {', '.join(KINDS)}, not {self.kind!r}")


def _pygal_class(kind: str) -> Any:
    import pygal

    return {"bar": pygal.Bar, "stacked_bar": pygal.StackedBar, "line": pygal.Line, "pie": pygal.Pie,
            "funnel": pygal.Funnel}[kind]


def svg(chart: Chart) -> bytes:
    """The chart as a standalone SVG document, clean of scripts and of references outside itself."""
    from pygal.style import Style

    style = Style(font_family=FONT, title_font_family=FONT, label_font_family=FONT, major_label_font_family=FONT,
                  value_font_family=FONT, value_label_font_family=FONT, tooltip_font_family=FONT,
                  legend_font_family=FONT, no_data_font_family=FONT, background="white", plot_background="white")
    drawing = _pygal_class(chart.kind)(
        style=style, js=[], title=chart.title, width=chart.width, height=chart.height, explicit_size=True,
        disable_xml_declaration=True, no_data_text=_("No data"), legend_at_bottom=True, truncate_legend=40,
        x_label_rotation=30 if len(chart.labels) > 8 else 0, print_values=chart.kind in ("pie", "funnel"))
    if chart.labels:
        drawing.x_labels = list(chart.labels)
    for series in chart.series:
        drawing.add(series.name, list(series.values))
    return _cleaned(drawing.render(is_unicode=True))


def _cleaned(document: str) -> bytes:
    """The SVG without scripts, foreign objects, `on…` handlers and links that leave the picture."""
    root = ElementTree.fromstring(document)  # noqa: S314 — pygal's own output, drawn a moment ago
    for parent in root.iter():
        for child in list(parent):
            if child.tag in _DROPPED:
                parent.remove(child)
        for name in list(parent.attrib):
            local = name.rsplit("}", 1)[-1]
            if local.lower().startswith("on") or (local == "href" and not parent.attrib[name].startswith("#")):
                del parent.attrib[name]
    return ElementTree.tostring(root, encoding="utf-8", xml_declaration=False)


def png(picture: bytes, *, scale: float = 2.0) -> bytes:
    """A PNG of an SVG made by `svg`, `scale` times its size (2: sharp when printed). CairoSVG's safe mode reads
    nothing outside the document."""
    import cairosvg

    return bytes(cairosvg.svg2png(bytestring=picture, scale=scale, unsafe=False))


def data_url(picture: bytes, *, mime: str = "image/svg+xml") -> str:
    """The picture as the `src` of an <img> (the CSP allows `data:` images)."""
    return f"data:{mime};base64," + base64.b64encode(picture).decode("ascii")
