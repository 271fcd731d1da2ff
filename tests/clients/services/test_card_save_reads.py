"""Saving a card reads for its history only what the save can change (issue 12: a save at a million clients)."""

from __future__ import annotations

from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from kontora.clients.services import card as services
from kontora.core.models import AuditEvent
from kontora.directories.models import Direction, Settlement
from tests.accounts.factories import UserFactory
from tests.clients.factories import ClientFactory
from tests.directories.factories import PriorityFactory


@pytest.mark.feature("CLI-12")
def test_a_changed_phone_reads_none_of_the_cards_related_rows_and_is_still_on_record(manager_user: Any) -> None:
    # given a card with a curator, a specialist, a city, a priority and a direction
    settlement = Settlement.objects.first()
    client = ClientFactory(curator=manager_user, specialist=UserFactory(login="spec"), settlement=settlement,
                           priority=PriorityFactory(), phone="+7 495 111-22-33", short_name="Альфа")
    client.directions.set([Direction.objects.create(name="Опт")])
    # when only its phone is changed
    with CaptureQueriesContext(connection) as queries:
        services.client_update(acting_user=manager_user, client=client, values={"phone": "+7 495 444-55-66"})
    # then the history has the change, and no query read the specialist, the priority or the directions
    row = AuditEvent.objects.get(event="clients.client.update")
    assert [(c["old"], c["new"]) for c in row.changes] == [("+7 495 111-22-33", "+7 495 444-55-66")]
    read = " ".join(query["sql"] for query in queries.captured_queries)
    assert "directories_priority" not in read and "clients_client_directions" not in read
    assert f'"accounts_user"."id" = {client.specialist_id}' not in read
    # (positive control: changing the priority does read it, to show it in the history)
    with CaptureQueriesContext(connection) as queries:
        services.client_update(acting_user=manager_user, client=client, values={"priority": PriorityFactory()})
    assert "directories_priority" in " ".join(query["sql"] for query in queries.captured_queries)


@pytest.mark.feature("CLI-01", "CLI-02")
def test_a_save_writes_only_the_changed_columns_and_a_renamed_client_is_found_by_its_new_name(
    manager_user: Any,
) -> None:
    from kontora.clients.selectors.search import search_matches

    # given a card found by its name
    client = ClientFactory(curator=manager_user, short_name="Альфа-Бета", phone="+7 495 111-22-33",
                           address="Москва, ул. Ленина, 1")
    assert list(search_matches(fetched_by=manager_user, name="альфа-бе")) == [client]
    # when only its phone changes, the row's UPDATE names the phone and the change stamp, not the names nor address
    with CaptureQueriesContext(connection) as queries:
        services.client_update(acting_user=manager_user, client=client, values={"phone": "+7 495 444-55-66"})
    updates = [query["sql"] for query in queries.captured_queries if query["sql"].startswith('UPDATE "clients_client"')]
    assert len(updates) == 1 and '"phone"' in updates[0] and '"changed_at"' in updates[0], updates
    assert '"name_key"' not in updates[0] and '"address"' not in updates[0], updates
    # and the name search still finds it; renamed (both names), it is found by the new name only (the index follows)
    assert list(search_matches(fetched_by=manager_user, name="альфа-бе")) == [client]
    services.client_update(acting_user=manager_user, client=client, values={"short_name": "Гамма-Дельта",
                                                                             "full_name": "ООО «Гамма-Дельта»"})
    assert list(search_matches(fetched_by=manager_user, name="гамма-де")) == [client]
    assert not search_matches(fetched_by=manager_user, name="альфа-бе").exists()
    client.refresh_from_db()
    assert (client.phone, client.short_name, client.address) == ("+7 495 444-55-66", "Гамма-Дельта",
                                                                 "Москва, ул. Ленина, 1")
