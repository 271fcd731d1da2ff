"""The card's Bank tab (CLI-07): accounts with the BIK and both account keys checked, autofill from the banks
directory, one main account, history, and access."""

from __future__ import annotations

from typing import Any

import pytest

from kontora.clients.models import ClientBankAccount
from kontora.directories.models import Bank
from tests.accounts.factories import UserFactory
from tests.clients.factories import ClientFactory
from tests.clients.support import (
    SBER_BIK,
    SBER_CORR,
    card_history,
    corr_account,
    make_private,
    settlement_account,
)
from tests.support.http import html, signed_in
from tests.support.queries import assert_flat_queries

UNKNOWN_BIK = "044599001"


def wrong_key(account: str) -> str:
    return account[:8] + str((int(account[8]) + 1) % 10) + account[9:]


ACCOUNT = settlement_account(SBER_BIK)


def bank_form(**fields: Any) -> dict[str, Any]:
    data = {"bik": "", "bank_name": "", "corr_account": "", "account": "", "notes": ""}
    data.update(fields)
    return {f"bank-{name}": value for name, value in data.items()}


@pytest.mark.feature("CLI-07")
def test_company_and_person_cards_have_the_bank_tab(manager_user: Any, manager_client: Any) -> None:
    company = ClientFactory(curator=manager_user, short_name="Ромашка")
    person = ClientFactory(curator=manager_user, short_name="Сидоров Пётр", kind="person")
    for client in (company, person):
        card = html(manager_client.get(f"/clients/{client.pk}/"))
        assert 'data-testid="tab-bank"' in card and f'hx-get="/clients/{client.pk}/bank/"' in card
    panel = html(manager_client.get(f"/clients/{company.pk}/bank/"))
    assert 'data-testid="bank-add"' in panel and "Банковские счета не введены." in panel


@pytest.mark.feature("CLI-07")
def test_known_bik_fills_bank_name_and_correspondent_account(
    manager_user: Any, manager_client: Any, sber: Bank,
) -> None:
    # given a company and the Sberbank in the banks directory
    client = ClientFactory(curator=manager_user, short_name="Ромашка")
    form = html(manager_client.get(f"/clients/{client.pk}/bank/new/", HTTP_HX_REQUEST="true"))
    assert 'data-testid="bank-form"' in form and "/directories/banks/lookup/" in form
    # when an account is added with the BIK and the settlement account only
    response = manager_client.post(f"/clients/{client.pk}/bank/new/", bank_form(
        bik="044 525 225", account=ACCOUNT, is_main="on", notes="Для расчётов"), HTTP_HX_REQUEST="true")
    # then the bank's name and correspondent account come from the directory, and the list is refreshed
    assert response["HX-Retarget"] == "#client-bank" and response["HX-Trigger"] == "kontora-modal-close"
    account = ClientBankAccount.objects.get()
    assert (account.bik, account.bank_name, account.correspondent_account, account.account, account.is_main) == (
        SBER_BIK, "ПАО Сбербанк", SBER_CORR, ACCOUNT, True)
    assert ACCOUNT in html(response) and "ПАО Сбербанк" in html(response)
    # and the history names the account
    change = card_history(client).first()
    assert change is not None and change.summary.startswith("Добавлен банковский счёт: " + ACCOUNT)
    assert {"field": "Расчётный счёт", "old": "", "new": ACCOUNT} in change.changes


@pytest.mark.feature("CLI-07")
def test_unknown_bik_needs_the_bank_name_and_correspondent_account(manager_user: Any, manager_client: Any) -> None:
    client = ClientFactory(curator=manager_user, short_name="Ромашка")
    account = settlement_account(UNKNOWN_BIK)
    # when the BIK is not in the directory and only the account is typed
    page = html(manager_client.post(f"/clients/{client.pk}/bank/new/", bank_form(bik=UNKNOWN_BIK, account=account)))
    # then both bank requisites are asked for
    assert "Этого БИК нет в справочнике банков: введите наименование банка." in page
    assert "Этого БИК нет в справочнике банков: введите корреспондентский счёт." in page
    assert not ClientBankAccount.objects.exists()
    # when the user types them, the account is kept
    manager_client.post(f"/clients/{client.pk}/bank/new/", bank_form(
        bik=UNKNOWN_BIK, bank_name="АО Новый банк", corr_account=corr_account(UNKNOWN_BIK), account=account))
    saved = ClientBankAccount.objects.get()
    assert (saved.bank_name, saved.correspondent_account) == ("АО Новый банк", corr_account(UNKNOWN_BIK))


@pytest.mark.feature("CLI-07")
@pytest.mark.parametrize(("fields", "field", "message"), [
    ({"bik": "04452522"}, "bik", "БИК должен состоять из 9 цифр"),
    ({"account": wrong_key(ACCOUNT)}, "account", "Расчётный счёт: контрольный ключ не сходится с БИК"),
    ({"account": ACCOUNT[:-1]}, "account", "Расчётный счёт должен состоять из 20 цифр"),
    ({"corr_account": wrong_key(SBER_CORR)}, "corr_account", "Корр. счёт: контрольный ключ не сходится с БИК"),
])
def test_bad_bank_requisite_is_refused_with_the_check_named(
    manager_user: Any, manager_client: Any, sber: Bank, fields: dict[str, str], field: str, message: str,
) -> None:
    # given an account already entered
    client = ClientFactory(curator=manager_user, short_name="Ромашка")
    account = ClientBankAccount.objects.create(client=client, bik=SBER_BIK, bank_name="ПАО Сбербанк",
                                               correspondent_account=SBER_CORR, account=ACCOUNT, notes="старый")
    # when it is corrected with one bad requisite
    response = manager_client.post(f"/clients/{client.pk}/bank/{account.pk}/", bank_form(
        **{"bik": SBER_BIK, "corr_account": SBER_CORR, "account": ACCOUNT, "notes": "новый", **fields}),
        HTTP_HX_REQUEST="true")
    # then the modal shows the failed check next to the field and nothing changed
    page = html(response)
    assert f'data-testid="error-{field}"' in page and message in page
    account.refresh_from_db()
    assert (account.notes, account.account) == ("старый", ACCOUNT)
    assert not card_history(client).filter(summary__startswith="Изменён").exists()


@pytest.mark.feature("CLI-07")
def test_one_main_account_per_client_and_the_same_account_twice_is_refused(
    manager_user: Any, manager_client: Any, sber: Bank,
) -> None:
    client = ClientFactory(curator=manager_user, short_name="Ромашка")
    second = settlement_account(SBER_BIK, tail="00000000002")
    manager_client.post(f"/clients/{client.pk}/bank/new/", bank_form(bik=SBER_BIK, account=ACCOUNT, is_main="on"))
    manager_client.post(f"/clients/{client.pk}/bank/new/", bank_form(bik=SBER_BIK, account=second, is_main="on"))
    assert list(ClientBankAccount.objects.filter(is_main=True).values_list("account", flat=True)) == [second]
    page = html(manager_client.post(f"/clients/{client.pk}/bank/new/", bank_form(bik=SBER_BIK, account=ACCOUNT)))
    assert "Этот счёт в этом банке у клиента уже введён." in page
    assert ClientBankAccount.objects.count() == 2


@pytest.mark.feature("CLI-07")
def test_account_is_deleted_with_a_history_entry(manager_user: Any, manager_client: Any, sber: Bank) -> None:
    client = ClientFactory(curator=manager_user, short_name="Ромашка")
    account = ClientBankAccount.objects.create(client=client, bik=SBER_BIK, bank_name="ПАО Сбербанк",
                                               correspondent_account=SBER_CORR, account=ACCOUNT)
    response = manager_client.post(f"/clients/{client.pk}/bank/{account.pk}/delete/", HTTP_HX_REQUEST="true")
    assert response.status_code == 200 and "Банковские счета не введены." in html(response)
    assert not ClientBankAccount.objects.exists()
    assert card_history(client).filter(summary__startswith="Удалён банковский счёт").exists()


@pytest.mark.feature("CLI-07")
def test_open_all_user_sees_others_accounts_but_cannot_change_them(manager_user: Any, sber: Bank) -> None:
    client = ClientFactory(curator=manager_user, short_name="Ромашка")
    account = ClientBankAccount.objects.create(client=client, bik=SBER_BIK, bank_name="ПАО Сбербанк",
                                               correspondent_account=SBER_CORR, account=ACCOUNT)
    viewer = signed_in(UserFactory(login="viewer", client_scope="open_all"))
    panel = html(viewer.get(f"/clients/{client.pk}/bank/"))
    assert ACCOUNT in panel and 'data-testid="bank-add"' not in panel and 'data-testid="bank-edit"' not in panel
    assert viewer.get(f"/clients/{client.pk}/bank/new/").status_code == 403
    assert viewer.post(f"/clients/{client.pk}/bank/new/", bank_form(bik=SBER_BIK, account=ACCOUNT)).status_code \
        == 403
    assert viewer.post(f"/clients/{client.pk}/bank/{account.pk}/", bank_form(
        bik=SBER_BIK, account=ACCOUNT, notes="x")).status_code == 403
    assert viewer.post(f"/clients/{client.pk}/bank/{account.pk}/delete/").status_code == 403
    assert ClientBankAccount.objects.get().notes == ""


@pytest.mark.feature("CLI-07")
def test_bank_urls_answer_404_to_those_who_cannot_open_the_client(manager_user: Any, admin_client: Any) -> None:
    client = ClientFactory(curator=manager_user, short_name="Ромашка")
    account = ClientBankAccount.objects.create(client=client, bik=SBER_BIK, account=ACCOUNT)
    other = ClientFactory(curator=manager_user, short_name="Лютик")
    colleague = signed_in(UserFactory(login="colleague", client_scope="own"))
    for url in (f"/clients/{client.pk}/bank/", f"/clients/{client.pk}/bank/new/",
                f"/clients/{client.pk}/bank/{account.pk}/"):
        assert colleague.get(url).status_code == 404
    # an account of another client is not reachable through this client's URL
    assert signed_in(manager_user).get(f"/clients/{other.pk}/bank/{account.pk}/").status_code == 404
    make_private(client)
    assert admin_client.get(f"/clients/{client.pk}/bank/").status_code == 404
    assert admin_client.post(f"/clients/{client.pk}/bank/{account.pk}/delete/").status_code == 404
    assert ClientBankAccount.objects.exists()


@pytest.mark.feature("CLI-07")
def test_the_bank_tab_reads_as_many_queries_with_twenty_accounts_as_with_one(
    manager_user: Any, manager_client: Any,
) -> None:
    # given a card with one bank account, then twenty
    client = ClientFactory(curator=manager_user, short_name="Ромашка")

    def add(number: int) -> None:
        ClientBankAccount.objects.create(client=client, bik=SBER_BIK, bank_name=f"Банк {number:02d}",
                                         correspondent_account=SBER_CORR, account=f"{40702810000000000000 + number}")

    # when the tab is read / then it lists them all with the same number of queries
    page = assert_flat_queries(lambda: html(manager_client.get(f"/clients/{client.pk}/bank/")), add)
    assert all(f"Банк {number:02d}" in page for number in range(20))
