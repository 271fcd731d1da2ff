"""The planners' reads: the two-week planner's counts (PLN-01) and one user's day (PLN-02).

Whose plans a user sees: a holder of «журналы всех сотрудников» (supervisors and administrators by role) every
active employee's, grouped by department; anyone else his own only — a request naming another user gets his own.
The tasks listed are the assignee's, read through `policies.journal_tasks`, so another employee's task about a
client the viewer may not open is neither listed nor counted (nothing of someone's private client leaks, not even a
number); the viewer's own task whose client he lost shows «клиент недоступен».

Days are the viewer's: his time zone draws the boundaries of each day (`core.selectors.calendar`). The two-week
planner counts active tasks (its colour is the load still to carry); a day shows the closed ones too, dimmed and
fixed, so the finished work of the day stays in sight.
"""

from __future__ import annotations

import bisect
import datetime
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from django.db import connection
from django.db.models import Count, F, IntegerField, QuerySet, Value
from django.db.models.functions import TruncDate

from kontora.accounts.models import User
from kontora.activity import policies
from kontora.activity.models import Task
from kontora.activity.selectors.tasks import DAY_LINE_FIELDS, TaskLine, task_lines
from kontora.core import prepared
from kontora.core.selectors.calendar import day_bounds, user_zone, working_days

DAYS = 14
# The colour classes of a cell by its count of tasks: the load deepens at 1, 3, 5 and 7 tasks.
LOAD_STEPS = (1, 3, 5, 7)
EARLIEST = datetime.date(1900, 1, 1)
LATEST = datetime.date(2999, 12, 31)


def sees_everyone(viewer: Any) -> bool:
    return policies.sees_all_employees(viewer)


def plan_users(viewer: Any) -> list[User]:
    """The users whose plans the viewer sees, in the order drawn: by department (its order, then name; those without
    one last), then by name. One query."""
    if not sees_everyone(viewer):
        return [viewer]
    return list(
        User.objects.filter(disabled=False, dismissed=False).select_related("department")
        .order_by(F("department__order").asc(nulls_last=True), F("department__name").asc(nulls_last=True),
                  "department_id", "full_name", "id")
    )


def plan_user(viewer: Any, user_id: int | None, *, among: list[User] | None = None) -> User:
    """The user whose day is asked: anyone active to a viewer who sees everyone, else the viewer himself. `among`:
    the viewer's `plan_users`, when the caller has read them (then no query)."""
    if user_id is None or user_id == viewer.pk or not sees_everyone(viewer):
        return viewer  # type: ignore[no-any-return]
    if among is not None:
        return next((user for user in among if user.pk == user_id), viewer)
    return User.objects.filter(pk=user_id, disabled=False, dismissed=False).first() or viewer


def may_see_plan_of(viewer: Any, user_id: int) -> bool:
    return user_id == viewer.pk or (sees_everyone(viewer)
                                    and User.objects.filter(pk=user_id, disabled=False, dismissed=False).exists())


def week_start(day: datetime.date) -> datetime.date:
    return day - datetime.timedelta(days=day.weekday())


def clamp(day: datetime.date) -> datetime.date:
    """Keeps a date asked for where a week's arithmetic cannot overflow."""
    return min(max(day, EARLIEST), LATEST)


def load_level(count: int) -> int:
    return sum(1 for step in LOAD_STEPS if count >= step)


@dataclass(frozen=True)
class Cell:
    day: datetime.date
    count: int
    level: int
    working: bool
    today: bool


@dataclass(frozen=True)
class PlanRow:
    user: User
    cells: list[Cell]


@dataclass
class Department:
    name: str
    rows: list[PlanRow] = field(default_factory=list)


@dataclass(frozen=True)
class Fortnight:
    first: datetime.date
    days: list[tuple[datetime.date, bool]]  # each day and whether it is worked
    departments: list[Department]


def fortnight_counts(viewer: Any, users: list[Any], first: datetime.date) -> dict[tuple[int, int], int]:
    """(assignee id, day index) → the number of his active tasks starting that day of the viewer's, over the 14
    days from `first`, read along the planner's index of open tasks. For a viewer kept only from other curators'
    private clients, all tasks less the few about such clients: on SQLite a second query reads those from the
    clients' side; PostgreSQL leaves them out in the same pass."""
    bounds = [day_bounds(viewer, first + datetime.timedelta(days=index))[0] for index in range(DAYS)]
    bounds.append(day_bounds(viewer, first + datetime.timedelta(days=DAYS - 1))[1])  # the instants days begin

    def active(tasks: QuerySet[Task], start: int, end: int) -> QuerySet[Task]:
        """The tasks starting from the day `start` up to the day `end` (an index into bounds)."""
        return (tasks.filter(assignee_id__in=[user.pk for user in users], starts_at__gte=bounds[start],
                             starts_at__lt=bounds[end]).exclude(state=Task.State.CLOSED).order_by())

    kept = policies.journal_tasks_kept(viewer)
    counted = policies.journal_tasks(viewer) if kept is None else Task.objects.all()
    if connection.vendor == "postgresql":
        # One pass along the index: each task's day on the viewer's clock, those kept from him left out by a hashed
        # set of the clients'.
        # Counted by a column of the index (not the id): the index holds every column read, so no task row is.
        shown = None if kept is None else ~kept
        rows = (active(counted, 0, DAYS).annotate(date=TruncDate("starts_at", tzinfo=user_zone(viewer)))
                .values("assignee_id", "date").annotate(count=Count("starts_at", filter=shown))
                .values_list("assignee_id", "date", "count"))
        return {(assignee, (date - first).days): count for assignee, date, count in rows if count}
    # SQLite: a count per day, glued by UNION ALL: each part reads its day's range of the index in assignee order and
    # groups as it reads, where one GROUP BY over a computed day would sort the fortnight's every task.
    days = [active(counted, index, index + 1).values("assignee_id")
            .annotate(day=Value(index, IntegerField()), count=Count("id")).values_list("assignee_id", "day", "count")
            for index in range(DAYS)]
    counts = {(assignee, day): count for assignee, day, count in days[0].union(*days[1:], all=True)}
    if kept is not None:  # all tasks less those about clients kept from him, read from those clients' side
        for assignee, starts_at in active(Task.objects.filter(kept), 0, DAYS).values_list("assignee_id", "starts_at"):
            counts[(assignee, bisect.bisect_right(bounds, starts_at) - 1)] -= 1
    return {key: count for key, count in counts.items() if count}


def fortnight(viewer: Any, first: datetime.date, today: datetime.date) -> Fortnight:
    """The two-week planner from the Monday `first`: the viewer's users down, 14 days across, each cell the count of
    the user's active tasks starting that day. At most four queries, whatever the users and tasks."""
    users = plan_users(viewer)
    worked = working_days(first, first + datetime.timedelta(days=DAYS - 1))
    counts = fortnight_counts(viewer, users, first)
    days = sorted(worked.items())
    departments: list[Department] = []
    for user in users:
        name = user.department.name if user.department is not None else ""
        if not departments or departments[-1].name != name:
            departments.append(Department(name))
        cells = []
        for index, (day, working) in enumerate(days):
            count = counts.get((user.pk, index), 0)
            cells.append(Cell(day, count, load_level(count), working, day == today))
        departments[-1].rows.append(PlanRow(user, cells))
    return Fortnight(first, days, departments)


@dataclass(frozen=True)
class PlannedTask:
    task: TaskLine
    movable: bool


def day_tasks(viewer: Any, user: Any, day: datetime.date) -> list[PlannedTask]:
    """The user's tasks starting on that day of the viewer's, closed ones too, in start order, each with whether its
    client may be shown (else «клиент недоступен») and whether the viewer may move it. One query, compiled once per
    shape of the viewer's journals: a day holds hundreds of tasks, read as rows of values. The day planner and the
    day plan's print read it."""
    start, end = day_bounds(viewer, day)
    shape = policies.journal_shape(viewer)

    def build(v: Mapping[str, Any]) -> QuerySet[Any]:
        tasks = policies.journal_tasks_in(shape, v["viewer"]).filter(
            assignee_id=v["user"], starts_at__gte=v["start"], starts_at__lt=v["end"])
        return task_lines(tasks, shape, v["viewer"], names=False).order_by("starts_at", "id").values_list(
            *DAY_LINE_FIELDS)

    rows = prepared.fetch(("activity.day", shape), {"viewer": viewer.pk, "user": user.pk, "start": start, "end": end},
                          build)
    may_move = policies.task_mover(viewer)
    return [PlannedTask(task, may_move(task)) for task in (TaskLine(*row) for row in rows)]
