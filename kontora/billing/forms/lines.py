"""The lines of a billing document's form as one value of its head (`TABLE`, compared whole): an invoice's, an
act's, an invoice-factura's. The head carries the values the user read (`ReadValuesFormMixin`), the lines among them,
so a save takes over the document as kept now only what he changed (`services.edits`), and a conflict on the lines
is shown above the table (`billing/partials/lines_conflict.html`)."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable, Mapping
from decimal import Decimal
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import formats
from django.utils.safestring import SafeString
from django.utils.translation import gettext as _

from kontora.billing.services.edits import TABLE
from kontora.core.audit import field_label
from kontora.core.conflicts import Edit, comparable
from kontora.core.forms.base import ReadValuesFormMixin

__all__ = ["TABLE", "LinesInput", "LinesTable", "TableFormMixin", "line_shown"]


class LinesTable:
    """How a form's lines make one text: the line's fields (`fields`: name → the field that reads it), in order."""

    def __init__(self, fields: Mapping[str, forms.Field]) -> None:
        self.fields = dict(fields)
        self.names = tuple(self.fields)

    def key(self, values: Mapping[str, Any]) -> list[str] | None:
        """A line as compared: each field read as the line's form reads it (numbers without their trailing zeros, so
        «150» typed equals 150.00 kept), a value it cannot read as typed; None for a blank line (never saved)."""
        read: dict[str, Any] = {}
        for name, field in self.fields.items():
            raw = values.get(name)
            try:
                read[name] = field.to_python(raw)
            except ValidationError:
                read[name] = raw
        if not (read.get("name") or read.get("item") or read.get("price") is not None
                or read.get("quantity") is not None):
            return None
        if "discount" in read:
            read["discount"] = read["discount"] or Decimal(0)
        return [str(comparable(read[name])).strip() for name in self.names]

    def text(self, lines: Iterable[Mapping[str, Any]]) -> str:
        """The lines as one text, equal when the user changed nothing in the table (their order counts)."""
        return json.dumps([key for key in map(self.key, lines) if key is not None], ensure_ascii=False)

    def lines(self, text: Any) -> list[dict[str, str]]:
        """The lines of a `text`, as the form draws them."""
        try:
            rows = json.loads(str(text or "[]"))
        except ValueError:
            return []
        return [dict(zip(self.names, row, strict=False)) for row in rows if isinstance(row, list)]


class LinesInput(forms.HiddenInput):
    """The lines as one value of the head: read from the lines' own inputs (which draw them, `read(posted)` makes
    the text), drawn as nothing."""

    def __init__(self, read: Callable[[Any], str], attrs: Any = None) -> None:
        super().__init__(attrs)
        self.read = read

    def value_from_datadict(self, data: Any, files: Any, name: str) -> str:
        return self.read(data)

    def render(self, name: str, value: Any, attrs: Any = None, renderer: Any = None) -> SafeString:
        return SafeString("")


def _number(text: str) -> str:
    try:
        return str(formats.number_format(Decimal(text), use_l10n=True, force_grouping=True))
    except ArithmeticError:
        return text


def line_shown(line: Mapping[str, str]) -> str:
    return f"{line.get('name', '')} × {_number(line.get('quantity', ''))} × {_number(line.get('price', ''))}"


class TableFormMixin(ReadValuesFormMixin):
    """A document's head with its lines as one value (`TABLE`): the change labelled as the document's audit rows
    name its fields, the other user's lines shown after a conflict on them."""

    audit_model: type[models.Model]  # whose audit rows tell who changed a field, and when
    lines_table: LinesTable

    def edit(self, code: str = "", names: Iterable[str] | None = None) -> Edit:
        edit = super().edit(code, names)
        labels = {name: _("Lines") if name == TABLE else field_label(self.audit_model, name) for name in edit.typed}
        return Edit(code=edit.code, stored=edit.stored, read=edit.read, typed=edit.typed, labels=labels,
                    read_at=edit.read_at)

    @property
    def theirs_lines(self) -> str:
        """The lines as another user saved them, after a conflict on the lines: one line after another."""
        conflict = self.conflicts.get(TABLE)
        return "; ".join(line_shown(line) for line in self.lines_table.lines(conflict.current)) if conflict else ""
