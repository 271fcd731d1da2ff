"""A report's page (RPT-01 … RPT-04): the parameters, the result on screen with who generated it, its files, its
scope — one's own work without «Отчёты по всем пользователям», never another curator's private client — and bad
input answered next to the field."""

from __future__ import annotations

import datetime
import io
from typing import Any

import openpyxl
import pytest
from django.urls import reverse
from django.utils import timezone

from kontora.directories.models import EventType
from tests.accounts.factories import UserFactory
from tests.activity.factories import EventFactory
from tests.clients.factories import ClientFactory, ContactFactory
from tests.support.http import html, signed_in
from tests.support.queries import count_queries

TODAY = timezone.localdate()
PERIOD = {"run": "1", "date_from": (TODAY - datetime.timedelta(days=3)).isoformat(), "date_to": TODAY.isoformat()}


def _url(slug: str) -> str:
    return reverse("reports:report", args=[slug])


def _types() -> tuple[EventType, EventType]:
    return (EventType.objects.create(name="Звонок ТСТ", name_key="звонок тст"),
            EventType.objects.create(name="Встреча ТСТ", name_key="встреча тст"))


@pytest.fixture
def office(admin_user: Any, manager_user: Any) -> dict[str, Any]:
    """A manager's own events, a colleague's events, and a third curator's private client's event; a supervisor who
    opens every client but others' private ones."""
    supervisor_user = UserFactory(full_name="Сергей Супервизоров", role="supervisor", client_scope="full")
    call, meeting = _types()
    colleague = UserFactory(full_name="Борис Коллегин", role="manager")
    stranger = UserFactory(full_name="Вера Чужая", role="manager")
    own = ClientFactory(short_name="Своя фирма", curator=manager_user)
    theirs = ClientFactory(short_name="Фирма коллеги", curator=colleague)
    private = ClientFactory(short_name="Тайная фирма", curator=stranger, private=True)
    now = timezone.now()
    for _ in range(3):
        EventFactory(client=own, author=manager_user, event_type=call, created_at=now)
    EventFactory(client=own, author=manager_user, event_type=meeting, created_at=now)
    EventFactory(client=theirs, author=colleague, event_type=call, created_at=now)
    EventFactory(client=private, author=stranger, event_type=meeting, created_at=now)
    EventFactory(client=own, author=manager_user, event_type=call, created_at=now - datetime.timedelta(days=30))
    return {"manager": manager_user, "colleague": colleague, "stranger": stranger, "supervisor": supervisor_user,
            "admin": admin_user, "own": own, "private": private}


def _rows(page: str) -> str:
    return page.split('data-testid="report-table"', 1)[1]


@pytest.mark.feature("RPT-01", "RPT-02", "RPT-03")
def test_event_statistics_shows_a_manager_only_his_own_events(office: dict[str, Any]) -> None:
    # given a manager without «Отчёты по всем пользователям»
    client = signed_in(office["manager"])
    # when he generates the event statistics of these days
    page = html(client.get(_url("event-statistics"), PERIOD))
    # then it counts his four events of the period by type, with his name on the group and the total
    rows = _rows(page)
    assert "Алексей Менеджеров" in rows and "Борис Коллегин" not in rows and "Вера Чужая" not in rows
    assert ">Звонок ТСТ</td><td class=\"k-num\">3</td>" in rows
    assert ">Встреча ТСТ</td><td class=\"k-num\">1</td>" in rows
    assert 'data-testid="report-total"><td class="k-pre-wrap">Итого</td><td class="k-num">4</td>' in rows
    # and says who generated it and when (RPT-03), under the parameters as applied
    assert "Сформировал Алексей Менеджеров" in page
    assert 'data-testid="report-chart"' in page and "data:image/svg+xml;base64," in page
    # and offers no choice of users
    assert 'name="users"' not in page


@pytest.mark.feature("RPT-02")
def test_event_statistics_shows_a_supervisor_everyone_but_another_curators_private_client(
        office: dict[str, Any]) -> None:
    client = signed_in(office["supervisor"])
    page = _rows(html(client.get(_url("event-statistics"), PERIOD)))
    # every employee's events about clients he may open: the manager's four, the colleague's one
    assert "Алексей Менеджеров" in page and "Борис Коллегин" in page
    # the private client's event is counted nowhere (its author's group does not even appear)
    assert "Вера Чужая" not in page
    assert 'data-testid="report-total"><td class="k-pre-wrap">Итого</td><td class="k-num">5</td>' in page
    # positive control: the private client's curator counts it
    own = _rows(html(signed_in(office["stranger"]).get(_url("event-statistics"), PERIOD)))
    assert "Вера Чужая" in own and 'class="k-num">1</td>' in own


@pytest.mark.feature("RPT-02")
def test_a_supervisor_may_narrow_to_chosen_users_and_a_manager_cannot_widen_by_the_query(
        office: dict[str, Any]) -> None:
    page = _rows(html(signed_in(office["supervisor"]).get(
        _url("event-statistics"), {**PERIOD, "users": office["colleague"].pk})))
    assert "Борис Коллегин" in page and "Алексей Менеджеров" not in page
    # a manager who sends a colleague's id still gets his own events only
    page = _rows(html(signed_in(office["manager"]).get(
        _url("event-statistics"), {**PERIOD, "users": office["colleague"].pk})))
    assert "Алексей Менеджеров" in page and "Борис Коллегин" not in page


@pytest.mark.feature("RPT-04")
def test_the_report_as_xlsx_holds_the_screens_figures(office: dict[str, Any]) -> None:
    response = signed_in(office["manager"]).get(_url("event-statistics"), {**PERIOD, "format": "xlsx"})
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment;")
    body = b"".join(response.streaming_content)
    rows = [list(row) for row in openpyxl.load_workbook(io.BytesIO(body)).active.iter_rows(values_only=True)]
    assert ["Звонок ТСТ", 3, 75] in rows and ["Итого", 4, None] in rows


@pytest.mark.feature("RPT-04")
def test_every_format_answers_a_file(office: dict[str, Any]) -> None:
    client = signed_in(office["manager"])
    from kontora.reports.framework.render import formats

    for code, chosen in formats().items():
        response = client.get(_url("event-statistics"), {**PERIOD, "format": code})
        assert response.status_code == 200, code
        assert response["Content-Type"] == chosen.content_type, code
        assert f".{chosen.extension}" in response["Content-Disposition"], code


def test_bad_input_is_answered_next_to_the_field(office: dict[str, Any]) -> None:
    client = signed_in(office["manager"])
    # an empty period
    page = html(client.get(_url("event-statistics"), {"run": "1", "date_from": "", "date_to": ""}))
    assert "Укажите начало периода." in page and "Укажите конец периода." in page
    assert 'data-testid="report-table"' not in page
    # an end before the start
    page = html(client.get(_url("event-statistics"), {"run": "1", "date_from": "2026-12-04",
                                                       "date_to": "2026-12-01"}))
    assert "Конец периода раньше его начала." in page
    # a date out of the calendar's reach, a malformed one
    page = html(client.get(_url("event-statistics"), {"run": "1", "date_from": "0001-01-01",
                                                       "date_to": "2026-13-40"}))
    assert 'data-testid="report-table"' not in page and "is-invalid" in page
    # a format that does not exist, a report that does not exist
    assert client.get(_url("event-statistics"), {**PERIOD, "format": "exe"}).status_code == 404
    assert client.get(_url("no-such-report")).status_code == 404
    # positive control: the same parameters, well formed, draw the report
    assert 'data-testid="report-table"' in html(client.get(_url("event-statistics"), PERIOD))


def test_the_form_first_offers_this_month(manager_user: Any) -> None:
    page = html(signed_in(manager_user).get(_url("event-statistics")))
    assert f'value="{TODAY.replace(day=1).isoformat()}"' in page and f'value="{TODAY.isoformat()}"' in page
    assert 'data-testid="report-table"' not in page


@pytest.mark.feature("RPT-01")
def test_the_reports_menu_lists_the_reports(manager_user: Any) -> None:
    page = html(signed_in(manager_user).get("/"))
    assert _url("event-statistics") in page and _url("birthdays") in page


def test_event_statistics_reads_the_same_queries_for_many_events(office: dict[str, Any]) -> None:
    client = signed_in(office["supervisor"])
    client.get(_url("event-statistics"), PERIOD)
    with count_queries() as few:
        client.get(_url("event-statistics"), PERIOD)
    call = EventType.objects.get(name="Звонок ТСТ")
    for _ in range(3):
        author = UserFactory(role="manager")
        EventFactory.create_batch(5, client=office["own"], author=author, event_type=call)
    with count_queries() as many:
        page = html(client.get(_url("event-statistics"), PERIOD))
    assert page.count('data-testid="report-group"') == 5
    assert len(many) == len(few)


# --- birthdays -------------------------------------------------------------------------------------------------

@pytest.fixture
def contacts(manager_user: Any) -> dict[str, Any]:
    supervisor_user = UserFactory(full_name="Сергей Супервизоров", role="supervisor", client_scope="full")
    stranger = UserFactory(full_name="Вера Чужая", role="manager")
    colleague = UserFactory(full_name="Борис Коллегин", role="manager")
    day = TODAY - datetime.timedelta(days=1)
    born = datetime.date(1980, day.month, min(day.day, 28))
    own = ClientFactory(short_name="Своя фирма", curator=manager_user)
    theirs = ClientFactory(short_name="Фирма коллеги", curator=colleague)
    private = ClientFactory(short_name="Тайная фирма", curator=stranger, private=True)
    ContactFactory(client=own, full_name="Ольга Своя", birthday=born, position="Бухгалтер")
    ContactFactory(client=theirs, full_name="Пётр Коллегин", birthday=born)
    ContactFactory(client=private, full_name="Зоя Тайная", birthday=born)
    ContactFactory(client=own, full_name="Иван Без Даты")
    return {"manager": manager_user, "supervisor": supervisor_user, "stranger": stranger, "born": born}


@pytest.mark.feature("RPT-01", "RPT-02")
def test_birthdays_of_ones_own_clients_contacts(contacts: dict[str, Any]) -> None:
    period = {"run": "1", "date_from": (TODAY - datetime.timedelta(days=5)).isoformat(),
              "date_to": (TODAY + datetime.timedelta(days=5)).isoformat()}
    page = _rows(html(signed_in(contacts["manager"]).get(_url("birthdays"), period)))
    assert "Ольга Своя" in page and "Бухгалтер" in page and "Пётр Коллегин" not in page and "Зоя Тайная" not in page
    assert "Иван Без Даты" not in page
    page = _rows(html(signed_in(contacts["supervisor"]).get(_url("birthdays"), period)))
    assert "Ольга Своя" in page and "Пётр Коллегин" in page and "Зоя Тайная" not in page
    # positive control: the private client's curator sees his contact's birthday
    assert "Зоя Тайная" in _rows(html(signed_in(contacts["stranger"]).get(_url("birthdays"), period)))


def test_birthdays_refuse_a_period_longer_than_a_year(manager_user: Any) -> None:
    page = html(signed_in(manager_user).get(_url("birthdays"), {"run": "1", "date_from": "2026-01-01",
                                                                 "date_to": "2027-01-01"}))
    assert "Период длиннее года — сократите его." in page and 'data-testid="report-table"' not in page
    page = html(signed_in(manager_user).get(_url("birthdays"), {"run": "1", "date_from": "2026-01-01",
                                                                 "date_to": "2026-12-31"}))
    assert 'data-testid="report-table"' in page




# --- personal statistics ---------------------------------------------------------------------------------------

@pytest.mark.feature("RPT-01", "RPT-02")
def test_personal_statistics_counts_one_employees_clients_events_and_tasks(office: dict[str, Any]) -> None:
    from kontora.activity.models import Task
    from tests.activity.factories import TaskFactory

    manager, colleague = office["manager"], office["colleague"]
    now = timezone.now()
    ClientFactory(curator=manager, created_by=manager)
    ClientFactory(curator=colleague, created_by=colleague)
    TaskFactory(client=office["own"], author=manager, assignee=colleague)  # set by him
    done = TaskFactory(client=office["own"], author=colleague, assignee=manager,
                       starts_at=now - datetime.timedelta(minutes=30))  # due in half an hour, closed in time
    type(done).objects.filter(pk=done.pk).update(state=Task.State.CLOSED, closed_at=now)  # done by him
    TaskFactory(client=office["own"], author=colleague, assignee=manager,  # overdue: due yesterday, open
                starts_at=now - datetime.timedelta(days=1, hours=2), due_at=now - datetime.timedelta(days=1))
    page = _rows(html(signed_in(manager).get(_url("personal-statistics"), PERIOD)))
    figures = {label: value for label, value in _figures(page)}
    assert figures["Зарегистрировано клиентов"] == "1"  # the one above (the office's were registered by nobody)
    assert figures["Звонок ТСТ"] == "3" and figures["Встреча ТСТ"] == "1" and figures["Всего событий"] == "4"
    assert (figures["Поставлено задач"], figures["Выполнено задач"], figures["Просрочено задач"]) == ("1", "1", "1")
    # a manager asking for a colleague's statistics still gets his own
    page = html(signed_in(manager).get(_url("personal-statistics"), {**PERIOD, "employee": colleague.pk}))
    assert "Сотрудник: Алексей Менеджеров" in page
    # a supervisor chooses the colleague: one call, one client registered
    page = html(signed_in(office["supervisor"]).get(_url("personal-statistics"),
                                                    {**PERIOD, "employee": colleague.pk}))
    figures = dict(_figures(_rows(page)))
    assert "Сотрудник: Борис Коллегин" in page and figures["Звонок ТСТ"] == "1"
    assert figures["Зарегистрировано клиентов"] == "1" and page.count('data-testid="report-chart"') == 2


def _figures(rows: str) -> list[tuple[str, str]]:
    import re

    return re.findall(r'<tr data-testid="report-row"[^>]*><td class="k-pre-wrap">([^<]*)</td>'
                      r'<td class="k-num">([^<]*)</td></tr>', rows)


# --- the client summary (from the card's header) -----------------------------------------------------------------

@pytest.mark.feature("RPT-01")
def test_the_client_summary_puts_the_card_contacts_events_and_tasks_on_one_page(office: dict[str, Any]) -> None:
    from tests.activity.factories import TaskFactory

    manager, own = office["manager"], office["own"]
    ContactFactory(client=own, full_name="Ольга Своя", position="Бухгалтер", email="olga@firm.test")
    TaskFactory(client=own, author=manager, assignee=manager, description="Позвонить про договор")
    client = signed_in(manager)
    # the card's header offers it
    card = html(client.get(reverse("clients:card", args=[own.pk])))
    summary = reverse("reports:client_summary")
    assert f'{summary}?client={own.pk}' in card
    # and it shows the card's data, the contact, the events and the open task, printable and exportable
    page = html(client.get(summary, {"client": own.pk}))
    rows = _rows(page)
    assert "Сводная информация по клиенту: Своя фирма" in page and "Сформировал Алексей Менеджеров" in page
    assert "Ольга Своя" in rows and "Бухгалтер; olga@firm.test" in rows
    assert "Позвонить про договор (Алексей Менеджеров)" in rows and "Звонок ТСТ" in rows
    assert 'data-testid="report-export-pdf"' in page
    response = client.get(summary, {"client": own.pk, "format": "pdf"})
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"


def test_the_client_summary_of_a_client_one_may_not_open_is_a_404(office: dict[str, Any]) -> None:
    summary = reverse("reports:client_summary")
    client = signed_in(office["manager"])
    assert client.get(summary, {"client": office["private"].pk}).status_code == 404
    assert client.get(summary, {"client": 99_999_999}).status_code == 404
    # a malformed id: the form says so, no 500
    assert "Откройте сводку из карточки клиента." in html(client.get(summary, {"client": ""}))
    assert client.get(summary, {"client": "x"}).status_code == 200
    # positive control: the private client's curator gets it
    assert signed_in(office["stranger"]).get(summary, {"client": office["private"].pk}).status_code == 200
