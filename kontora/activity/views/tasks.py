"""The task card (TSK-01, TSK-03): what the task asks, of whom, about which client, where it stands, its history of
states; edited by its author or an administrator, moved on by the buttons each user may press now. «Новая задача»
(a modal from the card's «Задачи» journal, or a page), and that journal (CLI-14)."""

from __future__ import annotations

import datetime
from typing import Any

from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.translation import gettext
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from kontora.accounts.policies import user_of
from kontora.activity import policies
from kontora.activity.forms.tasks import TaskForm, TransitionForm
from kontora.activity.models import ProjectItem, Task
from kontora.activity.selectors import tasks as selectors
from kontora.activity.services import tasks as services
from kontora.clients import access
from kontora.clients import policies as client_policies
from kontora.clients.models import Client
from kontora.core.errors import NotAllowed
from kontora.core.htmx import is_htmx
from kontora.core.selectors.calendar import user_zone, working_hours
from kontora.core.text import id_param
from kontora.core.ui.pager import AFTER
from kontora.core.ui.submit import act, modal, refresh, submit

PAGE = 50


def _card(request: HttpRequest, user: Any, task: Task, form: TaskForm | None,
          transition: TransitionForm | None = None) -> HttpResponse:
    steps = services.steps_open(user, task)
    return render(request, "activity/task.html", {
        "task": task,
        "zone": user_zone(user),
        "client_shown": policies.client_shown(user, task),
        "transitions": selectors.transitions_of(task),
        "form": form,
        "steps": steps,
        "needs_report": any(step.needs == "report" for step in steps),
        "needs_comment": any(step.needs == "comment" for step in steps),
        "transition_form": transition or TransitionForm(),
        "may_delete": policies.tasks.can(user, "delete", task),
        "overdue": selectors.is_overdue(task, timezone.now()),
    })


def _edit_form(user: Any, task: Task, data: Any = None) -> TaskForm | None:
    """The task's form for its author or an administrator while it is active; None for everyone else."""
    if task.state == Task.State.CLOSED or not policies.tasks.can(user, "change", task):
        return None
    zone = user_zone(user)
    return TaskForm(data, zone=zone, project=task.kind == Task.Kind.PROJECT, initial=services.task_stored(task, zone))


@login_required
@require_http_methods(["GET", "POST"])
def task(request: HttpRequest, pk: int) -> HttpResponse:
    """The task card; a POST saves its form (the author's or an administrator's), field by field (core.conflicts)."""
    user = user_of(request)
    found = policies.tasks.get(user, pk)
    form = _edit_form(user, found, request.POST if request.method == "POST" else None)
    if request.method == "POST" and form is None:
        raise NotAllowed(gettext("Only the task's author or an administrator may change it."))
    if form is None:
        return _card(request, user, found, None)
    edit_form = form

    def save() -> Task:
        values = {name: edit_form.cleaned_data[name] for name in edit_form.changed_data}
        return services.task_update(acting_user=user, task_id=found.pk, values=values, edit=edit_form.edit())

    return submit(request, form, save, done=lambda saved: reverse("activity:task", args=[saved.pk]),
                  message=gettext("The task is saved."), page=lambda: _card(request, user, found, edit_form))


@login_required
@require_POST
def task_transition(request: HttpRequest, pk: int) -> HttpResponse:
    """A button of the task card (accept, complete, accept the execution, send back, done), with the state the page
    showed: the service refuses a stale page, the wrong person and the wrong state, each saying why."""
    user = user_of(request)
    found = policies.tasks.get(user, pk)
    if user.pk not in (found.author_id, found.assignee_id):
        raise NotAllowed(gettext("Only the task's author and assignee move it on."))
    form = TransitionForm(request.POST)

    def move() -> Task:
        data = form.cleaned_data
        return services.task_transition(acting_user=user, task_id=found.pk, action=data["action"],
                                        seen_state=data["seen_state"], comment=data["comment"],
                                        report=data["report"])

    def page() -> HttpResponse:
        current = policies.tasks.get(user, pk)  # as it stands now: a refused step shows where it went
        return _card(request, user, current, _edit_form(user, current), form)

    return submit(request, form, move, done=lambda moved: reverse("activity:task", args=[moved.pk]),
                  message=lambda moved: gettext("Task No. %(number)s: %(state)s.") % {
                      "number": moved.pk, "state": moved.get_state_display()}, page=page)


@login_required
@require_POST
def task_delete(request: HttpRequest, pk: int) -> HttpResponse:
    user = user_of(request)
    found = policies.tasks.get(user, pk)
    if not policies.tasks.can(user, "delete", found):
        raise NotAllowed(gettext("Only the task's author or an administrator may delete it."))
    shown = policies.client_shown(user, found)
    done = reverse("clients:card", args=[found.client_id]) + "#tab-tasks" if shown and found.client_id else "/"
    return act(request, lambda: services.task_delete(acting_user=user, task_id=found.pk), done=done,
               refused=reverse("activity:task", args=[found.pk]),
               message=gettext("Task No. %(number)s deleted.") % {"number": found.pk})


def _start(user: Any) -> datetime.datetime:
    """A new task's start: the next quarter of an hour on the user's clock."""
    now = timezone.now().astimezone(user_zone(user)).replace(second=0, microsecond=0)
    return now + datetime.timedelta(minutes=15 - now.minute % 15)


@login_required
@require_http_methods(["GET", "POST"])
def task_new(request: HttpRequest) -> HttpResponse:
    """«Новая задача» about a client (`?client=`, from its card: the same 404 as the card's for a client the user
    may not open) or about a case of the project planner (`?case=`). The author is the user, the date set now."""
    user = user_of(request)
    client: Client | None = None
    case: ProjectItem | None = None
    client_id = id_param(request.GET.get("client", request.POST.get("client")))
    case_id = id_param(request.GET.get("case", request.POST.get("case")))
    if client_id is not None:
        client = access.openable_client(user, client_id)
        if client is None:
            raise Http404
        query: dict[str, Any] = {"client": client.pk}
    elif case_id is not None:
        case = selectors.project_case(case_id)
        if case is None:
            raise Http404
        query = {"case": case.pk}
    else:  # from a planner (`?assignee=&date=`): the client is picked in the form
        query = {key: request.GET[key] for key in ("assignee", "date") if key in request.GET}
    start, assignee = _start(user), id_param(request.GET.get("assignee")) or user.pk
    day = _day(request.GET.get("date"))
    if day is not None and day != start.date():
        start = datetime.datetime.combine(day, working_hours()[0], tzinfo=user_zone(user))
    chooser = user if client is None and case is None else None
    form = TaskForm(request.POST if request.method == "POST" else None, zone=user_zone(user), project=case is not None,
                    chooser=chooser,
                    initial={"assignee": assignee, "importance": Task.Importance.NORMAL, "starts_at": start,
                             "duration_minutes": 60, "due_at": start + datetime.timedelta(hours=1),
                             "remind": False, "remind_minutes": 15})
    action = f"{reverse('activity:task_new')}?{urlencode(query)}"
    cancel_url = reverse("clients:card", args=[client.pk]) if client is not None else "/"

    def done(created: Task) -> HttpResponse | str:
        if client is not None and is_htmx(request):
            return refresh(request, "activity/partials/card_tasks.html", _card_tasks(request, user, client),
                           target="#client-tasks", fallback=cancel_url)
        return reverse("activity:task", args=[created.pk])

    return submit(
        request, form, lambda: services.task_create(acting_user=user, values=form.cleaned_data,
                                                    client=client or _chosen(form), case=case),
        done=done, message=lambda created: gettext("Task No. %(number)s is set.") % {"number": created.pk},
        page=lambda: modal(request, "activity/partials/task_form.html", {
            "form": form, "client": client, "case": case, "action": action, "cancel_url": cancel_url,
            "author": user, "now": timezone.now(), "zone": user_zone(user),
        }, page="core/ui/modal_page.html"),
    )


def _day(value: object) -> datetime.date | None:
    """A planner's day (`YYYY-MM-DD`) within the years a task may take, or None."""
    try:
        day = datetime.date.fromisoformat(str(value))
    except ValueError:
        return None
    return day if 1900 <= day.year <= 2999 else None


def _chosen(form: TaskForm) -> Client | None:
    """The client picked in a planner's new-task form; none picked is the form's own error."""
    client = form.cleaned_data.get("client") if "client" in form.fields else None
    if "client" in form.fields and client is None:
        raise ValidationError({"client": gettext("Choose the client the task is about.")})
    return client


def _card_tasks(request: HttpRequest, user: Any, client: Client) -> dict[str, Any]:
    page = selectors.client_tasks_page(client_id=client.pk, cursor=request.GET, size=PAGE)
    now = timezone.now()
    return {
        "client": client,
        "zone": user_zone(user),
        "rows": [{"task": row, "href": reverse("activity:task", args=[row.pk]),
                  "overdue": selectors.is_overdue(row, now)} for row in page.rows],
        "next_url": page.link(reverse("activity:card_tasks", args=[client.pk]), AFTER),
        "new_url": f"{reverse('activity:task_new')}?{urlencode({'client': client.pk})}",
    }


@login_required
@require_GET
def card_tasks(request: HttpRequest, client_id: int) -> HttpResponse:
    """The client card's «Задачи» tab (a journal, CLI-14): every task about this client, newest first, 50 at a time,
    overdue ones marked; Ins opens «Новая задача». From the card the user may open (404 otherwise, as the card's)."""
    user = user_of(request)
    client = client_policies.clients.get(user, client_id)
    context = _card_tasks(request, user, client)
    template = "card_task_rows.html" if AFTER in request.GET else "card_tasks.html"
    return HttpResponse(render_to_string(f"activity/partials/{template}", context))
