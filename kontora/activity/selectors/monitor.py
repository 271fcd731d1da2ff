"""The Assistant's task monitor (TSK-02, TSK-05): the user's own tasks of today (on his clock) and overdue ones, and
his clients whose next contact date has come — the manual's next-contact reminder without an assignee."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db.models import Q
from django.utils import timezone

from kontora.activity.models import Task
from kontora.clients import access
from kontora.clients.models import Client
from kontora.core.selectors.calendar import day_bounds, user_today


@dataclass(frozen=True)
class MonitorTasks:
    tasks: list[Task]  # at most the monitor's rows: overdue first, then today's by start
    total: int  # all of them (the badge)
    overdue: frozenset[int]  # ids of the overdue ones among `tasks`
    opens: frozenset[int]  # the tasks' clients the user may open (the others are «клиент недоступен»)
    clients: list[Client]  # clients to contact, the longest waiting first, at most the monitor's rows
    clients_total: int


def monitor_tasks(user: Any, *, size: int = 10) -> MonitorTasks:
    """Active tasks given to the user that start today or are past due, and his clients (curator) whose next
    contact date is today or past; at most five queries, whatever their numbers."""
    start, end = day_bounds(user, user_today(user))
    now = timezone.now()
    tasks = Task.objects.filter(assignee=user).exclude(state=Task.State.CLOSED).filter(
        Q(starts_at__gte=start, starts_at__lt=end) | Q(due_at__lt=now))
    shown = list(tasks.select_related("client", "case").order_by("starts_at", "id")[:size])
    total = len(shown) if len(shown) < size else tasks.count()
    overdue = frozenset(task.pk for task in shown if task.due_at < now)
    due, opens = Client.objects.none(), frozenset[int]()
    client_ids = {task.client_id for task in shown if task.client_id}
    if access.visibility_shape(user) != access.NOBODY:
        if client_ids:
            opens = frozenset(access.openable_clients(user).filter(pk__in=client_ids).values_list("pk", flat=True))
        due = access.openable_clients(user).filter(curator=user, next_contact_date__lte=user_today(user))
    clients = list(due.only("pk", "short_name", "next_contact_date").order_by("next_contact_date", "pk")[:size])
    clients_total = len(clients) if len(clients) < size else due.count()
    return MonitorTasks(shown, total, overdue, opens, clients, clients_total)


