"""The Flexi-filter's conditions about activity: last event date, events of a type in a period, active and overdue
tasks (REG-04, the Statistics tab), and the next contact date's today / overdue / period (TSK-05)."""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from kontora.accounts.models import ClientScope
from kontora.activity.models import Task
from kontora.clients.flexi.selectors.specs import describe, parse
from kontora.clients.models import Client
from kontora.core.models import UserParameters
from kontora.core.selectors.calendar import user_today
from kontora.directories.models import EventType
from tests.accounts.factories import UserFactory
from tests.activity.factories import EventFactory, TaskFactory
from tests.clients.factories import ClientFactory
from tests.clients.support import filtered_names

pytestmark = pytest.mark.django_db


def _at(day: str, hour: int = 12) -> datetime.datetime:
    return datetime.datetime.fromisoformat(day).replace(hour=hour, tzinfo=datetime.UTC)


def _names(user: Any, field: str, operator: str, value: Any = None) -> set[str]:
    spec = parse({"op": "and", "items": [{"field": field, "operator": operator, "value": value}]}, user=user)
    return set(filtered_names(user, spec))


@pytest.fixture
def call() -> EventType:
    return EventType.objects.create(name="Звонок", name_key="звонок")


@pytest.fixture
def meeting() -> EventType:
    return EventType.objects.create(name="Встреча", name_key="встреча")


@pytest.fixture
def clients(manager_user: Any) -> dict[str, Client]:
    return {name: ClientFactory(short_name=name, curator=manager_user) for name in ("А", "Б", "В")}


@pytest.mark.feature("REG-04")
def test_the_date_of_the_last_event(manager_user: Any, clients: dict[str, Client]) -> None:
    # given: А's last event on 5 March; Б's on 20 March (and an older one); В has none
    EventFactory(client=clients["А"], created_at=_at("2026-03-05"))
    EventFactory(client=clients["Б"], created_at=_at("2026-02-01"))
    EventFactory(client=clients["Б"], created_at=_at("2026-03-20"))
    # then
    assert _names(manager_user, "last_event_date", "on", "2026-03-05") == {"А"}
    assert _names(manager_user, "last_event_date", "on", "2026-02-01") == set()  # not Б's last one
    assert _names(manager_user, "last_event_date", "before", "2026-03-10") == {"А"}
    assert _names(manager_user, "last_event_date", "after", "2026-03-10") == {"Б"}
    assert _names(manager_user, "last_event_date", "between", ["2026-03-01", "2026-03-31"]) == {"А", "Б"}
    assert _names(manager_user, "last_event_date", "between", ["2026-01-01", "2026-02-28"]) == set()


@pytest.mark.feature("REG-04")
def test_the_last_event_date_is_the_users_day(manager_user: Any, clients: dict[str, Client]) -> None:
    # given: 20:00 UTC on 5 March is 6 March in Novosibirsk
    UserParameters.objects.create(user=manager_user, time_zone="Asia/Novosibirsk")
    EventFactory(client=clients["А"], created_at=_at("2026-03-05", 20))
    # then
    assert _names(manager_user, "last_event_date", "on", "2026-03-06") == {"А"}
    assert _names(manager_user, "last_event_date", "on", "2026-03-05") == set()


@pytest.mark.feature("REG-04")
def test_events_of_a_type_in_a_period(manager_user: Any, clients: dict[str, Client], call: EventType,
                                      meeting: EventType) -> None:
    # given: А had two calls in March, Б one call in March and a meeting in February, В nothing
    EventFactory(client=clients["А"], event_type=call, created_at=_at("2026-03-02"))
    EventFactory(client=clients["А"], event_type=call, created_at=_at("2026-03-30"))
    EventFactory(client=clients["Б"], event_type=call, created_at=_at("2026-03-15"))
    EventFactory(client=clients["Б"], event_type=meeting, created_at=_at("2026-02-10"))
    march = {"from": "2026-03-01", "to": "2026-03-31"}
    # then
    assert _names(manager_user, "events", "exists", {"items": [call.pk], **march}) == {"А", "Б"}
    assert _names(manager_user, "events", "count_ge", {"items": [call.pk], **march, "count": 2}) == {"А"}
    assert _names(manager_user, "events", "count_ge", {"items": [call.pk], **march, "count": 3}) == set()
    assert _names(manager_user, "events", "not_exists", {"items": [call.pk], **march}) == {"В"}
    assert _names(manager_user, "events", "exists", {"items": [meeting.pk], **march}) == set()
    assert _names(manager_user, "events", "exists", {"items": [], "from": "2026-02-01", "to": "2026-02-28"}) == {"Б"}
    # an open end, and any type
    assert _names(manager_user, "events", "exists", {"items": [], "from": "2026-03-20", "to": None}) == {"А"}
    assert _names(manager_user, "events", "count_ge", {"items": [call.pk, meeting.pk], "from": None, "to": None,
                                                       "count": 2}) == {"А", "Б"}


@pytest.mark.feature("REG-04")
def test_a_counted_condition_is_cleaned_and_described(manager_user: Any, call: EventType) -> None:
    # when
    spec = parse({"field": "events", "operator": "count_ge",
                  "value": {"items": [str(call.pk)], "from": "2026-03-31", "to": "2026-03-01", "count": "3"}},
                 user=manager_user)
    # then: ids as numbers, the period in order, the count a number
    assert spec["items"][0]["value"] == {"items": [call.pk], "from": "2026-03-01", "to": "2026-03-31", "count": 3}
    assert "{Звонок}" in describe(spec) and "01.03.2026 — 31.03.2026" in describe(spec)
    # refused: no number for "at least", a bad date, a value of the wrong shape
    for value in ({"items": [], "count": None}, {"items": [], "from": "31.03.2026", "count": None}, [call.pk],
                  {"items": [], "count": 0}, {"items": ["x"], "count": 2}, {"count": 2, "extra": 1}):
        with pytest.raises(ValidationError):
            parse({"field": "events", "operator": "count_ge", "value": value}, user=manager_user)
    # positive control: "there are" needs no number
    parse({"field": "events", "operator": "exists", "value": {"items": [], "from": None, "to": None}},
          user=manager_user)


@pytest.mark.feature("REG-04")
def test_active_and_overdue_tasks(manager_user: Any, clients: dict[str, Client]) -> None:
    # given: А has an overdue open task; Б an open task due tomorrow and a closed overdue one; В none
    now = timezone.now()
    TaskFactory(client=clients["А"], starts_at=now - datetime.timedelta(days=2), duration_minutes=60,
                due_at=now - datetime.timedelta(days=1))
    TaskFactory(client=clients["Б"], starts_at=now, due_at=now + datetime.timedelta(days=1))
    TaskFactory(client=clients["Б"], starts_at=now - datetime.timedelta(days=3),
                due_at=now - datetime.timedelta(days=2), state=Task.State.CLOSED, closed_at=now)
    # then
    assert _names(manager_user, "has_active_tasks", "is_true") == {"А", "Б"}
    assert _names(manager_user, "has_active_tasks", "is_false") == {"В"}
    assert _names(manager_user, "has_overdue_tasks", "is_true") == {"А"}
    assert _names(manager_user, "has_overdue_tasks", "is_false") == {"Б", "В"}


@pytest.mark.feature("TSK-05")
def test_the_next_contact_date_today_overdue_and_in_a_period(manager_user: Any) -> None:
    # given: the user's today (on his clock)
    UserParameters.objects.create(user=manager_user, time_zone="Pacific/Kiritimati")
    today = user_today(manager_user)
    day = datetime.timedelta(days=1)
    for name, when in (("Сегодня", today), ("Вчера", today - day), ("Завтра", today + day), ("Никогда", None)):
        ClientFactory(short_name=name, curator=manager_user, next_contact_date=when)
    # then
    assert _names(manager_user, "next_contact_date", "today") == {"Сегодня"}
    assert _names(manager_user, "next_contact_date", "overdue") == {"Вчера"}
    assert _names(manager_user, "next_contact_date", "between",
                  [today.isoformat(), (today + day).isoformat()]) == {"Сегодня", "Завтра"}


@pytest.mark.feature("REG-04")
def test_a_list_only_user_learns_nothing_of_events_of_cards_he_cannot_open(manager_user: Any) -> None:
    # given: a manager who lists every client but opens his own; another's client with a call and an open task
    manager_user.client_scope = ClientScope.LIST_ALL
    manager_user.save()
    other = UserFactory(role="manager")
    theirs = ClientFactory(short_name="Чужой", curator=other)
    mine = ClientFactory(short_name="Свой", curator=manager_user)
    for client in (theirs, mine):
        EventFactory(client=client, author=other, created_at=_at("2026-03-05"))
        TaskFactory(client=client, author=other)
    # then: the condition holds only on the card he opens (the other is still listed without a filter)
    assert {"Чужой", "Свой"} <= set(filtered_names(manager_user, parse(
        {"field": "name", "operator": "contains", "value": "й"}, user=manager_user)))
    assert _names(manager_user, "events", "exists", {"items": [], "from": None, "to": None}) == {"Свой"}
    assert _names(manager_user, "last_event_date", "on", "2026-03-05") == {"Свой"}
    assert _names(manager_user, "has_active_tasks", "is_true") == {"Свой"}
    # negated conditions do not reveal it either
    assert "Чужой" not in _names(manager_user, "events", "not_exists", {"items": [], "from": None, "to": None})
    assert "Чужой" not in _names(manager_user, "has_active_tasks", "is_false")
