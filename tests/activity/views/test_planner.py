"""The planners' pages (PLN-01, PLN-02): who sees whose plan, what a cell and a day show, the move's answers, and
query counts that do not grow with users or tasks."""

from __future__ import annotations

import datetime
import json
import re
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from django.test import Client as HttpClient

from kontora.activity.models import Task
from kontora.core.models import Department, OfficeDay
from tests.accounts.factories import UserFactory
from tests.activity.factories import TaskFactory
from tests.clients.factories import ClientFactory
from tests.clients.support import make_private
from tests.support.crawler import embedded_text
from tests.support.http import signed_in
from tests.support.queries import count_queries

MONDAY = datetime.date(2026, 12, 7)
MSK = ZoneInfo("Europe/Moscow")
ROW = re.compile(r'data-testid="fortnight-row" data-user="(\d+)"')
MENU_TASK = re.compile(r'data-testid="fortnight-menu-task" data-id="(\d+)"')


def _at(day: datetime.date, hour: int, minute: int = 0) -> datetime.datetime:
    return datetime.datetime.combine(day, datetime.time(hour, minute), tzinfo=MSK)


def _task(assignee: Any, starts_at: datetime.datetime, **values: Any) -> Task:
    values.setdefault("client", ClientFactory(curator=assignee, short_name=f"Клиент {assignee.full_name}"))
    values.setdefault("author", assignee)
    return TaskFactory(assignee=assignee, starts_at=starts_at, **values)


def _cells(page: str, user: Any) -> list[str]:
    """The counts of one user's row, as drawn."""
    row = page[page.index(f'data-user="{user.pk}"'):]
    row = row[:row.index("</tr>")]
    return re.findall(r'<a class="d-block k-fortnight-count"[^>]*>([^<]*)</a>', row)


@pytest.fixture
def other_manager(db: Any) -> Any:
    return UserFactory(login="other", full_name="Борис Другой", role="manager")


@pytest.fixture
def supervisor(db: Any) -> Any:
    """A supervisor who opens every client: the planners show him every employee's tasks about them."""
    return UserFactory(login="boss", full_name="Сергей Супервизоров", role="supervisor", client_scope="open_all")


@pytest.mark.feature("PLN-01")
@pytest.mark.django_db
def test_a_manager_sees_his_own_row_and_a_supervisor_and_an_administrator_everyones(
        manager_user: Any, other_manager: Any, supervisor: Any, admin_user: Any) -> None:
    # given a task of each manager on Monday, two of the other's on Tuesday
    _task(manager_user, _at(MONDAY, 10))
    _task(other_manager, _at(MONDAY, 11))
    _task(other_manager, _at(MONDAY + datetime.timedelta(days=1), 9))
    _task(other_manager, _at(MONDAY + datetime.timedelta(days=1), 12))
    url = f"/plans/fortnight/?date={MONDAY + datetime.timedelta(days=3)}"
    # when each opens the two-week planner at a Thursday of that week
    mine = _readable(signed_in(manager_user).get(url).content.decode())
    boss = _readable(signed_in(supervisor).get(url).content.decode())
    admin = signed_in(admin_user).get(url).content.decode()
    # then the manager sees his row only, from that week's Monday
    assert ROW.findall(mine) == [str(manager_user.pk)]
    assert "07.12.2026 – 20.12.2026" in mine
    assert _cells(mine, manager_user)[:2] == ["1", ""]
    # and the supervisor and the administrator see every active employee's, with the other's load
    for page in (boss, admin):
        assert set(ROW.findall(page)) == {str(u.pk) for u in (manager_user, other_manager, supervisor, admin_user)}
        assert _cells(page, other_manager)[:3] == ["1", "2", ""]
        assert 'data-day="2026-12-08"' in page and "k-load-1" in page


@pytest.mark.feature("PLN-01")
@pytest.mark.django_db
def test_the_weeks_slide_and_go_to_a_date_and_days_off_are_shaded(manager_client: HttpClient) -> None:
    OfficeDay.objects.create(date=datetime.date(2026, 12, 9), is_working=False, note="Праздник")
    page = manager_client.get("/plans/fortnight/?date=2026-12-09").content.decode()
    assert 'href="/plans/fortnight/?date=2026-11-30"' in page and 'href="/plans/fortnight/?date=2026-12-14"' in page
    heads = re.findall(r'<th scope="col" class="text-center([^"]*)" data-testid="fortnight-day-head"', page)
    assert ["k-day-off" in head for head in heads] == [False, False, True, False, False, True, True,
                                                      False, False, False, False, False, True, True]
    # a malformed date is today's fortnight, not an error
    assert manager_client.get("/plans/fortnight/?date=9999-99-99").status_code == 200
    assert manager_client.get("/plans/fortnight/?date=9999-12-31").status_code == 200


@pytest.mark.feature("PLN-01")
@pytest.mark.django_db
def test_a_cells_menu_lists_the_days_tasks_only_to_who_sees_that_plan(
        manager_user: Any, other_manager: Any, supervisor: Any) -> None:
    # given two tasks of the other manager on Monday and one on Tuesday
    first = _task(other_manager, _at(MONDAY, 9))
    second = _task(other_manager, _at(MONDAY, 15))
    _task(other_manager, _at(MONDAY + datetime.timedelta(days=1), 9))
    url = f"/plans/fortnight/day/?user={other_manager.pk}&date={MONDAY}"
    # when the supervisor asks for Monday's cell, then he gets its two tasks, each a link with its client
    page = signed_in(supervisor).get(url).content.decode()
    assert MENU_TASK.findall(page) == [str(first.pk), str(second.pk)]
    assert f'href="/tasks/{first.pk}/"' in page and "09:00 · Клиент Борис Другой" in page
    # when another manager asks for it, then it is refused; his own cell answers
    assert signed_in(manager_user).get(url).status_code == 404
    own = signed_in(other_manager).get(url)
    assert own.status_code == 200 and MENU_TASK.findall(own.content.decode()) == [str(first.pk), str(second.pk)]


def _readable(page: str) -> str:
    """The page with the day planner's blocks read out of their JSON (where non-Latin letters are \\u-escaped), as
    the access crawler reads them."""
    return f"{page}\n{embedded_text(page)}"


@pytest.mark.feature("PLN-02")
@pytest.mark.django_db
def test_a_manager_asking_for_another_users_day_gets_his_own(
        manager_user: Any, other_manager: Any, supervisor: Any) -> None:
    _task(manager_user, _at(MONDAY, 10), description="Моя задача")
    _task(other_manager, _at(MONDAY, 11), description="Чужая задача")
    url = f"/plans/day/?user={other_manager.pk}&date={MONDAY}"
    mine = _readable(signed_in(manager_user).get(url).content.decode())
    assert "Моя задача" in mine and "Чужая задача" not in mine
    assert 'data-testid="day-user-select"' not in mine
    boss = _readable(signed_in(supervisor).get(url).content.decode())
    assert "Чужая задача" in boss and "Моя задача" not in boss
    assert 'data-testid="day-user-select"' in boss and f'<option value="{other_manager.pk}" selected>' in boss


@pytest.mark.feature("PLN-02")
@pytest.mark.django_db
def test_the_day_draws_the_working_hours_in_quarter_hours_with_each_task_by_start_and_length(
        manager_client: HttpClient, manager_user: Any) -> None:
    task = _task(manager_user, _at(MONDAY, 10), duration_minutes=45)
    closed = _task(manager_user, _at(MONDAY, 19, 15), duration_minutes=30, state=Task.State.CLOSED,
                   closed_at=_at(MONDAY, 20))
    page = manager_client.get(f"/plans/day/?date={MONDAY}").content.decode()
    data = json.loads(re.search(r'<script id="k-day-data" type="application/json">(.*?)</script>', page,
                                re.S).group(1))
    # the working day 9–18, widened to the hour that holds the evening's closed task
    assert (data["date"], data["from"], data["to"]) == ("2026-12-07", "09:00:00", "20:00:00")
    assert [(e["id"], e["start"], e["end"], e["editable"]) for e in data["events"]] == [
        (str(task.pk), "2026-12-07T10:00", "2026-12-07T10:45", True),
        (str(closed.pk), "2026-12-07T19:15", "2026-12-07T19:45", False),
    ]
    assert "k-task-closed" in data["events"][1]["classNames"]
    assert data["events"][0]["moveUrl"] == f"/tasks/{task.pk}/move/"


@pytest.mark.feature("PLN-01", "PLN-02")
@pytest.mark.django_db
def test_a_task_about_a_client_the_user_lost_shows_nothing_of_the_client(manager_user: Any) -> None:
    # given the manager's task about a client that became another curator's private one
    lost = make_private(ClientFactory(curator=UserFactory(), short_name="Тайный клиент", full_name="ООО Тайна"))
    _task(manager_user, _at(MONDAY, 10), client=lost, description="Позвонить")
    http = signed_in(manager_user)
    # when he opens his day and the cell's menu, then the task is there with «клиент недоступен», the client not
    for url in (f"/plans/day/?date={MONDAY}", f"/plans/fortnight/day/?user={manager_user.pk}&date={MONDAY}"):
        page = _readable(http.get(url).content.decode())
        assert "Позвонить" in page and "клиент недоступен" in page
        assert "Тайн" not in page and f"/clients/{lost.pk}/" not in page


@pytest.mark.feature("PLN-02")
@pytest.mark.django_db
def test_the_move_answers_where_the_task_stands_or_why_not(manager_user: Any, other_manager: Any) -> None:
    task = _task(manager_user, _at(MONDAY, 10), duration_minutes=30)
    http = signed_in(manager_user)
    seen = {"seen_starts_at": task.starts_at.isoformat(), "seen_duration": 30}
    # a move to 14:30 for 45 minutes
    moved = http.post(f"/tasks/{task.pk}/move/", {"starts_at": "2026-12-07T14:30", "duration_minutes": 45, **seen})
    assert moved.status_code == 200
    assert moved.json() == {"seenStart": "2026-12-07T14:30:00+03:00", "seenDuration": 45}
    task.refresh_from_db()
    assert (task.starts_at, task.duration_minutes) == (_at(MONDAY, 14, 30), 45)
    # the same page's next move, still seen at 10:00, is stale
    stale = http.post(f"/tasks/{task.pk}/move/", {"starts_at": "2026-12-07T16:00", "duration_minutes": 45, **seen})
    assert stale.status_code == 409 and "Обновите планировщик" in stale.content.decode()
    # another manager may not even read it; a malformed time is refused with a message
    assert signed_in(other_manager).post(f"/tasks/{task.pk}/move/", {
        "starts_at": "2026-12-07T16:00", "duration_minutes": 45, "seen_starts_at": moved.json()["seenStart"],
        "seen_duration": 45}).status_code == 404
    bad = http.post(f"/tasks/{task.pk}/move/", {"starts_at": "вчера", "duration_minutes": 45, **seen})
    assert bad.status_code == 422 and "Введите правильные дату и время." in bad.content.decode()
    task.refresh_from_db()
    assert task.starts_at == _at(MONDAY, 14, 30)


def _queries(http: HttpClient, url: str) -> int:
    with count_queries() as captured:
        assert http.get(url).status_code == 200
    return len(captured)


@pytest.mark.feature("PLN-01")
@pytest.mark.django_db
def test_the_fortnight_costs_the_same_queries_for_many_users_and_tasks(supervisor: Any) -> None:
    http = signed_in(supervisor)
    department = Department.objects.create(name="Продажи")
    url = f"/plans/fortnight/?date={MONDAY}"

    def staff(count: int) -> None:
        for _number in range(count):
            user = UserFactory(role="manager", department=department)
            for day in range(0, 14, 3):
                _task(user, _at(MONDAY + datetime.timedelta(days=day), 10))

    staff(1)
    _queries(http, url)  # warms the per-process caches (settings, menu)
    few = _queries(http, url)
    staff(12)
    many = _queries(http, url)
    assert few == many


@pytest.mark.feature("PLN-02")
@pytest.mark.django_db
def test_the_day_and_a_cells_menu_cost_the_same_queries_for_many_tasks(manager_user: Any) -> None:
    http = signed_in(manager_user)
    urls = (f"/plans/day/?date={MONDAY}", f"/plans/fortnight/day/?user={manager_user.pk}&date={MONDAY}")

    def tasks(count: int, start: int) -> None:
        for number in range(count):
            _task(manager_user, _at(MONDAY, 9, 0) + datetime.timedelta(minutes=15 * (start + number)),
                  client=ClientFactory(curator=manager_user))

    tasks(1, 0)
    for url in urls:
        _queries(http, url)
    few = [_queries(http, url) for url in urls]
    tasks(20, 1)
    assert [_queries(http, url) for url in urls] == few


@pytest.mark.feature("PLN-02")
def test_the_day_planner_prints_the_day_it_shows_and_adds_a_task_for_its_user(
        manager_user: Any, other_manager: Any, supervisor: Any) -> None:
    page = signed_in(supervisor).get(f"/plans/day/?user={other_manager.pk}&date={MONDAY}").content.decode()
    assert f'href="/planner/day/print/?user={other_manager.pk}&amp;date={MONDAY}"' in page
    assert f'href="/tasks/new/?assignee={other_manager.pk}&amp;date={MONDAY}"' in page
