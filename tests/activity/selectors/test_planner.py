"""The planners' reads (PLN-01, PLN-02): whose plans, the two-week counts by the viewer's days, one user's day."""

from __future__ import annotations

import datetime
from typing import Any
from zoneinfo import ZoneInfo

import pytest

from kontora.activity.models import Task
from kontora.activity.selectors import planner
from kontora.core.models import Department, OfficeDay, UserParameters
from tests.accounts.factories import UserFactory
from tests.activity.factories import TaskFactory
from tests.clients.factories import ClientFactory
from tests.clients.support import make_private
from tests.support.queries import assert_queries

MONDAY = datetime.date(2026, 12, 7)


def _at(day: datetime.date, hour: int, minute: int = 0, zone: str = "UTC") -> datetime.datetime:
    return datetime.datetime.combine(day, datetime.time(hour, minute), tzinfo=ZoneInfo(zone))


def _task(assignee: Any, starts_at: datetime.datetime, **values: Any) -> Task:
    values.setdefault("client", ClientFactory(curator=assignee))
    return TaskFactory(author=assignee, assignee=assignee, starts_at=starts_at, **values)


@pytest.mark.feature("PLN-01")
@pytest.mark.django_db
def test_a_cell_counts_the_active_tasks_starting_on_that_day_of_the_viewers_clock() -> None:
    # given a manager in Novosibirsk (UTC+7) with tasks around his midnights and a closed one
    manager = UserFactory(role="manager")
    UserParameters.objects.create(user=manager, time_zone="Asia/Novosibirsk")
    _task(manager, _at(MONDAY, 16, 59))  # Monday 23:59 in Novosibirsk
    _task(manager, _at(MONDAY, 17, 0))  # Tuesday 00:00 there
    _task(manager, _at(MONDAY, 20, 0))  # Tuesday 03:00
    _task(manager, _at(MONDAY - datetime.timedelta(days=1), 17, 30))  # Monday 00:30 there, Sunday in UTC
    _task(manager, _at(MONDAY, 18, 0), state=Task.State.CLOSED, closed_at=_at(MONDAY, 19))  # closed: no load
    _task(manager, _at(MONDAY + datetime.timedelta(days=13), 16, 59))  # the second Sunday, 23:59 there
    _task(manager, _at(MONDAY + datetime.timedelta(days=13), 17, 0))  # the Monday after: out of the window
    # when his two weeks from Monday are counted
    plan = planner.fortnight(manager, MONDAY, MONDAY)
    # then each task falls on his own day, the closed one weighs nothing, the window ends on the second Sunday
    (row,) = plan.departments[0].rows
    counts = [cell.count for cell in row.cells]
    assert counts == [2, 2, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1]
    assert [cell.level for cell in row.cells][:2] == [1, 1]
    assert [cell.day for cell in row.cells] == [MONDAY + datetime.timedelta(days=n) for n in range(14)]


@pytest.mark.feature("PLN-01")
@pytest.mark.django_db
def test_the_colour_deepens_with_the_load_and_days_off_follow_the_office_calendar() -> None:
    manager = UserFactory(role="manager")
    for number in range(7):
        _task(manager, _at(MONDAY, 8, number))
    OfficeDay.objects.create(date=MONDAY + datetime.timedelta(days=1), is_working=False, note="Праздник")
    OfficeDay.objects.create(date=MONDAY + datetime.timedelta(days=5), is_working=True, note="Перенос")
    plan = planner.fortnight(manager, MONDAY, MONDAY)
    assert [planner.load_level(n) for n in (0, 1, 2, 3, 4, 5, 6, 7, 30)] == [0, 1, 1, 2, 2, 3, 3, 4, 4]
    assert plan.departments[0].rows[0].cells[0].level == 4
    assert [working for _day, working in plan.days][:7] == [True, False, True, True, True, True, False]


@pytest.mark.feature("PLN-01")
@pytest.mark.django_db
def test_a_manager_plans_himself_and_a_supervisor_everyone_by_department() -> None:
    # given two departments, a manager in each, a supervisor without one, and a dismissed employee
    sales, service = Department.objects.create(name="Продажи", order=1), Department.objects.create(name="Сервис",
                                                                                                   order=2)
    ivanov = UserFactory(role="manager", full_name="Иванов", department=service)
    petrov = UserFactory(role="manager", full_name="Петров", department=sales)
    boss = UserFactory(role="supervisor", full_name="Начальник", client_scope="full")
    UserFactory(role="manager", full_name="Уволенный", dismissed=True, department=sales)
    _task(petrov, _at(MONDAY, 9))
    # when each asks for the two weeks
    own = planner.fortnight(ivanov, MONDAY, MONDAY)
    everyone = planner.fortnight(boss, MONDAY, MONDAY)
    # then the manager sees himself only; the supervisor every active employee, by department, with the counts
    assert [[row.user for row in d.rows] for d in own.departments] == [[ivanov]]
    assert [(d.name, [row.user.full_name for row in d.rows]) for d in everyone.departments] == [
        ("Продажи", ["Петров"]), ("Сервис", ["Иванов"]), ("", ["Начальник"])]
    assert everyone.departments[0].rows[0].cells[0].count == 1
    # and the day of another user: the supervisor gets it, the manager gets his own
    assert planner.plan_user(boss, petrov.pk) == petrov
    assert planner.plan_user(ivanov, petrov.pk) == ivanov
    # and picked from the users already read, the same answers without a query
    listed = planner.plan_users(boss)
    with assert_queries(0):
        assert planner.plan_user(boss, petrov.pk, among=listed) == petrov
    assert [item.task.assignee_id for item in planner.day_tasks(boss, petrov, MONDAY)] == [petrov.pk]


@pytest.mark.feature("PLN-01", "PLN-02")
@pytest.mark.django_db
def test_another_curators_private_client_is_neither_counted_nor_listed_and_an_own_lost_one_is_unavailable() -> None:
    # given a manager with a task about his client that became another curator's private one, and one about his own
    manager = UserFactory(role="manager")
    boss = UserFactory(role="supervisor", client_scope="full")
    lost = make_private(ClientFactory(curator=UserFactory(role="manager")))
    _task(manager, _at(MONDAY, 9), client=lost)
    kept = _task(manager, _at(MONDAY, 11))
    # when the manager reads his day, then both are listed, the lost client's as not shown
    shown = [(item.task.client_id, item.task.client_shown) for item in planner.day_tasks(manager, manager, MONDAY)]
    assert shown == [(lost.pk, False), (kept.client_id, True)]
    # when the supervisor reads the manager's plan, then the private client's task is not even counted
    assert [item.task.pk for item in planner.day_tasks(boss, manager, MONDAY)] == [kept.pk]
    row = next(r for d in planner.fortnight(boss, MONDAY, MONDAY).departments for r in d.rows if r.user == manager)
    assert row.cells[0].count == 1
    assert planner.fortnight(manager, MONDAY, MONDAY).departments[0].rows[0].cells[0].count == 2


@pytest.mark.feature("PLN-01")
@pytest.mark.parametrize("scope", ["full", "open_all", "list_all", "own"])
@pytest.mark.django_db
def test_a_supervisor_counts_no_task_about_a_client_he_may_not_open(scope: str) -> None:
    # given a supervisor working in each mode, a manager with tasks about a shared client, another curator's
    # private client, and the supervisor's own task about that private client
    boss = UserFactory(role="supervisor", full_name="Начальник", client_scope=scope)
    manager, stranger = UserFactory(role="manager", full_name="Петров"), UserFactory(role="manager")
    shared, secret = ClientFactory(curator=manager), make_private(ClientFactory(curator=stranger))
    _task(manager, _at(MONDAY, 9), client=shared)
    _task(manager, _at(MONDAY, 10), client=secret)
    _task(manager, _at(MONDAY, 11), client=secret)
    TaskFactory(author=boss, assignee=manager, starts_at=_at(MONDAY, 12), client=secret)
    # when he counts the two weeks
    counts = planner.fortnight_counts(boss, [manager], MONDAY)
    # then the private client's tasks weigh nothing unless they are his own; the shared one counts where he opens it
    opens_shared = scope in ("full", "open_all")
    assert counts.get((manager.pk, 0), 0) == (1 if opens_shared else 0) + 1
