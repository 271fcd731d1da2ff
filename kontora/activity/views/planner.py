"""The two-week planner (PLN-01) and the day planner (PLN-02).

The two-week planner draws users down and 14 days across, each cell a count whose colour deepens with the load; a
cell leads to that user's day, its context menu lists the day's tasks (`fortnight_day`, an htmx fragment). The day
planner is FullCalendar's time grid (vendored v5.11.5: its CSS is a file of its own, so the strict
Content-Security-Policy holds) fed from a JSON island; a block moved or stretched is posted at once to `task_move`,
and a refusal sends it back with the message.
"""

from __future__ import annotations

import datetime
from typing import Any
from urllib.parse import urlencode

from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.template.loader import render_to_string
from django.urls import NoReverseMatch, reverse
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language
from django.views.decorators.http import require_GET, require_POST

from kontora.accounts.policies import user_of
from kontora.activity import policies
from kontora.activity.forms.planner import TaskMoveForm
from kontora.activity.models import Task
from kontora.activity.selectors import planner as selectors
from kontora.activity.services import planner as services
from kontora.core.errors import DomainError, error_response
from kontora.core.selectors.calendar import user_today, user_zone, working_hours
from kontora.core.text import id_param
from kontora.core.ui.links import IdLink

CELL = ('<td class="{}" data-k-day-tasks="{}" data-testid="fortnight-cell" data-day="{}">'
        '<a class="d-block k-fortnight-count" href="{}">{}</a></td>')
DAY = datetime.timedelta(days=1)
WEEK = datetime.timedelta(days=7)


def _date(value: object, default: datetime.date) -> datetime.date:
    """A date of the query («К дате»), or `default` for a missing or malformed one; kept within years 1900–2999."""
    try:
        return selectors.clamp(datetime.date.fromisoformat(str(value)))
    except ValueError:
        return default


def _day_url(user_id: int, day: datetime.date) -> str:
    return f"{reverse('activity:day')}?{urlencode({'user': user_id, 'date': day.isoformat()})}"


def _fortnight_url(day: datetime.date) -> str:
    return f"{reverse('activity:fortnight')}?{urlencode({'date': day.isoformat()})}"


@login_required
@require_GET
def fortnight(request: HttpRequest) -> HttpResponse:
    """«Двухнедельный планировщик»: this week and the next (or the weeks of the date asked), from Monday."""
    user = user_of(request)
    today = user_today(user)
    first = selectors.week_start(_date(request.GET.get("date"), today))
    plan = selectors.fortnight(user, first, today)
    # 14 cells a user, up to hundreds of users: each row's cells are formatted here, not by the template engine
    # (a tenth of the time), with their links formatted rather than reversed.
    day_base, tasks_base = reverse("activity:day"), reverse("activity:fortnight_day")
    departments = [{
        "name": department.name,
        "rows": [{"user": row.user, "cells": _cells(row, day_base, tasks_base)} for row in department.rows],
    } for department in plan.departments]
    return render(request, "activity/fortnight.html", {
        "plan": plan,
        "departments": departments,
        "grouped": selectors.sees_everyone(user),
        "today": today,
        "last": first + datetime.timedelta(days=selectors.DAYS - 1),
        "previous_url": _fortnight_url(selectors.clamp(first - WEEK)),
        "next_url": _fortnight_url(selectors.clamp(first + WEEK)),
        "today_url": reverse("activity:fortnight"),
    })


def _cells(row: selectors.PlanRow, day_base: str, tasks_base: str) -> SafeString:
    """The <td>s of one user's row: the count (blank for none) linking to his day, the load's colour, days off
    shaded, today marked; data-k-day-tasks names the cell's list of tasks for its context menu. Everything put in
    is a number, an ISO date, a class name or one of the two URLs reversed here: nothing to escape (the escaping
    of a hundred users' fourteen cells was a third of the page's time)."""
    user_id = int(row.user.pk)
    cells = []
    for cell in row.cells:
        day = cell.day.isoformat()
        classes = (f"text-center k-load-{cell.level}{'' if cell.working else ' k-day-off'}"
                   f"{' k-today' if cell.today else ''}")
        cells.append(CELL.format(classes, f"{tasks_base}?user={user_id}&amp;date={day}", day,
                                 f"{day_base}?user={user_id}&amp;date={day}", int(cell.count) or ""))
    return mark_safe("".join(cells))  # noqa: S308 - numbers, dates, class names and reversed paths only


def _task_line(zone: datetime.tzinfo, planned: selectors.PlannedTask, task_link: IdLink) -> dict[str, Any]:
    """What a planner shows of a task: its time on the viewer's clock (`zone`), its client (or «клиент недоступен»,
    or the project case) and its description."""
    task = planned.task
    start = task.starts_at.astimezone(zone)
    end = start + datetime.timedelta(minutes=task.duration_minutes)
    return {
        "task": task, "start": start, "end": end, "about": task.about,
        "closed": task.state == Task.State.CLOSED,
        "href": task_link(task.pk),
    }


@login_required
@require_GET
def fortnight_day(request: HttpRequest) -> HttpResponse:
    """A cell's context menu: the day's tasks of that user, each a link to its card (404 for a user whose plan the
    viewer may not see)."""
    user = user_of(request)
    planned_id = id_param(request.GET.get("user"))
    if planned_id is None or not selectors.may_see_plan_of(user, planned_id):
        raise Http404
    planned = selectors.plan_user(user, planned_id)
    day = _date(request.GET.get("date"), user_today(user))
    task_link = IdLink("activity:task")
    zone = user_zone(user)
    lines = [_task_line(zone, item, task_link) for item in selectors.day_tasks(user, planned, day)]
    return HttpResponse(render_to_string("activity/partials/fortnight_day.html", {
        "lines": lines, "day": day, "planned": planned, "day_url": _day_url(planned.pk, day),
    }))


def _new_task_url() -> str:
    """The new-task form, where this build has one (another part of the activity work adds it)."""
    try:
        return reverse("activity:task_new")
    except NoReverseMatch:
        return ""


def _hours(lines: list[dict[str, Any]], day: datetime.date) -> tuple[str, str]:
    """The grid's first and last time: the working day (Settings), widened to whole hours holding every task."""
    start, end = working_hours()
    first, last = start.hour * 60 + start.minute, end.hour * 60 + end.minute
    for line in lines:
        first = min(first, line["start"].hour * 60)
        finish = (line["end"].date() - day).days * 24 * 60 + line["end"].hour * 60 + line["end"].minute
        last = max(last, min(24 * 60, -(-finish // 60) * 60))
    if last <= first:
        last = min(24 * 60, first + 60)
    return f"{first // 60:02d}:{first % 60:02d}:00", f"{last // 60:02d}:{last % 60:02d}:00"


@login_required
@require_GET
def day(request: HttpRequest) -> HttpResponse:
    """«Планировщик дня»: one user's day in 15-minute rows; a holder of «журналы всех сотрудников» picks the user,
    anyone else sees his own day whatever the query names."""
    user = user_of(request)
    today = user_today(user)
    shown_day = _date(request.GET.get("date"), today)
    users = selectors.plan_users(user) if selectors.sees_everyone(user) else []
    planned = selectors.plan_user(user, id_param(request.GET.get("user")), among=users or None)
    task_link, move_link = IdLink("activity:task"), IdLink("activity:task_move")
    zone = user_zone(user)
    lines = [_task_line(zone, item, task_link) | {"movable": item.movable}
             for item in selectors.day_tasks(user, planned, shown_day)]
    first, last = _hours(lines, shown_day)
    events = [{
        "id": str(line["task"].pk),
        "title": " · ".join(text for text in (line["about"], line["task"].description) if text),
        "start": line["start"].replace(tzinfo=None).isoformat(timespec="minutes"),
        "end": line["end"].replace(tzinfo=None).isoformat(timespec="minutes"),
        "editable": line["movable"],
        "classNames": [f"k-task-{line['task'].importance}"] + (["k-task-closed"] if line["closed"] else []),
        "url": line["href"],
        "moveUrl": move_link(line["task"].pk),
        "seenStart": line["task"].starts_at.isoformat(),
        "seenDuration": line["task"].duration_minutes,
    } for line in lines]
    new_url = _new_task_url()
    return render(request, "activity/day.html", {
        "planned": planned,
        "users": users,
        "day": shown_day,
        "lines": lines,
        "new_url": f"{new_url}?{urlencode({'assignee': planned.pk, 'date': shown_day.isoformat()})}"
                   if new_url else "",
        "previous_url": _day_url(planned.pk, selectors.clamp(shown_day - DAY)),
        "next_url": _day_url(planned.pk, selectors.clamp(shown_day + DAY)),
        "refresh_url": _day_url(planned.pk, shown_day),
        "fortnight_url": _fortnight_url(shown_day),
        "calendar": {"date": shown_day.isoformat(), "from": first, "to": last, "events": events,
                     "locale": "ru" if (get_language() or "ru").startswith("ru") else "en"},
    })


@login_required
@require_POST
def task_move(request: HttpRequest, pk: int) -> HttpResponse:
    """A block moved or stretched in the day planner: saved at once; the answer is where the task now stands (the
    page's next move starts from it), or the refusal's message with its status."""
    user = user_of(request)
    task = policies.tasks.get(user, pk)
    form = TaskMoveForm(request.POST, zone=user_zone(user))
    if not form.is_valid():
        return error_response(ValidationError([str(error) for errors in form.errors.values() for error in errors]))
    try:
        moved = services.task_move(
            acting_user=user, task_id=task.pk, starts_at=form.cleaned_data["starts_at"],
            duration_minutes=form.cleaned_data["duration_minutes"],
            seen_starts_at=form.cleaned_data["seen_starts_at"], seen_duration=form.cleaned_data["seen_duration"],
        )
    except (DomainError, ValidationError) as exc:
        return error_response(exc)
    return JsonResponse({"seenStart": moved.starts_at.isoformat(), "seenDuration": moved.duration_minutes})
