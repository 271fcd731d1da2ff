"""The day plan's print (PLN-02): a user's tasks of one day in start order, as a printable page and as a PDF; his
own plan to everyone, any user's to holders of «журналы всех сотрудников», never another's to anyone else."""

from __future__ import annotations

import datetime
import io
from typing import Any

import pypdf
import pytest
from django.urls import reverse

from kontora.accounts.models import ClientScope, Role
from kontora.activity.models import Task
from kontora.core.selectors.calendar import office_zone
from tests.accounts.factories import UserFactory
from tests.activity.factories import TaskFactory
from tests.clients.factories import ClientFactory
from tests.support.http import html, signed_in
from tests.support.queries import assert_flat_queries

DAY = datetime.date(2026, 3, 10)
URL = reverse("activity:day_print")


def at(day: datetime.date, hour: int, minute: int = 0) -> datetime.datetime:
    return datetime.datetime(day.year, day.month, day.day, hour, minute, tzinfo=office_zone())


def task(assignee: Any, start: datetime.datetime, description: str, **values: Any) -> Task:
    values.setdefault("client", ClientFactory(curator=assignee, short_name=f"Клиент {description}"))
    minutes = values.pop("duration_minutes", 60)
    return TaskFactory(assignee=assignee, author=values.pop("author", assignee), starts_at=start,
                       duration_minutes=minutes, due_at=start + datetime.timedelta(minutes=minutes),
                       description=description, **values)


def ask(http: Any, **query: Any) -> Any:
    return http.get(URL, {"date": DAY.isoformat(), **query})


@pytest.mark.feature("PLN-02")
@pytest.mark.django_db
def test_the_own_day_lists_that_days_tasks_in_start_order(manager_user: Any, manager_client: Any) -> None:
    # given the manager's tasks on the day (entered out of order), one the day before and one the day after
    task(manager_user, at(DAY, 14, 30), "Позвонить после обеда", importance=Task.Importance.HIGH,
         duration_minutes=45)
    task(manager_user, at(DAY, 9, 15), "Утренняя встреча")
    task(manager_user, at(DAY - datetime.timedelta(days=1), 23, 0), "Вчерашняя задача")
    task(manager_user, at(DAY + datetime.timedelta(days=1), 0, 0), "Завтрашняя задача")
    # when he prints his day
    response = ask(manager_client)
    # then the day's two tasks are listed, earliest first, with their time on his clock, duration, client,
    # importance and state
    page = html(response)
    assert response.status_code == 200
    assert page.index("Утренняя встреча") < page.index("Позвонить после обеда")
    assert "Вчерашняя задача" not in page and "Завтрашняя задача" not in page
    assert "09:15–10:15" in page and "14:30–15:15" in page and ">45<" in page
    assert "Клиент Позвонить после обеда" in page
    assert "Высокая" in page and "Поставлена" in page
    assert "План на день: Алексей Менеджеров, 10.03.2026" in page


@pytest.mark.feature("PLN-02")
@pytest.mark.django_db
def test_a_supervisor_prints_a_managers_day(manager_user: Any, supervisor_user: Any) -> None:
    # given a supervisor who opens every client, and a manager's task of the day
    supervisor_user.client_scope = ClientScope.OPEN_ALL
    supervisor_user.save(update_fields=["client_scope"])
    task(manager_user, at(DAY, 11), "Задача менеджера")
    # when the supervisor prints the manager's day
    response = ask(signed_in(supervisor_user), user=manager_user.pk)
    # then it is the manager's plan, with his task and its client
    page = html(response)
    assert "Задача менеджера" in page and "Клиент Задача менеджера" in page
    assert "План на день: Алексей Менеджеров" in page


@pytest.mark.feature("PLN-02")
@pytest.mark.django_db
def test_another_manager_asking_for_a_managers_day_gets_his_own(manager_user: Any) -> None:
    # given two managers with a task each on the day
    other = UserFactory(login="other", full_name="Олег Другов", role=Role.MANAGER, client_scope=ClientScope.FULL)
    task(manager_user, at(DAY, 10), "Чужая задача")
    task(other, at(DAY, 12), "Своя задача")
    # when the other one asks for the manager's day
    response = ask(signed_in(other), user=manager_user.pk)
    # then he gets his own plan: never the manager's task or client
    page = html(response)
    assert response.status_code == 200
    assert "Своя задача" in page and "План на день: Олег Другов" in page
    assert "Чужая задача" not in page and "Клиент Чужая задача" not in page


@pytest.mark.feature("PLN-02")
@pytest.mark.django_db
def test_a_task_whose_client_he_can_no_longer_open_shows_the_client_unavailable(manager_user: Any,
                                                                                  manager_client: Any) -> None:
    # given the manager's task about a client that became another curator's private one
    stranger = UserFactory(login="stranger", role=Role.MANAGER)
    hidden = ClientFactory(curator=stranger, private=True, short_name="Секретный клиент")
    task(manager_user, at(DAY, 10), "Задача о закрытом клиенте", client=hidden)
    # when he prints his day
    page = html(ask(manager_client))
    # then the task is there, its client only «клиент недоступен»
    assert "Задача о закрытом клиенте" in page
    assert "клиент недоступен" in page and "Секретный клиент" not in page


@pytest.mark.feature("PLN-02")
@pytest.mark.django_db
def test_the_day_plan_prints_as_a_pdf(manager_user: Any, manager_client: Any) -> None:
    # given a task of the day
    task(manager_user, at(DAY, 10), "Договор")
    # when the day is asked as a PDF
    response = ask(manager_client, format="pdf")
    # then it is the same plan, drawn by the print module, numbered «стр. 1 из 1»
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    text = pypdf.PdfReader(io.BytesIO(response.content)).pages[0].extract_text()
    assert "Клиент Договор" in " ".join(text.split())
    assert "10:00–11:00" in text and "План на день: Алексей Менеджеров, 10.03.2026" in text
    assert "стр. 1 из 1" in text


@pytest.mark.feature("PLN-02")
@pytest.mark.django_db
def test_a_printable_page_links_its_pdf_and_prints_from_a_button(manager_client: Any, manager_user: Any) -> None:
    page = html(ask(manager_client))
    assert f"?user={manager_user.pk}&amp;date=2026-03-10&amp;format=pdf" in page
    assert "data-k-print" in page


@pytest.mark.feature("PLN-02")
@pytest.mark.django_db
def test_a_wrong_date_is_refused_with_a_message(manager_client: Any) -> None:
    response = manager_client.get(URL, {"date": "10000-01-01"})
    assert response.status_code == 400
    assert "Дата" in html(response)
    response = manager_client.get(URL, {"date": "2026-03-10", "user": "99999999999999999999"})
    assert response.status_code == 400


@pytest.mark.feature("PLN-02")
@pytest.mark.django_db
def test_the_day_print_reads_as_many_queries_with_many_tasks(manager_user: Any, manager_client: Any) -> None:
    def add(number: int) -> None:
        task(manager_user, at(DAY, 9) + datetime.timedelta(minutes=15 * number), f"Задача {number}")

    page = assert_flat_queries(lambda: html(ask(manager_client)), add)
    assert "Задача 19" in page


@pytest.mark.feature("PLN-02")
@pytest.mark.django_db
def test_a_supervisors_print_of_a_day_reads_as_many_queries_with_many_tasks(manager_user: Any,
                                                                             supervisor_user: Any) -> None:
    http = signed_in(supervisor_user)

    def add(number: int) -> None:
        task(manager_user, at(DAY, 9) + datetime.timedelta(minutes=15 * number), f"Задача {number}",
             client=ClientFactory(curator=supervisor_user if number % 2 else manager_user))

    page = assert_flat_queries(lambda: html(ask(http, user=manager_user.pk)), add)
    assert "Задача 19" in page
