"""The office's clock and calendar: a user's time zone, his "today", the working hours and the working days.

Every "today" of the program that a user sees (the task monitor, the planners, the same-day correction of an
event, the calendar feed) is the user's own: an office in Moscow with a manager in Novosibirsk has two todays for
four hours a night. A user without a zone of his own lives in the office's (Settings), else `settings.TIME_ZONE`.
"""

from __future__ import annotations

import datetime
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError, available_timezones

from django.conf import settings
from django.utils import timezone

from kontora.core.models import OfficeDay
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
    """Every IANA zone name this machine knows, sorted (the Parameters' picker)."""
    return sorted(available_timezones())


def office_zone() -> ZoneInfo:
    return zone_named(system_settings().time_zone) or ZoneInfo(settings.TIME_ZONE)


def user_zone(user: Any) -> ZoneInfo:
    """The user's time zone (Parameters), else the office's; memoised per request."""
    if user is None or not getattr(user, "pk", None):
        return office_zone()
    return decided(("user_zone", user.pk), lambda: zone_named(user_parameters(user).time_zone) or office_zone())


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
