"""A user's day of tasks (PLN-02): the day plan's print (and its PDF).

Whose plan a viewer gets: his own; a holder of «журналы всех сотрудников» (supervisors and administrators by role)
any user's. Anyone else asking for another's plan gets his own — never the other's tasks. The tasks are those the
viewer's journals list (`policies.journal_tasks`): a manager's own, a supervisor's every employee's about clients he
may open; a task whose client the viewer can no longer open shows «клиент недоступен» (`client_open` is False).
"""

from __future__ import annotations

import datetime
from typing import Any

from django.contrib.auth import get_user_model
from django.db.models import Exists, OuterRef, QuerySet
from django.http import Http404

from kontora.activity import policies
from kontora.activity.models import Task
from kontora.clients import access
from kontora.core.selectors.calendar import day_bounds


def plan_owner(*, fetched_by: Any, asked_id: int | None) -> Any:
    """The user whose plan `fetched_by` gets when asking for `asked_id`: that user for a holder of the right to all
    employees' journals (404 for no such user), else always himself."""
    if asked_id is None or asked_id == fetched_by.pk or not policies.sees_all_employees(fetched_by):
        return fetched_by
    owner = get_user_model().objects.filter(pk=asked_id).first()
    if owner is None:
        raise Http404
    return owner


def day_tasks(*, fetched_by: Any, owner: Any, day: datetime.date) -> QuerySet[Task]:
    """`owner`'s tasks (as assignee) starting on `day` of the viewer's clock, in start order, as `fetched_by` may
    see them; each with `client_open`: may the viewer open its client (else «клиент недоступен»). One query."""
    if owner.pk != fetched_by.pk and not policies.sees_all_employees(fetched_by):
        return Task.objects.none()
    start, end = day_bounds(fetched_by, day)
    return (
        policies.journal_tasks(fetched_by)
        .filter(assignee_id=owner.pk, starts_at__gte=start, starts_at__lt=end)
        .select_related("client", "case")
        .annotate(client_open=Exists(access.openable_clients(fetched_by).filter(pk=OuterRef("client_id"))))
        .order_by("starts_at", "id")
    )
