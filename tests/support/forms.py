"""What a browser sends for a form: the successful controls of an HTML page or fragment, read as Chromium would
(so a view test posts exactly what the page offers, hidden snapshots included, and nothing it does not show)."""

from __future__ import annotations

from html.parser import HTMLParser
from typing import Any

from django.utils.datastructures import MultiValueDict

_SKIPPED_TYPES = {"submit", "button", "reset", "image", "file"}


class _Controls(HTMLParser):
    def __init__(self, form_id: str | None) -> None:
        super().__init__(convert_charrefs=True)
        self.form_id = form_id
        self.inside = form_id is None
        self.pairs: list[tuple[str, str]] = []
        self._select: dict[str, Any] | None = None
        self._option: dict[str, Any] | None = None
        self._textarea: dict[str, Any] | None = None
        self._fieldsets: list[bool] = []  # open fieldsets, each whether it is disabled

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        attr = {name: value if value is not None else "" for name, value in attrs}
        if tag == "form" and self.form_id is not None:
            self.inside = attr.get("id") == self.form_id
            return
        if not self.inside:
            return
        if tag == "fieldset":
            self._fieldsets.append("disabled" in attr)
            return
        if any(self._fieldsets):  # a control of a disabled fieldset is not sent
            return
        if tag == "input" and "name" in attr and "disabled" not in attr:
            kind = attr.get("type", "text").lower()
            if kind in ("checkbox", "radio"):
                if "checked" in attr:
                    self.pairs.append((attr["name"], attr.get("value", "on")))
            elif kind not in _SKIPPED_TYPES:
                self.pairs.append((attr["name"], attr.get("value", "")))
        elif tag == "select" and "name" in attr and "disabled" not in attr:
            self._select = {"name": attr["name"], "multiple": "multiple" in attr, "options": []}
        elif tag == "option" and self._select is not None:
            self._option = {"value": attr.get("value"), "selected": "selected" in attr, "text": ""}
            self._select["options"].append(self._option)
        elif tag == "textarea" and "name" in attr and "disabled" not in attr:
            self._textarea = {"name": attr["name"], "text": ""}

    def handle_data(self, data: str) -> None:
        if self._option is not None:
            self._option["text"] += data
        if self._textarea is not None:
            self._textarea["text"] += data

    def handle_endtag(self, tag: str) -> None:
        if tag == "form" and self.form_id is not None:
            self.inside = False
        elif tag == "fieldset" and self.inside and self._fieldsets:
            self._fieldsets.pop()
        elif tag == "option":
            self._option = None
        elif tag == "select" and self._select is not None:
            options = self._select["options"]
            chosen = [option for option in options if option["selected"]]
            if not chosen and not self._select["multiple"] and options:
                chosen = options[:1]  # a single select sends its first option when none is marked
            for option in chosen:
                value = option["value"] if option["value"] is not None else option["text"].strip()
                self.pairs.append((self._select["name"], value))
            self._select = None
        elif tag == "textarea" and self._textarea is not None:
            text = self._textarea["text"]
            self.pairs.append((self._textarea["name"], text[1:] if text.startswith("\n") else text))
            self._textarea = None


def form_data(page: str, form_id: str | None = None) -> MultiValueDict[str, str]:
    """The name → values a browser submits from `page` (only inside `<form id=form_id>` when given): enabled
    inputs, checked boxes and radios, selected options, textareas; buttons, files and the controls of a disabled
    fieldset left out."""
    parser = _Controls(form_id)
    parser.feed(page)
    parser.close()
    data: MultiValueDict[str, str] = MultiValueDict()
    for name, value in parser.pairs:
        data.appendlist(name, value)
    return data
