"""Отчёты → «Задачи на контроле» (TSK-09) on the report framework: whose tasks it lists, closed ones only when
asked, the totals by state, overdue marks, «клиент недоступен», its pages, files and query counts."""

from __future__ import annotations

import datetime
import html
import re
from typing import Any

import pytest
from django.utils import timezone

from kontora.accounts.models import ClientScope
from kontora.activity.models import Task
from tests.accounts.factories import UserFactory
from tests.activity.factories import TaskFactory
from tests.clients.factories import ClientFactory
from tests.clients.support import make_private
from tests.support.http import signed_in
from tests.support.queries import assert_flat_queries

pytestmark = [pytest.mark.django_db, pytest.mark.feature("TSK-09")]

URL = "/reports/tasks-under-control/"
ROW = re.compile(r'<tr data-testid="report-row" data-row data-href="/tasks/(\d+)/">(.*?)</tr>')
MORE = re.compile(r'<tr class="k-journal-more" hx-get="([^"]+)"')


def _rows(http: Any, **params: Any) -> dict[int, str]:
    """The rows of every page, by task id: each row's HTML."""
    page = http.get(URL, {"run": "1", **params}).content.decode()
    rows = {int(pk): row for pk, row in ROW.findall(page)}
    while (more := MORE.search(page)) is not None:
        page = http.get(html.unescape(more.group(1)), headers={"HX-Request": "true"}).content.decode()
        rows.update({int(pk): row for pk, row in ROW.findall(page)})
    return rows


def _task(**fields: Any) -> Task:
    return TaskFactory(**fields)


def _closed(**fields: Any) -> Task:
    return TaskFactory(state=Task.State.CLOSED, closed_at=timezone.now(), **fields)


def test_active_tasks_and_closed_ones_only_when_asked(manager_user, manager_client):
    # given the manager's active and closed tasks and another manager's
    other = UserFactory()
    client = ClientFactory(curator=manager_user)
    active = _task(client=client, author=manager_user, assignee=other)
    rework = _task(client=client, author=other, assignee=manager_user, state=Task.State.REWORK)
    closed = _closed(client=client, author=manager_user)
    _task(client=ClientFactory(curator=other), author=other)
    # when the report is built without and with «Дополнить закрытыми задачами»
    plain = manager_client.get(URL, {"run": "1"}).content.decode()
    # then closed tasks come only when asked, and the totals count the states
    assert set(_rows(manager_client)) == {active.pk, rework.pk}
    assert set(_rows(manager_client, include_closed="on")) == {active.pk, rework.pk, closed.pk}
    assert "Возвращена на доработку: 1" in plain and "просрочено: 0" in plain
    assert set(_rows(manager_client, author=manager_user.pk)) == {active.pk}
    assert "Сформировал" in plain


def test_the_first_visit_shows_the_form_and_lists_nothing(manager_user, manager_client):
    _task(client=ClientFactory(curator=manager_user), author=manager_user)
    page = manager_client.get(URL).content.decode()
    assert 'data-testid="report-form"' in page and 'name="include_closed"' in page
    assert 'data-testid="report-table"' not in page


def test_overdue_rows_say_so_and_a_lost_clients_task_shows_client_unavailable(manager_user, manager_client):
    # given an active task past its due, a closed one past its due, and a task about a client made private since
    client = ClientFactory(curator=manager_user, short_name="Открытый клиент")
    past = timezone.now() - datetime.timedelta(days=2)
    overdue = _task(client=client, author=manager_user, starts_at=past)
    closed = _closed(client=client, author=manager_user, starts_at=past)
    other = UserFactory()
    secret = ClientFactory(curator=other, short_name="Тайный клиент")
    lost = _task(client=secret, author=other, assignee=manager_user)
    make_private(secret)
    # when
    rows = _rows(manager_client, include_closed="on")
    # then only the active one past its due is marked, and the lost client is not named
    assert "просрочена" in rows[overdue.pk] and "просрочена" not in rows[closed.pk]
    assert "Открытый клиент" in rows[overdue.pk]
    assert "клиент недоступен" in rows[lost.pk] and "Тайный клиент" not in rows[lost.pk]


@pytest.mark.parametrize("role", ["supervisor", "admin"])
def test_a_supervisor_and_an_administrator_see_every_employees_tasks_never_a_private_clients(role, manager_user):
    # given another manager's tasks about a plain and a private client, and a manager who is neither's author
    viewer = UserFactory(role=role, client_scope=ClientScope.FULL)
    task = _task(client=ClientFactory(curator=manager_user), author=manager_user)
    private = _task(client=make_private(ClientFactory(curator=manager_user)), author=manager_user,
                    description="Тайная задача")
    stranger = UserFactory()
    # then the supervisor (administrator) sees the plain one, never the private client's, in pages and files
    http = signed_in(viewer)
    assert task.pk in _rows(http) and private.pk not in _rows(http)
    assert "Тайная задача" not in http.get(URL, {"run": "1", "format": "csv"}).getvalue().decode()
    assert task.description in http.get(URL, {"run": "1", "format": "csv"}).getvalue().decode()
    # and the other manager sees neither
    assert task.pk not in _rows(signed_in(stranger))


def test_pages_of_fifty_go_on_by_due_and_the_file_holds_every_row(manager_user, manager_client):
    # given 55 tasks due one after another
    client = ClientFactory(curator=manager_user)
    start = timezone.now() + datetime.timedelta(days=1)
    tasks = [_task(client=client, author=manager_user, starts_at=start + datetime.timedelta(hours=n))
             for n in range(55)]
    # when
    first = manager_client.get(URL, {"run": "1"}).content.decode()
    # then the first page holds the nearest fifty and a «Показать ещё» for the rest
    assert [int(pk) for pk, _row in ROW.findall(first)] == [t.pk for t in tasks[:50]]
    assert list(_rows(manager_client)) == [t.pk for t in tasks]
    # and the export holds all 55, whatever the screen showed
    csv = manager_client.get(URL, {"run": "1", "format": "csv"}).getvalue().decode()
    assert all(t.description in csv for t in tasks)


def test_the_reports_queries_do_not_grow_with_the_rows(manager_user, manager_client):
    client = ClientFactory(curator=manager_user)

    def add(number: int) -> None:
        _task(client=client, author=manager_user)

    assert_flat_queries(lambda: manager_client.get(URL, {"run": "1", "include_closed": "on"}).content.decode(), add)


def test_a_bad_filter_is_marked_next_to_its_field(manager_user, manager_client):
    _task(client=ClientFactory(curator=manager_user), author=manager_user)
    page = manager_client.get(URL, {"run": "1", "date_from": "31.02.2026"}).content.decode()
    assert 'data-testid="error-date_from"' in page and not ROW.search(page)
