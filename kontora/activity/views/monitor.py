"""The task monitor of the Assistant panel (TSK-02, TSK-05), polled by htmx."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.http import urlencode
from django.views.decorators.http import require_GET

from kontora.accounts.policies import user_of
from kontora.activity.selectors import monitor as selectors
from kontora.activity.selectors.journal import ACTIVE

ROWS = 10


@login_required
@require_GET
def task_monitor(request: HttpRequest) -> HttpResponse:
    """Today's and overdue tasks given to the user, and his clients to contact, at most ROWS of each."""
    user = user_of(request)
    found = selectors.monitor_tasks(user, size=ROWS)
    tasks = [{
        "task": task, "href": reverse("activity:task", args=[task.pk]), "overdue": task.pk in found.overdue,
        "client_shown": task.client_id in found.opens,
    } for task in found.tasks]
    clients = [{"client": client, "href": reverse("clients:card", args=[client.pk])} for client in found.clients]
    journal = reverse("activity:task_journal")
    return render(request, "activity/partials/task_monitor.html", {
        "tasks": tasks, "total": found.total, "clients": clients, "clients_total": found.clients_total,
        "more_tasks": found.total > len(tasks), "more_clients": found.clients_total - len(clients),
        "journal_url": f"{journal}?{urlencode({'assignee': str(user.pk), 'state': ACTIVE})}",
    })
