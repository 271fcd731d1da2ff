"""Moving and stretching a task in the day planner (PLN-02): who may, from which page, and what moves with it."""

from __future__ import annotations

import datetime
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from django.core.exceptions import ValidationError

from kontora.activity.models import Task
from kontora.activity.services.planner import task_move
from kontora.core.errors import Conflict, NotAllowed, Refused
from kontora.core.models import AuditEvent, Notification
from tests.accounts.factories import UserFactory
from tests.activity.factories import TaskFactory
from tests.clients.factories import ClientFactory

MSK = ZoneInfo("Europe/Moscow")
TEN = datetime.datetime(2026, 12, 7, 10, 0, tzinfo=MSK)


def _task(author: Any, **values: Any) -> Task:
    values.setdefault("client", ClientFactory(curator=author))
    values.setdefault("starts_at", TEN)
    values.setdefault("duration_minutes", 30)
    values.setdefault("due_at", TEN + datetime.timedelta(hours=2))
    return TaskFactory(author=author, **values)


def _move(user: Any, task: Task, starts_at: datetime.datetime, minutes: int, **seen: Any) -> Task:
    return task_move(acting_user=user, task_id=task.pk, starts_at=starts_at, duration_minutes=minutes,
                     seen_starts_at=seen.get("start", task.starts_at),
                     seen_duration=seen.get("duration", task.duration_minutes))


@pytest.mark.feature("PLN-02")
@pytest.mark.django_db(transaction=True)
def test_the_author_moves_and_stretches_his_task_and_the_due_follows(manager_user: Any) -> None:
    # given a task at 10:00 for 30 minutes, due at 12:00, with a reminder still to come at 9:45
    task = _task(manager_user, notify_at=TEN - datetime.timedelta(minutes=15))
    # when its author moves it to 14:30 and stretches it to 45 minutes
    moved = _move(manager_user, task, TEN.replace(hour=14, minute=30), 45)
    # then it stands there, its due and its notice shifted by the same 4½ hours, and the move is audited
    task.refresh_from_db()
    assert task.starts_at == TEN.replace(hour=14, minute=30) == moved.starts_at
    assert task.duration_minutes == 45
    assert task.due_at == TEN.replace(hour=16, minute=30)
    assert task.notify_at == TEN.replace(hour=14, minute=15)
    assert task.changed_by_id == manager_user.pk
    row = AuditEvent.objects.get(event="task.move")
    assert (row.actor_id, row.target_id, row.client_id) == (manager_user.pk, task.pk, task.client_id)
    # the start, the duration and the due (the notice is the program's own field, not shown)
    assert [(change["old"], change["new"]) for change in row.changes][1] == ("30", "45")
    assert len(row.changes) == 3
    # and nobody is told: the author moved his own task given to himself
    assert not Notification.objects.exists()


@pytest.mark.feature("PLN-02")
@pytest.mark.django_db(transaction=True)
def test_the_assignee_and_an_administrator_move_it_and_the_assignee_is_told(
        manager_user: Any, admin_user: Any, supervisor_user: Any) -> None:
    # given a supervisor's task given to a manager, about the manager's client
    task = _task(supervisor_user, assignee=manager_user, client=ClientFactory(curator=manager_user))
    # when the assignee moves it in his day, then an administrator moves it again
    _move(manager_user, task, TEN.replace(hour=11), 30)
    task.refresh_from_db()
    _move(admin_user, task, TEN.replace(hour=12), 30)
    # then both moves hold, and the assignee is told of the administrator's move only
    task.refresh_from_db()
    assert task.starts_at == TEN.replace(hour=12)
    assert AuditEvent.objects.filter(event="task.move").count() == 2
    told = list(Notification.objects.values_list("user_id", "url"))
    assert told == [(manager_user.pk, f"/tasks/{task.pk}/")]


@pytest.mark.feature("PLN-02")
@pytest.mark.django_db
def test_someone_else_may_not_move_the_task(manager_user: Any) -> None:
    # given a manager's own task, which a supervisor may read (he opens every client) but did not set
    supervisor_user = UserFactory(role="supervisor", client_scope="full")
    task = _task(manager_user)
    # when the supervisor moves it, then it is refused and stays where it was
    with pytest.raises(NotAllowed, match="Переносить задачу могут только её автор, исполнитель или администратор"):
        _move(supervisor_user, task, TEN.replace(hour=15), 30)
    # and so for a manager who may not even read it
    other = UserFactory(role="manager")
    with pytest.raises(NotAllowed):
        _move(other, task, TEN.replace(hour=15), 30)
    task.refresh_from_db()
    assert task.starts_at == TEN
    assert not AuditEvent.objects.filter(event="task.move").exists()


@pytest.mark.feature("PLN-02")
@pytest.mark.django_db
def test_a_move_from_a_stale_page_is_refused(manager_user: Any) -> None:
    # given a task that another page moved to 11:00 after this page showed it at 10:00
    task = _task(manager_user)
    _move(manager_user, task, TEN.replace(hour=11), 30)
    # when this page's move (seen at 10:00) arrives, then it is refused and the other move stands
    with pytest.raises(Conflict, match="Задачу тем временем перенёс или изменил другой пользователь"):
        _move(manager_user, task, TEN.replace(hour=15), 30, start=TEN, duration=30)
    # and so is a stretch seen at another length
    with pytest.raises(Conflict):
        _move(manager_user, task, TEN.replace(hour=11), 60, start=TEN.replace(hour=11), duration=45)
    task.refresh_from_db()
    assert (task.starts_at, task.duration_minutes) == (TEN.replace(hour=11), 30)
    # positive control: the move seen where the task stands goes through
    _move(manager_user, task, TEN.replace(hour=15), 30, start=TEN.replace(hour=11), duration=30)
    task.refresh_from_db()
    assert task.starts_at == TEN.replace(hour=15)


@pytest.mark.feature("PLN-02")
@pytest.mark.django_db
def test_a_closed_task_and_a_wrong_length_are_refused(manager_user: Any, admin_user: Any) -> None:
    task = _task(manager_user, state=Task.State.CLOSED, closed_at=TEN)
    with pytest.raises(Refused, match="Задача закрыта: её не переносят"):
        _move(admin_user, task, TEN.replace(hour=15), 30)
    open_task = _task(manager_user)
    with pytest.raises(ValidationError) as refused:
        _move(manager_user, open_task, TEN.replace(hour=15), 0)
    assert refused.value.message_dict == {"duration_minutes": ["Длительность задачи — от 1 минуты до 24 часов."]}
    open_task.refresh_from_db()
    assert open_task.starts_at == TEN
