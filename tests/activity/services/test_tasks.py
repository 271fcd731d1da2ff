"""Tasks (TSK-01 … TSK-04, TSK-06): setting, changing and moving them through their states, and their notices.

The services' refusals are asserted in their msgid form (`english`); notices are written in the recipient's language
(Russian here)."""

from __future__ import annotations

import datetime
import threading
from typing import Any
from unittest import mock

import pytest
from django.core.exceptions import ValidationError
from django.db import connection, connections
from django.utils import timezone

from kontora.accounts.models import ClientScope
from kontora.activity.forms.tasks import TaskForm
from kontora.activity.models import Task, TaskTransition
from kontora.activity.services import tasks as services
from kontora.activity.tasks import task_access_check, task_notices
from kontora.core.conflicts import EditConflict
from kontora.core.errors import Conflict, NotAllowed, Refused
from kontora.core.models import AuditEvent, Notification
from kontora.core.selectors.calendar import user_zone
from tests.accounts.factories import UserFactory
from tests.activity.factories import ProjectItemFactory, task_values
from tests.clients.factories import ClientFactory
from tests.clients.support import make_private

State = Task.State
NOW = datetime.datetime(2026, 12, 7, 9, 0, tzinfo=datetime.UTC)


def _notices(user: Any) -> list[str]:
    return list(Notification.objects.filter(user=user, kind="task").order_by("id").values_list("text", flat=True))


def _step(user: Any, task: Task, action: str, **texts: str) -> Task:
    return services.task_transition(acting_user=user, task_id=task.pk, action=action, seen_state=task.state, **texts)


def _report_task(team: Any) -> Task:
    return services.task_create(acting_user=team.author, client=team.client,
                                values=task_values(team.assignee, requires_report=True))


# --- the task requiring a report: the whole cycle (TSK-03) ------------------------------------------------------


@pytest.mark.feature("TSK-03", "TSK-02")
def test_a_task_requiring_a_report_goes_through_acceptance_rework_and_closing(team, english,
                                                                            django_capture_on_commit_callbacks):
    # given the manager sets Ivanov a task requiring a report
    with django_capture_on_commit_callbacks(execute=True):
        task = _report_task(team)
    assert task.kind == Task.Kind.REPORT and task.state == State.NEW
    assert _notices(team.assignee) == [f"Новая задача № {task.pk} от Алексей Менеджеров, начало "
                                       f"{task.starts_at.astimezone(user_zone(team.assignee)):%d.%m.%Y %H:%M}: "
                                       "Позвонить и согласовать договор"]
    # when Ivanov accepts it and completes it with a report
    task = _step(team.assignee, task, "accept")
    with django_capture_on_commit_callbacks(execute=True):
        task = _step(team.assignee, task, "complete", report="Договор согласован устно")
    # then it stays active, with the report, and the author is told
    assert task.state == State.COMPLETED and task.is_active and task.report == "Договор согласован устно"
    assert _notices(team.author) == [f"Задача № {task.pk} завершена исполнителем Иванов И. И.; отчёт ждёт вашей "
                                     "приёмки: Позвонить и согласовать договор"]
    # when the author sends it back for rework with a comment
    with django_capture_on_commit_callbacks(execute=True):
        task = _step(team.author, task, "rework", comment="Нужно письменное согласие")
    # then it is back with the assignee, who is told
    assert task.state == State.REWORK
    assert _notices(team.assignee)[-1] == (f"Задача № {task.pk} отправлена вам на доработку (Алексей "
                                           "Менеджеров): Нужно письменное согласие")
    # when he takes it up again, completes it, and the author accepts the execution
    task = _step(team.assignee, task, "accept")
    task = _step(team.assignee, task, "complete", report="Письмо получено")
    task = _step(team.author, task, "approve")
    # then the task is closed, and every step is recorded: who, from which state to which, the comment
    assert task.state == State.CLOSED and task.closed_at is not None and not task.is_active
    steps = list(TaskTransition.objects.filter(task=task).order_by("at", "id")
                 .values_list("actor__login", "from_state", "to_state", "comment"))
    assert steps == [
        ("manager", "", "new", ""),
        ("ivanov", "new", "accepted", ""),
        ("ivanov", "accepted", "completed", "Договор согласован устно"),
        ("manager", "completed", "rework", "Нужно письменное согласие"),
        ("ivanov", "rework", "accepted", ""),
        ("ivanov", "accepted", "completed", "Письмо получено"),
        ("manager", "completed", "closed", ""),
    ]
    # and every change is an audit row of the task
    events = list(AuditEvent.objects.filter(target_type="activity.task", target_id=task.pk).order_by("id")
                  .values_list("event", flat=True))
    assert events == ["activity.task.create"] + ["activity.task.transition"] * 6


@pytest.mark.feature("TSK-03")
def test_every_forbidden_transition_is_refused_saying_why(team, english):
    task = _report_task(team)
    # the author may not accept the task for execution: the assignee does
    with pytest.raises(NotAllowed) as refused:
        _step(team.author, task, "accept")
    assert refused.value.message == "«Accept for execution» is for the task's assignee, Иванов И. И., only."
    # a stranger moves nothing
    with pytest.raises(NotAllowed) as refused:
        _step(UserFactory(role="admin", client_scope=ClientScope.FULL), task, "accept")
    assert refused.value.message == "«Accept for execution» is for the task's assignee, Иванов И. И., only."
    # the assignee may not complete a task he has not accepted
    with pytest.raises(Refused) as refused:
        _step(team.assignee, task, "complete", report="Готово")
    assert refused.value.message == "«Complete» is not possible now: the task is «Set»."
    # nor close a task requiring a report as a plain reminder
    with pytest.raises(Refused) as refused:
        _step(team.assignee, task, "done")
    assert refused.value.message == ("This task requires a report: the assignee completes it with a report, and the "
                                     "author accepts the execution.")
    # positive control: the assignee accepts it
    task = _step(team.assignee, task, "accept")
    # completing needs the report
    with pytest.raises(ValidationError) as invalid:
        _step(team.assignee, task, "complete", report="  ")
    assert invalid.value.message_dict == {"report": ["Write the execution report."]}
    task = _step(team.assignee, task, "complete", report="Готово")
    # the assignee may not accept his own report, nor send it back
    for action, label in (("approve", "Execution accepted"), ("rework", "Send back for rework")):
        with pytest.raises(NotAllowed) as refused:
            _step(team.assignee, task, action, comment="x")
        assert refused.value.message == f"«{label}» is for the task's author, Алексей Менеджеров, only."
    # sending back needs a comment
    with pytest.raises(ValidationError) as invalid:
        _step(team.author, task, "rework")
    assert invalid.value.message_dict == {"comment": ["Say what is to be reworked."]}
    # and nothing of the refusals was recorded
    assert TaskTransition.objects.filter(task=task).count() == 3
    assert Task.objects.get(pk=task.pk).state == State.COMPLETED


@pytest.mark.feature("TSK-03")
def test_a_page_left_open_on_an_old_state_is_refused_and_nothing_is_applied_twice(team, english):
    # given the author's two tabs show the completed task
    task = _report_task(team)
    task = _step(team.assignee, task, "accept")
    task = _step(team.assignee, task, "complete", report="Готово")
    # when he accepts the execution in the first tab
    services.task_transition(acting_user=team.author, task_id=task.pk, action="approve", seen_state="completed")
    # then the second tab's «send back», and a repeated «accept», made on the old state, are refused
    for action in ("rework", "approve"):
        with pytest.raises(Conflict) as stale:
            services.task_transition(acting_user=team.author, task_id=task.pk, action=action,
                                     seen_state="completed", comment="Переделать")
        assert stale.value.message == ("The task has changed meanwhile: it is now «Closed». Look at it again and "
                                       "choose anew.")
    # and the task was closed once
    assert list(TaskTransition.objects.filter(task=task, to_state="closed").values_list("actor__login", flat=True)) \
        == ["manager"]


@pytest.mark.feature("TSK-01")
def test_a_reminder_task_is_closed_by_its_assignee_or_its_author_and_by_nobody_else(team, english):
    # given two reminders to Ivanov
    first = services.task_create(acting_user=team.author, client=team.client, values=task_values(team.assignee))
    second = services.task_create(acting_user=team.author, client=team.client, values=task_values(team.assignee))
    assert first.kind == Task.Kind.REMINDER
    # a reminder has no report to accept
    with pytest.raises(Refused) as refused:
        _step(team.assignee, first, "accept")
    assert refused.value.message == ("«Accept for execution» is for tasks requiring a report; this task is closed "
                                     "with «Mark done».")
    # nobody but its two people closes it
    with pytest.raises(NotAllowed):
        _step(UserFactory(), first, "done")
    # then the assignee closes the one, the author the other
    assert _step(team.assignee, first, "done").state == State.CLOSED
    assert _step(team.author, second, "done").state == State.CLOSED


# --- setting a task: who, about whom, and bad input (TSK-01) ----------------------------------------------------


@pytest.mark.feature("TSK-01")
def test_a_task_is_set_to_oneself_or_another_with_its_conditions(team, english):
    # when the manager sets himself a reminder and Ivanov a high-importance one
    mine = services.task_create(acting_user=team.author, client=team.client, values=task_values(team.author))
    his = services.task_create(acting_user=team.author, client=team.client,
                               values=task_values(team.assignee, importance=Task.Importance.HIGH,
                                                  description="  Подготовить КП  "))
    # then both are the client's, set by him now, with what he typed
    assert (mine.author, mine.assignee, mine.client) == (team.author, team.author, team.client)
    assert (his.assignee, his.importance, his.description, his.state) == (team.assignee, "high", "Подготовить КП",
                                                                          "new")
    assert abs((timezone.now() - his.created_at).total_seconds()) < 60
    # and nobody is told of a task he set himself
    assert _notices(team.author) == []


@pytest.mark.feature("TSK-01")
def test_bad_input_is_refused_with_a_clear_message_and_nothing_is_saved(team, english):
    start = timezone.now() + datetime.timedelta(days=1)
    # a due before the start, and no description
    with pytest.raises(ValidationError) as invalid:
        services.task_create(acting_user=team.author, client=team.client, values=task_values(
            team.assignee, starts_at=start, due_at=start - datetime.timedelta(minutes=1), description="   "))
    assert invalid.value.message_dict == {"due_at": ["The due time cannot be earlier than the start."],
                                          "description": ["Describe the task."]}
    # a client the manager cannot open (another manager's): refused, naming nothing of it
    foreign = ClientFactory(curator=team.assignee, short_name="Сатурн")
    with pytest.raises(ValidationError) as invalid:
        services.task_create(acting_user=team.author, client=foreign, values=task_values(team.author))
    assert invalid.value.message_dict == {
        "client": ["You cannot open this client's card, so you cannot set a task about it."]}
    assert "Сатурн" not in str(invalid.value)
    # an assignee who cannot open the client: the message names the client and why
    petrov = UserFactory(login="petrov", full_name="Петров П. П.")
    with pytest.raises(ValidationError) as invalid:
        services.task_create(acting_user=team.author, client=team.client, values=task_values(petrov))
    assert invalid.value.message_dict == {"assignee": [
        "The assignee Петров П. П. cannot open the client «Юпитер»: he works with his own clients only, and this "
        "client is not his (he is neither its curator nor its specialist, and no access was granted to him)."]}
    # nor anyone, about the author's private client
    make_private(team.client)
    with pytest.raises(ValidationError) as invalid:
        services.task_create(acting_user=team.author, client=team.client, values=task_values(team.assignee))
    assert invalid.value.message_dict == {"assignee": [
        "The assignee Иванов И. И. cannot open the client «Юпитер»: the client is private: only its curator opens "
        "it."]}
    # and nothing at all was saved
    assert not Task.objects.exists() and not TaskTransition.objects.exists()
    assert not AuditEvent.objects.filter(event__startswith="activity.").exists()
    assert not Notification.objects.exists()


@pytest.mark.feature("TSK-01")
def test_the_author_or_an_administrator_changes_a_task_and_nobody_else(team, admin_user, english):
    task = services.task_create(acting_user=team.author, client=team.client, values=task_values(team.assignee))
    # the assignee may not change it
    with pytest.raises(NotAllowed):
        services.task_update(acting_user=team.assignee, task_id=task.pk, values={"description": "Моё"})
    # the author and an administrator may
    services.task_update(acting_user=team.author, task_id=task.pk, values={"importance": "high"})
    services.task_update(acting_user=admin_user, task_id=task.pk, values={"description": "Уточнённое"})
    task.refresh_from_db()
    assert (task.importance, task.description, task.changed_by) == ("high", "Уточнённое", admin_user)
    # a due moved before the start is refused
    with pytest.raises(ValidationError) as invalid:
        services.task_update(acting_user=team.author, task_id=task.pk,
                             values={"due_at": task.starts_at - datetime.timedelta(hours=1)})
    assert invalid.value.message_dict == {"due_at": ["The due time cannot be earlier than the start."]}


@pytest.mark.feature("TSK-01")
def test_two_editors_of_a_task_conflict_only_on_the_same_field(team, admin_user, english):
    # given the author and an administrator both opened the task's form
    task = services.task_create(acting_user=team.author, client=team.client, values=task_values(team.assignee))
    zone = user_zone(team.author)
    read = services.task_stored(task, zone)

    def form(changes: dict[str, Any]) -> TaskForm:
        data = {"assignee": str(team.assignee.pk), "importance": "normal", "duration_minutes": "60",
                "starts_at": read["starts_at"].strftime("%Y-%m-%dT%H:%M"),
                "due_at": read["due_at"].strftime("%Y-%m-%dT%H:%M"), "description": read["description"],
                "remind_minutes": "15", **changes}
        bound = TaskForm(data, zone=zone, initial=read)
        assert bound.is_valid(), bound.errors
        return bound

    # when the administrator changes the description and the author then the importance
    other = form({"description": "Срочно позвонить"})
    services.task_update(acting_user=admin_user, task_id=task.pk, edit=other.edit(),
                         values={name: other.cleaned_data[name] for name in other.changed_data})
    mine = form({"importance": "high"})
    assert mine.changed_data == ["importance"]
    services.task_update(acting_user=team.author, task_id=task.pk, edit=mine.edit(),
                         values={name: mine.cleaned_data[name] for name in mine.changed_data})
    # then both changes are kept
    task.refresh_from_db()
    assert (task.description, task.importance) == ("Срочно позвонить", "high")
    # when the author, on his old form, changes the description too
    mine = form({"description": "Написать письмо"})
    with pytest.raises(EditConflict):
        services.task_update(acting_user=team.author, task_id=task.pk, edit=mine.edit(),
                             values={name: mine.cleaned_data[name] for name in mine.changed_data})
    # then nothing was saved
    task.refresh_from_db()
    assert task.description == "Срочно позвонить"


# --- reminders and project starts (TSK-04, TSK-06) --------------------------------------------------------------


@pytest.mark.feature("TSK-06")
def test_the_reminder_fires_once_at_start_minus_lead_time(team, english):
    # given at 09:00 (time frozen) a task starting at 12:00 with «remind 2 hours before»
    start = NOW + datetime.timedelta(hours=3)
    with mock.patch("django.utils.timezone.now", return_value=NOW):
        task = services.task_create(acting_user=team.author, client=team.client, values=task_values(
            team.assignee, starts_at=start, due_at=start + datetime.timedelta(hours=1), remind=True,
            remind_minutes=120))
    assert task.notify_at == start - datetime.timedelta(hours=2)
    # when the job runs a minute before the moment
    assert services.task_notices_send(now=start - datetime.timedelta(hours=2, minutes=1)) == 0
    assert _notices(team.assignee) == []
    # then at 10:00 it reminds the assignee, once
    assert services.task_notices_send(now=start - datetime.timedelta(hours=2)) == 1
    assert services.task_notices_send(now=start - datetime.timedelta(hours=1)) == 0
    assert services.task_notices_send(now=start) == 0
    assert _notices(team.assignee) == [f"Напоминание: задача № {task.pk} начинается 07.12.2026 15:00: Позвонить и "
                                           "согласовать договор"]
    assert Task.objects.get(pk=task.pk).notify_at is None


@pytest.mark.feature("TSK-06")
def test_moving_the_start_moves_the_reminder_and_a_closed_task_reminds_no_more(team, english):
    start = NOW + datetime.timedelta(hours=3)
    with mock.patch("django.utils.timezone.now", return_value=NOW):
        task = services.task_create(acting_user=team.author, client=team.client,
                                    values=task_values(team.author, starts_at=start, remind=True,
                                                       due_at=start + datetime.timedelta(hours=1), remind_minutes=30))
        later = start + datetime.timedelta(hours=2)
        services.task_update(acting_user=team.author, task_id=task.pk,
                             values={"starts_at": later, "due_at": later + datetime.timedelta(hours=1)})
    assert Task.objects.get(pk=task.pk).notify_at == later - datetime.timedelta(minutes=30)
    _step(team.author, Task.objects.get(pk=task.pk), "done")
    assert services.task_notices_send(now=later) == 0
    assert _notices(team.author) == []


@pytest.mark.feature("TSK-06")
def test_two_workers_running_the_job_over_the_same_due_rows_send_each_notice_once(team, english):
    # given three tasks whose reminders are due
    start = NOW + datetime.timedelta(hours=1)
    with mock.patch("django.utils.timezone.now", return_value=NOW):
        for _ in range(3):
            services.task_create(acting_user=team.author, client=team.client, values=task_values(
                team.author, starts_at=start, due_at=start, remind=True, remind_minutes=30))
    # when two workers read the due rows at the same time, and both send them
    due = start - datetime.timedelta(minutes=30)
    first, second = services.due_notices(due), services.due_notices(due)
    assert len(first) == len(second) == 3
    sent = [services.task_notice_send(task_id=pk, due=at) for pk, at in first]
    sent += [services.task_notice_send(task_id=pk, due=at) for pk, at in second]
    # then each reminder went out once
    assert sent == [True, True, True, False, False, False]
    assert len(_notices(team.author)) == 3


@pytest.mark.feature("TSK-06")
@pytest.mark.django_db(transaction=True)
def test_two_workers_racing_on_postgresql_send_each_notice_once(manager_user):
    if connection.vendor != "postgresql":
        pytest.skip("two connections racing on row locks: PostgreSQL (SQLite's writers take turns)")
    # given ten due reminders
    start = NOW + datetime.timedelta(hours=1)
    client = ClientFactory(curator=manager_user)
    with mock.patch("django.utils.timezone.now", return_value=NOW):
        for _ in range(10):
            services.task_create(acting_user=manager_user, client=client, values=task_values(
                manager_user, starts_at=start, due_at=start, remind=True, remind_minutes=15))
    due = start - datetime.timedelta(minutes=15)
    barrier = threading.Barrier(2)
    counts: list[int] = []

    def worker() -> None:
        try:
            rows = services.due_notices(due)
            barrier.wait()  # both have read the same due rows before either sends
            counts.append(sum(services.task_notice_send(task_id=pk, due=at) for pk, at in rows))
        finally:
            connections.close_all()

    # when two workers, each on its own connection, run the job at once
    threads = [threading.Thread(target=worker) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    # then every reminder went out exactly once
    assert sum(counts) == 10
    assert Notification.objects.filter(user=manager_user, kind="task").count() == 10


@pytest.mark.feature("TSK-04")
def test_a_project_task_hangs_on_a_case_and_tells_its_assignee_when_its_start_comes(team, english):
    # given a case of the project planner and a task on it for Ivanov (who need not open any client)
    case = ProjectItemFactory(title="Внедрение CRM", responsible=team.author)
    start = NOW + datetime.timedelta(hours=2)
    with mock.patch("django.utils.timezone.now", return_value=NOW):
        task = services.task_create(acting_user=team.author, case=case, values=task_values(
            team.assignee, starts_at=start, due_at=start + datetime.timedelta(days=1), description="Обучить отдел"))
    assert (task.kind, task.case, task.client, task.notify_at) == (Task.Kind.PROJECT, case, None, start)
    # when its start comes
    assert services.task_notices_send(now=start - datetime.timedelta(minutes=1)) == 0
    assert services.task_notices_send(now=start) == 1
    # then the assignee is told, once
    assert _notices(team.assignee)[-1] == (
        f"Наступило время начала проектной работы (07.12.2026 14:00): задача № {task.pk} по делу «Внедрение CRM»: "
        "Обучить отдел")
    assert services.task_notices_send(now=start + datetime.timedelta(minutes=1)) == 0
    # and it is closed without a report
    assert _step(team.assignee, task, "done").state == State.CLOSED


# --- lost access (TSK-01) ---------------------------------------------------------------------------------------


@pytest.mark.feature("TSK-01")
def test_when_the_assignee_loses_the_client_the_task_stays_his_and_the_author_is_told_once(team, english):
    # given Ivanov's task about «Юпитер», and another one whose client he keeps
    task = services.task_create(acting_user=team.author, client=team.client, values=task_values(team.assignee))
    kept_client = ClientFactory(curator=team.assignee)
    kept = services.task_create(acting_user=team.assignee, client=kept_client, values=task_values(team.assignee))
    # positive control: nothing to tell while he opens the client
    assert services.task_access_lost_tell_all() == 0
    # when the client becomes the manager's private client
    make_private(team.client)
    # then the author is told, once, without the client's name
    assert services.task_access_lost_tell_all() == 1
    assert services.task_access_lost_tell_all() == 0
    assert _notices(team.author)[-1] == (
        f"Задача № {task.pk}: исполнитель Иванов И. И. больше не может открыть клиента задачи. Задача остаётся за "
        "ним; клиент показывается как «клиент недоступен».")
    # and the task is still his, the other untouched
    task.refresh_from_db()
    assert task.assignee == team.assignee and task.access_lost_told_at is not None
    assert Task.objects.get(pk=kept.pk).access_lost_told_at is None


@pytest.mark.feature("TSK-06", "TSK-01")
def test_the_periodic_jobs_send_due_reminders_and_tell_of_lost_access(team):
    # given a reminder already due (start in 10 minutes, «remind 15 minutes before») and a client Ivanov lost
    start = timezone.now().replace(second=0, microsecond=0) + datetime.timedelta(minutes=10)
    task = services.task_create(acting_user=team.author, client=team.client, values=task_values(
        team.assignee, starts_at=start, due_at=start, remind=True, remind_minutes=15))
    make_private(team.client)
    # when the worker's scheduler runs the minute's jobs (twice: two workers enqueued them)
    for _ in range(2):
        task_notices.call_local()
        task_access_check.call_local()
    # then the assignee is reminded once, and the author told once
    assert len(_notices(team.assignee)) == 1 and _notices(team.assignee)[0].startswith("Напоминание")
    assert len(_notices(team.author)) == 1 and f"Задача № {task.pk}: исполнитель" in _notices(team.author)[0]
