"""`kontora demo`'s history and tasks (issue 14, item 11): a lived-in base, consistent with the model's rules and
deterministic for a seed."""

from __future__ import annotations

import datetime
import re
from typing import Any

import pytest
from django.utils import timezone, translation

from kontora.accounts.models import User
from kontora.activity import demo
from kontora.activity.demo import HISTORY_DAYS, TASKS_AFTER, TASKS_BEFORE, activity_fill
from kontora.activity.models import Event, Task
from kontora.activity.selectors.events_search import description_matches
from kontora.clients.demo import Inserter, demo_fill
from kontora.clients.models import Client
from kontora.core.selectors.calendar import office_zone, working_days
from kontora.core.text import search_key

pytestmark = pytest.mark.django_db


def _filled(clients: int = 200, events: int = 1_000, tasks: int = 300, seed: int = 3) -> Any:
    result = demo_fill(clients=clients, seed=seed)
    return activity_fill(first_code=result.first_code, events=events, tasks=tasks, users=list(result.user_ids),
                         seed=seed)


def test_events_are_the_clients_history_over_two_years_of_working_days():
    # when
    result = _filled()
    # then
    assert result.events == Event.objects.count() == 1_000
    zone, today = office_zone(), timezone.localdate(timezone=office_zone())
    worked = working_days(today - datetime.timedelta(days=HISTORY_DAYS), today)
    events = list(Event.objects.select_related("client").order_by("id"))
    demo_users = set(User.objects.filter(login__startswith="demo").values_list("pk", flat=True))
    for event in events:
        local = event.created_at.astimezone(zone)
        assert worked[local.date()] and local.date() < today, local
        assert datetime.time(9) <= local.time() < datetime.time(18), local
        assert event.description_key == search_key(event.description)
        assert event.author_id in demo_users and event.event_type_id is not None
        assert event.changed_at == event.created_at
    # in time order (ids follow the dates), mostly by the client's curator, about many clients
    assert [event.created_at for event in events] == sorted(event.created_at for event in events)
    by_curator = sum(event.author_id == event.client.curator_id for event in events)
    assert 0.8 * len(events) < by_curator < len(events)
    assert len({event.client_id for event in events}) > 150
    # and the events report's word search finds its words
    assert Event.objects.filter(description_key__contains="картриджи").exists()
    assert Event.objects.filter(result__isnull=False).exists() and Event.objects.filter(result__isnull=True).exists()


def test_tasks_run_from_three_months_ago_to_a_month_ahead_closed_in_the_past_active_around_today():
    # when
    result = _filled()
    # then
    assert result.tasks == Task.objects.count() == 300
    zone, now = office_zone(), timezone.now()
    today = now.astimezone(zone).date()
    tasks = list(Task.objects.select_related("client"))
    for task in tasks:
        day = task.starts_at.astimezone(zone).date()
        assert today - datetime.timedelta(days=TASKS_BEFORE) <= day <= today + datetime.timedelta(days=TASKS_AFTER)
        assert task.due_at >= task.starts_at and task.created_at <= now
        assert task.client is not None and task.case_id is None and task.assignee_id == task.client.curator_id
        assert (task.state == Task.State.CLOSED) == (task.closed_at is not None)
        assert task.closed_at is None or task.closed_at <= now
        if task.state in (Task.State.COMPLETED, Task.State.REWORK):
            assert task.kind == Task.Kind.REPORT and task.report
        if task.notify_at is not None:
            assert task.remind and task.is_active and task.notify_at > now
    assert {task.kind for task in tasks} == {Task.Kind.REMINDER, Task.Kind.REPORT}
    past = [task for task in tasks if task.due_at < now - datetime.timedelta(days=3)]
    ahead = [task for task in tasks if task.starts_at > now]
    assert sum(not task.is_active for task in past) > 0.8 * len(past)
    assert ahead and all(task.is_active for task in ahead)
    assert any(task.is_active for task in past)  # a few overdue ones, for the overdue reports


def _found(text: str) -> set[int]:
    return set(Event.objects.filter(description_matches(text)).values_list("pk", flat=True))


def _holding(word: str) -> set[int]:
    return set(Event.objects.filter(description_key__contains=word).values_list("pk", flat=True))


@pytest.mark.feature("HIS-03")
def test_the_events_report_finds_every_filled_event_by_its_words_and_the_index_keeps_up_after(monkeypatch):
    # given batches of 300 (SQLite indexes each batch's words in one statement, its row trigger resting)
    monkeypatch.setattr(demo, "BATCH", 300)
    # when
    _filled(events=1_000)
    # then every event is found by its words, none twice
    for word in ("картриджи", "счета", "клиент"):
        assert _found(word) == _holding(word) and len(_holding(word)) > 20, word
    # and an event written after the fill is indexed as it is written
    event = Event.objects.order_by("id").last()
    later = Event.objects.create(client_id=event.client_id, author_id=event.author_id,
                                 event_type_id=event.event_type_id, description="Обсудили цены на картриджи",
                                 description_key=search_key("Обсудили цены на картриджи"))
    assert later.pk in _found("картриджи цены")


def test_a_failed_batch_leaves_the_batches_before_it_indexed_and_the_index_kept(monkeypatch):
    # given the second batch fails
    monkeypatch.setattr(demo, "BATCH", 300)
    real, calls, events_sql = Inserter.insert, [], Inserter(Event).sql

    def failing(self, rows):
        calls.append(self.sql)
        if calls.count(events_sql) == 2:
            raise RuntimeError("disk full")
        real(self, rows)

    monkeypatch.setattr(Inserter, "insert", failing)
    # when
    with pytest.raises(RuntimeError):
        _filled(events=1_000)
    # then the first batch stays, found by its words, and nothing of the second
    assert Event.objects.count() == 300
    assert _found("картриджи") == _holding("картриджи") != set()
    # and the index is still kept for the next writer
    event = Event.objects.first()
    later = Event.objects.create(client_id=event.client_id, author_id=event.author_id,
                                 event_type_id=event.event_type_id, description="Сверили остатки",
                                 description_key=search_key("Сверили остатки"))
    assert _found("сверили") == {later.pk}


def test_the_same_seed_fills_the_same_history():
    def snapshot() -> list[tuple[Any, ...]]:
        return [
            *Event.objects.order_by("id").values_list("client__code", "author__login", "created_at", "description"),
            *Task.objects.order_by("id").values_list("client__code", "starts_at", "state", "kind"),
        ]

    _filled(clients=50, events=200, tasks=40, seed=9)
    first = snapshot()
    Client.objects.all().delete()  # and their events and tasks with them
    _filled(clients=50, events=200, tasks=40, seed=9)
    assert [row[1:] for row in snapshot()] == [row[1:] for row in first]


def _main(args: list[str]) -> int:
    from kontora.cli import main

    with translation.override("ru"):  # the command speaks English: the tests after it must not
        return main(args)


def test_the_command_line_adds_five_events_and_a_task_per_client_unless_told(capsys):
    # when
    assert _main(["demo", "--clients", "10", "--seed", "3"]) == 0
    # then
    out = capsys.readouterr().out
    assert "added 50 events and 10 tasks about them" in out
    assert re.search(r"\(events [\d.]+ s, [\d.]+ s CPU; tasks [\d.]+ s, [\d.]+ s CPU\)", out), out
    assert (Event.objects.count(), Task.objects.count()) == (50, 10)
    # when told
    assert _main(["demo", "--clients", "10", "--seed", "4", "--events", "7", "--tasks", "0"]) == 0
    # then only the new clients get them
    assert "added 7 events and 0 tasks about them" in capsys.readouterr().out
    assert Event.objects.filter(client__code__gt=10).count() == 7 and Task.objects.count() == 10
    # and a negative count is refused by the parser
    with pytest.raises(SystemExit):
        _main(["demo", "--clients", "10", "--events", "-1"])
