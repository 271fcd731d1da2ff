"""The card's change history (CLI-12) read from the audit: the client's rows, newest first, with their authors, and
only for a user who may open the card."""

from __future__ import annotations

from typing import Any

import pytest
from django.db import transaction

from kontora.clients.selectors.history import client_history
from kontora.core.audit import audit_record
from tests.accounts.factories import UserFactory
from tests.clients.factories import ClientFactory
from tests.clients.support import make_private


def _row(client: Any, actor: Any, summary: str) -> None:
    with transaction.atomic():
        audit_record(actor=actor, event="clients.client.update", summary=summary, target=client, client=client)


@pytest.mark.feature("CLI-12")
def test_the_history_is_the_clients_audit_rows_newest_first(curator: Any) -> None:
    # given two cards with rows of their own, and a row about no card at all
    client, other = ClientFactory(curator=curator, short_name="Ромашка"), ClientFactory(curator=curator)
    _row(client, curator, "Первое")
    _row(other, curator, "Чужое")
    _row(client, None, "Второе")
    with transaction.atomic():
        audit_record(actor=curator, event="core.department.update", summary="Не о клиенте")

    # when the card's history is read
    history = client_history(fetched_by=curator, client=client)

    # then it holds the card's own rows, the newest first, with who wrote them
    assert [(row.summary, row.actor) for row in history] == [("Второе", None), ("Первое", curator)]


@pytest.mark.feature("CLI-12")
@pytest.mark.feature("ACL-03")
def test_the_history_of_a_card_the_user_may_not_open_is_empty(curator: Any, admin_user: Any) -> None:
    # given a card with history, private to its curator
    client = make_private(ClientFactory(curator=curator, short_name="Секрет"))
    _row(client, curator, "Изменено")
    stranger = UserFactory(login="stranger", client_scope="own")

    # when others ask for its history
    # then they get nothing, its curator gets the row
    assert client_history(fetched_by=admin_user, client=client) == []
    assert client_history(fetched_by=stranger, client=client) == []
    assert [row.summary for row in client_history(fetched_by=curator, client=client)] == ["Изменено"]
