"""What activity plugs into the others: its policies (and, as they land, the card's History and Tasks journals, the
task monitor, menu items, rights, filter fields and the periodic reminder job). Clients and core render what is
registered; clients imports nothing of activity."""

from __future__ import annotations

import datetime
from typing import Any

from django.utils.translation import gettext_lazy as _


def register() -> None:
    from kontora.activity import policies
    from kontora.core.hooks import EXITS, MENU, POLICIES, MenuItem

    POLICIES.register(policies.events)
    POLICIES.register(policies.tasks)
    for item in _exits():
        EXITS.register(item)
    # The planners (PLN-01, PLN-02): everyone plans his own day; «журналы всех сотрудников» shows everyone's.
    MENU.register(MenuItem("plans", _("Two-week planner"), "activity:fortnight", group=20, order=10))
    MENU.register(MenuItem("plans", _("Day planner"), "activity:day", group=20, order=20))


def _planned_day(task: Any) -> dict[str, Any]:
    """The assignee's day the task starts on, on the office's clock (the crawler's users keep the office's zone)."""
    from kontora.core.selectors.calendar import office_zone

    day: datetime.date = task.starts_at.astimezone(office_zone()).date()
    return {"user": task.assignee_id, "date": day.isoformat()}


def _unmoved(task: Any) -> dict[str, Any]:
    """A move of the task to where it stands, as the day planner posts it: the rights and the lock are asked, and the
    task stays put for the exits asked after it."""
    from kontora.core.selectors.calendar import office_zone

    return {"starts_at": task.starts_at.astimezone(office_zone()).replace(tzinfo=None).isoformat(),
            "duration_minutes": task.duration_minutes, "seen_starts_at": task.starts_at.isoformat(),
            "seen_duration": task.duration_minutes}


def _exits() -> list[Any]:
    from kontora.activity.policies import sees_all_employees
    from kontora.core.hooks import LIST, OPENS, ROWS, Exit
    from kontora.core.permissions import is_administrator

    task = "activity.Task"

    def pk(obj: Any) -> dict[str, Any]:
        return {"pk": obj.pk}

    return [
        Exit("activity:task", task, OPENS, args=pk),
        # The planners list another employee's tasks only to a holder of «журналы всех сотрудников», and only those
        # about clients he opens (the crawler's tasks are a stranger's); a manager asking for the stranger's day
        # gets his own (the page) or a refusal (the cell's menu).
        Exit("activity:fortnight", task, OPENS, answer=LIST, once=True),
        Exit("activity:fortnight_day", task, OPENS, data=_planned_day, answer=ROWS, who=sees_all_employees),
        Exit("activity:day", task, OPENS, data=_planned_day, answer=ROWS, who=sees_all_employees),
        # Moving another's task: its author, its assignee or an administrator (the crawler's users are none of the
        # first two), of a task he may read.
        Exit("activity:task_move", task, OPENS, "POST", args=pk, data=_unmoved, who=is_administrator),
    ]
