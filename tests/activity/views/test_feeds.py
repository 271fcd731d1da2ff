"""The calendar feed (PLN-04): a user's own tasks as iCalendar at a secret address, read back with the `icalendar`
library; the address is made once, shown once, and a revoked or unknown one answers 404."""

from __future__ import annotations

import datetime
import re
from typing import Any

import icalendar
import pytest
from django.test import Client as HttpClient
from django.urls import reverse
from django.utils import timezone

from kontora.accounts.models import ClientScope, Role
from kontora.activity.models import CalendarFeed, Task
from kontora.activity.services.feeds import calendar_feed_create, calendar_feed_revoke, token_hash
from kontora.core.models import AuditEvent
from tests.accounts.factories import UserFactory
from tests.activity.factories import ProjectItemFactory, TaskFactory
from tests.clients.factories import ClientFactory
from tests.support.http import html
from tests.support.queries import assert_flat_queries

START = datetime.datetime(2026, 3, 10, 7, 30, tzinfo=datetime.UTC)


def feed_url(token: str) -> str:
    return reverse("activity:feed", kwargs={"token": token})


def read(token: str) -> icalendar.Calendar:
    response = HttpClient().get(feed_url(token))  # no session: calendars subscribe without one
    assert response.status_code == 200
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    assert "no-store" in response["Cache-Control"]
    return icalendar.Calendar.from_ical(response.content)


def events(calendar: icalendar.Calendar) -> dict[str, Any]:
    return {str(event["SUMMARY"]): event for event in calendar.walk("VEVENT")}


def task(assignee: Any, description: str, **values: Any) -> Task:
    values.setdefault("client", ClientFactory(curator=assignee, short_name=f"Клиент {description.split()[0]}"))
    start = values.pop("starts_at", START)
    return TaskFactory(assignee=assignee, author=values.pop("author", assignee), starts_at=start,
                       duration_minutes=45, due_at=start + datetime.timedelta(hours=3), description=description,
                       **values)


@pytest.mark.feature("PLN-04")
@pytest.mark.django_db
def test_the_feed_lists_the_users_own_tasks_as_events(manager_user: Any) -> None:
    # given the manager's tasks — one with a two-line description, one whose client became another's private one,
    # a project task — another user's task, and a task the manager set for someone else
    other = UserFactory(login="other", full_name="Олег Другов", role=Role.MANAGER, client_scope=ClientScope.FULL)
    mine = task(manager_user, "Позвонить; уточнить, когда оплата\nВторая строка описания",
                importance=Task.Importance.HIGH)
    hidden = ClientFactory(curator=other, private=True, short_name="Секретный клиент")
    task(manager_user, "Закрытый клиент", client=hidden, starts_at=START + datetime.timedelta(days=1))
    task(manager_user, "Проектная задача", kind=Task.Kind.PROJECT, client=None,
         case=ProjectItemFactory(title="Внедрение CRM", responsible=manager_user))
    task(other, "Задача Другова")
    task(other, "Поручение другому", author=manager_user)
    token = calendar_feed_create(acting_user=manager_user)
    # when a calendar reads the feed
    found = events(read(token))
    # then it lists exactly his three tasks as assignee
    assert sorted(found) == ["Закрытый клиент", "Позвонить; уточнить, когда оплата", "Проектная задача"]
    event = found["Позвонить; уточнить, когда оплата"]
    # with a UID stable per task, times in UTC, the summary the first line, the client and a link to the task
    assert str(event["UID"]).startswith(f"task-{mine.pk}-") and str(event["UID"]).endswith("@kontora")
    assert event.decoded("DTSTART") == START and event.decoded("DTSTART").utcoffset() == datetime.timedelta(0)
    assert event.decoded("DTEND") == START + datetime.timedelta(minutes=45)
    description = str(event["DESCRIPTION"])
    assert "Клиент: Клиент Позвонить;" in description and "Вторая строка описания" in description
    assert "Важность: Высокая" in description and "Срок: 10.03.2026 13:30" in description  # Moscow time
    assert str(event["URL"]) == f"http://testserver{reverse('activity:task', kwargs={'pk': mine.pk})}"
    assert "Дело: Внедрение CRM" in str(found["Проектная задача"]["DESCRIPTION"])
    # and a client he may no longer open only as «клиент недоступен»
    assert "Клиент: клиент недоступен" in str(found["Закрытый клиент"]["DESCRIPTION"])


@pytest.mark.feature("PLN-04")
@pytest.mark.django_db
def test_the_feed_shows_nothing_of_another_users_or_a_private_clients_data(manager_user: Any) -> None:
    other = UserFactory(login="other", role=Role.MANAGER, client_scope=ClientScope.FULL)
    hidden = ClientFactory(curator=other, private=True, short_name="Секретный клиент", inn="7707083893")
    task(manager_user, "Моя задача", client=hidden)
    task(other, "Задача Другова о секрете", client=hidden)
    body = HttpClient().get(feed_url(calendar_feed_create(acting_user=manager_user))).content.decode()
    assert "Моя задача" in body
    assert "Секретный" not in body and "7707083893" not in body and "Другова" not in body


@pytest.mark.feature("PLN-04")
@pytest.mark.django_db
def test_the_feed_keeps_tasks_closed_in_the_last_thirty_days_only(manager_user: Any) -> None:
    now = timezone.now()
    task(manager_user, "Открытая задача")
    task(manager_user, "Недавно закрытая", state=Task.State.CLOSED, closed_at=now - datetime.timedelta(days=3))
    task(manager_user, "Давно закрытая", state=Task.State.CLOSED, closed_at=now - datetime.timedelta(days=40))
    found = events(read(calendar_feed_create(acting_user=manager_user)))
    assert sorted(found) == ["Недавно закрытая", "Открытая задача"]


@pytest.mark.feature("PLN-04")
@pytest.mark.django_db
def test_a_revoked_replaced_or_unknown_address_answers_404_alike(manager_user: Any) -> None:
    # given an address that worked, then was revoked; and one replaced by a new one
    revoked = calendar_feed_create(acting_user=manager_user)
    assert HttpClient().get(feed_url(revoked)).status_code == 200
    calendar_feed_revoke(acting_user=manager_user)
    replaced = calendar_feed_create(acting_user=manager_user)
    live = calendar_feed_create(acting_user=manager_user)
    # then each old one, and one never made, answers the same 404; the live one answers
    answers = {HttpClient().get(feed_url(token)).status_code for token in (revoked, replaced, "x" * 43, "y" * 500)}
    assert answers == {404}
    assert HttpClient().get(feed_url(live)).status_code == 200


@pytest.mark.feature("PLN-04")
@pytest.mark.django_db
def test_a_disabled_users_address_answers_404(manager_user: Any) -> None:
    token = calendar_feed_create(acting_user=manager_user)
    manager_user.disabled = True
    manager_user.save(update_fields=["disabled"])
    assert HttpClient().get(feed_url(token)).status_code == 404


@pytest.mark.feature("PLN-04")
@pytest.mark.django_db
def test_the_page_shows_the_address_once_and_keeps_only_its_hash(manager_user: Any, manager_client: Any) -> None:
    page_url = reverse("activity:calendar_feed")
    # when the manager makes his address
    made = html(manager_client.post(page_url, {"action": "create"}))
    # then the answer shows its full URL once
    match = re.search(r'value="(http://testserver/calendar/([A-Za-z0-9_-]{43})\.ics)"', made)
    assert match is not None
    token = match.group(2)
    assert HttpClient().get(match.group(1)).status_code == 200
    # and never again: not on the page, not in the base (only its SHA-256), not in the audit
    assert token not in html(manager_client.get(page_url))
    feed = CalendarFeed.objects.get(user=manager_user)
    assert feed.token_hash == token_hash(token) and token not in feed.token_hash
    rows = list(AuditEvent.objects.filter(event__startswith="activity.calendar_feed").values_list("event", "extra"))
    assert rows == [("activity.calendar_feed.create", {})]
    # and the Parameters' Calendar tab says he has one and links its page
    parameters = html(manager_client.get(reverse("core:parameters")))
    assert "У вас есть адрес календаря" in parameters and page_url in parameters


@pytest.mark.feature("PLN-04")
@pytest.mark.django_db
def test_the_page_replaces_and_revokes_the_address(manager_user: Any, manager_client: Any) -> None:
    page_url = reverse("activity:calendar_feed")
    first = calendar_feed_create(acting_user=manager_user)
    manager_client.post(page_url, {"action": "create"})
    assert HttpClient().get(feed_url(first)).status_code == 404
    page = html(manager_client.post(page_url, {"action": "revoke"}))
    assert "Отозван пользователем" in page
    assert not CalendarFeed.objects.filter(user=manager_user, revoked_at__isnull=True).exists()
    # revoking again is refused with the reason
    response = manager_client.post(page_url, {"action": "revoke"})
    assert response.status_code == 400 and "нет адреса календаря" in html(response)


@pytest.mark.feature("PLN-04")
@pytest.mark.django_db
def test_the_feed_reads_as_many_queries_with_many_tasks(manager_user: Any) -> None:
    token = calendar_feed_create(acting_user=manager_user)
    other = UserFactory(login="other", role=Role.MANAGER)
    project = ProjectItemFactory(responsible=manager_user)

    def add(number: int) -> None:
        if number % 3 == 0:
            task(manager_user, f"Проект {number}", kind=Task.Kind.PROJECT, client=None, case=project)
        else:
            client = ClientFactory(curator=manager_user if number % 3 == 1 else other, private=number % 3 == 2)
            task(manager_user, f"Задача {number}", client=client)

    body = assert_flat_queries(lambda: HttpClient().get(feed_url(token)).content.decode(), add)
    assert len(events(icalendar.Calendar.from_ical(body))) == 20
