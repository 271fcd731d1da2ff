"""The task card (TSK-01, TSK-03): what the task asks, of whom, about which client, and where it stands."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from kontora.accounts.policies import user_of
from kontora.activity import policies


@login_required
@require_GET
def task(request: HttpRequest, pk: int) -> HttpResponse:
    user = user_of(request)
    found = policies.tasks.get(user, pk)
    return render(request, "activity/task.html", {
        "task": found,
        "client_shown": policies.client_shown(user, found),
        "transitions": found.transitions.select_related("actor"),
    })
