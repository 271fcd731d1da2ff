"""Tasks spread over time (GRP-02, «Распределить по времени»): the n-th task of a run starts where the one before
it ended, inside the office's working hours and on its working days, on the assignee's clock."""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from kontora.core.selectors.calendar import user_zone, working_days, working_hours

# Days of the office calendar read at once: a run of 500 half-hour tasks spans about five weeks.
HORIZON_DAYS = 400


def check_fits(minutes: int) -> None:
    """A task longer than the working day cannot be laid inside it."""
    start, end = working_hours()
    length = (datetime.datetime.combine(datetime.date.min, end)
              - datetime.datetime.combine(datetime.date.min, start)).total_seconds() // 60
    if minutes <= 0 or minutes > length:
        raise ValidationError({"task_duration": _(
            "Spread over time, each task must last from 1 minute to the working day (%(start)s–%(end)s)."
        ) % {"start": start.strftime("%H:%M"), "end": end.strftime("%H:%M")}})


@dataclass
class Slots:
    """The slots of one assignee from `first` on, each `minutes` long; the office calendar is read once."""

    first: datetime.datetime
    minutes: int
    assignee: object
    _days: dict[datetime.date, bool] = field(default_factory=dict)

    def _working(self, day: datetime.date) -> bool:
        if day not in self._days:
            self._days.update(working_days(day, day + datetime.timedelta(days=HORIZON_DAYS)))
        return self._days[day]

    def nth(self, n: int) -> datetime.datetime:
        """The start of the n-th task (0-based)."""
        zone = user_zone(self.assignee)
        opens, closes = working_hours()
        step = datetime.timedelta(minutes=self.minutes)
        cursor = self.first.astimezone(zone)
        day = cursor.date()
        while True:
            day_start = datetime.datetime.combine(day, opens, tzinfo=zone)
            day_end = datetime.datetime.combine(day, closes, tzinfo=zone)
            cursor = max(cursor, day_start)
            fit = int((day_end - cursor) / step) if self._working(day) and cursor < day_end else 0
            if n < fit:
                return cursor + n * step
            n -= fit
            day += datetime.timedelta(days=1)
            cursor = datetime.datetime.combine(day, opens, tzinfo=zone)
