"""The office's clock and calendar: a user's time zone, his "today", the working hours and the working days.

Every "today" of the program that a user sees (the task monitor, the planners, the same-day correction of an
event, the calendar feed) is the user's own: an office in Moscow with a manager in Novosibirsk has two todays for
four hours a night. A user without a zone of his own lives in the office's (Settings), else `settings.TIME_ZONE`.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from functools import cache
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError, available_timezones

from django.conf import settings
from django.core.exceptions import ObjectDoesNotExist
from django.db.models import QuerySet, Subquery
from django.shortcuts import get_object_or_404
from django.utils import timezone

from kontora.core.models import OfficeDay, SystemSettings
from kontora.core.permissions import decided
from kontora.core.selectors.settings import system_settings, user_parameters


def zone_named(name: str) -> ZoneInfo | None:
    """The zone of an IANA name, or None for an empty or unknown one."""
    if not name:
        return None
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        return None


def zone_names() -> list[str]:
    """Every IANA zone name this machine knows, sorted."""
    return sorted(available_timezones())


# Russia's zones from west to east: the pickers offer them first.
RUSSIAN_ZONES = (
    "Europe/Kaliningrad", "Europe/Moscow", "Europe/Samara", "Asia/Yekaterinburg", "Asia/Omsk", "Asia/Novosibirsk",
    "Asia/Krasnoyarsk", "Asia/Irkutsk", "Asia/Yakutsk", "Asia/Vladivostok", "Asia/Magadan", "Asia/Kamchatka",
)


@cache
def offered_zones() -> tuple[str, ...]:
    """The zones a user or the office may choose: Russia's first, then every other "Area/Place" name (the legacy
    aliases — "W-SU", "Cuba", "EST5EDT" — and the machine's "localtime" are left out). The machine's zone database
    does not change while a process runs."""
    known = available_timezones()
    rest = sorted(name for name in known if "/" in name and not name.startswith(("posix/", "right/", "SystemV/"))
                  and name not in RUSSIAN_ZONES)
    return (*(name for name in RUSSIAN_ZONES if name in known), *rest)


def zone_offered(name: str) -> bool:
    return name in offered_zones()


def zone_offset(name: str) -> str:
    """The zone's offset from UTC now, as "+03:00" (a picker's label)."""
    offset = datetime.datetime.now(ZoneInfo(name)).strftime("%z")
    return f"{offset[:3]}:{offset[3:]}"


def office_zone() -> ZoneInfo:
    return zone_named(system_settings().time_zone) or ZoneInfo(settings.TIME_ZONE)


def with_clock(users: QuerySet[Any]) -> QuerySet[Any]:
    """Users read with what their clock needs, in the same query: their parameters row (a join) and the office's
    zone (a subquery of the settings row). The request's user is read so (accounts.backends), and making his zone
    the request's (accounts.middleware.UserClockMiddleware) then costs no query of its own."""
    office = SystemSettings.objects.filter(pk=1).values("time_zone")[:1]
    return users.select_related("parameters").annotate(office_time_zone=Subquery(office))


def _read_with_clock(user: Any) -> bool:
    return hasattr(user, "office_time_zone")


def _own_zone_name(user: Any) -> str:
    if _read_with_clock(user):  # his parameters came with him: no query
        try:
            return str(user.parameters.time_zone)
        except ObjectDoesNotExist:  # he never saved his parameters
            return ""
    return user_parameters(user).time_zone


def _office_zone_of(user: Any) -> ZoneInfo:
    if _read_with_clock(user):  # the office's zone came with him: no query
        return zone_named(user.office_time_zone or "") or ZoneInfo(settings.TIME_ZONE)
    return office_zone()


def user_zone(user: Any) -> ZoneInfo:
    """The user's time zone (Parameters), else the office's; memoised per request."""
    if user is None or not getattr(user, "pk", None):
        return office_zone()
    return decided(("user_zone", user.pk), lambda: zone_named(_own_zone_name(user)) or _office_zone_of(user))


def user_now(user: Any) -> datetime.datetime:
    """Now, on the user's clock (an aware datetime in his zone)."""
    return timezone.now().astimezone(user_zone(user))


def user_today(user: Any) -> datetime.date:
    return user_now(user).date()


def day_bounds(user: Any, day: datetime.date) -> tuple[datetime.datetime, datetime.datetime]:
    """The aware instants [start, end) of one of the user's days: what "tasks of that day" reads by an index."""
    zone = user_zone(user)
    start = datetime.datetime.combine(day, datetime.time.min, tzinfo=zone)
    end = datetime.datetime.combine(day + datetime.timedelta(days=1), datetime.time.min, tzinfo=zone)
    return start, end


def working_hours() -> tuple[datetime.time, datetime.time]:
    """The office's working day (Settings): the day planner's rows run between them."""
    system = system_settings()
    return system.work_start, system.work_end


def working_days(first: datetime.date, last: datetime.date) -> dict[datetime.date, bool]:
    """Is each date from `first` to `last` worked: Monday–Friday, unless the office calendar says otherwise (a
    holiday, a moved working day). One query."""
    marked = dict(OfficeDay.objects.filter(date__range=(first, last)).values_list("date", "is_working"))
    days: dict[datetime.date, bool] = {}
    day = first
    while day <= last:
        days[day] = marked.get(day, day.weekday() < 5)
        day += datetime.timedelta(days=1)
    return days


def is_working_day(day: datetime.date) -> bool:
    return working_days(day, day)[day]


# --- Administration → Production calendar ---------------------------------------------------------------------

YEARS = (1900, 2200)  # the years the calendar page draws; a year past them is drawn as the nearest one


@dataclass(frozen=True)
class CalendarDay:
    date: datetime.date
    worked: bool
    weekend: bool  # Saturday or Sunday
    exception: OfficeDay | None  # the office calendar's row of the date, if it differs from the week


@dataclass(frozen=True)
class CalendarMonth:
    first: datetime.date
    weeks: list[list[CalendarDay | None]]  # Monday to Sunday; None before the 1st and after the last day


def office_year(year: int) -> tuple[list[CalendarMonth], list[OfficeDay]]:
    """A year of the office calendar: its twelve months by weeks, each day worked or not, and the year's exceptions
    (the dates that differ from the Monday–Friday week) in date order. One query."""
    first, last = datetime.date(year, 1, 1), datetime.date(year, 12, 31)
    exceptions = list(OfficeDay.objects.filter(date__range=(first, last)).order_by("date"))
    by_date = {day.date: day for day in exceptions}
    months = []
    for month in range(1, 13):
        start = datetime.date(year, month, 1)
        weeks: list[list[CalendarDay | None]] = []
        week: list[CalendarDay | None] = [None] * start.weekday()
        day = start
        while day.month == month:
            row = by_date.get(day)
            weekend = day.weekday() >= 5
            week.append(CalendarDay(day, row.is_working if row else not weekend, weekend, row))
            if len(week) == 7:
                weeks.append(week)
                week = []
            day += datetime.timedelta(days=1)
        if week:
            weeks.append(week + [None] * (7 - len(week)))
        months.append(CalendarMonth(start, weeks))
    return months, exceptions


def access_office_day(day_id: int) -> OfficeDay:
    return get_object_or_404(OfficeDay, pk=day_id)
