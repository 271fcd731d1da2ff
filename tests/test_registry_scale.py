"""What keeps the registry fast at a million clients (REG-11; figures in bench/RESULTS.md, `python -m bench registry`).

The registry's rows come as plain values, its default order is an index seek on both databases, and a demo fill
indexes its clients for the extended search in bulk, leaving the search triggers as they were.
"""

from __future__ import annotations

from typing import Any

import pytest
from django.db import connection

from kontora.clients import search
from kontora.clients.demo import demo_fill
from kontora.clients.models import Client, ContactPerson
from kontora.clients.selectors import registry as selectors
from kontora.clients.services.card import client_create
from kontora.core.text import digits
from tests.accounts.factories import UserFactory
from tests.support.http import signed_in

pytestmark = pytest.mark.django_db


def _page_sql(user: Any, sort: str) -> tuple[str, Any]:
    qs = selectors.registry_rows(selectors.registry_queryset(fetched_by=user).order_by(
        *selectors._ordering(selectors.SORTS[sort], False)))[: selectors.PAGE_SIZE + 1]
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
def test_the_registry_page_shows_the_row_values(admin_user: Any) -> None:
    # given
    demo_fill(clients=60, seed=4)
    first = Client.objects.select_related("curator", "settlement", "status").order_by("name_key", "id").first()
    assert first is not None and first.settlement is not None and first.status is not None
    # when
    html = signed_in(admin_user).get("/clients/registry/find/?q=").content.decode()
    # then
    row = html[html.index(f'data-id="{first.pk}"'):].split("</tr>", 1)[0]
    for shown in (first.short_name, first.settlement.name, first.status.name, first.curator.full_name, first.phone):
        assert shown.replace("«", "&laquo;").replace("»", "&raquo;") in row or shown in row, (shown, row)


@pytest.mark.feature("REG-11", "REG-08")
def test_a_demo_fill_indexes_its_clients_for_the_search_and_keeps_the_search_current_after_it(
    admin_user: Any,
) -> None:
    # given: a client before the fill, then two fills (the second continues the codes)
    before = client_create(acting_user=admin_user, values={"short_name": "ООО Зюзюка", "phone": "+7 911 000-00-01",
                                                           "curator": admin_user})
    demo_fill(clients=150, seed=8)
    demo_fill(clients=50, seed=9)
    # when: a client registered after the fills
    after = client_create(acting_user=admin_user, values={"short_name": "АО Зюзюка", "phone": "+7 911 000-00-02",
                                                          "curator": admin_user})
    # then: every client is found once by a name fragment and by a contact's phone fragment
    assert [c.pk for c in search.search_matches(fetched_by=admin_user, name="зюзюк")] == [after.pk, before.pk]
    clients = Client.objects.filter(is_private=False)
    for sample in (clients.order_by("code")[10], clients.order_by("-code")[3]):
        fragment = sample.name_key[3:8]
        expected = set(clients.filter(name_key__contains=fragment).values_list("pk", flat=True)) | set(
            clients.filter(full_name_key__contains=fragment).values_list("pk", flat=True))
        assert {c.pk for c in search.search_matches(fetched_by=admin_user, name=fragment)} == expected
        contact = ContactPerson.objects.filter(client=sample).order_by("-pk").first()
        assert contact is not None
        assert sample.pk in {c.pk for c in search.search_matches(fetched_by=admin_user,
                                                                 phone=digits(contact.phone_mobile)[2:9])}
    if connection.vendor == "sqlite":
        with connection.cursor() as cursor:
            cursor.execute("SELECT count(*) FROM clients_phone_fts")
            assert cursor.fetchone()[0] == Client.objects.count()
            cursor.execute("SELECT count(*) FROM sqlite_master WHERE type = 'trigger' AND name LIKE 'clients_%_fts_%'")
            assert cursor.fetchone()[0] == 9


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
