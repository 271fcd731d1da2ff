"""The task journal (TSK-07): whose tasks it lists, its filters, overdue marks, «клиент недоступен», pages and query
counts. The «Задачи на контроле» report is tested with the reports (tests/reports/views/test_task_control.py)."""

from __future__ import annotations

import datetime
import re
from typing import Any

import pytest
from django.utils import timezone

from kontora.accounts.models import ClientScope
from kontora.activity.models import Task
from kontora.activity.selectors import journal as journal_selectors
from kontora.core.models import UserParameters
from tests.accounts.factories import UserFactory
from tests.activity.factories import TaskFactory
from tests.clients.factories import ClientFactory
from tests.clients.support import grant_right, make_private
from tests.support.http import signed_in
from tests.support.queries import assert_flat_queries

ROW = re.compile(r'<tr data-row data-id="(\d+)"')
MORE = re.compile(r'<tr class="k-journal-more" data-k-more="next" hx-get="([^"]+)"')


def _ids(http: Any, url: str = "/tasks/") -> list[int]:
    """The ids of the rows, through every "show more" page."""
    page = http.get(url).content.decode()
    ids = [int(pk) for pk in ROW.findall(page)]
    more = MORE.findall(page)
    while more:
        page = http.get(more[0].replace("&amp;", "&"), HTTP_HX_REQUEST="true").content.decode()
        ids += [int(pk) for pk in ROW.findall(page)]
        more = MORE.findall(page)
    return ids


def _task(**fields: Any) -> Task:
    return TaskFactory(**fields)


def _closed(**fields: Any) -> Task:
    return TaskFactory(state=Task.State.CLOSED, closed_at=timezone.now(), **fields)


@pytest.mark.feature("TSK-07")
def test_a_manager_sees_the_tasks_he_set_or_was_given_and_no_other_managers(manager_user, manager_client):
    # given tasks the manager set, tasks he was given, and another manager's own task about another client
    other = UserFactory(full_name="Пётр Другой")
    mine = ClientFactory(curator=manager_user)
    set_by_him = _task(client=mine, author=manager_user, assignee=other)
    given_him = _task(client=mine, author=other, assignee=manager_user)
    others = _task(client=ClientFactory(curator=other), author=other)
    others_about_his_client = _task(client=mine, author=other, assignee=other)
    # when he opens the journal
    ids = _ids(manager_client)
    # then only his own work is listed
    assert sorted(ids) == sorted([set_by_him.pk, given_him.pk])
    assert others.pk not in ids and others_about_his_client.pk not in ids


@pytest.mark.feature("TSK-07")
@pytest.mark.parametrize("role", ["supervisor", "admin"])
def test_a_supervisor_and_an_administrator_see_everyones_tasks_within_client_access(role, manager_user):
    # given another manager's tasks about a plain client and about his private one
    viewer = UserFactory(role=role, client_scope=ClientScope.FULL)
    plain = _task(client=ClientFactory(curator=manager_user), author=manager_user)
    private = _task(client=make_private(ClientFactory(curator=manager_user)), author=manager_user)
    # when the supervisor (or administrator) opens the journal
    http = signed_in(viewer)
    page = http.get("/tasks/").content.decode()
    ids = _ids(http)
    # then every employee's tasks are there, but never one about someone else's private client
    assert plain.pk in ids
    assert private.pk not in ids
    assert "Журнал задач всех сотрудников" in page


@pytest.mark.feature("TSK-07")
def test_a_list_only_user_sees_no_tasks_of_clients_he_cannot_open(manager_user):
    # given a «list all» manager with the right to all journals, his client and another manager's
    viewer = UserFactory(client_scope=ClientScope.LIST_ALL)
    grant_right(viewer, "journals_all_users")
    listed_only = _task(client=ClientFactory(curator=manager_user), author=manager_user,
                        description="Чужая задача ЯЧ1")
    his = _task(client=ClientFactory(curator=viewer), author=manager_user, description="Своя задача")
    # when he opens the journal
    http = signed_in(viewer)
    ids = _ids(http)
    # then he sees the task about his own client (positive control) and not the one he may only list
    assert his.pk in ids
    assert listed_only.pk not in ids
    assert "ЯЧ1" not in http.get("/tasks/").content.decode()


@pytest.mark.feature("TSK-07")
def test_a_task_whose_client_the_user_lost_shows_client_unavailable_and_no_card_link(manager_user, manager_client):
    # given a task the manager was given about a client who then became another curator's private one
    other = UserFactory()
    client = ClientFactory(curator=other, short_name="Тайный клиент")
    lost = _task(client=client, author=other, assignee=manager_user)
    make_private(client)
    shown = _task(client=ClientFactory(curator=manager_user, short_name="Открытый клиент"), author=manager_user)
    # when he opens the journal
    page = manager_client.get("/tasks/").content.decode()
    # then his task stays listed, its client only as «клиент недоступен», with no way to its card
    assert str(lost.pk) in ROW.findall(page)
    row = page.split(f'data-id="{lost.pk}"')[1].split("</tr>")[0]
    assert "клиент недоступен" in row and "Тайный клиент" not in page
    assert f"/clients/{client.pk}/" not in page
    # and a task about a client he opens links to the card for Ctrl+Enter
    assert f'data-client-href="/clients/{shown.client_id}/"' in page


@pytest.mark.feature("TSK-07")
def test_overdue_rows_are_marked(manager_user, manager_client):
    # given an active task past its due, a closed one past its due and one still ahead
    client = ClientFactory(curator=manager_user)
    past = timezone.now() - datetime.timedelta(days=2)
    overdue = _task(client=client, author=manager_user, starts_at=past)
    closed = _closed(client=client, author=manager_user, starts_at=past)
    ahead = _task(client=client, author=manager_user)
    # when the journal is drawn
    page = manager_client.get("/tasks/").content.decode()

    def marked(task: Task) -> bool:
        return "data-overdue" in page.split(f'data-id="{task.pk}"')[1].split(">")[0]

    # then only the active one past its due is marked
    assert (marked(overdue), marked(closed), marked(ahead)) == (True, False, False)


@pytest.mark.feature("TSK-07")
def test_the_journal_filters_by_period_author_assignee_state_importance_and_client(manager_user, manager_client):
    # given the manager's tasks of different authors, assignees, states, importance, clients and days
    other = UserFactory()
    first, second = ClientFactory(curator=manager_user), ClientFactory(curator=manager_user)
    UserParameters.objects.create(user=manager_user, time_zone="Asia/Novosibirsk")
    zone = datetime.timezone(datetime.timedelta(hours=7))
    # 23:30 on 10 March in Novosibirsk is still 9 March in Moscow and UTC: the period reads the user's clock
    late = datetime.datetime(2026, 3, 10, 23, 30, tzinfo=zone)
    march = _task(client=first, author=manager_user, starts_at=late)
    by_other = _task(client=first, author=other, assignee=manager_user, importance=Task.Importance.HIGH,
                     starts_at=datetime.datetime(2026, 3, 9, 12, 0, tzinfo=zone))
    closed = _closed(client=second, author=manager_user, assignee=other,
                     starts_at=datetime.datetime(2026, 4, 1, 12, 0, tzinfo=zone))
    accepted = _task(client=second, author=manager_user, state=Task.State.ACCEPTED,
                     starts_at=datetime.datetime(2026, 4, 2, 12, 0, tzinfo=zone))

    def ids(query: str) -> set[int]:
        return set(_ids(manager_client, f"/tasks/?{query}"))

    # then each filter narrows the list
    assert ids("date_from=2026-03-10&date_to=2026-03-10") == {march.pk}
    assert ids(f"author={other.pk}") == {by_other.pk}
    assert ids(f"assignee={other.pk}") == {closed.pk}
    assert ids("state=active") == {march.pk, by_other.pk, accepted.pk}
    assert ids("state=closed") == {closed.pk}
    assert ids("state=accepted") == {accepted.pk}
    assert ids("importance=high") == {by_other.pk}
    assert ids(f"client={second.pk}") == {closed.pk, accepted.pk}
    assert ids("") == {march.pk, by_other.pk, closed.pk, accepted.pk}
    # and the client is chosen in the filter's own picker, which shows the chosen one
    page = manager_client.get(f"/tasks/?client={second.pk}").content.decode()
    assert 'data-testid="picker-client"' in page and f'name="client" value="{second.pk}"' in page
    assert 'data-picker-text' in page and second.short_name in page


@pytest.mark.feature("TSK-07")
def test_a_bad_filter_is_marked_next_to_itself_and_narrows_nothing(manager_user, manager_client):
    # given a task
    task = _task(client=ClientFactory(curator=manager_user), author=manager_user)
    for query in ("date_from=2026-13-45", "date_to=9999-12-31", "date_from=0001-01-01"):
        # when a malformed or unreachable date is asked
        response = manager_client.get(f"/tasks/?{query}")
        page = response.content.decode()
        # then the page says so next to the field and still lists the tasks
        assert response.status_code == 200
        assert 'data-testid="filter-error"' in page
        assert str(task.pk) in ROW.findall(page)


@pytest.mark.feature("TSK-07")
def test_the_journal_pages_by_fifty_and_its_queries_do_not_grow_with_the_rows(manager_user, manager_client):
    # given many tasks of the manager about several clients, some lost to him
    clients = [ClientFactory(curator=manager_user) for _ in range(3)]
    other = UserFactory()

    def add(number: int) -> None:
        client = clients[number % 3]
        _task(client=client, author=manager_user, assignee=other if number % 2 else manager_user)

    # then the page reads in as many queries with twenty rows as with one
    assert_flat_queries(lambda: manager_client.get("/tasks/").content.decode(), add)
    for number in range(20, 55):
        add(number)
    # and "show more" walks every task once
    ids = _ids(manager_client)
    assert len(ids) == 55 == len(set(ids))


@pytest.mark.feature("TSK-07", "TSK-09")
def test_the_menu_names_the_journal_by_what_it_shows_and_offers_the_report(manager_user, manager_client):
    supervisor = UserFactory(role="supervisor")
    mine = manager_client.get("/").content.decode()
    everyone = signed_in(supervisor).get("/").content.decode()
    assert ">Журнал задач<" in mine and "Журнал задач всех сотрудников" not in mine
    assert "Журнал задач всех сотрудников" in everyone
    assert 'href="/reports/tasks-under-control/"' in mine and "Задачи на контроле" in mine


@pytest.mark.feature("TSK-07")
def test_the_journal_tells_how_many_tasks_client_access_hides_but_not_of_a_private_client(manager_user):
    # given a supervisor who opens only his own clients, and a manager's tasks about a plain and a private client
    supervisor = UserFactory(role="supervisor", client_scope=ClientScope.OWN)
    _task(client=ClientFactory(curator=manager_user), author=manager_user)
    _task(client=ClientFactory(curator=manager_user), author=manager_user)
    _task(client=make_private(ClientFactory(curator=manager_user)), author=manager_user)
    own = _task(client=ClientFactory(curator=supervisor), author=manager_user)
    # when the supervisor opens the journal of all employees
    page = signed_in(supervisor).get("/tasks/").content.decode()
    # then he sees the task about his client, and is told two rows are hidden — the private client's not counted
    assert list(map(int, ROW.findall(page))) == [own.pk]
    assert "2 строки скрыты" in page
    # and nothing is counted about one client he may not open: the client is refused next to its field, and the
    # journal stays the whole one, with the same count
    listed = (Task.objects.exclude(client__curator=supervisor).filter(client__is_private=False)
              .values_list("client_id", flat=True).first())
    one_client = signed_in(supervisor).get(f"/tasks/?client={listed}").content.decode()
    assert 'data-testid="filter-error"' in one_client
    assert list(map(int, ROW.findall(one_client))) == [own.pk] and "2 строки скрыты" in one_client
    # and a manager, who sees only his own tasks (all listed), is told nothing
    assert 'data-testid="tasks-hidden"' not in signed_in(manager_user).get("/tasks/").content.decode()


@pytest.mark.feature("TSK-07")
def test_the_hidden_count_stops_past_its_cap_and_says_more_than(manager_user, monkeypatch):
    # given a supervisor who opens only his own clients, and three tasks about others' clients
    supervisor = UserFactory(role="supervisor", client_scope=ClientScope.OWN)
    for _ in range(3):
        _task(client=ClientFactory(curator=manager_user), author=manager_user)
    # when the count stops past two
    monkeypatch.setattr(journal_selectors, "HIDDEN_CAP", 2)
    page = signed_in(supervisor).get("/tasks/").content.decode()
    # then he is told more than two rows are hidden, not how many
    assert "Скрыто более 2 строк" in page and "3 строки" not in page
    # and at the cap itself the count is exact
    monkeypatch.setattr(journal_selectors, "HIDDEN_CAP", 3)
    assert "3 строки скрыты" in signed_in(supervisor).get("/tasks/").content.decode()


@pytest.mark.feature("TSK-07")
def test_a_rows_text_is_escaped_and_a_long_description_cut(manager_user, manager_client):
    # given a task whose client, author and description hold markup, the description over 200 characters
    author = UserFactory(full_name='Иванов <b>"И"</b>')
    client = ClientFactory(curator=manager_user, short_name="ООО <script>alert(1)</script>")
    _task(client=client, author=author, assignee=manager_user, description="<i>срочно</i> & " + "я" * 300)
    page = manager_client.get("/tasks/").content.decode()
    # then every text reads as text, the description cut to 200 characters with an ellipsis
    assert "<script>alert(1)" not in page and "ООО &lt;script&gt;alert(1)&lt;/script&gt;" in page
    assert "Иванов &lt;b&gt;&quot;И&quot;&lt;/b&gt;" in page
    assert "&lt;i&gt;срочно&lt;/i&gt; &amp; " + "я" * (199 - len("<i>срочно</i> & ")) + "…</td>" in page
