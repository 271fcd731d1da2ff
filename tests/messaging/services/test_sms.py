"""Sending an SMS (GRP-04) through real gateways on 127.0.0.1: an SMPP 3.4 SMSC (bind_transceiver, submit_sm with
the right alphabet and concatenation headers, receipts, query_sm) and SMS.ru's HTTP API (its JSON and its error
codes). A refusal comes back as a reply — temporary or not, the account's own or the message's — never raised."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from django.utils import translation

from kontora.core.errors import Refused
from kontora.messaging.services.sms import Receipt, sms_deliver, sms_status
from kontora.messaging.services.sms.parts import measure
from tests.messaging.sms_support import (
    API_ID,
    ESME_RINVDSTADR,
    ESME_RTHROTTLED,
    SMPP_PASSWORD,
    SYSTEM_ID,
    closed_port,
)

NUMBER = "+79161234567"
LONG_RU = ("Здравствуйте! Напоминаем о встрече завтра в 10:00 в офисе на Ленина, 5. "
           "Возьмите, пожалуйста, паспорт и договор. Если планы изменились — позвоните нам. ООО «Ромашка»")


@pytest.fixture(autouse=True)
def english() -> Iterator[None]:
    with translation.override("en"):
        yield


def _smpp(smsc: Any, **changes: Any) -> dict[str, Any]:
    return {"protocol": "smpp", "sender": "Romashka", "host": "127.0.0.1", "port": smsc.port,
            "system_id": SYSTEM_ID, "password": SMPP_PASSWORD, "system_type": "", **changes}


def _smsru(gateway: Any, **changes: Any) -> dict[str, Any]:
    return {"protocol": "smsru", "sender": "Romashka", "api_id": API_ID, "api_url": gateway.url, **changes}


@pytest.mark.feature("GRP-04")
def test_a_short_latin_sms_goes_as_one_gsm7_submit_with_a_receipt_requested(smsc):
    reply = sms_deliver(_smpp(smsc), NUMBER, "Hello from Kontora: 5 € off [today]")
    assert reply.ok and reply.stage == "sent" and reply.parts == 1 and not reply.temporary
    assert reply.message_id == "K0001001" and reply.text == "submit_sm_resp 0x00000000 message_id K0001001"
    # the SMSC got one bind as transceiver with the account's credentials, one submit, an unbind
    assert smsc.binds == [{"system_id": SYSTEM_ID, "password": SMPP_PASSWORD, "system_type": "",
                           "interface_version": 0x34}]
    assert smsc.commands == ["bind_transceiver", "submit_sm", "unbind", "deliver_sm_resp"]
    part = smsc.submitted[0]
    assert (part.data_coding, part.esm_class, part.registered_delivery) == (0x00, 0x00, 0x01)
    assert (part.source_addr_ton, part.source_addr) == (5, "Romashka")  # an alphanumeric sender
    assert (part.dest_addr_ton, part.destination_addr) == (1, "79161234567")
    assert part.text == "Hello from Kontora: 5 € off [today]"
    assert len(part.short_message) == 38  # €, [ and ] each take an escape and a septet
    # and the receipt the SMSC sent on the session is acknowledged and returned
    assert reply.receipts == (Receipt("K0001001", "DELIVRD", "000", reply.receipts[0].text),)
    assert smsc.receipts_acknowledged == 1


@pytest.mark.feature("GRP-04")
def test_a_long_cyrillic_sms_goes_as_concatenated_ucs2_parts(smsc):
    assert measure(LONG_RU) == ("ucs2", 165, 3)
    reply = sms_deliver(_smpp(smsc), "8 (916) 123-45-67", LONG_RU)
    assert reply.ok and reply.parts == 3 and len(reply.message_ids) == 3
    parts = smsc.submitted
    assert [part.data_coding for part in parts] == [0x08] * 3 and all(part.esm_class & 0x40 for part in parts)
    reference = parts[0].udh[3]
    assert [part.udh for part in parts] == [bytes((5, 0, 3, reference, 3, n)) for n in (1, 2, 3)]
    assert [len(part.text) for part in parts] == [67, 67, 31]
    assert smsc.messages() == [LONG_RU]
    assert {part.destination_addr for part in parts} == {"79161234567"}  # the national form made E.164


@pytest.mark.feature("GRP-04")
def test_a_long_gsm7_text_never_splits_an_escape_pair(smsc):
    text = "a" * 152 + "€" + "b" * 20  # the euro would straddle the first part's end
    assert measure(text) == ("gsm7", 174, 2)
    reply = sms_deliver(_smpp(smsc, sender="79001234567"), NUMBER, text)
    assert reply.ok and reply.parts == 2
    first, second = smsc.submitted
    assert first.text == "a" * 152 and second.text.startswith("€")
    assert (first.source_addr_ton, first.source_addr) == (1, "79001234567")  # a digit sender is a number
    assert smsc.messages() == [text]


@pytest.mark.feature("GRP-04")
def test_a_wrong_smpp_password_is_the_accounts_refusal_and_the_right_one_binds(smsc):
    reply = sms_deliver(_smpp(smsc, password="wrong"), NUMBER, "Hi")
    assert not reply.ok and reply.stage == "auth" and not reply.temporary and reply.field == "password"
    assert (reply.code, reply.text) == ("0x0000000E", "bind_transceiver_resp 0x0000000E ESME_RINVPASWD")
    assert reply.message == "The SMS gateway did not accept the password: bind_transceiver_resp 0x0000000E " \
                            "ESME_RINVPASWD"
    assert smsc.submitted == []
    # positive control: the same SMSC takes the right password
    assert sms_deliver(_smpp(smsc), NUMBER, "Hi").ok and len(smsc.submitted) == 1


@pytest.mark.feature("GRP-04")
def test_throttling_is_temporary_and_a_bad_number_permanent(smsc):
    smsc.submit_statuses = [ESME_RTHROTTLED, ESME_RINVDSTADR]
    throttled = sms_deliver(_smpp(smsc), NUMBER, "Hi")
    assert not throttled.ok and throttled.temporary and throttled.stage == "submit"
    assert throttled.text == "submit_sm_resp 0x00000058 ESME_RTHROTTLED"
    refused = sms_deliver(_smpp(smsc), NUMBER, "Hi")
    assert not refused.ok and not refused.temporary and refused.field == "number"
    assert refused.message == "The SMS gateway refused the number: submit_sm_resp 0x0000000B ESME_RINVDSTADR"
    # positive control: the third try is taken
    assert sms_deliver(_smpp(smsc), NUMBER, "Hi").ok


@pytest.mark.feature("GRP-04")
def test_a_throttled_bind_is_temporary_and_an_smsc_without_receipts_still_takes_the_message(smsc):
    smsc.bind_status = ESME_RTHROTTLED
    reply = sms_deliver(_smpp(smsc), NUMBER, "Hi")
    assert not reply.ok and reply.stage == "connect" and reply.temporary  # backed off, not held
    assert reply.text == "bind_transceiver_resp 0x00000058 ESME_RTHROTTLED"
    # positive control: bound, with no receipt on the session, the reply has none
    smsc.bind_status, smsc.receipts = 0, False
    taken = sms_deliver(_smpp(smsc), NUMBER, "Hi")
    assert taken.ok and taken.receipts == () and smsc.commands[-2:] == ["submit_sm", "unbind"]


@pytest.mark.feature("GRP-04")
def test_an_unreachable_smsc_is_a_temporary_connect_failure(smsc):
    port = closed_port()
    reply = sms_deliver(_smpp(smsc, port=port), NUMBER, "Hi")
    assert not reply.ok and reply.stage == "connect" and reply.temporary
    assert reply.message == f"Cannot connect to the SMS gateway 127.0.0.1:{port}."
    assert sms_deliver(_smpp(smsc), NUMBER, "Hi").ok  # positive control


@pytest.mark.feature("GRP-04")
def test_query_sm_tells_a_sent_messages_state(admin_user, smsc):
    from kontora.messaging.services.sms_accounts import sms_account_save

    account = sms_account_save(acting_user=admin_user, values=_smpp(smsc))
    assert account is not None
    reply = sms_deliver(account, NUMBER, "Hi")  # the kept account, its password unsealed
    assert reply.ok
    status = sms_status(account, reply.message_id)
    assert (status.state, status.final) == ("delivered", True)
    assert sms_status(account, "K9999999").state == "unknown"  # the SMSC does not know it


@pytest.mark.feature("GRP-04")
@pytest.mark.parametrize(("changes", "field", "message"), [
    ({"host": ""}, "host", "Enter the SMPP server."),
    ({"system_id": ""}, "system_id", "Enter the system_id (login) the gateway gave you."),
    ({"password": "too-long-password"}, "password", "SMPP allows at most 8 Latin characters here."),
    ({"sender": "Ромашка"}, "sender", "A sender name is up to 11 Latin letters and digits, or a number of up to 15 "
                                      "digits."),
])
def test_an_smpp_account_that_cannot_be_used_is_refused_before_connecting(smsc, changes, field, message):
    with pytest.raises(Refused) as refused:
        sms_deliver(_smpp(smsc, **changes), NUMBER, "Hi")
    assert (refused.value.field, refused.value.message) == (field, message)
    assert smsc.binds == []


@pytest.mark.feature("GRP-04")
def test_a_number_that_is_no_mobile_is_a_permanent_reply_not_an_error(smsc):
    reply = sms_deliver(_smpp(smsc), "12-34", "Hi")
    assert not reply.ok and reply.stage == "number" and not reply.temporary and reply.field == "number"
    assert reply.message == "The number 12-34 cannot take an SMS: A mobile number has from 10 to 15 digits."
    assert smsc.binds == []


# --- SMS.ru ---

@pytest.mark.feature("GRP-04")
def test_smsru_takes_the_message_and_names_its_id_and_the_balance(smsru):
    reply = sms_deliver(_smsru(smsru), "+7 916 123-45-67", "Привет!\r\nЖдём вас.")
    assert reply.ok and reply.code == "100" and reply.message_id == "000000-10000001"
    assert reply.text == "100 OK sms_id 000000-10000001" and reply.balance == "9.0" and reply.parts == 1
    method, path, fields = smsru.requests[0]
    assert (method, path) == ("POST", "/sms/send")
    assert fields == {"api_id": API_ID, "to": "79161234567", "msg": "Привет!\nЖдём вас.", "from": "Romashka",
                      "json": "1"}
    status = sms_status_of(smsru, reply.message_id)
    assert (status.state, status.final, status.text) == ("delivered", True, "103 Сообщение доставлено")


def sms_status_of(smsru: Any, message_id: str) -> Any:
    from kontora.messaging.models import SmsAccount
    from kontora.messaging.services.mailboxes import password_seal

    account = SmsAccount(protocol="smsru", api_id_sealed=password_seal(API_ID), api_url=smsru.url)
    return sms_status(account, message_id)


@pytest.mark.feature("GRP-04")
def test_a_wrong_api_id_is_the_accounts_refusal_in_smsrus_words(smsru):
    reply = sms_deliver(_smsru(smsru, api_id="nope"), NUMBER, "Hi")
    assert not reply.ok and reply.stage == "auth" and not reply.temporary and reply.field == "api_id"
    assert reply.text == "200 Неправильный api_id"
    assert reply.message == "SMS.ru did not accept the api_id: 200 Неправильный api_id"
    assert sms_deliver(_smsru(smsru), NUMBER, "Hi").ok  # positive control


@pytest.mark.feature("GRP-04")
def test_no_money_on_the_balance_holds_the_account(smsru):
    smsru.balance = 0.5
    reply = sms_deliver(_smsru(smsru), NUMBER, "Hi")
    assert not reply.ok and reply.stage == "auth" and not reply.temporary
    assert reply.message == "There is not enough money on the SMS.ru balance: 201 Не хватает средств на лицевом счету"
    smsru.balance = 5
    assert sms_deliver(_smsru(smsru), NUMBER, "Hi").ok  # positive control


@pytest.mark.feature("GRP-04")
def test_smsrus_refusals_of_a_number_are_permanent_and_its_outage_temporary(smsru):
    smsru.errors["79161234567"] = 207
    no_route = sms_deliver(_smsru(smsru), NUMBER, "Hi")
    assert not no_route.ok and not no_route.temporary and no_route.stage == "submit" and no_route.field == "number"
    assert no_route.text == "207 На этот номер нет маршрута для доставки сообщений"
    smsru.down = True
    down = sms_deliver(_smsru(smsru), "+79161230000", "Hi")
    assert not down.ok and down.temporary and down.text == "220 Сервис временно недоступен, попробуйте чуть позже"
    smsru.down = False
    assert sms_deliver(_smsru(smsru), "+79161230000", "Hi").ok  # positive control


@pytest.mark.feature("GRP-04")
def test_an_unreachable_smsru_is_a_temporary_connect_failure(smsru):
    reply = sms_deliver(_smsru(smsru, api_url=f"http://127.0.0.1:{closed_port()}"), NUMBER, "Hi")
    assert not reply.ok and reply.stage == "connect" and reply.temporary
    assert reply.message.startswith("Cannot connect to SMS.ru at 127.0.0.1:")
    assert sms_deliver(_smsru(smsru), NUMBER, "Hi").ok  # positive control


@pytest.mark.feature("GRP-04")
def test_an_smsru_account_without_api_id_is_refused(smsru):
    with pytest.raises(Refused) as refused:
        sms_deliver(_smsru(smsru, api_id=""), NUMBER, "Hi")
    assert (refused.value.field, refused.value.message) == ("api_id", "Enter the api_id of your SMS.ru account.")
    assert smsru.requests == []
