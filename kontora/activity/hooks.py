"""What activity plugs into the others: its policies and exits, the card's History and Tasks journals, the task
monitor, menu items, rights, Flexi-filter fields, job handlers and the periodic reminder job. Clients and core render
what is registered; clients imports nothing of activity."""

from __future__ import annotations

import datetime
from typing import Any

from django.utils.translation import gettext_lazy as _


def register() -> None:
    from kontora.accounts.hooks import (
        ADDITIONAL,
        ADMIN_ONLY,
        PASSWORD_CHANGED,
        RIGHTS,
        SIGNIN_LANDINGS,
        Right,
        SigninLanding,
    )
    from kontora.activity import policies, tasks
    from kontora.activity.selectors.events import clients_with_events
    from kontora.activity.selectors.tasks import clients_with_tasks
    from kontora.activity.services.cleanup import CLEANUP_JOB, CLEANUP_RIGHT
    from kontora.activity.views import feeds
    from kontora.clients.flexi.hooks import FILTER_FIELDS
    from kontora.clients.hooks import CARD_TABS, CLIENT_ROWS, CardTab, ClientRows
    from kontora.core.hooks import (
        EXITS,
        JOB_HANDLERS,
        MENU,
        MONITORS,
        PARAMETERS_TABS,
        POLICIES,
        JobHandler,
        MenuItem,
        Monitor,
        ParametersTab,
        right,
    )
    from kontora.targeting.hooks import GOAL_KINDS, GoalKind
    # The goals of targeting an event or a task reaches (TGT-01): events by type (and result), tasks done.
    GOAL_KINDS.register(GoalKind("event", _("Event"), by_event_type=True, order=10))
    GOAL_KINDS.register(GoalKind("task_done", _("Completed task"), order=20))

    POLICIES.register(policies.events)
    CLIENT_ROWS.register(ClientRows("events", _("Relationship history"), clients_with_events))
    CLIENT_ROWS.register(ClientRows("tasks", _("Tasks"), clients_with_tasks))
    POLICIES.register(policies.tasks)
    for item in _exits():
        EXITS.register(item)
    # The card's «История взаимоотношений» journal (HIS-01, CLI-14): not the card's change history («Сервис»).
    CARD_TABS.register(CardTab("events", _("Relationship history"), "activity:card_events", order=200,
                               short_label=_("History")))
    # The card's «Задачи» journal (CLI-14): every task about the client, to whoever opens the card.
    CARD_TABS.register(CardTab("tasks", _("Tasks"), "activity:card_tasks", order=205))
    # The project planner (PLN-03): open to everyone; its items have no client, so its pages are no exits.
    MENU.register(MenuItem("plans", _("Project planner"), "activity:projects", order=30))
    # The planners (PLN-01, PLN-02): everyone plans his own day; «журналы всех сотрудников» shows everyone's.
    MENU.register(MenuItem("plans", _("Two-week planner"), "activity:fortnight", group=20, order=10))
    MENU.register(MenuItem("plans", _("Day planner"), "activity:day", group=20, order=20))
    # PLN-04: the calendar address dies with the password it may have leaked with.
    PASSWORD_CHANGED.register(_password_changed)
    PARAMETERS_TABS.register(ParametersTab(
        key="calendar", label=_("Calendar"), template="activity/parameters_calendar.html",
        form_factory=feeds.parameters_tab_form, save=feeds.parameters_tab_save,
    ))
    # The journal is one page; its menu item says what it shows, as the process journal's does (the page reads the
    # user's right, not the query: `whose` only keeps the two items' keys apart).
    MENU.register(MenuItem("plans", _("Task journal"), "activity:task_journal", _own_journal, order=10))
    MENU.register(MenuItem("plans", _("Task journal of all employees"), "activity:task_journal", _all_journal,
                           order=10, query="whose=all"))
    MONITORS.register(Monitor("tasks", "activity:task_monitor", order=10))
    # The manual: the clean-up is the administrator's only; an Administration page is an administrator's page
    # (tests/core/views/test_admin_urls.py), so the right comes with the role and is not granted to others.
    RIGHTS.register(Right(
        CLEANUP_RIGHT, _("Database maintenance"),
        _("Delete closed tasks older than a chosen age (Administration → Database maintenance)."), ADDITIONAL,
        grantable=False, roles=ADMIN_ONLY, order=190,
    ))
    MENU.register(MenuItem("admin", _("Database maintenance"), "activity:cleanup", right(CLEANUP_RIGHT), order=105))
    JOB_HANDLERS.register(JobHandler(CLEANUP_JOB, tasks.tasks_cleanup_run))
    # Parameters → Вход в систему (TSK-08): the task journal (the overdue report, more urgent, is the reports').
    SIGNIN_LANDINGS.register(SigninLanding("task_journal", _journal_landing, order=20))
    for field_def in _filter_fields():
        FILTER_FIELDS.register(field_def)


def _filter_fields() -> list[Any]:
    """The Flexi-filter's Statistics conditions about history and tasks; all read card data (CARD)."""
    from kontora.activity.selectors import flexi as c
    from kontora.clients.flexi.hooks import CARD, FieldDef

    return [
        FieldDef("last_event_date", "statistics", _("Date of the last event"), "date", c.last_event_date,
                 order=100, reads=CARD),
        FieldDef("events", "statistics", _("Events of a type in a period"), "counted", c.events_counted,
                 directory="event-types", order=101, reads=CARD),
        FieldDef("has_active_tasks", "statistics", _("Has active tasks"), "flag", c.has_active_tasks, order=102,
                 reads=CARD),
        FieldDef("has_overdue_tasks", "statistics", _("Has overdue tasks"), "flag", c.has_overdue_tasks, order=103,
                 reads=CARD),
    ]


def _own_journal(user: Any, system: Any) -> bool:
    from kontora.activity import policies

    return not policies.sees_all_employees(user)


def _all_journal(user: Any, system: Any) -> bool:
    from kontora.activity import policies

    return policies.sees_all_employees(user)


def _journal_landing(user: Any) -> str | None:
    """The task journal of the user's active tasks, when he asked for it and has some."""
    from django.urls import reverse
    from django.utils.http import urlencode

    from kontora.activity.selectors.journal import ACTIVE, has_active_tasks
    from kontora.core.selectors.settings import user_parameters

    if not user_parameters(user).show_tasks_at_login or not has_active_tasks(user):
        return None
    return f"{reverse('activity:task_journal')}?{urlencode({'assignee': user.pk, 'state': ACTIVE})}"


def _password_changed(acting_user: Any, user: Any) -> None:
    from kontora.activity.services.feeds import calendar_feed_rotate

    calendar_feed_rotate(acting_user=acting_user, user=user)


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
    from kontora.core.hooks import EDITS, LIST, NOBODY, OPENS, ROWS, Exit
    from kontora.core.permissions import is_administrator

    task, event, client = "activity.Task", "activity.Event", "clients.Client"

    def pk(obj: Any) -> dict[str, Any]:
        return {"pk": obj.pk}

    def card(obj: Any) -> dict[str, Any]:
        return {"client_id": obj.pk}

    return [
        Exit("activity:task", task, OPENS, args=pk),
        # The task's form: its author's or an administrator's (the matrix's tasks are a stranger's).
        Exit("activity:task", task, OPENS, "POST", args=pk, who=is_administrator),
        # A transition: only the task's author or assignee (never a matrix user).
        Exit("activity:task_transition", task, NOBODY, "POST", args=pk,
             data=lambda t: {"action": "done", "seen_state": t.state}),
        Exit("activity:task_delete", task, OPENS, "POST", args=pk, who=is_administrator, removes=True),
        # «Новая задача» about a client: the same 404 as the card's for a client the user may not open.
        Exit("activity:task_new", client, OPENS, data=lambda c: {"client": c.pk}),
        Exit("activity:task_new", client, OPENS, "POST", data=lambda c: {"client": c.pk}),
        # the card's «Задачи» journal: the card's own pane, for those who open the card
        Exit("activity:card_tasks", client, OPENS, args=lambda c: {"client_id": c.pk}),
        # the card's History: its pane, the new event's form; an event's form (read-only to all who open the
        # client; corrected by its author on its day — none in the matrix — or an administrator) and its deletion
        Exit("activity:card_events", client, OPENS, args=card),
        Exit("activity:event_new", client, EDITS, args=card),
        Exit("activity:event_new", client, EDITS, "POST", args=card),
        Exit("activity:event", event, OPENS, args=pk),
        Exit("activity:event", event, EDITS, "POST", args=pk, who=is_administrator),
        Exit("activity:event_delete", event, EDITS, "POST", args=pk, who=is_administrator, removes=True),
        # The planners list another employee's tasks only to a holder of «журналы всех сотрудников», and only those
        # about clients he opens (the crawler's tasks are a stranger's); a manager asking for the stranger's day
        # gets his own (the page) or a refusal (the cell's menu).
        Exit("activity:fortnight", task, OPENS, answer=LIST, once=True),
        Exit("activity:fortnight_day", task, OPENS, data=_planned_day, answer=ROWS, who=sees_all_employees),
        Exit("activity:day", task, OPENS, data=_planned_day, answer=ROWS, who=sees_all_employees),
        # Another user's day plan: only to holders of «журналы всех сотрудников», and only his tasks about clients
        # the viewer opens (anyone else gets his own plan); the PDF is the same page drawn by the print module.
        Exit("activity:day_print", task, OPENS, data=_planned_day, answer=ROWS, who=sees_all_employees),
        # Moving another's task: its author, its assignee or an administrator (the crawler's users are none of the
        # first two), of a task he may read.
        Exit("activity:task_move", task, OPENS, "POST", args=pk, data=_unmoved, who=is_administrator),
        # The journal, the report and the monitor list the user's own tasks (or, with the right, everyone's about
        # clients he opens): no row about a client he may not see.
        Exit("activity:task_journal", task, OPENS, answer=LIST, once=True),
        Exit("activity:task_journal", task, OPENS, data=lambda t: {"client": t.client_id}, answer=LIST,
             key="client"),
        Exit("activity:task_monitor", task, OPENS, answer=LIST, once=True),
    ]
