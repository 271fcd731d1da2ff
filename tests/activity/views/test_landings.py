"""Parameters → «Вход в систему» (TSK-08): after signing in, the task journal when the user has active tasks, the
overdue-tasks report when he has overdue ones — each only when he asked for it; a page asked for (`next`) wins."""

from __future__ import annotations

import datetime
from typing import Any
from urllib.parse import parse_qs, urlsplit

import pytest
from django.test import Client
from django.utils import timezone

from kontora.activity.models import Task
from kontora.core.models import UserParameters
from tests.activity.factories import TaskFactory
from tests.clients.factories import ClientFactory
from tests.support.http import PASSWORD


def _sign_in(user: Any, next_url: str | None = None) -> str:
    data = {"login": user.login, "password": PASSWORD}
    if next_url is not None:
        data["next"] = next_url
    response = Client().post("/login/", data)
    assert response.status_code == 302
    return response["Location"]


def _boxes(user: Any, *, journal: bool = False, overdue: bool = False) -> None:
    UserParameters.objects.update_or_create(user=user, defaults={
        "show_tasks_at_login": journal, "report_overdue_at_login": overdue})


def _active(user: Any) -> Task:
    return TaskFactory(client=ClientFactory(curator=user), author=user)


def _overdue(user: Any) -> Task:
    past = timezone.now() - datetime.timedelta(days=3)
    return TaskFactory(client=ClientFactory(curator=user), author=user, starts_at=past)


@pytest.mark.feature("TSK-08")
def test_with_the_first_box_and_active_tasks_the_user_lands_on_his_task_journal(manager_user):
    # given the box «show the task journal at login» and an active task given to him
    _boxes(manager_user, journal=True)
    _active(manager_user)
    # when he signs in
    landed = urlsplit(_sign_in(manager_user))
    # then he lands on the journal of his active tasks
    assert landed.path == "/tasks/"
    assert parse_qs(landed.query) == {"assignee": [str(manager_user.pk)], "state": ["active"]}


@pytest.mark.feature("TSK-08")
def test_with_the_first_box_and_no_active_tasks_the_user_lands_on_the_main_window(manager_user):
    # given the box but only a closed task
    _boxes(manager_user, journal=True)
    TaskFactory(client=ClientFactory(curator=manager_user), author=manager_user, state=Task.State.CLOSED,
                closed_at=timezone.now())
    # then signing in leads to the main window
    assert _sign_in(manager_user) == "/"


@pytest.mark.feature("TSK-08")
def test_without_the_boxes_active_and_overdue_tasks_change_nothing(manager_user):
    _boxes(manager_user)
    _overdue(manager_user)
    assert _sign_in(manager_user) == "/"


@pytest.mark.feature("TSK-08")
def test_with_the_second_box_and_overdue_tasks_the_user_sees_the_overdue_report(manager_user):
    # given both boxes and an overdue task (the overdue report is the more urgent of the two)
    _boxes(manager_user, journal=True, overdue=True)
    task = _overdue(manager_user)
    # when he signs in
    target = _sign_in(manager_user)
    landed = urlsplit(target)
    # then he lands on the control report narrowed to his overdue tasks, and it lists that task
    assert landed.path == "/reports/tasks-under-control/"
    assert parse_qs(landed.query) == {"run": ["1"], "assignee": [str(manager_user.pk)], "overdue": ["on"]}
    http = Client()
    http.post("/login/", {"login": manager_user.login, "password": PASSWORD})
    page = http.get(target).content.decode()
    assert f'data-href="/tasks/{task.pk}/"' in page


@pytest.mark.feature("TSK-08")
def test_with_the_second_box_and_no_overdue_tasks_the_user_lands_on_the_main_window(manager_user):
    _boxes(manager_user, overdue=True)
    _active(manager_user)  # active, not overdue
    assert _sign_in(manager_user) == "/"


@pytest.mark.feature("TSK-08")
def test_a_page_asked_for_wins_over_the_landings(manager_user):
    # given both boxes and overdue tasks
    _boxes(manager_user, journal=True, overdue=True)
    _overdue(manager_user)
    # when he signs in on his way to a page
    # then he goes there, not to a landing
    assert _sign_in(manager_user, "/processes/") == "/processes/"
    # and the main window as `next` is no page asked for: the landing wins
    assert urlsplit(_sign_in(manager_user, "/")).path == "/reports/tasks-under-control/"
