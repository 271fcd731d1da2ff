"""The registry's prepared statements (core.prepared): a statement compiled once per shape gives exactly the rows
Django would, call after call, and the registry's pages through them equal the filtered (unprepared) path."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from django.db import connection
from django.db.models import Q
from django.utils import timezone

from kontora.clients.models import Client
from kontora.clients.selectors import registry as selectors
from kontora.clients.selectors.sorting import SORTS
from kontora.core import budget, prepared
from tests.accounts.factories import UserFactory
from tests.clients.factories import client_named
from tests.clients.support import two_towns

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _fresh_cache() -> Any:
    prepared.forget()
    yield
    prepared.forget()


def _by_changed(v: Any) -> Any:
    return Client.objects.filter(changed_at__gte=v["since"], code__gt=v["code"]).order_by("code").values_list(
        "code", "changed_at")


@pytest.mark.feature("REG-11")
def test_values_change_per_call_and_rows_match_django(django_assert_num_queries):
    # given
    for i in range(6):
        client_named(f"Клиент {i}")
    now = timezone.now()
    # when the same shape is asked with other values
    for code, since in ((0, now - timedelta(days=1)), (3, now - timedelta(days=1)), (0, now + timedelta(days=1))):
        values = {"code": code, "since": since}
        with django_assert_num_queries(1):
            rows = prepared.fetch(("by-changed",), values, _by_changed)
        # then the rows (converted: aware datetimes) are those of the queryset itself
        assert rows == [tuple(r) for r in _by_changed(values)]
    rows = prepared.fetch(("by-changed",), {"code": 0, "since": now - timedelta(days=1)}, _by_changed)
    assert rows and all(row[1].tzinfo is not None for row in rows)


@pytest.mark.feature("REG-11")
def test_unlogged_statements_run_on_the_drivers_cursor_with_djangos_rows_and_the_time_budget():
    # given clients changed at moments with and without microseconds
    first, second = client_named("Альфа"), client_named("Бета")
    Client.objects.filter(pk=first.pk).update(changed_at=datetime(2026, 1, 2, 3, 4, 5, tzinfo=UTC))
    Client.objects.filter(pk=second.pk).update(changed_at=datetime(2026, 1, 2, 3, 4, 5, 123456, tzinfo=UTC))
    values = {"code": 0, "since": datetime(2026, 1, 1, tzinfo=UTC)}
    assert not connection.queries_logged  # the fast way (on SQLite: ? turned once, moments read by fromisoformat)
    # when read through the prepared statement, twice (compiled, then only bound)
    for _ in range(2):
        rows = prepared.fetch(("by-changed",), values, _by_changed)
        # then the rows are Django's own, to the microsecond, aware
        assert rows == [tuple(r) for r in _by_changed(values)]
        assert [row[1] for row in rows] == [datetime(2026, 1, 2, 3, 4, 5, tzinfo=UTC),
                                            datetime(2026, 1, 2, 3, 4, 5, 123456, tzinfo=UTC)]
    # and a statement past the request's time budget is refused like any other
    with pytest.raises(budget.Overrun), budget.budgeted(ms=0):
        prepared.fetch(("by-changed",), values, _by_changed)


@pytest.mark.feature("REG-11")
def test_a_value_django_rewrites_is_never_cached_and_still_answers_right(caplog):
    # given: a LIKE pattern is built from the value, so no marker survives as a plain parameter
    client_named("Альфа")
    client_named("Бета")

    def build(v: Any) -> Any:
        return Client.objects.filter(name_key__contains=v["text"]).values_list("short_name")

    # when / then
    assert prepared.fetch(("contains",), {"text": "альф"}, build) == [("Альфа",)]
    assert prepared.fetch(("contains",), {"text": "бет"}, build) == [("Бета",)]
    assert "cannot be prepared" in caplog.text


@pytest.mark.feature("REG-11")
def test_registry_pages_through_prepared_statements_equal_the_filtered_path(admin_user):
    # given clients with equal names, empty statuses, curators and cities, and a manager in "own" mode
    other = UserFactory(login="m2", full_name="Второй Менеджер", client_scope="own")
    tula = two_towns()[1]
    for i in range(70):
        client_named(f"Фирма {i % 9}", curator=other if i % 3 else admin_user, settlement=[None, tula][i % 2])
    everything = Q(pk__gt=0)  # a Flexi-filter that keeps every row: the unprepared path
    for user in (admin_user, other):
        for column in SORTS:
            for sort in (column, f"-{column}"):
                # when the registry is walked page by page both ways
                fast = selectors.registry_page(fetched_by=user, sort=sort)
                slow = selectors.registry_page(fetched_by=user, sort=sort, filter_q=everything)
                # then every page is the same
                assert [r.pk for r in fast.rows] == [r.pk for r in slow.rows], sort
                while fast.next_after:
                    fast = selectors.registry_page(fetched_by=user, sort=sort, after=fast.next_after)
                    slow = selectors.registry_page(fetched_by=user, sort=sort, after=slow.next_after,
                                                   filter_q=everything)
                    assert [r.pk for r in fast.rows] == [r.pk for r in slow.rows], sort
                    back = selectors.registry_page(fetched_by=user, sort=sort, before=fast.rows[0].pk)
                    assert back.rows == selectors.registry_page(fetched_by=user, sort=sort, before=fast.rows[0].pk,
                                                                filter_q=everything).rows
                found = selectors.registry_page(fetched_by=user, sort=sort, find="фирма 4")
                assert found == selectors.registry_page(fetched_by=user, sort=sort, find="фирма 4", filter_q=everything)
