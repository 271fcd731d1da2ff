"""The Security tab's services (CLI-10, ACL-04): the security data and the signed conclusion, each with its history
row; a refused signature writes nothing."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.exceptions import ValidationError

from kontora.clients.models import ClientSecurity
from kontora.clients.services import security as services
from kontora.core.errors import NotAllowed
from tests.accounts.factories import UserFactory
from tests.clients.factories import ClientFactory
from tests.clients.support import card_history, grant_right
from tests.support.http import PASSWORD

CONCLUSION = {"conclusion": "Надёжный плательщик.", "credit_limit": "150 000,50", "work_mode": "deferred"}


@pytest.fixture
def inspector(db: Any) -> Any:
    user = UserFactory(login="inspector", full_name="Иванов Иван Иванович", client_scope="open_all")
    grant_right(user, "security_decisions")
    return user


@pytest.mark.feature("CLI-10")
@pytest.mark.feature("CLI-12")
def test_the_security_data_is_saved_with_its_row_and_an_unchanged_save_writes_none(curator: Any) -> None:
    # given a card
    client = ClientFactory(curator=curator, short_name="Ромашка")
    # when the finances are written, then saved again unchanged
    services.security_update(acting_user=curator, client=client, values={"finances": "Оборот 50 млн"})
    services.security_update(acting_user=curator, client=client, values={"finances": "Оборот 50 млн"})
    # then one row names the field, with the security data as its target
    row = card_history(client).get()
    assert (row.event, row.summary, row.actor, row.target_type, row.target_id) == (
        "clients.security.update", "Изменены данные безопасности", curator, "clients.clientsecurity", client.pk)
    assert row.changes == [{"field": "Финансы", "old": "", "new": "Оборот 50 млн"}]


@pytest.mark.feature("ACL-04")
@pytest.mark.feature("CLI-12")
def test_a_signed_conclusion_is_one_row_and_a_refused_one_none(curator: Any, inspector: Any) -> None:
    # given a card
    client = ClientFactory(curator=curator, short_name="Ромашка")
    # when the inspector types a wrong password, and the curator (without the right) signs
    with pytest.raises(ValidationError):
        services.security_sign(acting_user=inspector, client=client, password="guess", values=CONCLUSION)
    with pytest.raises(NotAllowed):
        services.security_sign(acting_user=curator, client=client, password=PASSWORD, values=CONCLUSION)
    # then nothing is stored or written
    assert not ClientSecurity.objects.exists() and not card_history(client).exists()
    # when the inspector signs with his password
    services.security_sign(acting_user=inspector, client=client, password=PASSWORD, values=CONCLUSION)
    # then one row tells the values, the work mode by its label, by the inspector
    row = card_history(client).get()
    assert (row.event, row.summary, row.actor) == (
        "clients.security.sign", "Подписано заключение по экономической безопасности", inspector)
    fields = {item["field"]: item["new"] for item in row.changes}
    assert fields["Режим работы"] == "Отсрочка платежа в пределах кредитного лимита"
    assert fields["Инспектор"] == "Иванов Иван Иванович"
