"""What activity plugs into the others: its policies (and, as they land, the card's History and Tasks journals, the
task monitor, menu items, rights, filter fields and the periodic reminder job). Clients and core render what is
registered; clients imports nothing of activity."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _


def register() -> None:
    from kontora.accounts.hooks import ADDITIONAL, ADMIN_ONLY, RIGHTS, SIGNIN_LANDINGS, Right, SigninLanding
    from kontora.activity import policies, tasks
    from kontora.activity.services.cleanup import CLEANUP_JOB, CLEANUP_RIGHT
    from kontora.core.hooks import EXITS, JOB_HANDLERS, MENU, MONITORS, POLICIES, JobHandler, MenuItem, Monitor, right

    POLICIES.register(policies.events)
    POLICIES.register(policies.tasks)
    for item in _exits():
        EXITS.register(item)
    # The journal is one page; its menu item says what it shows, as the process journal's does (the page reads the
    # user's right, not the query: `whose` only keeps the two items' keys apart).
    MENU.register(MenuItem("plans", _("Task journal"), "activity:task_journal", _own_journal, order=10))
    MENU.register(MenuItem("plans", _("Task journal of all employees"), "activity:task_journal", _all_journal,
                           order=10, query="whose=all"))
    MENU.register(MenuItem("reports", _("Tasks under control"), "activity:task_control", order=10))
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
    # Parameters → Вход в систему (TSK-08): the overdue report first, it asks for more urgent action.
    SIGNIN_LANDINGS.register(SigninLanding("overdue_tasks", _overdue_landing, order=10))
    SIGNIN_LANDINGS.register(SigninLanding("task_journal", _journal_landing, order=20))


def _own_journal(user: Any, system: Any) -> bool:
    from kontora.activity import policies

    return not policies.sees_all_employees(user)


def _all_journal(user: Any, system: Any) -> bool:
    from kontora.activity import policies

    return policies.sees_all_employees(user)


def _overdue_landing(user: Any) -> str | None:
    """The control report narrowed to the user's overdue tasks, when he asked for it and has some."""
    from django.urls import reverse
    from django.utils.http import urlencode

    from kontora.activity.selectors.journal import has_overdue_tasks
    from kontora.core.selectors.settings import user_parameters

    if not user_parameters(user).report_overdue_at_login or not has_overdue_tasks(user):
        return None
    return f"{reverse('activity:task_control')}?{urlencode({'assignee': user.pk, 'overdue': 'on'})}"


def _journal_landing(user: Any) -> str | None:
    """The task journal of the user's active tasks, when he asked for it and has some."""
    from django.urls import reverse
    from django.utils.http import urlencode

    from kontora.activity.selectors.journal import ACTIVE, has_active_tasks
    from kontora.core.selectors.settings import user_parameters

    if not user_parameters(user).show_tasks_at_login or not has_active_tasks(user):
        return None
    return f"{reverse('activity:task_journal')}?{urlencode({'assignee': user.pk, 'state': ACTIVE})}"


def _exits() -> list[Any]:
    from kontora.core.hooks import LIST, OPENS, Exit

    task = "activity.Task"

    def pk(obj: Any) -> dict[str, Any]:
        return {"pk": obj.pk}

    return [
        Exit("activity:task", task, OPENS, args=pk),
        # The journal, the report and the monitor list the user's own tasks (or, with the right, everyone's about
        # clients he opens): no row about a client he may not see.
        Exit("activity:task_journal", task, OPENS, answer=LIST, once=True),
        Exit("activity:task_journal", task, OPENS, data=lambda t: {"client": t.client_id}, answer=LIST,
             key="client"),
        Exit("activity:task_control", task, OPENS, data=lambda t: {"include_closed": "on"}, answer=LIST, once=True),
        Exit("activity:task_monitor", task, OPENS, answer=LIST, once=True),
    ]
