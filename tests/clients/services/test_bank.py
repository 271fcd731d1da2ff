"""The Bank tab's services (CLI-07): each write of an account leaves its history row; main data only."""

from __future__ import annotations

from typing import Any

import pytest

from kontora.clients.models import ClientBankAccount
from kontora.clients.services import bank as services
from kontora.core.errors import NotAllowed
from kontora.directories.models import Bank
from tests.accounts.factories import UserFactory
from tests.clients.factories import ClientFactory
from tests.clients.support import SBER_BIK, card_history, settlement_account

ACCOUNT = settlement_account(SBER_BIK)


@pytest.mark.feature("CLI-07")
@pytest.mark.feature("CLI-12")
def test_an_account_is_added_changed_and_deleted_with_a_history_row_each(curator: Any, sber: Bank) -> None:
    # given a card
    client = ClientFactory(curator=curator, short_name="Ромашка")
    label = f"{ACCOUNT} (ПАО Сбербанк)"
    # when an account is added, saved unchanged, given notes, and deleted
    account = services.bank_account_create(acting_user=curator, client=client,
                                           values={"bik": SBER_BIK, "account": ACCOUNT})
    account_id = account.pk
    services.bank_account_update(acting_user=curator, account=account, values={"bik": SBER_BIK, "account": ACCOUNT})
    services.bank_account_update(acting_user=curator, account=account,
                                 values={"bik": SBER_BIK, "account": ACCOUNT, "notes": "Основной"})
    services.bank_account_delete(acting_user=curator, account=account)
    # then three rows tell it, by the curator, about the account; the unchanged save wrote none
    rows = list(card_history(client).order_by("id"))
    assert [(row.event, row.summary) for row in rows] == [
        ("clients.bank_account.create", f"Добавлен банковский счёт: {label}"),
        ("clients.bank_account.update", f"Изменён банковский счёт: {label}"),
        ("clients.bank_account.delete", f"Удалён банковский счёт: {label}"),
    ]
    assert {(row.actor, row.target_type, row.target_id) for row in rows} == {
        (curator, "clients.clientbankaccount", account_id)}
    assert {"field": "Расчётный счёт", "old": "", "new": ACCOUNT} in rows[0].changes
    assert rows[1].changes == [{"field": "Заметки", "old": "", "new": "Основной"}]
    assert {"field": "Расчётный счёт", "old": ACCOUNT, "new": ""} in rows[2].changes
    assert not ClientBankAccount.objects.exists()


@pytest.mark.feature("CLI-07")
@pytest.mark.feature("ACL-02")
def test_an_open_all_user_may_not_change_others_accounts(curator: Any, sber: Bank) -> None:
    # given a colleague's card with an account, and a user in "open all" mode
    client = ClientFactory(curator=curator, short_name="Ромашка")
    account = services.bank_account_create(acting_user=curator, client=client,
                                           values={"bik": SBER_BIK, "account": ACCOUNT})
    viewer = UserFactory(login="viewer", client_scope="open_all")
    # when he adds, changes or deletes an account, he is refused and nothing is written
    with pytest.raises(NotAllowed):
        services.bank_account_create(acting_user=viewer, client=client, values={"bik": SBER_BIK, "account": ACCOUNT})
    with pytest.raises(NotAllowed):
        services.bank_account_update(acting_user=viewer, account=account, values={"notes": "Чужое"})
    with pytest.raises(NotAllowed):
        services.bank_account_delete(acting_user=viewer, account=account)
    assert ClientBankAccount.objects.get().notes == ""
    assert card_history(client).count() == 1
