"""Edit before print (RPT-06): a generated report opened as an editable page — its title, column headings, group
headings and cells — whose edited version prints and exports through the same renderers; nothing is written to
the base.

The page carries the report as it was generated, signed with the server's key (`django.core.signing`, compressed),
and the browser sends back only the texts the user changed. So the edited file still says truthfully who generated
the report and when, with «исправлен вручную» beside it, and an edit cannot reach rows the report never held.
Sums are not typed: each group's subtotal and the total are summed again from the edited rows, so a printed report
always adds up. A number or a date typed into its column is read as one; any other text stays text.
"""

from __future__ import annotations

import datetime
import re
from dataclasses import replace
from decimal import Decimal, InvalidOperation
from typing import Any

from django.core import signing
from django.utils.formats import number_format
from django.utils.translation import gettext as _

from kontora.core.errors import Refused
from kontora.core.text import json_param
from kontora.reports.framework.result import (
    DATE,
    DATETIME,
    INTEGER,
    NUMBERS,
    Column,
    Result,
    Section,
    from_data,
    materialised,
    to_data,
)

SALT = "kontora.reports.edited"
MAX_AGE = 24 * 3600  # an edit page left open over a day is asked to generate the report again
EDIT_CAP = 2_000  # rows: the page holds every cell as an editable element
_SPACES = re.compile(r"[\s\u00a0\u202f]")


def signed(result: Result) -> tuple[str, Result]:
    """The result materialised, and signed for the edit page; `Refused` past EDIT_CAP rows."""
    whole = materialised(result, cap=EDIT_CAP, too_many=lambda: _(
        "The report has more than %(cap)s rows, too many to edit on a page. Export it and edit the file instead.")
        % {"cap": number_format(EDIT_CAP, force_grouping=True)})
    return signing.dumps(to_data(whole), salt=SALT, compress=True), whole


def _typed(column: Column, text: str) -> Any:
    """What was typed, read by the column's kind when it reads as one, else kept as text."""
    text = text.strip()
    if not text:
        return None
    if column.kind in NUMBERS:
        digits = _SPACES.sub("", text).removesuffix("%").replace(",", ".")
        try:
            number = Decimal(digits)
        except InvalidOperation:
            return text
        if not number.is_finite():
            return text
        return int(number) if column.kind == INTEGER and number == number.to_integral_value() else number
    if column.kind in (DATE, DATETIME):
        for form in ("%d.%m.%Y %H:%M", "%d.%m.%Y"):
            try:
                moment = datetime.datetime.strptime(text, form)
            except ValueError:
                continue
            return moment.date() if column.kind == DATE else moment
        return text
    return text


def _text(value: Any, limit: int = 2000) -> str:
    if not isinstance(value, str):
        raise ValueError("an edit is a text")
    return value[:limit]


def applied(original: str, edits_json: str) -> Result:
    """The signed report with the user's edits, marked as edited; `Refused` for a page too old or tampered with.

    `edits_json`: {"title": text, "columns": {index: text}, "groups": {section: text},
    "cells": {"section:row:column": text}} — any part may be missing."""
    try:
        data = signing.loads(original, salt=SALT, max_age=MAX_AGE)
    except signing.SignatureExpired as error:
        raise Refused(_("The edit page is more than a day old. Generate the report again.")) from error
    except signing.BadSignature as error:
        raise Refused(_("The edited report cannot be read. Generate the report again.")) from error
    try:
        edits = json_param(edits_json or "{}")
        if not isinstance(edits, dict):
            raise ValueError("edits are an object")
        result = from_data(data)
        columns = list(result.columns)
        sections = [Section(section.label, [list(row) for row in section.rows]) for section in result.sections]
        if "title" in edits:
            result = replace(result, title=_text(edits["title"], 300) or result.title)
        for index, text in dict(edits.get("columns") or {}).items():
            number = int(index)
            columns[number] = replace(columns[number], label=_text(text, 300))
        for index, text in dict(edits.get("groups") or {}).items():
            sections[int(index)].label = _text(text, 300)
        for place, text in dict(edits.get("cells") or {}).items():
            section, row, column = (int(part) for part in str(place).split(":"))
            if min(section, row, column) < 0:
                raise IndexError(place)
            rows: Any = sections[section].rows
            rows[row][column] = _typed(columns[column], _text(text))
    except (ValueError, TypeError, IndexError, KeyError) as error:
        raise Refused(_("The edited report cannot be read. Generate the report again.")) from error
    return replace(result, columns=columns, sections=sections, edited=True)
