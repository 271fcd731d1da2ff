"""What the database clean-up (TSK-10) would delete: closed tasks closed before a cut-off. Events are history and
are never deleted."""

from __future__ import annotations

import calendar
import datetime

from django.db.models import QuerySet
from django.utils import timezone

from kontora.activity.models import CleanupSchedule, Task


def months_before(moment: datetime.datetime, months: int) -> datetime.datetime:
    """The same moment `months` calendar months earlier (the 31st falls back to the month's last day)."""
    month_index = moment.year * 12 + moment.month - 1 - months
    year, month = divmod(month_index, 12)
    day = min(moment.day, calendar.monthrange(year, month + 1)[1])
    return moment.replace(year=year, month=month + 1, day=day)


def cleanup_cutoff(months: int, now: datetime.datetime | None = None) -> datetime.datetime:
    return months_before(now or timezone.now(), months)


def closed_tasks_before(cutoff: datetime.datetime) -> QuerySet[Task]:
    """Closed tasks closed before `cutoff` (the partial index on closed_at finds them)."""
    return Task.objects.filter(state=Task.State.CLOSED, closed_at__lt=cutoff)


def nightly_months() -> int | None:
    """The age of the nightly clean-up, or None when it is off."""
    return CleanupSchedule.objects.filter(pk=1).values_list("months", flat=True).first()
