"""The user's SMS account (GRP-04): its secrets sealed and never kept or audited in the clear, an empty one keeping
the one kept, the same checks a send makes before anything is saved; and the test SMS through a real gateway."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.utils import translation

from kontora.clients.services.mailing import mobile_e164
from kontora.core.errors import Refused
from kontora.core.models import AuditEvent
from kontora.messaging.models import SmsAccount
from kontora.messaging.services import mailboxes
from kontora.messaging.services.mailboxes import password_unseal
from kontora.messaging.services.sms_accounts import sms_account_save, sms_account_test_send
from tests.messaging.sms_support import API_ID, SMPP_PASSWORD, SYSTEM_ID


@pytest.fixture(autouse=True)
def english() -> Iterator[None]:
    with translation.override("en"):
        yield


def _smsru(gateway: Any, **changes: Any) -> dict[str, Any]:
    return {"protocol": "smsru", "sender": "Romashka", "api_id": API_ID, "api_url": gateway.url, **changes}


def _smpp(smsc: Any, **changes: Any) -> dict[str, Any]:
    return {"protocol": "smpp", "sender": "Romashka", "host": "127.0.0.1", "port": smsc.port,
            "system_id": SYSTEM_ID, "password": SMPP_PASSWORD, "system_type": "", "api_url": "https://sms.ru",
            **changes}


@pytest.mark.feature("GRP-04")
@pytest.mark.parametrize(("typed", "e164"), [
    ("+7 (916) 123-45-67", "+79161234567"), ("8 916 123 45 67", "+79161234567"), ("9161234567", "+79161234567"),
    ("+375 29 123-45-67", "+375291234567"), ("79161234567", "+79161234567"),
])
def test_a_mobile_number_is_written_as_e164(typed, e164):
    assert mobile_e164(typed) == e164


@pytest.mark.feature("GRP-04")
def test_the_secrets_are_kept_sealed_and_an_empty_one_keeps_them(admin_user, smsru, smsc):
    # when the account is saved with an api_id, then again without one
    sms_account_save(acting_user=admin_user, values=_smsru(smsru))
    sealed = SmsAccount.objects.get(user=admin_user).api_id_sealed
    sms_account_save(acting_user=admin_user, values=_smsru(smsru, api_id="", sender="Romashka2"))
    # then the base holds it sealed, and the second save kept it
    account = SmsAccount.objects.get(user=admin_user)
    assert API_ID not in sealed and account.api_id_sealed == sealed and password_unseal(sealed) == API_ID
    assert account.sender == "Romashka2"
    # and switched to SMPP, the password is sealed the same way; no secret reaches the history
    sms_account_save(acting_user=admin_user, values=_smpp(smsc))
    account.refresh_from_db()
    assert account.protocol == "smpp" and password_unseal(account.password_sealed) == SMPP_PASSWORD
    rows = AuditEvent.objects.filter(event="messaging.sms_account.save").order_by("pk")
    assert rows.count() == 3
    assert all(API_ID not in str(row.changes) and SMPP_PASSWORD not in str(row.changes) for row in rows)


@pytest.mark.feature("GRP-04")
def test_an_account_that_could_not_send_is_not_saved(admin_user, smsc):
    with pytest.raises(ValidationError) as refused:
        sms_account_save(acting_user=admin_user, values=_smpp(smsc, host=""))
    assert refused.value.message_dict == {"host": ["Enter the SMPP server."]}
    assert not SmsAccount.objects.filter(user=admin_user).exists()
    # positive control: with the server it is saved
    assert sms_account_save(acting_user=admin_user, values=_smpp(smsc)) is not None


@pytest.mark.feature("GRP-04")
def test_no_protocol_removes_the_account(admin_user, smsru):
    sms_account_save(acting_user=admin_user, values=_smsru(smsru))
    assert sms_account_save(acting_user=admin_user, values={"protocol": ""}) is None
    assert not SmsAccount.objects.filter(user=admin_user).exists()
    assert AuditEvent.objects.filter(event="messaging.sms_account.delete").count() == 1


@pytest.mark.feature("GRP-04")
def test_the_test_sms_goes_through_the_kept_api_id(admin_user, smsru):
    sms_account_save(acting_user=admin_user, values=_smsru(smsru))
    reply = sms_account_test_send(acting_user=admin_user, values=_smsru(smsru, api_id=""), number="8 916 123-45-67")
    assert reply.ok and reply.text == "100 OK sms_id 000000-10000001"
    sent = smsru.sent["000000-10000001"]
    assert sent["to"] == "79161234567" and "The SMS account of" in sent["msg"] and sent["from"] == "Romashka"


@pytest.mark.feature("GRP-04")
def test_the_test_sms_refuses_a_bad_number_next_to_it_and_a_gateways_no_in_its_words(admin_user, smsru):
    with pytest.raises(ValidationError) as bad:
        sms_account_test_send(acting_user=admin_user, values=_smsru(smsru), number="123")
    assert bad.value.message_dict == {
        "number": ["The number 123 cannot take an SMS: A mobile number has from 10 to 15 digits."]}
    with pytest.raises(Refused) as refused:
        sms_account_test_send(acting_user=admin_user, values=_smsru(smsru, api_id="wrong"), number="+79161234567")
    assert refused.value.field == "api_id"
    assert refused.value.message == "SMS.ru did not accept the api_id: 200 Неправильный api_id"
    assert smsru.sent == {}
    assert sms_account_test_send(acting_user=admin_user, values=_smsru(smsru), number="+79161234567").ok


@pytest.mark.feature("GRP-04")
def test_a_secret_sealed_under_another_key_asks_to_be_entered_again(admin_user, smsc, monkeypatch):
    sms_account_save(acting_user=admin_user, values=_smpp(smsc))
    monkeypatch.setattr(mailboxes.config, "mail_key", lambda home: "A" * 43 + "=")
    with pytest.raises(Refused, match="enter the password again"):
        sms_account_test_send(acting_user=admin_user, values=_smpp(smsc, password=""), number="+79161234567")
    assert smsc.binds == []
