"""Reads of the client registry: keyset pages in every order, and what keeps them fast at a million clients
(REG-11; figures in bench/RESULTS.md, `python -m bench registry`).

The registry's rows come as plain values and its default order is an index seek on both databases.
"""

from __future__ import annotations

import random
from typing import Any

import pytest
from django.db import connection

from kontora.clients.flexi.selectors.specs import to_q
from kontora.clients.models import Client
from kontora.clients.selectors import registry as selectors
from kontora.clients.selectors.sorting import SORTS, sort_ordering
from kontora.clients.services.card import client_create
from kontora.directories.models import ClientStatus
from tests.accounts.factories import UserFactory
from tests.clients.factories import client_named
from tests.clients.support import FLAGGED_SPEC, registry_walk, two_towns
from tests.support.http import signed_in
from tests.support.queries import count_queries

pytestmark = pytest.mark.django_db


def _page_sql(user: Any, sort: str) -> tuple[str, Any]:
    qs = selectors.registry_rows(selectors.registry_queryset(fetched_by=user).order_by(
        *sort_ordering(SORTS[sort], False)))[: selectors.PAGE_SIZE + 1]
    return qs.query.sql_with_params()


def _plan(sql: str, params: Any) -> str:
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            # On a test-sized table PostgreSQL would rather sort; forbidding it shows whether the index can serve.
            cursor.execute("SET LOCAL enable_sort = off")
            cursor.execute("SET LOCAL enable_seqscan = off")
            cursor.execute("EXPLAIN " + sql, params)
            return "\n".join(row[0] for row in cursor.fetchall())
        cursor.execute("EXPLAIN QUERY PLAN " + sql, params)
        return "\n".join(str(row[-1]) for row in cursor.fetchall())


@pytest.mark.feature("REG-11")
def test_the_first_page_in_name_order_is_read_from_the_name_index_without_a_sort(admin_user: Any) -> None:
    # given
    for name in ("ООО Ромашка", "АО Василёк", "ИП Кедров"):
        client_create(acting_user=admin_user, values={"short_name": name, "curator": admin_user})
    # when
    plan = _plan(*_page_sql(admin_user, "name"))
    # then
    assert "clients_name_seek" in plan, plan
    assert "TEMP B-TREE" not in plan and "Sort" not in plan, plan


@pytest.mark.feature("REG-11")
@pytest.mark.skipif(connection.vendor != "postgresql", reason="SQLite indexes already keep NULLs first")
@pytest.mark.parametrize("sort", ["status", "-status", "curator", "-curator"])
def test_postgresql_serves_the_nullable_sorts_from_an_index(admin_user: Any, sort: str) -> None:
    # given: the planner is told to avoid sorting whenever an index can give the order
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_sort = off")
        cursor.execute("SET LOCAL enable_seqscan = off")
    # when: the registry's first page in that order is explained
    column, descending = sort.lstrip("-"), sort.startswith("-")
    qs = selectors.registry_queryset(fetched_by=admin_user).order_by(*sort_ordering(SORTS[column], descending))
    plan = qs[: selectors.PAGE_SIZE].explain()
    # then: an index walk gives the order, with no sort of the whole table
    assert "Sort" not in plan and "Index" in plan, plan


@pytest.mark.feature("REG-11")
def test_registry_rows_are_plain_values_with_the_names_the_table_shows(admin_user: Any) -> None:
    # given
    client = client_create(acting_user=admin_user, values={"short_name": "ООО Ромашка", "curator": admin_user})
    # when
    page = selectors.registry_page(fetched_by=admin_user, sort="name")
    # then
    [row] = page.rows
    assert isinstance(row, selectors.RegistryRow) and not isinstance(row, Client)
    assert (row.pk, row.code, row.short_name) == (client.pk, client.code, "ООО Ромашка")
    assert row.curator is not None and row.curator.full_name == admin_user.full_name
    assert row.status is None and row.settlement is None


@pytest.mark.feature("REG-11")
def test_a_manager_sees_only_own_clients_in_the_rows(admin_user: Any) -> None:
    # given
    manager = UserFactory(login="own-only", full_name="Иван Свой", client_scope="own")
    mine = client_create(acting_user=admin_user, values={"short_name": "ООО Своё", "curator": manager})
    client_create(acting_user=admin_user, values={"short_name": "ООО Чужое", "curator": admin_user})
    # when
    rows = selectors.registry_page(fetched_by=manager, sort="name").rows
    # then
    assert [row.pk for row in rows] == [mine.pk]


@pytest.mark.feature("REG-07")
@pytest.mark.feature("REG-11")
def test_after_a_jump_the_rows_before_it_load_upwards_without_gaps_in_every_sort(
    admin_user: Any, two_managers: Any,
) -> None:
    # given: clients with many equal keys and empty statuses, curators and cities
    rng = random.Random(11)
    statuses = [ClientStatus.objects.create(name=f"С{i}", name_key=f"с{i}") for i in range(3)]
    towns = two_towns()
    for _i in range(160):
        client_named(f"Фирма {rng.randint(1, 30)}", curator=rng.choice([*two_managers, None]),
                     status=rng.choice([*statuses, None]), settlement=rng.choice([None, *towns]))
    for column in SORTS:
        for sort in (column, f"-{column}"):
            full = registry_walk(signed_in(admin_user), sort)
            anchor = full[120]
            # when: scrolling up from row 120 ("Show earlier" until there is nothing more)
            earlier: list[int] = []
            before: int | None = anchor
            while before is not None:
                page = selectors.registry_page(fetched_by=admin_user, sort=sort, before=before)
                earlier = [row.pk for row in page.rows] + earlier
                before = page.prev_before
            # then: exactly the rows above it, in the registry's order
            assert earlier == full[:120], sort


@pytest.mark.feature("REG-11")
@pytest.mark.feature("REG-02")
def test_the_page_around_a_client_is_a_page_before_it_the_client_and_a_page_after_it_in_every_sort(
    admin_user: Any, two_managers: Any,
) -> None:
    # given: clients with many equal keys and empty statuses, curators and cities
    rng = random.Random(13)
    statuses = [ClientStatus.objects.create(name=f"С{i}", name_key=f"с{i}") for i in range(3)]
    towns = two_towns()
    for _i in range(160):
        client_named(f"Фирма {rng.randint(1, 30)}", curator=rng.choice([*two_managers, None]),
                     status=rng.choice([*statuses, None]), settlement=rng.choice([None, *towns]))
    size = selectors.PAGE_SIZE
    for column in SORTS:
        for sort in (column, f"-{column}"):
            full = registry_walk(signed_in(admin_user), sort)
            # when: back from the card of the 121st client, and of the 11th
            deep = selectors.registry_page(fetched_by=admin_user, sort=sort, around=full[120])
            near = selectors.registry_page(fetched_by=admin_user, sort=sort, around=full[10])
            # then: the rows around each, in the registry's order, the cursor on it, the edges told
            assert [row.pk for row in deep.rows] == full[120 - size:], sort
            assert (deep.cursor, deep.prev_before, deep.next_after) == (full[120], full[120 - size], None), sort
            assert [row.pk for row in near.rows] == full[:11 + size], sort
            assert (near.cursor, near.prev_before, near.next_after) == (full[10], None, full[10 + size]), sort


@pytest.mark.feature("REG-01")
def test_a_page_around_a_client_the_user_does_not_see_is_the_top_of_the_list(two_managers: Any) -> None:
    # given
    first, second = two_managers
    mine = [client_named(f"Альфа {i}", curator=first) for i in range(3)]
    other = client_named("Бета чужая", curator=second)
    # when
    page = selectors.registry_page(fetched_by=first, sort="name", around=other.pk)
    # then: nothing of the other's client, no cursor; the positive control finds one of his own
    assert [row.pk for row in page.rows] == [c.pk for c in mine] and page.cursor is None
    assert selectors.registry_page(fetched_by=first, sort="name", around=mine[1].pk).cursor == mine[1].pk


@pytest.mark.feature("REG-11")
def test_the_page_around_a_client_reads_as_many_queries_for_a_hundred_rows_as_for_ten(admin_user: Any) -> None:
    # given
    few = [client_named(f"Клиент {i:03d}", curator=admin_user) for i in range(10)]

    def measure(focus: int) -> tuple[int, int]:
        with count_queries() as captured:
            page = selectors.registry_page(fetched_by=admin_user, sort="-changed", around=focus)
        return len(captured.captured_queries), len(page.rows)

    queries_few, rows_few = measure(few[5].pk)
    # when a hundred and twenty more fill both pages around the client
    more = [client_named(f"Клиент {i:03d}", curator=admin_user) for i in range(10, 130)]
    queries_many, rows_many = measure(more[60].pk)
    # then
    assert (rows_few, rows_many) == (10, 2 * selectors.PAGE_SIZE + 1)
    assert queries_many == queries_few


@pytest.mark.feature("REG-11")
def test_the_exact_count_counts_past_the_cap_under_the_filter(admin_user: Any, monkeypatch: Any) -> None:
    # given
    monkeypatch.setattr(selectors, "COUNT_CAP", 5)
    for i in range(8):
        client_named(f"Клиент {i}", curator=admin_user, flagged=i % 2 == 0)
    flagged = to_q(FLAGGED_SPEC, user=admin_user)
    # when / then: the capped count stops at the cap, the exact one does not
    assert selectors.registry_count(fetched_by=admin_user) == (5, True)
    assert selectors.registry_count_exact(fetched_by=admin_user) == 8
    assert selectors.registry_count_exact(fetched_by=admin_user, filter_q=flagged) == 4


@pytest.mark.feature("REG-02")
@pytest.mark.feature("REG-11")
def test_the_registry_sorts_by_phone_and_pages_on_from_the_last_row(admin_user: Any) -> None:
    # given: more clients than a page, their phones out of name order, two with one number, one without a phone
    rng = random.Random(5)
    numbers = [f"+7 (495) {n:03d}-00-00" for n in rng.sample(range(100, 999), selectors.PAGE_SIZE + 2)]
    numbers[7] = numbers[3]
    numbers[9] = ""
    clients = [client_named(f"Фирма {i:02d}", curator=admin_user, phone=phone) for i, phone in enumerate(numbers)]
    expected = [c.pk for c in sorted(clients, key=lambda c: (c.phone_digits, c.pk))]
    # when: the first page in phone order, then the page after its last row
    first = selectors.registry_page(fetched_by=admin_user, sort="phone")
    assert first.next_after is not None
    second = selectors.registry_page(fetched_by=admin_user, sort="phone", after=first.next_after)
    backwards = selectors.registry_page(fetched_by=admin_user, sort="-phone")
    # then: by the digits, equal numbers by id, no phone first, no row lost or repeated; descending the reverse
    assert [row.pk for row in first.rows] + [row.pk for row in second.rows] == expected
    assert second.next_after is None and expected[0] == clients[9].pk
    assert [row.pk for row in backwards.rows] == expected[::-1][: selectors.PAGE_SIZE]


@pytest.mark.feature("REG-11")
def test_the_first_page_in_phone_order_is_read_from_the_phone_index_without_a_sort(admin_user: Any) -> None:
    # given
    for name, phone in (("ООО Ромашка", "+7 495 1"), ("АО Василёк", "+7 495 2"), ("ИП Кедров", "")):
        client_create(acting_user=admin_user, values={"short_name": name, "curator": admin_user, "phone": phone})
    # when
    plan = _plan(*_page_sql(admin_user, "phone"))
    # then
    assert "clients_phone_seek" in plan, plan
    assert "TEMP B-TREE" not in plan and "Sort" not in plan, plan
