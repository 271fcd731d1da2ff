"""The Assistant's task monitor (TSK-02, TSK-05, TSK-07): the user's own tasks of today (on his clock) and overdue
ones, with a count badge; his clients whose next contact date has come; never another manager's; query counts."""

from __future__ import annotations

import datetime
import re
from typing import Any

import pytest
from django.utils import timezone

from kontora.accounts.models import ClientScope
from kontora.activity.models import Task
from kontora.core.models import UserParameters
from kontora.core.selectors.calendar import user_today, user_zone
from tests.accounts.factories import UserFactory
from tests.activity.factories import TaskFactory
from tests.clients.factories import ClientFactory
from tests.support.http import signed_in
from tests.support.queries import count_queries

TASK = re.compile(r'data-testid="monitor-task" data-id="(\d+)"')
CONTACT = re.compile(r'data-testid="monitor-contact" data-id="(\d+)"')
BADGE = re.compile(r'data-testid="task-monitor-badge">(\d+)<')


def _monitor(http: Any) -> str:
    response = http.get("/tasks/monitor/")
    assert response.status_code == 200
    return response.content.decode()


def _at(user: Any, day_offset: int, hour: int) -> datetime.datetime:
    """A moment of the user's day `day_offset` days from his today, at `hour` on his clock."""
    day = user_today(user) + datetime.timedelta(days=day_offset)
    return datetime.datetime.combine(day, datetime.time(hour), tzinfo=user_zone(user))


@pytest.mark.feature("TSK-07")
def test_the_monitor_lists_todays_and_overdue_tasks_given_to_the_user_with_a_badge(manager_user, manager_client):
    # given tasks given to the manager: one today, one overdue, one tomorrow, one closed today; another's today
    client = ClientFactory(curator=manager_user)
    other = UserFactory()
    today = TaskFactory(client=client, author=other, assignee=manager_user, starts_at=_at(manager_user, 0, 23),
                        duration_minutes=30)
    overdue = TaskFactory(client=client, author=manager_user, starts_at=timezone.now() - datetime.timedelta(days=3))
    TaskFactory(client=client, author=manager_user, starts_at=_at(manager_user, 1, 12))
    TaskFactory(client=client, author=manager_user, starts_at=_at(manager_user, 0, 0), state=Task.State.CLOSED,
                closed_at=timezone.now())
    TaskFactory(client=client, author=manager_user, assignee=other, starts_at=_at(manager_user, 0, 23))
    foreign = TaskFactory(client=ClientFactory(curator=other), author=other, starts_at=_at(other, 0, 23))
    # when the monitor is polled
    page = _monitor(manager_client)
    # then it shows his today's and overdue tasks, the overdue one marked, and their count
    assert sorted(map(int, TASK.findall(page))) == sorted([today.pk, overdue.pk])
    assert foreign.pk not in map(int, TASK.findall(page))
    assert BADGE.findall(page) == ["2"]
    assert "k-task-overdue" in page.split(f'data-id="{overdue.pk}"')[0].rsplit("<li", 1)[1]
    assert f'href="/tasks/{today.pk}/"' in page


@pytest.mark.feature("TSK-07")
def test_today_is_the_users_own(manager_user, manager_client):
    # given a manager in Vladivostok (UTC+10) and a task at 08:00 of his tomorrow
    UserParameters.objects.create(user=manager_user, time_zone="Asia/Vladivostok")
    client = ClientFactory(curator=manager_user)
    tomorrow = TaskFactory(client=client, author=manager_user, starts_at=_at(manager_user, 1, 8))
    today = TaskFactory(client=client, author=manager_user, starts_at=_at(manager_user, 0, 23))
    # then the monitor reads his day, not the server's
    assert list(map(int, TASK.findall(_monitor(manager_client)))) == [today.pk]
    assert tomorrow.pk


@pytest.mark.feature("TSK-05")
def test_the_monitor_lists_his_clients_whose_next_contact_date_has_come(manager_user, manager_client):
    # given his clients to contact yesterday, today and tomorrow, and another curator's due today
    today = user_today(manager_user)
    yesterday = ClientFactory(curator=manager_user, next_contact_date=today - datetime.timedelta(days=1))
    due = ClientFactory(curator=manager_user, next_contact_date=today)
    ClientFactory(curator=manager_user, next_contact_date=today + datetime.timedelta(days=1))
    ClientFactory(curator=manager_user)
    others = ClientFactory(curator=UserFactory(), next_contact_date=today)
    # when the monitor is polled
    page = _monitor(manager_client)
    # then it lists the two that are due, the longest waiting first, each linking to its card
    assert list(map(int, CONTACT.findall(page))) == [yesterday.pk, due.pk]
    assert others.pk not in map(int, CONTACT.findall(page))
    assert f'href="/clients/{due.pk}/"' in page


@pytest.mark.feature("TSK-07")
def test_the_monitor_shows_at_most_ten_of_each_with_the_way_to_all(manager_user, manager_client):
    client = ClientFactory(curator=manager_user)
    today = user_today(manager_user)
    for _ in range(12):
        TaskFactory(client=client, author=manager_user, starts_at=timezone.now() - datetime.timedelta(days=2))
        ClientFactory(curator=manager_user, next_contact_date=today)
    page = _monitor(manager_client)
    assert len(TASK.findall(page)) == 10 and BADGE.findall(page) == ["12"]
    assert 'data-testid="monitor-all-tasks"' in page
    assert len(CONTACT.findall(page)) == 10 and "и ещё 2 клиента" in page


@pytest.mark.feature("TSK-07")
def test_the_monitor_never_shows_another_managers_tasks_even_to_a_supervisor(manager_user):
    # given a supervisor who opens every client, and a manager's overdue task
    supervisor = UserFactory(role="supervisor", client_scope=ClientScope.FULL)
    task = TaskFactory(client=ClientFactory(curator=manager_user), author=manager_user,
                       starts_at=timezone.now() - datetime.timedelta(days=1))
    # then the monitor is each user's own: the manager sees his task (positive control), the supervisor does not
    assert task.pk in map(int, TASK.findall(_monitor(signed_in(manager_user))))
    assert task.pk not in map(int, TASK.findall(_monitor(signed_in(supervisor))))


@pytest.mark.feature("TSK-07")
def test_the_monitors_queries_do_not_grow_with_its_rows(manager_user, manager_client):
    today = user_today(manager_user)

    def add(count: int) -> None:
        for _ in range(count):
            client = ClientFactory(curator=manager_user, next_contact_date=today)
            TaskFactory(client=client, author=manager_user, starts_at=timezone.now() - datetime.timedelta(hours=5))

    def queries() -> int:
        with count_queries() as captured:
            _monitor(manager_client)
        return len(captured)

    add(11)
    queries()  # warms the per-process caches
    few = queries()
    add(30)
    assert queries() == few
