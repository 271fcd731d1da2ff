"""Settings → Parameters → «SMS» (GRP-04): the tab saves the user's SMS account with the window's OK, never shows
its secrets back, puts a refusal next to its field, and «Отправить тестовое SMS» reports the real gateway's answer
or what went wrong, in Russian."""

from __future__ import annotations

from typing import Any

import pytest

from kontora.messaging.models import SmsAccount
from tests.messaging.sms_support import API_ID, SMPP_PASSWORD, SYSTEM_ID

FORM = {"language": "ru", "informer_at_start": "on", "show_tasks_at_login": "", "report_overdue_at_login": ""}


def _smsru(gateway: Any, **changes: Any) -> dict[str, Any]:
    fields = {"protocol": "smsru", "sender": "Romashka", "api_id": API_ID, "api_url": gateway.url, "port": "2775",
              **changes}
    return {f"sms-{name}": value for name, value in fields.items()}


def _smpp(smsc: Any, **changes: Any) -> dict[str, Any]:
    fields = {"protocol": "smpp", "sender": "Romashka", "host": "127.0.0.1", "port": smsc.port,
              "system_id": SYSTEM_ID, "password": SMPP_PASSWORD, "system_type": "", "api_url": "https://sms.ru",
              **changes}
    return {f"sms-{name}": value for name, value in fields.items()}


@pytest.mark.feature("GRP-04")
def test_the_sms_tab_saves_the_account_and_never_shows_its_api_id(manager_user, manager_client, smsru):
    response = manager_client.post("/settings/parameters/", {**FORM, **_smsru(smsru)})
    assert response.status_code == 302
    account = SmsAccount.objects.get(user=manager_user)
    assert (account.protocol, account.sender, account.api_url) == ("smsru", "Romashka", smsru.url)
    page = manager_client.get("/settings/parameters/?tab=sms").content.decode()
    assert 'data-testid="parameters-sms"' in page and 'value="Romashka"' in page
    assert API_ID not in page and account.api_id_sealed not in page
    assert "сохранён — оставьте пустым" in page
    assert 'data-k-sms-count="k-sms-test-count"' in page


@pytest.mark.feature("GRP-04")
def test_a_window_saved_without_an_sms_account_makes_none(manager_user, manager_client):
    assert manager_client.post("/settings/parameters/", FORM).status_code == 302
    assert not SmsAccount.objects.filter(user=manager_user).exists()


@pytest.mark.feature("GRP-04")
def test_an_smpp_account_without_its_server_is_refused_next_to_the_field(manager_user, manager_client, smsc):
    response = manager_client.post("/settings/parameters/", {**FORM, **_smpp(smsc, host="")})
    assert response.status_code == 200
    page = response.content.decode()
    # the message stands under the SMPP server's field, and nothing of the window is saved
    host = page.index('id="id_sms-host"')
    message = page.index("Введите SMPP-сервер.")
    assert host < message < page.index('id="id_sms-port"')
    assert not SmsAccount.objects.filter(user=manager_user).exists()
    # positive control: with the server it is saved
    assert manager_client.post("/settings/parameters/", {**FORM, **_smpp(smsc)}).status_code == 302
    assert SmsAccount.objects.get(user=manager_user).host == "127.0.0.1"


@pytest.mark.feature("GRP-04")
def test_a_sender_name_in_cyrillic_is_refused_next_to_the_field(manager_user, manager_client, smsru):
    page = manager_client.post("/settings/parameters/", {**FORM, **_smsru(smsru, sender="Ромашка")}).content.decode()
    sender = page.index('id="id_sms-sender"')
    message = page.index("Имя отправителя — до 11 латинских букв и цифр или номер до 15 цифр.")
    assert sender < message < page.index('id="id_sms-host"')
    assert not SmsAccount.objects.filter(user=manager_user).exists()


@pytest.mark.feature("GRP-04")
def test_the_test_sms_reports_the_gateways_answer(manager_client, smsru):
    page = manager_client.post("/messaging/sms/test/", {**_smsru(smsru), "smstest-number": "8 916 123-45-67",
                                                       "smstest-text": "Проверка"}).content.decode()
    assert 'data-testid="sms-test-answer"' in page
    assert "Тестовое SMS отправлено на 8 916 123-45-67 (1 часть). Ответ шлюза: 100 OK sms_id 000000-10000001" in page
    assert "Баланс: 9.0." in page
    assert smsru.sent["000000-10000001"]["msg"] == "Проверка"


@pytest.mark.feature("GRP-04")
def test_the_test_sms_through_smpp_names_its_parts(manager_client, smsc):
    page = manager_client.post("/messaging/sms/test/", {**_smpp(smsc), "smstest-number": "+79161234567",
                                                       "smstest-text": "я" * 71}).content.decode()
    assert "(2 части). Ответ шлюза: submit_sm_resp 0x00000000 message_id K0001001" in page
    assert smsc.messages() == ["я" * 71]


@pytest.mark.feature("GRP-04")
@pytest.mark.parametrize(("changes", "number", "told"), [
    ({"api_id": "wrong"}, "+79161234567", "SMS.ru не принял api_id: 200 Неправильный api_id"),
    ({}, "12", "На номер 12 нельзя отправить SMS: Номер мобильного телефона содержит от 10 до 15 цифр."),
    ({}, "", "Введите номер, на который отправить тестовое SMS."),
])
def test_the_test_sms_tells_what_went_wrong_in_russian(manager_client, smsru, changes, number, told):
    page = manager_client.post("/messaging/sms/test/", {**_smsru(smsru, **changes),
                                                       "smstest-number": number}).content.decode()
    assert 'data-testid="sms-test-problem"' in page and told in page
    assert smsru.sent == {}


@pytest.mark.feature("GRP-04")
def test_no_money_and_a_wrong_smpp_password_are_told_in_russian(manager_client, smsru, smsc):
    smsru.balance = 0
    page = manager_client.post("/messaging/sms/test/", {**_smsru(smsru), "smstest-number": "+79161234567"})
    assert "На балансе SMS.ru не хватает денег: 201 Не хватает средств на лицевом счету" in page.content.decode()
    page = manager_client.post("/messaging/sms/test/", {**_smpp(smsc, password="nope"),
                                                       "smstest-number": "+79161234567"})
    assert "SMS-шлюз не принял пароль: bind_transceiver_resp 0x0000000E ESME_RINVPASWD" in page.content.decode()
    # positive control
    page = manager_client.post("/messaging/sms/test/", {**_smpp(smsc), "smstest-number": "+79161234567"})
    assert 'data-testid="sms-test-answer"' in page.content.decode()
