"""The Shipping tab's service (CLI-11): the requisites saved with their history row."""

from __future__ import annotations

from typing import Any

import pytest

from kontora.clients.models import ClientGrant, ClientShipping
from kontora.clients.services import shipping as services
from kontora.core.errors import NotAllowed
from tests.accounts.factories import UserFactory
from tests.clients.factories import ClientFactory
from tests.clients.support import card_history


@pytest.mark.feature("CLI-11")
@pytest.mark.feature("CLI-12")
def test_shipping_is_saved_with_its_row_and_an_unchanged_save_writes_none(curator: Any) -> None:
    # given a card
    client = ClientFactory(curator=curator, short_name="Ромашка")
    # when the carrier is saved twice
    services.shipping_update(acting_user=curator, client=client, values={"carrier": "ТК «Быстро»"})
    services.shipping_update(acting_user=curator, client=client, values={"carrier": "ТК «Быстро»"})
    # then one row names it, with the shipping requisites as its target
    row = card_history(client).get()
    assert (row.event, row.summary, row.actor, row.target_type, row.target_id) == (
        "clients.shipping.update", "Изменены отгрузочные реквизиты", curator, "clients.clientshipping", client.pk)
    assert row.changes == [{"field": "Перевозчик", "old": "", "new": "ТК «Быстро»"}]


@pytest.mark.feature("CLI-11")
def test_a_view_only_user_may_not_save_shipping(curator: Any) -> None:
    client = ClientFactory(curator=curator, short_name="Ромашка")
    reader = UserFactory(login="reader", client_scope="own")
    ClientGrant.objects.create(client=client, user=reader, can_edit=False)
    with pytest.raises(NotAllowed):
        services.shipping_update(acting_user=reader, client=client, values={"carrier": "ТК «Быстро»"})
    assert not ClientShipping.objects.exists() and not card_history(client).exists()
