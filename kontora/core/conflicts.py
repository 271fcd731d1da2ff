"""No lost updates: the field-by-field rule every edit form follows (issue 11, F15).

A form carries the values the user read (`core.forms.base.ReadValuesFormMixin`); its save hands the service one
`Edit` per form — what was read, what the user typed into the fields he changed, and how to read the values as
kept now. The service locks the record, then `check` compares, field by field, read / current / typed:

- a field the user did not change is not written, so whatever another user saved there stays;
- a field he changed that nobody else changed since is saved;
- a field both changed (to different values) is a conflict: `EditConflict` is raised, so nothing at all is saved,
  and the form shows who changed the field, when and to what, beside the user's typed value, to choose
  (`ReadValuesFormMixin.take_conflict`: the form is re-based on the values as kept now, so saving again keeps
  the user's value, and "take theirs" keeps the other's).

Two people editing different fields (different tabs of one card) never conflict.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.db import models
from django.utils.translation import gettext

from kontora.core.errors import Conflict
from kontora.core.models import AuditEvent


@dataclass(frozen=True)
class Edit:
    """What one form of a page changed, to be compared under the record's lock with the values as kept now."""

    code: str  # the form's place on the page ("" the main form; a card part's code)
    stored: Callable[[Any], Mapping[str, Any]]  # record → the form's values as kept now, in the form's terms
    read: Mapping[str, Any]  # the values the user read
    typed: Mapping[str, Any]  # the fields the user changed, with what he typed (cleaned)
    labels: Mapping[str, str] = field(default_factory=dict)  # field → its label, to find it in the audit rows
    read_at: datetime.datetime | None = None  # when the form was read: changes since then are the others'


@dataclass(frozen=True)
class FieldConflict:
    code: str
    name: str
    current: Any  # the other user's value, in the form's terms
    who: str  # "" when the audit does not tell
    when: datetime.datetime | None


class EditConflict(Conflict):
    """Someone else changed a field this user changed too: nothing was saved; the form offers the choice."""

    def __init__(self, fields: Sequence[FieldConflict], current: Mapping[str, Mapping[str, Any]]) -> None:
        self.fields = list(fields)
        self.current = dict(current)  # code → the form's values as kept now (its new read snapshot)
        super().__init__(gettext("While you were editing, someone else changed the same fields (marked below); nothing "
                           "was saved. For each of them keep your value or take theirs, and save again."))

    def for_form(self, code: str) -> dict[str, FieldConflict]:
        return {conflict.name: conflict for conflict in self.fields if conflict.code == code}


def comparable(value: Any) -> Any:
    """A value as compared: a record as its key, a choice of many as a set, empty as empty, newlines as typed."""
    if isinstance(value, models.Model):
        return str(value.pk)
    if isinstance(value, list | tuple | set | frozenset | models.QuerySet):
        return frozenset(comparable(item) for item in value)
    if value is None or value is False or value == "":
        return ""
    if isinstance(value, bool):
        return "1"
    if isinstance(value, Decimal):
        return format(value.normalize(), "f")
    if isinstance(value, datetime.date | datetime.time):
        return value.isoformat()
    if isinstance(value, str):
        return value.replace("\r\n", "\n")
    return str(value)


def same(left: Any, right: Any) -> bool:
    return bool(comparable(left) == comparable(right))


def check(edits: Iterable[Edit], record: Any, *, client_id: int | None = None,
          target: models.Model | None = None) -> None:
    """Raises EditConflict when a field some edit changed was changed by someone else since it was read (to
    another value than the one typed). Call under the record's row lock, inside the saving transaction. The audit
    rows of `client_id` (or of `target`) tell who and when."""
    found: list[FieldConflict] = []
    current_of: dict[str, Mapping[str, Any]] = {}
    for edit in edits:
        current = edit.stored(record)
        current_of[edit.code] = current
        for name, typed in edit.typed.items():
            if name not in edit.read or name not in current:
                continue
            theirs = current[name]
            if same(theirs, edit.read[name]) or same(theirs, typed):
                continue
            who, when = last_change(edit.labels.get(name, name), since=edit.read_at, client_id=client_id,
                                    target=target)
            found.append(FieldConflict(edit.code, name, theirs, who, when))
    if found:
        raise EditConflict(found, current_of)


def last_change(label: str, *, since: datetime.datetime | None, client_id: int | None = None,
                target: models.Model | None = None) -> tuple[str, datetime.datetime | None]:
    """Who changed the field shown as `label` last, and when — from the audit rows since the form was read."""
    rows = AuditEvent.objects.select_related("actor").order_by("-at", "-id")
    if target is not None:
        rows = rows.filter(target_type=target._meta.label_lower, target_id=target.pk)
    elif client_id is not None:
        rows = rows.filter(client_id=client_id)
    else:
        return "", None
    if since is not None:
        rows = rows.filter(at__gte=since)
    latest: tuple[str, datetime.datetime | None] = ("", None)
    for row in rows[:50]:
        who = str(row.actor) if row.actor is not None else ""
        if any(change.get("field") == label for change in row.changes or ()):
            return who, row.at
        if latest[1] is None:
            latest = (who, row.at)
    return latest
