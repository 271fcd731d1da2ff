"""The task journal (TSK-07) and the «Задачи на контроле» report (TSK-09): the user's tasks (set or given), or every
employee's to a holder of «журналы всех сотрудников», within client access; Enter opens a task, Ctrl+Enter its
client's card when the user may open it."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.http import require_GET

from kontora.accounts.policies import user_of
from kontora.activity import policies
from kontora.activity.forms.journal import TaskFilterForm
from kontora.activity.models import Task
from kontora.activity.selectors import journal as selectors
from kontora.core.htmx import is_htmx
from kontora.core.ui.pager import AFTER, BEFORE

PAGE = 50


def _kept(request: HttpRequest) -> dict[str, str]:
    """The filter as asked, for the "show more" link."""
    return {name: str(value) for name, value in request.GET.items() if name not in (AFTER, BEFORE) and value}


def _rows(page: selectors.TaskPage) -> list[dict[str, Any]]:
    return [{
        "row": row,
        "task": row.task,
        "href": reverse("activity:task", args=[row.task.pk]),
        "client_href": reverse("clients:card", args=[row.task.client_id]) if row.client_shown else "",
    } for row in page.rows]


def _listing(request: HttpRequest, *, report: bool) -> HttpResponse:
    user = user_of(request)
    form = TaskFilterForm(request.GET or None, user=user, report=report)
    choice = form.choice()
    read = selectors.report_page if report else selectors.journal_page
    page = read(user, choice, cursor=request.GET, size=PAGE)
    base = reverse("activity:task_control" if report else "activity:task_journal")
    context: dict[str, Any] = {
        "rows": _rows(page), "next_url": page.pager.link(base, AFTER, **_kept(request)), "report": report,
    }
    if is_htmx(request) and request.GET.get(AFTER):
        return render(request, "activity/partials/task_rows.html", context)
    client = form.cleaned_data.get("client") if choice.client_id is not None else None
    context.update({
        "form": form, "client": client, "all_employees": policies.sees_all_employees(user), "base": base,
        "hidden": page.hidden,
    })
    if report:
        counts = selectors.state_counts(user, choice)
        context["counts"] = [(label, counts[value]) for value, label in Task.State.choices]
        context["overdue_count"] = counts["overdue"]
    return render(request, "activity/task_journal.html", context)


@login_required
@require_GET
def task_journal(request: HttpRequest) -> HttpResponse:
    """«Журнал задач»: the latest start first, 50 at a time ("show more" seeks on)."""
    return _listing(request, report=False)


@login_required
@require_GET
def task_control(request: HttpRequest) -> HttpResponse:
    """«Задачи на контроле»: active tasks (closed ones with «Дополнить закрытыми задачами») by author, assignee,
    state and period, the nearest due first, with totals by state."""
    return _listing(request, report=True)
