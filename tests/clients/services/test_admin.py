"""Administration → Change curator/specialist (ACL-05): the hand-over service, its refusals and its history rows."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.exceptions import ValidationError

from kontora.clients.models import Client
from kontora.clients.services import admin as services_admin
from kontora.core.errors import NotAllowed
from kontora.core.models import AuditEvent
from tests.accounts.factories import UserFactory
from tests.clients.factories import ClientFactory
from tests.clients.support import card_history


@pytest.mark.feature("ACL-05")
def test_the_service_refuses_a_dismissed_receiver_and_a_non_administrator(
    admin_user: Any, staff: dict[str, Any]
) -> None:
    # given a dismissed employee and a client of the leaving curator
    gone = UserFactory(login="gone", dismissed=True)
    client = ClientFactory(short_name="Альфа", curator=staff["leaving"])

    # when the clients are handed to the dismissed employee, or a manager tries the change
    with pytest.raises(ValidationError) as refused:
        services_admin.clients_change_curator(acting_user=admin_user, old_curator=staff["leaving"], new_curator=gone)
    with pytest.raises(NotAllowed):
        services_admin.clients_change_curator(
            acting_user=staff["other"], old_curator=staff["leaving"], new_curator=staff["coming"]
        )

    # then nothing moved, and nothing was written to the audit
    assert refused.value.message_dict["new_curator"] == [
        "Учётная запись этого пользователя отключена или сотрудник уволен: выберите работающего пользователя."
    ]
    client.refresh_from_db()
    assert client.curator == staff["leaving"]
    assert not AuditEvent.objects.exists()


@pytest.mark.feature("CLI-12")
@pytest.mark.feature("ACL-05")
def test_handing_clients_over_records_one_entry_per_client(admin_user: Any) -> None:
    # given three clients of the leaving curator and one of the coming one
    leaving, coming = UserFactory(login="leaving2"), UserFactory(login="coming2")
    moved = [ClientFactory(curator=leaving, short_name=f"Клиент {i}") for i in range(3)]
    kept = ClientFactory(curator=coming, short_name="Свой клиент")

    # when the administrator hands the leaving curator's clients over
    services_admin.clients_change_curator(acting_user=admin_user, old_curator=leaving, new_curator=coming)

    # then each moved card has one history row naming the new curator, the kept one none
    for client in moved:
        entry = card_history(client).get()
        assert (entry.event, entry.summary, entry.actor, entry.target_type, entry.target_id) == (
            "clients.client.hand_over", "Клиенты переданы (Администрирование)", admin_user, "clients.client",
            client.pk)
        assert entry.changes == [{"field": "Куратор", "old": str(leaving), "new": str(coming)}]
    assert not card_history(kept).exists()
    assert Client.objects.filter(curator=coming).count() == 4
    # and one row of the hand-over itself says how many clients moved, about no card
    total = AuditEvent.objects.get(event="clients.hand_over")
    assert (total.actor, total.client_id, total.extra) == (
        admin_user, None, {"curator_clients": 3, "specialist_clients": 0})
    assert total.changes == [{"field": "Куратор", "old": str(leaving), "new": str(coming)}]
