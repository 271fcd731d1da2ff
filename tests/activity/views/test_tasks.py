"""The task card, «Новая задача» and the client card's «Задачи» journal (TSK-01 … TSK-04, CLI-14), in Russian."""

from __future__ import annotations

import datetime
import html
import re
from typing import Any

import pytest
from django.utils import timezone

from kontora.activity.models import Task, TaskTransition
from kontora.activity.services import tasks as services
from kontora.core.models import Notification
from kontora.core.selectors.calendar import user_zone
from tests.accounts.factories import UserFactory
from tests.activity.factories import ProjectItemFactory, TaskFactory, task_values
from tests.clients.factories import ClientFactory
from tests.clients.support import make_private
from tests.core.support import bell_answer
from tests.support.http import signed_in
from tests.support.queries import assert_flat_queries

CARD_TASK = re.compile(r'<tr data-row data-id="(\d+)"[^>]*data-testid="card-task" class="([^"]*)"')
HTMX = {"HTTP_HX_REQUEST": "true"}


def _text(response: Any) -> str:
    return html.unescape(response.content.decode())


def _form(assignee: Any, start: datetime.datetime, **changes: Any) -> dict[str, Any]:
    """The new-task form as the browser posts it (times on the user's clock)."""
    local = start.astimezone(user_zone(assignee))
    data = {"assignee": assignee.pk, "importance": "normal", "starts_at": local.strftime("%Y-%m-%dT%H:%M"),
            "duration_minutes": "60", "due_at": (local + datetime.timedelta(hours=1)).strftime("%Y-%m-%dT%H:%M"),
            "description": "Подготовить коммерческое предложение", "remind_minutes": "15"}
    data.update(changes)
    return data


# --- the card's «Задачи» journal (CLI-14) -----------------------------------------------------------------------


@pytest.mark.feature("CLI-14", "TSK-01")
def test_the_cards_tasks_journal_lists_every_task_about_the_client_newest_first_with_overdue_marked(team):
    # given tasks about «Юпитер» set by the manager and by Ivanov, one of them overdue, and one about another client
    now = timezone.now()
    old = TaskFactory(client=team.client, author=team.author, created_at=now - datetime.timedelta(days=3),
                      starts_at=now - datetime.timedelta(days=2), due_at=now - datetime.timedelta(days=1))
    his = TaskFactory(client=team.client, author=team.assignee, created_at=now - datetime.timedelta(days=1))
    closed = TaskFactory(client=team.client, author=team.author, created_at=now - datetime.timedelta(days=4),
                         starts_at=now - datetime.timedelta(days=4), due_at=now - datetime.timedelta(days=4),
                         state=Task.State.CLOSED, closed_at=now)
    TaskFactory(client=ClientFactory(curator=team.author))
    # when the manager opens the card's «Задачи» tab
    page = _text(signed_in(team.author).get(f"/tasks/client/{team.client.pk}/"))
    # then every task about the client is listed, newest first, the overdue active one marked
    rows = CARD_TASK.findall(page)
    assert [int(pk) for pk, _ in rows] == [his.pk, old.pk, closed.pk]
    assert ["k-overdue" in classes for _, classes in rows] == [False, True, False]
    assert "Задачи по этому клиенту, сначала новые." in page
    # and Ins opens «Новая задача» about the client in the card's modal
    assert (f'hx-get="/tasks/new/?client={team.client.pk}" hx-target="#k-modal-content" data-key="Insert"'
            in page)


@pytest.mark.feature("CLI-14")
def test_the_cards_tasks_journal_answers_as_the_card_does(team):
    # a client the assignee opens shows its tasks to him too (set by another)
    TaskFactory(client=team.client, author=team.author, description="Задача куратора")
    assert "Задача куратора" in _text(signed_in(team.assignee).get(f"/tasks/client/{team.client.pk}/"))
    # a client whose card he may not open answers 404, as the card
    hidden = ClientFactory(curator=team.author)
    TaskFactory(client=hidden, author=team.author)
    assert signed_in(team.assignee).get(f"/tasks/client/{hidden.pk}/").status_code == 404
    # and an empty journal says so
    empty = ClientFactory(curator=team.assignee)
    assert "По этому клиенту задач пока нет." in _text(signed_in(team.assignee).get(f"/tasks/client/{empty.pk}/"))


@pytest.mark.feature("CLI-14")
def test_the_cards_tasks_journal_reads_in_queries_that_do_not_grow_with_its_rows(team):
    http = signed_in(team.author)

    def add(number: int) -> None:
        TaskFactory(client=team.client, author=team.author if number % 2 else UserFactory(),
                    assignee=team.assignee if number % 3 else team.author)

    page = assert_flat_queries(lambda: http.get(f"/tasks/client/{team.client.pk}/").content.decode(), add, rows=20)
    assert len(CARD_TASK.findall(page)) == 20


@pytest.mark.feature("CLI-14")
def test_the_cards_tasks_journal_pages_on_with_show_more(team):
    # given 52 tasks about the client
    now = timezone.now()
    made = [TaskFactory(client=team.client, author=team.author, created_at=now - datetime.timedelta(minutes=n))
            for n in range(52)]
    http = signed_in(team.author)
    # when the tab shows its first rows, and «Показать ещё» is pressed
    first = http.get(f"/tasks/client/{team.client.pk}/").content.decode()
    more = re.search(r'<tr class="k-journal-more" hx-get="([^"]+)"', first)
    assert more is not None
    rest = http.get(html.unescape(more.group(1))).content.decode()
    # then the rest follows, newest first, each task once
    ids = [int(pk) for pk, _ in CARD_TASK.findall(first)] + [int(pk) for pk, _ in CARD_TASK.findall(rest)]
    assert ids == [task.pk for task in made]
    assert "k-journal-more" not in rest


# --- «Новая задача» (TSK-01, TSK-02) ----------------------------------------------------------------------------


@pytest.mark.feature("TSK-01", "TSK-02", "CLI-14")
def test_a_new_task_from_the_cards_journal_is_set_and_the_journal_redrawn(team, django_capture_on_commit_callbacks):
    http = signed_in(team.author)
    # when the manager opens the form from the card (htmx: the modal)
    form = _text(http.get(f"/tasks/new/?client={team.client.pk}", **HTMX))
    # then the client, the author and the date set are filled in; he is the assignee by default
    assert 'data-testid="task-new-about">Юпитер</dd>' in form
    assert "<dd class=\"col-sm-9\">Алексей Менеджеров</dd>" in form
    assert f'<option value="{team.author.pk}" selected>Алексей Менеджеров</option>' in form
    assert "Новая задача" in form and "Требует отчёта о выполнении" in form and "Напомнить до начала за" in form
    # when he gives Ivanov a task
    start = timezone.now() + datetime.timedelta(days=1)
    with django_capture_on_commit_callbacks(execute=True):
        response = http.post(f"/tasks/new/?client={team.client.pk}", _form(team.assignee, start), **HTMX)
    # then the task is set, the card's journal redrawn in place, and Ivanov told
    task = Task.objects.get()
    assert (task.client, task.author, task.assignee, task.kind) == (team.client, team.author, team.assignee,
                                                                    Task.Kind.REMINDER)
    assert response["HX-Retarget"] == "#client-tasks"
    assert f'data-id="{task.pk}"' in response.content.decode()
    assert Notification.objects.filter(user=team.assignee, kind="task", url=f"/tasks/{task.pk}/").count() == 1


@pytest.mark.feature("TSK-01")
def test_bad_input_in_the_new_task_form_is_shown_next_to_its_field_and_nothing_is_saved(team):
    http = signed_in(team.author)
    start = timezone.now() + datetime.timedelta(days=1)
    local = start.astimezone(user_zone(team.author))
    # a due before the start, and no description
    page = _text(http.post(f"/tasks/new/?client={team.client.pk}", _form(
        team.author, start, due_at=(local - datetime.timedelta(hours=1)).strftime("%Y-%m-%dT%H:%M"), description="")))
    assert re.search(r'data-testid="error-due_at">Срок не может быть раньше начала\.<', page)
    assert re.search(r'data-testid="error-description">Опишите задачу\.<', page)
    # an assignee who cannot open the client: the client named, and why
    petrov = UserFactory(login="petrov", full_name="Петров П. П.")
    page = _text(http.post(f"/tasks/new/?client={team.client.pk}", _form(petrov, start)))
    assert ('data-testid="error-assignee">Исполнитель Петров П. П. не может открыть клиента «Юпитер»: он работает '
            "только со своими клиентами, а этот клиент не его") in page
    # a client the user may not open: 404, as its card, for the form and its post
    foreign = ClientFactory(curator=petrov, short_name="Сатурн")
    assert http.get(f"/tasks/new/?client={foreign.pk}").status_code == 404
    assert http.post(f"/tasks/new/?client={foreign.pk}", _form(team.author, start)).status_code == 404
    assert not Task.objects.exists()


@pytest.mark.feature("TSK-04")
def test_a_project_task_is_set_on_a_case_as_a_page(team):
    case = ProjectItemFactory(title="Внедрение CRM", responsible=team.author)
    http = signed_in(team.author)
    form = _text(http.get(f"/tasks/new/?case={case.pk}"))
    assert 'data-testid="task-new-about">Внедрение CRM</dd>' in form and "Требует отчёта" not in form
    response = http.post(f"/tasks/new/?case={case.pk}", _form(team.assignee, timezone.now() + datetime.timedelta(
        days=1)))
    task = Task.objects.get()
    assert (task.kind, task.case, response["Location"]) == (Task.Kind.PROJECT, case, f"/tasks/{task.pk}/")


# --- the task card (TSK-01, TSK-03) -----------------------------------------------------------------------------


@pytest.mark.feature("TSK-03")
def test_the_task_card_offers_each_user_the_steps_he_may_take_and_refuses_a_stale_page(team):
    task = services.task_create(acting_user=team.author, client=team.client,
                                values=task_values(team.assignee, requires_report=True))
    assignee, author = signed_in(team.assignee), signed_in(team.author)
    # the assignee sees «Принять к исполнению», not the author's steps nor the form
    card = _text(assignee.get(f"/tasks/{task.pk}/"))
    assert 'data-testid="step-accept">Принять к исполнению</button>' in card
    assert "step-approve" not in card and 'data-testid="task-form"' not in card
    # the author sees the form, and no step yet
    card = _text(author.get(f"/tasks/{task.pk}/"))
    assert 'data-testid="task-form"' in card and 'data-testid="task-steps"' not in card
    # when the assignee accepts it
    response = assignee.post(f"/tasks/{task.pk}/transition/", {"action": "accept", "seen_state": "new"})
    assert response.status_code == 302
    card = _text(assignee.get(response["Location"]))
    assert f"Задача № {task.pk}: Принята к исполнению." in card
    assert 'data-testid="step-complete">Завершить</button>' in card and "Отчёт о выполнении" in card
    # then his second tab, still showing the new task, is refused, and nothing is applied twice
    page = _text(assignee.post(f"/tasks/{task.pk}/transition/", {"action": "accept", "seen_state": "new"}))
    assert ('data-testid="step-error">Задача тем временем изменилась: теперь она «Принята к исполнению». '
            "Посмотрите её ещё раз и выберите заново.<") in page
    assert TaskTransition.objects.filter(task=task, to_state="accepted").count() == 1
    # completing without a report is refused next to the report
    page = _text(assignee.post(f"/tasks/{task.pk}/transition/", {"action": "complete", "seen_state": "accepted"}))
    assert 'data-testid="error-report">Напишите отчёт о выполнении.<' in page
    # the author may not press the assignee's step (a forged post): 403
    assert author.post(f"/tasks/{task.pk}/transition/", {"action": "complete", "seen_state": "accepted",
                                                         "report": "x"}).status_code == 403
    # when the assignee completes it with a report, the author sees it and both of his steps
    assignee.post(f"/tasks/{task.pk}/transition/", {"action": "complete", "seen_state": "accepted",
                                                    "report": "Согласовано"})
    card = _text(author.get(f"/tasks/{task.pk}/"))
    assert 'data-testid="task-report">Согласовано</dd>' in card
    assert "Выполнение принято</button>" in card and "Отправить на доработку</button>" in card
    # and the history lists every step
    assert len(re.findall(r'data-testid="task-transition"', card)) == 3


@pytest.mark.feature("TSK-01")
def test_the_author_edits_the_task_on_its_card_and_nobody_else_may(team):
    task = services.task_create(acting_user=team.author, client=team.client, values=task_values(team.assignee))
    http = signed_in(team.author)
    card = http.get(f"/tasks/{task.pk}/").content.decode()
    read = re.search(r'<input type="hidden" name="task-read" value="([^"]+)">', card)
    assert read is not None
    start = task.starts_at
    response = http.post(f"/tasks/{task.pk}/", {**_form(team.assignee, start, description="Позвонить завтра"),
                                                "task-read": read.group(1)})
    assert response.status_code == 302
    assert "Задача сохранена." in _text(http.get(response["Location"]))
    task.refresh_from_db()
    assert task.description == "Позвонить завтра"
    # the assignee reads the task, without a form, and may not post one
    assert 'data-testid="task-form"' not in _text(signed_in(team.assignee).get(f"/tasks/{task.pk}/"))
    assert signed_in(team.assignee).post(f"/tasks/{task.pk}/", {"description": "x"}).status_code == 403


@pytest.mark.feature("TSK-01")
def test_a_task_whose_client_the_assignee_lost_shows_the_client_unavailable(team):
    # given Ivanov's task about «Юпитер»
    task = services.task_create(acting_user=team.author, client=team.client, values=task_values(team.assignee))
    assert "Юпитер" in _text(signed_in(team.assignee).get(f"/tasks/{task.pk}/"))
    # when the client becomes the manager's private client
    make_private(team.client)
    # then the task is still his, but shows nothing of the client
    card = _text(signed_in(team.assignee).get(f"/tasks/{task.pk}/"))
    assert 'data-testid="task-client"><span class="text-muted">клиент недоступен</span>' in card
    assert "Юпитер" not in card
    # while the author still sees it
    assert "Юпитер" in _text(signed_in(team.author).get(f"/tasks/{task.pk}/"))


@pytest.mark.feature("TSK-02")
def test_an_offline_assignee_finds_the_new_task_on_his_bell_at_the_next_sign_in(team,
                                                                                django_capture_on_commit_callbacks):
    # given Ivanov is not signed in when the manager sets him a task
    with django_capture_on_commit_callbacks(execute=True):
        task = services.task_create(acting_user=team.author, client=team.client, values=task_values(team.assignee))
    # when he signs in, and his page's bell asks for the first time
    http = signed_in(team.assignee)
    bell = bell_answer(http.get("/notifications/poll/", {"after": 0}, **HTMX))
    # then it counts the task and pops it up, with a link to it
    assert bell["badge"] == "1"
    [(_, sender, text, url)] = bell["toasts"]
    assert (sender, url) == ("Алексей Менеджеров", f"/tasks/{task.pk}/")
    assert text.startswith(f"Новая задача № {task.pk} от Алексей Менеджеров, начало ")


@pytest.mark.feature("TSK-01")
def test_the_author_deletes_a_task_and_goes_back_to_the_cards_journal(team):
    task = services.task_create(acting_user=team.author, client=team.client, values=task_values(team.assignee))
    assert signed_in(team.assignee).post(f"/tasks/{task.pk}/delete/").status_code == 403
    response = signed_in(team.author).post(f"/tasks/{task.pk}/delete/")
    assert response["Location"] == f"/clients/{team.client.pk}/#tab-tasks"
    assert not Task.objects.filter(pk=task.pk).exists()


@pytest.mark.feature("TSK-01")
def test_a_field_changed_meanwhile_by_another_editor_is_offered_to_choose_and_nothing_is_saved(team, admin_user):
    # given the author and an administrator opened the task's card
    task = services.task_create(acting_user=team.author, client=team.client, values=task_values(team.assignee))
    author, admin = signed_in(team.author), signed_in(admin_user)

    def snapshot(http: Any) -> str:
        found = re.search(r'name="task-read" value="([^"]+)"', http.get(f"/tasks/{task.pk}/").content.decode())
        assert found is not None
        return found.group(1)

    read_by_author, read_by_admin = snapshot(author), snapshot(admin)
    # when the administrator saves a new description, then the author saves another one on his old page
    assert admin.post(f"/tasks/{task.pk}/", {**_form(team.assignee, task.starts_at, description="Срочно"),
                                             "task-read": read_by_admin}).status_code == 302
    page = _text(author.post(f"/tasks/{task.pk}/", {**_form(team.assignee, task.starts_at, description="Завтра"),
                                                    "task-read": read_by_author}))
    # then the author's page marks the field with the administrator's value, and nothing of his was saved
    assert 'data-testid="theirs-description">Срочно<' in page
    assert "Администратор Системы" in page
    task.refresh_from_db()
    assert task.description == "Срочно"


@pytest.mark.feature("PLN-02", "TSK-01")
def test_a_task_set_from_a_planner_picks_its_client_in_the_form(team):
    # given the author's «Добавить задачу» of the day planner: an assignee and a day, no client yet
    http = signed_in(team.author)
    day = (timezone.now() + datetime.timedelta(days=3)).astimezone(user_zone(team.author)).date()
    url = f"/tasks/new/?assignee={team.assignee.pk}&date={day.isoformat()}"
    page = _text(http.get(url))
    assert 'name="client"' in page and f'value="{day.isoformat()}T09:00"' in page
    start = datetime.datetime.combine(day, datetime.time(9), tzinfo=user_zone(team.author))
    # when it is sent without a client, it is refused next to the field and nothing is set
    refused = _text(http.post(url, _form(team.assignee, start)))
    assert "Выберите клиента, о котором задача." in refused and not Task.objects.exists()
    # and with the client picked, the task is set about him, for the assignee, on that day
    http.post(url, _form(team.assignee, start, client=team.client.pk))
    task = Task.objects.get()
    assert (task.client, task.assignee, task.starts_at) == (team.client, team.assignee, start)
