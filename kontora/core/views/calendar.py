"""Administration → Production calendar: the office's days off and moved working days, a year at a time."""

from __future__ import annotations

import datetime
from typing import Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import formats, timezone
from django.utils.dates import WEEKDAYS_ABBR
from django.utils.translation import gettext
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from kontora.core.forms.calendar import OfficeDayForm
from kontora.core.models import OfficeDay
from kontora.core.permissions import actor_of, admin_required
from kontora.core.selectors import calendar as selectors
from kontora.core.services import calendar as services
from kontora.core.text import count_param
from kontora.core.ui.submit import act, ok_or_apply, submit


def _year(value: object, default: int) -> int:
    """?year= within the years the page draws; anything else is this year."""
    year = count_param(value)
    first, last = selectors.YEARS
    return year if year is not None and first <= year <= last else default


def _date(value: str) -> datetime.date | None:
    try:
        return datetime.date.fromisoformat(value) if value.isascii() and len(value) == 10 else None
    except ValueError:
        return None


def _calendar_url(year: int) -> str:
    return f"{reverse('core:office_calendar')}?year={year}"


@admin_required
@require_GET
def office_calendar(request: HttpRequest) -> HttpResponse:
    today = timezone.localdate()
    year = _year(request.GET.get("year"), today.year)
    months, exceptions = selectors.office_year(year)
    first, last = selectors.YEARS
    return render(request, "core/office_calendar.html", {
        "year": year, "months": months, "exceptions": exceptions, "today": today,
        "weekdays": [WEEKDAYS_ABBR[number] for number in range(7)],
        "prev_year": year - 1 if year > first else None, "next_year": year + 1 if year < last else None,
        "days_off": sum(not day.is_working for day in exceptions),
        "days_worked": sum(day.is_working for day in exceptions),
    })


@admin_required
@require_http_methods(["GET", "POST"])
def office_day_new(request: HttpRequest) -> HttpResponse:
    date = _date(request.GET.get("date", ""))
    initial: dict[str, Any] = {}
    if date is not None:
        # A date picked in the year view: offered as the exception its weekday calls for.
        initial = {"date": date, "is_working": date.weekday() >= 5}
    form = OfficeDayForm(request.POST or None, initial=initial)

    def save() -> OfficeDay:
        data = form.cleaned_data
        return services.office_day_create(acting_user=actor_of(request), date=data["date"],
                                          is_working=data["is_working"], note=data["note"])

    return _card(request, form, save, None)


@admin_required
@require_http_methods(["GET", "POST"])
def office_day_edit(request: HttpRequest, day_id: int) -> HttpResponse:
    day = selectors.access_office_day(day_id)
    form = OfficeDayForm(request.POST or None, initial=OfficeDayForm.initial_for(day))

    def save() -> OfficeDay:
        return services.office_day_update(
            acting_user=actor_of(request), day_id=day.pk, edit=form.edit(),
            values={name: form.cleaned_data[name] for name in form.changed_data},
        )

    return _card(request, form, save, day)


@admin_required
@require_POST
def office_day_delete(request: HttpRequest, day_id: int) -> HttpResponse:
    day = selectors.access_office_day(day_id)
    actor = actor_of(request)
    return act(request, lambda: services.office_day_delete(acting_user=actor, day_id=day.pk),
               done=_calendar_url(day.date.year),
               message=gettext("%(date)s is taken out of the calendar.")
               % {"date": formats.date_format(day.date, "DATE_FORMAT")},
               refused=reverse("core:office_day", args=[day.pk]))


def _card(request: HttpRequest, form: OfficeDayForm, save: Any, day: OfficeDay | None) -> HttpResponse:
    """A date's OK / Apply: the year's calendar, or the saved date again."""
    back = _calendar_url(day.date.year if day else timezone.localdate().year)
    return submit(
        request, form, save, message=gettext("Saved."),
        done=lambda saved: ok_or_apply(request, ok=_calendar_url(saved.date.year),
                                       apply=reverse("core:office_day", args=[saved.pk])),
        page=lambda: render(request, "core/office_day.html", {
            "form": form, "day": day, "back_url": back,
            "delete_url": reverse("core:office_day_delete", args=[day.pk]) if day else "",
        }, status=400 if form.errors else 200),
    )
