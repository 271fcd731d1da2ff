"""A lived-in demonstration base: the relationship history and the tasks of the demo's clients (`kontora demo`).

Deterministic for a seed. Events are spread over the last two years' working days (the office calendar), within
the office's working hours, in time order (ids follow the dates, as in a base that grew by itself); each is by the
client's curator (now and then a colleague), of a type, often with a result and a reaction, and described by a
phrase of a small Russian vocabulary, so the events report's word search finds them. Tasks run from three months
ago to a month ahead: those of the past mostly closed, those around today active, reminders and tasks requiring a
report, every state consistent with the model's constraints (closed ⇔ closed_at, due ≥ start).

Rows are written as plain executemany INSERTs (COPY on PostgreSQL), a transaction per batch: a fill of millions
neither holds one transaction for minutes nor builds a model instance per row. On SQLite a batch of events is
indexed for the word search in one statement, not by the row trigger (see _words_in_bulk).
"""

from __future__ import annotations

import datetime
import importlib
import random
import time
from array import array
from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager, contextmanager, nullcontext
from dataclasses import dataclass
from typing import Any
from zoneinfo import ZoneInfo

from django.db import connection, transaction
from django.utils import timezone

from kontora.activity.models import Event, Task
from kontora.activity.selectors.events_search import FTS
from kontora.clients.demo import Inserter
from kontora.clients.models import Client
from kontora.core.selectors.calendar import office_zone, working_days, working_hours
from kontora.core.text import search_key
from kontora.directories import models as dirs

BATCH = 50_000
HISTORY_DAYS = 730  # events over the last two years
TASKS_BEFORE, TASKS_AFTER = 90, 30  # tasks from three months ago to a month ahead
OTHER_AUTHOR = 0.1  # an event or task by a colleague rather than the curator

# The history's phrases: what happened, and now and then what it was about.
_WHAT = [
    "Обсудили условия поставки", "Уточнили потребность клиента", "Отправили коммерческое предложение",
    "Клиент запросил прайс-лист", "Напомнили об оплате счёта", "Договорились о встрече в офисе клиента",
    "Провели презентацию новой линейки", "Клиент просит скидку на объём", "Подписали договор поставки",
    "Выставили счёт на предоплату", "Жалоба на сроки доставки", "Согласовали график отгрузки",
    "Клиент думает, решение на следующей неделе", "Не дозвонились, оставили сообщение секретарю",
    "Уточнили реквизиты для договора", "Обсудили продление договора", "Клиент доволен качеством",
    "Передали образцы продукции", "Согласовали спецификацию", "Клиент сменил контактное лицо",
]
_ABOUT = [
    "бумага офисная", "картриджи", "офисная мебель", "серверное оборудование", "ноутбуки", "канцтовары",
    "стройматериалы", "упаковка", "спецодежда", "электроинструмент", "кабельная продукция", "сантехника",
]
_TASKS = [
    "Перезвонить и уточнить потребность", "Подготовить коммерческое предложение", "Отправить счёт на оплату",
    "Согласовать проект договора", "Провести встречу с клиентом", "Проверить поступление оплаты",
    "Напомнить о продлении договора", "Отправить образцы продукции", "Уточнить сроки отгрузки",
    "Подготовить акт сверки",
]
_REPORTS = ["Выполнено, клиент в курсе", "Отправлено, получение подтверждено", "Сделано, ждём ответа клиента"]
_IMPORTANCE = [Task.Importance.NORMAL] * 14 + [Task.Importance.HIGH] * 3 + [Task.Importance.LOW] * 3
_REMIND_MINUTES = [15, 30, 60, 120]


@dataclass(frozen=True)
class ActivityResult:
    events: int
    tasks: int
    # Each part's wall and CPU seconds (on a shared, busy machine the wall time says more about the neighbours).
    events_time: tuple[float, float] = (0.0, 0.0)
    tasks_time: tuple[float, float] = (0.0, 0.0)


def _timed(fill: Callable[[], int]) -> tuple[int, tuple[float, float]]:
    started, cpu = time.monotonic(), time.process_time()
    written = fill()
    return written, (time.monotonic() - started, time.process_time() - cpu)


def _clients(first_code: int) -> tuple[array[int], array[int]]:
    """The ids and curators of the clients from `first_code` on (the demo's own), in two compact arrays."""
    ids, curators = array("q"), array("q")
    rows = Client.objects.filter(code__gte=first_code).order_by("pk").values_list("pk", "curator_id")
    for pk, curator in rows.iterator(chunk_size=BATCH):
        ids.append(pk)
        curators.append(curator or 0)
    return ids, curators


def _ids(model: Any) -> list[int]:
    return list(model.objects.filter(is_active=True).order_by("pk").values_list("pk", flat=True))


def _stamp(moment: datetime.datetime) -> str:
    """An aware moment as both databases take it from a parameter: UTC, without the zone (Django's connections
    run in UTC)."""
    return moment.astimezone(datetime.UTC).strftime("%Y-%m-%d %H:%M:%S")


def _batches(rows: Iterator[dict[str, Any]], inserter: Inserter,
             around: Callable[[], AbstractContextManager[None]] = nullcontext) -> int:
    """Writes `rows` a transaction per BATCH, each inside `around()`; returns how many."""
    count = 0
    batch: list[dict[str, Any]] = []
    for row in rows:
        batch.append(row)
        if len(batch) >= BATCH:
            with transaction.atomic(), around():
                inserter.insert(batch)
            count += len(batch)
            batch = []
    if batch:
        with transaction.atomic(), around():
            inserter.insert(batch)
        count += len(batch)
    return count


_WORDS_TRIGGER = f"{FTS}_ai"


@contextmanager
def _words_in_bulk() -> Iterator[None]:
    """Inside a batch's transaction on SQLite: the word index's insert trigger (migration 0007) rests while the
    batch is written, and the batch's events are indexed in one statement after it; the trigger is back before
    the commit, and an error rolls all of it back, DDL included. Row by row the trigger took over a third of the
    fill: 2,000,000 events about a million clients were written in 171 s with it, in 108 s without."""
    if connection.vendor != "sqlite":
        yield
        return
    with connection.cursor() as cursor:
        cursor.execute("SELECT sql FROM sqlite_master WHERE type = 'trigger' AND name = %s", [_WORDS_TRIGGER])
        found = cursor.fetchone()
        if found is None:  # not the schema this knows: leave the trigger to do its work
            yield
            return
        cursor.execute(f"DROP TRIGGER {_WORDS_TRIGGER}")
        # Read once the batch holds the write lock: no other writer's event can come after it unindexed.
        cursor.execute("SELECT coalesce(max(id), 0) FROM activity_event")
        last = cursor.fetchone()[0]
    yield
    words_seq = importlib.import_module("kontora.activity.migrations.0007_event_words_by_date").words_seq
    with connection.cursor() as cursor:
        # In id order, which is the rowids' order here (the fill's ids follow the dates): FTS5 writes it fast.
        cursor.execute(f"INSERT INTO {FTS}(rowid, description_key) SELECT {words_seq('e')}, e.description_key "  # noqa: S608
                       "FROM activity_event e WHERE e.id > %s ORDER BY e.id", [last])
        cursor.execute(found[0])  # without parameters: its strftime('%s') is taken as written


def _events(rng: random.Random, count: int, ids: array[int], curators: array[int], users: list[int],
            today: datetime.date, zone: ZoneInfo) -> Iterator[dict[str, Any]]:
    yesterday = today - datetime.timedelta(days=1)  # the history ends before today: nothing in the future
    days = [day for day, worked in working_days(today - datetime.timedelta(days=HISTORY_DAYS), yesterday).items()
            if worked]
    start, end = working_hours()
    opens = start.hour * 3600 + start.minute * 60
    span = max(60, end.hour * 3600 + end.minute * 60 - opens)
    types, results, reactions = _ids(dirs.EventType), _ids(dirs.EventResult), _ids(dirs.ContactReaction)
    keys: dict[str, str] = {}
    per_day, extra = divmod(count, len(days))
    for number, day in enumerate(days):
        midnight = datetime.datetime.combine(day, datetime.time.min, tzinfo=zone)
        # Each day's events in time order: ids follow the dates.
        seconds = sorted(opens + rng.randrange(span) for _ in range(per_day + (number < extra)))
        for second in seconds:
            moment = midnight + datetime.timedelta(seconds=second)
            index = rng.randrange(len(ids))
            author = curators[index] if rng.random() >= OTHER_AUTHOR or not users else rng.choice(users)
            text = rng.choice(_WHAT)
            if rng.random() < 0.6:
                text = f"{text}: {rng.choice(_ABOUT)}"
            key = keys.get(text)
            if key is None:
                key = keys[text] = search_key(text)
            stamp = _stamp(moment)
            yield {
                "client_id": ids[index], "author_id": author or rng.choice(users), "created_at": stamp,
                "changed_at": stamp, "event_type_id": rng.choice(types), "description": text,
                "description_key": key,
                "result_id": rng.choice(results) if results and rng.random() < 0.7 else None,
                "reaction_id": rng.choice(reactions) if reactions and rng.random() < 0.3 else None,
                "next_contact_date": (day + datetime.timedelta(days=rng.randint(1, 30))).isoformat()
                if rng.random() < 0.2 else None,
            }


def _tasks(rng: random.Random, count: int, ids: array[int], curators: array[int], users: list[int],
           today: datetime.date, zone: ZoneInfo) -> Iterator[dict[str, Any]]:
    first, last = today - datetime.timedelta(days=TASKS_BEFORE), today + datetime.timedelta(days=TASKS_AFTER)
    days = [day for day, worked in working_days(first, last).items() if worked]
    start, end = working_hours()
    slots = max(1, (end.hour * 60 + end.minute - start.hour * 60 - start.minute) // 15 - 1)
    now = timezone.now()
    recent = today - datetime.timedelta(days=3)
    per_day, extra = divmod(count, len(days))
    for number, day in enumerate(days):
        opens = datetime.datetime.combine(day, start, tzinfo=zone)
        for _ in range(per_day + (number < extra)):
            index = rng.randrange(len(ids))
            assignee = curators[index] or rng.choice(users)
            author = assignee if rng.random() >= 0.4 or not users else rng.choice(users)
            kind = Task.Kind.REPORT if rng.random() < 0.3 else Task.Kind.REMINDER
            starts = opens + datetime.timedelta(minutes=15 * rng.randrange(slots))
            duration = 15 * rng.randint(1, 8)
            due = starts + datetime.timedelta(minutes=duration)
            created = min(starts - datetime.timedelta(days=rng.randint(0, 7), minutes=rng.randint(0, 600)), now)
            state, closed, report = _life(rng, kind, day, recent, today)
            closed_at = min(due + datetime.timedelta(hours=rng.randint(0, 48)), now) if closed else None
            remind = rng.random() < 0.3
            minutes = rng.choice(_REMIND_MINUTES)
            notice = starts - datetime.timedelta(minutes=minutes)
            yield {
                "kind": str(kind), "client_id": ids[index], "author_id": author, "assignee_id": assignee,
                "created_at": _stamp(created), "importance": str(rng.choice(_IMPORTANCE)),
                "starts_at": _stamp(starts), "duration_minutes": duration, "due_at": _stamp(due),
                "description": rng.choice(_TASKS), "state": str(state), "report": report,
                "remind": remind, "remind_minutes": minutes,
                # A notice still due only for an active task whose reminder time is ahead (the job sends it).
                "notify_at": _stamp(notice) if remind and not closed and notice > now else None,
                "closed_at": _stamp(closed_at) if closed_at else None,
                "changed_at": _stamp(closed_at or created),
            }


def _life(rng: random.Random, kind: str, day: datetime.date, recent: datetime.date,
          today: datetime.date) -> tuple[str, bool, str]:
    """A task's state by its day: the past mostly closed (a few left overdue), around today in every state."""
    if day < recent and rng.random() < 0.9:
        return Task.State.CLOSED, True, rng.choice(_REPORTS) if kind == Task.Kind.REPORT else ""
    if kind == Task.Kind.REMINDER:
        return Task.State.NEW, False, ""
    if day > today:
        return rng.choice([Task.State.NEW, Task.State.NEW, Task.State.ACCEPTED]), False, ""
    state = rng.choice([Task.State.NEW, Task.State.ACCEPTED, Task.State.COMPLETED, Task.State.REWORK])
    return state, False, rng.choice(_REPORTS) if state in (Task.State.COMPLETED, Task.State.REWORK) else ""


def _analyze() -> None:
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute("ANALYZE activity_event")
            cursor.execute("ANALYZE activity_task")
        elif connection.in_atomic_block:  # VACUUM cannot run in a transaction (a test's)
            cursor.execute("ANALYZE activity_event, activity_task")
        else:
            # A bulk fill leaves the visibility map empty until autovacuum comes by: till then an index-only scan
            # (the planners' covering index) reads every row's page too — 1.6× the fortnight's time measured.
            cursor.execute("VACUUM (ANALYZE) activity_event, activity_task")


def activity_fill(*, first_code: int, events: int, tasks: int, users: list[int], seed: int = 1) -> ActivityResult:
    """Adds `events` events and `tasks` tasks about the clients from code `first_code` on (the demo's clients),
    curated by `users` (the demo's managers, also the colleagues who now and then write or set one)."""
    ids, curators = _clients(first_code)
    if not ids:
        return ActivityResult(events=0, tasks=0)
    rng = random.Random(seed * 7_919 + 14)  # noqa: S311 — demonstration data must repeat for a seed, not be secret
    zone, today = office_zone(), timezone.now().astimezone(office_zone()).date()
    written_events, events_time = _timed(lambda: _batches(
        _events(rng, events, ids, curators, users, today, zone), Inserter(Event), _words_in_bulk) if events else 0)
    written_tasks, tasks_time = _timed(lambda: _batches(
        _tasks(rng, tasks, ids, curators, users, today, zone), Inserter(Task)) if tasks else 0)
    _analyze()
    return ActivityResult(events=written_events, tasks=written_tasks, events_time=events_time,
                          tasks_time=tasks_time)
