"""Administration → Production calendar: the office calendar's exceptions to the Monday–Friday week (core.OfficeDay)
— a holiday on a weekday, or a weekend worked. Each change is an audit row."""

from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import formats
from django.utils.translation import gettext as _

from kontora.core import conflicts, locks
from kontora.core.audit import audited_create, audited_delete, audited_update, snapshot
from kontora.core.conflicts import Edit
from kontora.core.errors import Conflict, NotAllowed
from kontora.core.models import OfficeDay
from kontora.core.permissions import Actor, is_administrator

OFFICE_DAY_FIELDS = ("date", "is_working", "note")


def _taken() -> ValidationError:
    return ValidationError({"date": ValidationError(
        _("This date is in the calendar already: change it there."), code="date")})


def _checked(day_id: int | None, values: Mapping[str, Any]) -> dict[str, Any]:
    """The row's values, or the reason it is refused next to its field: a date kept already, or a date marked as
    the week has it anyway (a weekday worked, a weekend off) — such a row would change nothing."""
    date: datetime.date = values["date"]
    is_working = bool(values["is_working"])
    weekday = date.weekday() < 5
    if is_working == weekday:
        shown = formats.date_format(date, "DATE_FORMAT")
        raise ValidationError({"is_working": ValidationError(
            _("%(date)s is a weekday: it is worked anyway. Mark it as a day off, or leave it out of the calendar.")
            % {"date": shown} if weekday else
            _("%(date)s falls on a weekend: it is a day off anyway. Mark it as worked, or leave it out of the "
              "calendar.") % {"date": shown},
            code="is_working",
        )})
    taken = OfficeDay.objects.filter(date=date)
    if day_id is not None:
        taken = taken.exclude(pk=day_id)
    if taken.exists():
        raise _taken()
    return {"date": date, "is_working": is_working, "note": " ".join(str(values.get("note") or "").split())[:200]}


def _locked(day_id: int) -> OfficeDay:
    try:
        return locks.office_day(day_id)
    except OfficeDay.DoesNotExist:
        raise Conflict(_("Someone has just taken this date out of the calendar.")) from None


def office_day_create(*, acting_user: Actor, date: datetime.date, is_working: bool, note: str = "") -> OfficeDay:
    """Adds a date to the office calendar: a holiday on a weekday, or a weekend worked."""
    if not is_administrator(acting_user):
        raise NotAllowed
    with transaction.atomic():
        values = _checked(None, {"date": date, "is_working": is_working, "note": note})
        try:
            with transaction.atomic():  # another administrator may have added the date a moment ago
                return audited_create(OfficeDay, values, actor=acting_user, event="core.office_day",
                                      fields=OFFICE_DAY_FIELDS, summary=_("Production calendar: date added"))
        except IntegrityError:
            raise _taken() from None


def office_day_update(
    *, acting_user: Actor, day_id: int, values: Mapping[str, Any], edit: Edit | None = None,
) -> OfficeDay:
    """Writes `values` (the fields the user changed) over the date as kept now; a form's `edit` is checked field by
    field against what another administrator saved since it was read (core.conflicts)."""
    if not is_administrator(acting_user):
        raise NotAllowed
    with transaction.atomic():
        day = _locked(day_id)
        if edit is not None:
            conflicts.check([edit], day, target=day)
        checked = _checked(day_id, {**snapshot(day, OFFICE_DAY_FIELDS), **values})
        try:
            with transaction.atomic():
                audited_update(day, actor=acting_user, event="core.office_day", data=checked,
                               fields=OFFICE_DAY_FIELDS, summary=_("Production calendar: date changed"))
        except IntegrityError:
            raise _taken() from None
    return day


def office_day_delete(*, acting_user: Actor, day_id: int) -> None:
    """Takes a date out of the office calendar: it follows the week again."""
    if not is_administrator(acting_user):
        raise NotAllowed
    with transaction.atomic():
        day = _locked(day_id)
        audited_delete(day, actor=acting_user, event="core.office_day", fields=OFFICE_DAY_FIELDS,
                       summary=_("Production calendar: date removed"))
