"""Reads of the task journal (TSK-07), the «Задачи на контроле» report (TSK-09) and the sign-in landings (TSK-08),
always from `policies.journal_tasks`: the tasks the user set or was given, or with «журналы всех сотрудников» every
employee's about clients he may open (and project tasks)."""

from __future__ import annotations

import datetime
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from django.db.models import Count, Q, QuerySet
from django.utils import timezone

from kontora.activity import policies
from kontora.activity.models import Task
from kontora.activity.selectors.tasks import LINE_FIELDS, TaskLine, task_lines
from kontora.core.selectors.calendar import day_bounds
from kontora.core.ui.pager import AFTER, BEFORE, Keyset, Page

# The journal: the latest start first; the report: the nearest due first (what needs control now).
JOURNAL_ORDER = Keyset("-starts_at", "-id")
REPORT_ORDER = Keyset("due_at", "id")
# The «N rows hidden» count stops past this many.
HIDDEN_CAP = 1000
# State choices beyond the model's own: every state but closed, and closed.
ACTIVE, CLOSED = "active", Task.State.CLOSED.value


@dataclass(frozen=True)
class TaskChoice:
    """What the journal or the report is narrowed to; the period is of the start date, on the user's clock."""

    date_from: datetime.date | None = None
    date_to: datetime.date | None = None
    author_id: int | None = None
    assignee_id: int | None = None
    state: str = ""  # "", ACTIVE, or a Task.State value
    importance: str = ""
    client_id: int | None = None
    overdue: bool = False  # active and past due


@dataclass(frozen=True)
class TaskPage:
    pager: Page[TaskLine]
    hidden: int = 0  # tasks of the choice client access keeps from the user (counted on the first page)

    @property
    def rows(self) -> list[TaskLine]:
        return self.pager.rows


def overdue_q(now: datetime.datetime | None = None) -> Q:
    return ~Q(state=Task.State.CLOSED) & Q(due_at__lt=now or timezone.now())


def _values(user: Any, choice: TaskChoice) -> dict[str, Any]:
    """The values of the choice's conditions, by name; a condition not chosen has none. With whether the state is
    «active» they make the statement's shape, and are its parameters (`_narrowed`)."""
    values: dict[str, Any] = {}
    if choice.date_from is not None:
        values["from"] = day_bounds(user, choice.date_from)[0]
    if choice.date_to is not None:
        values["to"] = day_bounds(user, choice.date_to)[1]
    if choice.author_id is not None:
        values["author"] = choice.author_id
    if choice.assignee_id is not None:
        values["assignee"] = choice.assignee_id
    if choice.state and choice.state != ACTIVE:
        values["state"] = choice.state
    if choice.importance:
        values["importance"] = choice.importance
    if choice.client_id is not None:
        values["client"] = choice.client_id
    if choice.overdue:
        values["now"] = timezone.now()
    return values


def _narrowed(qs: QuerySet[Task], active: bool, values: Mapping[str, Any]) -> QuerySet[Task]:
    """`qs` narrowed by the chosen conditions (`_values`; they may be a prepared statement's markers), and to the
    tasks not closed when `active`."""
    if "from" in values:
        qs = qs.filter(starts_at__gte=values["from"])
    if "to" in values:
        qs = qs.filter(starts_at__lt=values["to"])
    for name in ("author", "assignee", "client"):
        if name in values:
            qs = qs.filter(**{f"{name}_id": values[name]})
    if active:
        qs = qs.exclude(state=Task.State.CLOSED)
    for name in ("state", "importance"):
        if name in values:
            qs = qs.filter(**{name: values[name]})
    if "now" in values:
        qs = qs.filter(overdue_q(values["now"]))
    return qs


def chosen_tasks(user: Any, choice: TaskChoice) -> QuerySet[Task]:
    """The journal's tasks of the user narrowed by `choice` (no order, no related rows)."""
    return _narrowed(policies.journal_tasks(user), choice.state == ACTIVE, _values(user, choice))


def hidden_count(user: Any, choice: TaskChoice, values: Mapping[str, Any] | None = None) -> int:
    """How many tasks of the same choice client access alone keeps from a holder of «журналы всех сотрудников», up to
    HIDDEN_CAP + 1 ("more than HIDDEN_CAP"; for one who opens only his own clients that is nearly every task of a
    million). One query; none for a user who sees only his own, all of which are listed, nor for one client's
    tasks: that would count the tasks of a client the user may only list."""
    if not policies.sees_all_employees(user) or choice.client_id is not None:
        return 0
    hidden = _narrowed(policies.hidden_tasks(user), choice.state == ACTIVE, _values(user, choice))
    return hidden.order_by()[: HIDDEN_CAP + 1].count()


def _page(user: Any, choice: TaskChoice, order: Keyset, cursor: Mapping[str, str], size: int) -> TaskPage:
    """A page of the chosen tasks in `order`: each part of the user's journal (`policies.journal_task_parts_in`)
    seeks along its own index, through statements compiled once per shape (the user's journal shape, the
    conditions chosen)."""
    shape, active = policies.journal_shape(user), choice.state == ACTIVE
    chosen = _values(user, choice)
    values = {"viewer": user.pk, **chosen}

    def part(tasks: Callable[[Any], QuerySet[Task]]) -> Callable[[Mapping[str, Any]], QuerySet[Task]]:
        return lambda v: task_lines(_narrowed(tasks(v["viewer"]), active, v), shape, v["viewer"], names=True)

    pager = order.read(model=Task, key=("activity.tasks", order.order, shape, tuple(sorted(values)), active),
                       values=values, parts=[part(tasks) for tasks in policies.journal_task_parts_in(shape)],
                       fields=LINE_FIELDS, make=TaskLine, params=cursor, size=size)
    first = AFTER not in cursor and BEFORE not in cursor
    return TaskPage(pager, hidden_count(user, choice, chosen) if first else 0)


def journal_page(user: Any, choice: TaskChoice, *, cursor: Mapping[str, str], size: int = 50) -> TaskPage:
    """«Журнал задач», `size` rows at a time, the latest start first (keyset on (starts_at, id), no OFFSET)."""
    return _page(user, choice, JOURNAL_ORDER, cursor, size)


def report_page(user: Any, choice: TaskChoice, *, cursor: Mapping[str, str], size: int = 50) -> TaskPage:
    """«Задачи на контроле», `size` rows at a time, the nearest due first."""
    return _page(user, choice, REPORT_ORDER, cursor, size)


def state_counts(user: Any, choice: TaskChoice) -> dict[str, int]:
    """The report's totals: how many of the chosen tasks stand in each state, and how many are overdue (one
    query)."""
    totals = chosen_tasks(user, choice).aggregate(
        overdue=Count("id", filter=overdue_q()),
        **{state: Count("id", filter=Q(state=state)) for state in Task.State.values},
    )
    return {name: int(value or 0) for name, value in totals.items()}


def has_active_tasks(user: Any) -> bool:
    """Tasks given to the user that are not closed (the journal at sign-in)."""
    return Task.objects.filter(assignee=user).exclude(state=Task.State.CLOSED).exists()


def has_overdue_tasks(user: Any) -> bool:
    """Tasks given to the user past their due and not closed (the overdue report at sign-in)."""
    return Task.objects.filter(overdue_q(), assignee=user).exists()
