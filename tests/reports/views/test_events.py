"""Отчёты → События (HIS-03): what the report lists to whom, its parameters, its pages and totals."""

from __future__ import annotations

import datetime
import html
import re
from typing import Any

import pytest
from django.db import connection
from django.utils import timezone

from kontora.accounts.models import ClientScope
from kontora.activity.models import Event
from kontora.core.models import UserParameters
from kontora.directories.models import ClientStatus, EventResult, EventType
from tests.accounts.factories import UserFactory
from tests.activity.factories import EventFactory
from tests.clients.factories import ClientFactory
from tests.support.http import signed_in
from tests.support.queries import assert_flat_queries

pytestmark = [pytest.mark.django_db, pytest.mark.feature("HIS-03")]

URL = "/reports/events/"
# A row's cells: date, client, type, description…; the events of these tests have descriptions of their own.
DESCRIPTION = re.compile(r'<tr data-testid="report-row"[^>]*>(?:<td[^>]*>[^<]*</td>){3}<td[^>]*>([^<]*)</td>')
MORE = re.compile(r'<tr class="k-journal-more" hx-get="([^"]+)"')
TOTAL = re.compile(r'data-testid="report-note">(?!Всего событий)([^<:]+): (\d+)</p>')


def _ids(page: str) -> list[int]:
    by_description = dict(Event.objects.values_list("description", "pk"))
    return [by_description[html.unescape(text)] for text in DESCRIPTION.findall(page)]


def _report(http: Any, **params: Any) -> str:
    response = http.get(URL, {"run": "1", **params})
    assert response.status_code == 200
    return response.content.decode()


@pytest.fixture
def supervisor(supervisor_user: Any) -> Any:
    """A supervisor who opens every client (the right to all employees' journals is his role's)."""
    supervisor_user.client_scope = ClientScope.FULL
    supervisor_user.save()
    return supervisor_user


@pytest.fixture
def call() -> EventType:
    return EventType.objects.create(name="Звонок", name_key="звонок")


@pytest.fixture
def meeting() -> EventType:
    return EventType.objects.create(name="Встреча", name_key="встреча")


def test_a_manager_sees_only_his_own_events(manager_user: Any, manager_client: Any) -> None:
    # given: his client, with his event and a colleague's
    colleague = UserFactory(role="manager")
    client = ClientFactory(curator=manager_user)
    mine = EventFactory(client=client, author=manager_user)
    theirs = EventFactory(client=client, author=colleague)
    # when
    page = _report(manager_client)
    # then
    assert _ids(page) == [mine.pk]
    assert theirs.description not in page
    assert 'name="authors"' not in page  # nobody else to choose


def test_a_supervisor_sees_every_employees_events_but_never_of_a_client_he_may_not_open(
        supervisor: Any, manager_user: Any) -> None:
    # given: supervisors hold «журналы всех сотрудников» by role; a private client of the manager's
    ordinary = ClientFactory(curator=manager_user)
    private = ClientFactory(curator=manager_user, private=True)
    seen = EventFactory(client=ordinary, author=manager_user, description="Обычный клиент")
    hidden = EventFactory(client=private, author=manager_user, description="Тайный клиент")
    own = EventFactory(client=ordinary, author=supervisor, description="Сам")
    # when
    page = _report(signed_in(supervisor))
    # then
    assert set(_ids(page)) == {seen.pk, own.pk}
    assert "Тайный" not in page and private.short_name not in page
    assert hidden.pk not in _ids(page)


def test_a_list_only_user_sees_no_events_of_clients_he_cannot_open(supervisor_user: Any, manager_user: Any) -> None:
    # given: a supervisor who may list every client but open only his own
    supervisor_user.client_scope = ClientScope.LIST_ALL
    supervisor_user.save()
    listed = ClientFactory(curator=manager_user)
    his = ClientFactory(curator=supervisor_user)
    EventFactory(client=listed, author=manager_user, description="Чужая карточка")
    shown = EventFactory(client=his, author=manager_user, description="Своя карточка")
    # when
    page = _report(signed_in(supervisor_user))
    # then
    assert _ids(page) == [shown.pk]
    assert "Чужая" not in page and listed.short_name not in page


def test_the_parameters_narrow_the_events(supervisor: Any, manager_user: Any, call: EventType,
                                          meeting: EventType) -> None:
    # given
    hot = ClientStatus.objects.create(name="Горячий", name_key="горячий")
    agreed = EventResult.objects.create(name="Договорились", name_key="договорились")
    colleague = UserFactory(role="manager")
    first = ClientFactory(curator=manager_user, status=hot)
    second = ClientFactory(curator=manager_user)
    a = EventFactory(client=first, author=manager_user, event_type=call, description="Звонил по счёту", result=agreed)
    b = EventFactory(client=second, author=colleague, event_type=meeting, description="Встреча в офисе")
    c = EventFactory(client=second, author=manager_user, event_type=call, description="Звонок без ответа")
    http = signed_in(supervisor)
    # then
    assert set(_ids(_report(http))) == {a.pk, b.pk, c.pk}
    assert set(_ids(_report(http, event_type=call.pk))) == {a.pk, c.pk}
    assert set(_ids(_report(http, client=second.pk))) == {b.pk, c.pk}
    assert set(_ids(_report(http, status=hot.pk))) == {a.pk}
    assert set(_ids(_report(http, result=agreed.pk))) == {a.pk}
    assert set(_ids(_report(http, authors=[colleague.pk]))) == {b.pk}
    assert set(_ids(_report(http, authors=[colleague.pk, manager_user.pk]))) == {a.pk, b.pk, c.pk}
    assert set(_ids(_report(http, words="звон"))) == {a.pk, c.pk}
    assert set(_ids(_report(http, words="звон сч"))) == {a.pk}
    assert set(_ids(_report(http, words="звон", client=second.pk))) == {c.pk}


def test_the_period_is_read_on_the_users_clock(manager_user: Any, manager_client: Any) -> None:
    # given: the manager lives in Novosibirsk (UTC+7); an event at 20:00 UTC on 10 March is 11 March there
    UserParameters.objects.create(user=manager_user, time_zone="Asia/Novosibirsk")
    client = ClientFactory(curator=manager_user)
    late = EventFactory(client=client, author=manager_user,
                        created_at=datetime.datetime(2026, 3, 10, 20, 0, tzinfo=datetime.UTC))
    # then
    assert _ids(_report(manager_client, date_from="2026-03-11", date_to="2026-03-11")) == [late.pk]
    assert _ids(_report(manager_client, date_from="2026-03-10", date_to="2026-03-10")) == []
    page = _report(manager_client, date_from="2026-03-11", date_to="2026-03-11")
    assert "11.03.2026 03:00" in page  # shown on his clock too


def test_totals_by_type_count_the_whole_selection_above_the_rows(manager_user: Any, manager_client: Any,
                                                                 call: EventType, meeting: EventType) -> None:
    # given: more events than a page
    client = ClientFactory(curator=manager_user)
    for number in range(53):
        EventFactory(client=client, author=manager_user, event_type=call if number % 3 else meeting)
    # when
    page = _report(manager_client)
    # then: 35 calls, 18 meetings, counted over all 53 while the page shows 50
    assert TOTAL.findall(page) == [("Звонок", "35"), ("Встреча", "18")]
    assert "Всего событий: 53" in page
    assert len(_ids(page)) == 50
    assert page.index('data-testid="report-note"') < page.index('data-testid="report-table"')


def test_show_more_continues_newest_first(manager_user: Any, manager_client: Any) -> None:
    # given
    client = ClientFactory(curator=manager_user)
    start = timezone.now() - datetime.timedelta(days=1)
    events = [EventFactory(client=client, author=manager_user, created_at=start + datetime.timedelta(minutes=n))
              for n in range(55)]
    # when
    first = _report(manager_client, words="событие")
    more = MORE.search(first)
    assert more is not None
    second = manager_client.get(html.unescape(more.group(1)), headers={"HX-Request": "true"}).content.decode()
    # then: the second page keeps the parameters and goes on where the first stopped
    newest_first = [event.pk for event in reversed(events)]
    assert _ids(first) == newest_first[:50]
    assert _ids(second) == newest_first[50:]
    assert "words=" in more.group(1)
    assert 'data-testid="report-note"' not in second and 'data-testid="report-head"' not in second


def test_bad_parameters_get_a_message_next_to_the_field(manager_user: Any, manager_client: Any) -> None:
    # given
    client = ClientFactory(curator=manager_user)
    EventFactory(client=client, author=manager_user)
    # when: the end before the start
    page = _report(manager_client, date_from="2026-03-11", date_to="2026-03-01")
    # then
    assert re.search(r'data-testid="error-date_to">[^<]*', page)
    assert "The end of the period is before its start." in page or "Конец периода раньше его начала." in page
    assert _ids(page) == []
    # a malformed date
    page = _report(manager_client, date_from="11.13.2026")
    assert 'data-testid="error-date_from"' in page and _ids(page) == []
    # a date past the calendar's reach
    page = _report(manager_client, date_to="9999-12-31")
    assert 'data-testid="error-date_to"' in page and _ids(page) == []
    # positive control: good parameters list the event
    assert len(_ids(_report(manager_client))) == 1


def test_a_client_the_user_may_not_open_is_refused_next_to_the_picker(supervisor_user: Any,
                                                                      manager_user: Any) -> None:
    # given: a list-only supervisor and another's client
    supervisor_user.client_scope = ClientScope.LIST_ALL
    supervisor_user.save()
    listed = ClientFactory(curator=manager_user)
    EventFactory(client=listed, author=manager_user)
    # when
    page = _report(signed_in(supervisor_user), client=listed.pk)
    # then
    assert 'data-testid="error-client"' in page and _ids(page) == []


def test_the_first_visit_offers_this_month_and_runs_nothing(manager_user: Any, manager_client: Any) -> None:
    EventFactory(client=ClientFactory(curator=manager_user), author=manager_user)
    page = manager_client.get(URL).content.decode()
    today = timezone.localdate()
    assert f'value="{today.replace(day=1).isoformat()}"' in page
    assert 'data-testid="report-form"' in page and 'data-testid="report-table"' not in page


def test_the_report_is_in_the_reports_menu(manager_client: Any) -> None:
    page = manager_client.get("/").content.decode()
    assert f'href="{URL}"' in page


def test_a_page_costs_the_same_queries_whatever_its_rows(supervisor: Any, manager_user: Any,
                                                         call: EventType) -> None:
    # given
    http = signed_in(supervisor)
    result = EventResult.objects.create(name="Итог", name_key="итог")

    def add(number: int) -> None:
        author = manager_user if number % 2 else UserFactory(role="manager")
        EventFactory(client=ClientFactory(curator=author), author=author, result=result,
                     event_type=call if number % 3 else EventType.objects.create(name=f"Тип {number}",
                                                                                  name_key=f"тип {number}"))

    # then
    page = assert_flat_queries(lambda: _report(http, words="событие"), add, rows=20)
    assert len(_ids(page)) == 20


def _all_pages(http: Any, **params: Any) -> tuple[list[list[int]], list[str]]:
    pages, texts = [], [_report(http, **params)]
    pages.append(_ids(texts[0]))
    while (more := MORE.search(texts[-1])) is not None:
        texts.append(http.get(html.unescape(more.group(1)), headers={"HX-Request": "true"}).content.decode())
        pages.append(_ids(texts[-1]))
    return pages, texts


@pytest.mark.parametrize("cap", [2, 10_000])
def test_words_list_by_date_even_when_ids_do_not_follow_it(manager_user: Any, manager_client: Any, monkeypatch: Any,
                                                           cap: int) -> None:
    from kontora.activity.selectors import events_report

    monkeypatch.setattr(events_report, "PROBE", min(cap, 500))
    monkeypatch.setattr(events_report, "CAP", cap)
    # given: events entered in an order other than their dates (an older one entered last), in one period
    client = ClientFactory(curator=manager_user)
    now = timezone.now()
    hours = [5, 1, 30, 2, 26, 4]
    events = [EventFactory(client=client, author=manager_user, description=f"Звонок {n}",
                           created_at=now - datetime.timedelta(hours=hour)) for n, hour in enumerate(hours)]
    # when the words are asked over the last two days
    today = timezone.localdate()
    page = _report(manager_client, words="звонок", date_from=(today - datetime.timedelta(days=2)).isoformat(),
                   date_to=today.isoformat())
    # then: newest first by date, whatever order they were entered in
    assert _ids(page) == [events[n].pk for n in sorted(range(6), key=lambda n: hours[n])]


@pytest.mark.parametrize(("probe", "cap"), [(2, 3), (2, 10_000), (52, 40), (500, 10_000)])
def test_a_word_common_past_the_cap_lists_every_match_and_leaves_totals_uncounted(
        manager_user: Any, manager_client: Any, monkeypatch: Any, probe: int, cap: int) -> None:
    from kontora.activity.selectors import events_report

    monkeypatch.setattr(events_report, "PROBE", probe)
    monkeypatch.setattr(events_report, "CAP", cap)
    # given: 55 calls of one client, and two older calls of another client
    client, other = ClientFactory(curator=manager_user), ClientFactory(curator=manager_user)
    start = timezone.now() - datetime.timedelta(days=1)
    older = [EventFactory(client=other, author=manager_user, description=f"Звонок старый {n}",
                          created_at=start - datetime.timedelta(hours=n + 1)) for n in range(2)]
    events = [EventFactory(client=client, author=manager_user, description=f"Звонок {n}",
                           created_at=start + datetime.timedelta(minutes=n)) for n in range(55)]
    if connection.vendor == "postgresql":  # the words' statistics: with cap 3 they alone tell "too many"
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE activity_event")
    # when the word is asked: every page, newest first, nothing lost at the cap
    pages, texts = _all_pages(manager_client, words="звонок")
    assert [pk for page in pages for pk in page] == [e.pk for e in reversed(events)] + [e.pk for e in older]
    assert [len(page) for page in pages] == [50, 7]
    # and the totals: counted under the cap, else a note instead of a wrong number
    counted = bool(TOTAL.search(texts[0]))
    assert counted == (cap > 57)
    assert ("Слова встречаются слишком во многих событиях периода" in texts[0]) == (cap < 57)
    assert ("(порядка 3 и более)" in texts[0]) == (cap == 3)
    # when the other client narrows the choice to matches older than the newest ones: read from every match
    narrowed = _report(manager_client, words="звонок", client=other.pk)
    assert _ids(narrowed) == [e.pk for e in older]


@pytest.mark.parametrize("scope", ["full", "open_all", "list_all", "own"])
def test_totals_count_only_the_events_listed_in_every_working_mode(
        supervisor_user: Any, manager_user: Any, call: EventType, meeting: EventType, scope: str) -> None:
    # given: a supervisor in each mode; events about a shared client, another curator's private client, his own
    supervisor_user.client_scope = scope
    supervisor_user.save()
    shared, his = ClientFactory(curator=manager_user), ClientFactory(curator=supervisor_user)
    secret = ClientFactory(curator=manager_user, private=True)
    for client, kinds in ((shared, [call, call, meeting]), (secret, [call, meeting, meeting]), (his, [meeting])):
        for kind in kinds:
            EventFactory(client=client, author=manager_user, event_type=kind)
    # when he runs the report, with and without a word
    for words in ("", "событие"):
        page = _report(signed_in(supervisor_user), words=words)
        # then the totals add up to the rows listed, and nothing of the private client is counted
        opens_shared = scope in ("full", "open_all")
        expected = {"Встреча": 1 + (1 if opens_shared else 0), "Звонок": 2 if opens_shared else 0}
        assert {name: int(count) for name, count in TOTAL.findall(page)} == {
            name: count for name, count in expected.items() if count}
        assert len(_ids(page)) == sum(expected.values())
