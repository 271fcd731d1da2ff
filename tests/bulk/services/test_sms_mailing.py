"""SMS mailing through group processing (GRP-04): a run queues one SMS to each subscribed mobile number of each
client the author may open — as E.164, the placeholders filled — never to a client excluded from SMS mailing; the
SMS leave through the author's real SMS.ru gateway with the outbox's classes, limits and window; an account the
gateway refuses holds them."""

from __future__ import annotations

import datetime
from collections.abc import Iterator
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from django.utils import translation

from kontora.accounts.models import ClientScope, Role, UserRight
from kontora.bulk.models import BulkOutcome
from kontora.bulk.services.plan import Plan
from kontora.bulk.services.runs import bulk_run_start
from kontora.clients.models import ClientMailing, ClientMailingAddress
from kontora.core.services.jobs import job_run
from kontora.messaging.models import Letter
from kontora.messaging.services.outbox import letter_send, letters_send_due
from kontora.messaging.services.sms_accounts import sms_account_save
from tests.accounts.factories import UserFactory
from tests.clients.factories import ClientFactory
from tests.messaging.sms_support import API_ID
from tests.messaging.support import moscow

MOSCOW = ZoneInfo("Europe/Moscow")


@pytest.fixture(autouse=True)
def english(db: Any) -> Iterator[None]:
    with translation.override("en"):
        yield


def _manager(smsru: Any, **pace: Any) -> Any:
    user = UserFactory(role=Role.MANAGER, client_scope=ClientScope.OWN, language="en", full_name="Смирнова Анна")
    UserRight.objects.create(user=user, code="group_processing")
    sms_account_save(acting_user=user, values={
        "protocol": "smsru", "sender": "Romashka", "api_id": API_ID, "api_url": smsru.url,
        **{"limit_minute": 0, "limit_hour": 0, "limit_day": 0, "window_from": datetime.time(0),
           "window_to": datetime.time(0), **pace}})
    return user


def _mobile(client: Any, number: str, *, subscribed: bool = True, whose: str = "") -> None:
    ClientMailingAddress.objects.create(client=client, kind=ClientMailingAddress.Kind.MOBILE, value=number,
                                        value_key="".join(ch for ch in number if ch.isdigit()), owner_name=whose,
                                        subscribed=subscribed)


@pytest.mark.feature("GRP-04")
def test_a_run_sends_an_sms_to_each_subscribed_mobile_number_it_may(smsru: Any) -> None:
    author = _manager(smsru)
    stranger = UserFactory(role=Role.MANAGER, client_scope=ClientScope.FULL)
    alpha = ClientFactory(curator=author, short_name="Альфа")
    _mobile(alpha, "8 (916) 123-45-67", whose="Иванов Иван Петрович")
    _mobile(alpha, "+7 903 000-00-01", subscribed=False)
    excluded = ClientFactory(curator=author)
    _mobile(excluded, "+7 916 000-00-02")
    ClientMailing.objects.create(client=excluded, exclude_sms=True)
    secret = ClientFactory(curator=stranger, private=True)
    _mobile(secret, "+7 916 000-00-03")
    run = bulk_run_start(acting_user=author, client_ids=[alpha.pk, excluded.pk, secret.pk], selection="marked",
                         plan=Plan(), sms="{контакт}, для {клиент} скидка 10%. {куратор}")
    job_run(job_id=run.job_id)
    (sms,) = Letter.objects.all()
    assert (sms.channel, sms.recipient, sms.purpose) == ("sms", "+79161234567", Letter.Purpose.MARKETING)
    assert sms.text == "Иван Петрович, для Альфа скидка 10%. Смирнова Анна"
    outcomes = {o.client_id: o for o in BulkOutcome.objects.all()}
    assert outcomes[alpha.pk].changes == [{"field": "SMS", "old": "", "new": "SMS queued to +79161234567"}]
    assert outcomes[excluded.pk].reason == "Excluded from SMS mailing."
    assert outcomes[secret.pk].result == BulkOutcome.Result.SKIPPED
    # the gateway got it once, with the sender name; the row keeps the gateway's id of it
    letters_send_due()
    (taken,) = smsru.sent.values()
    assert (taken["to"], taken["msg"], taken["from"]) == ("79161234567", sms.text, "Romashka")
    sms.refresh_from_db()
    assert sms.state == Letter.State.SENT and sms.message_id in smsru.sent


@pytest.mark.feature("GRP-04", "GRP-07")
def test_sms_keep_to_the_accounts_window_and_limits_and_the_numbers_refusal(smsru: Any) -> None:
    author = _manager(smsru, limit_minute=1, window_from=datetime.time(9), window_to=datetime.time(18))
    clients = [ClientFactory(curator=author) for _ in range(3)]
    for number, client in enumerate(clients):
        _mobile(client, f"+7 916 000-00-1{number}")
    run = bulk_run_start(acting_user=author, client_ids=[c.pk for c in clients], selection="marked", plan=Plan(),
                         sms="Скидки до пятницы")
    job_run(job_id=run.job_id)
    first, second, third = Letter.objects.order_by("pk")
    night, noon = moscow(1, 23), moscow(2, 12)
    # outside the hours: none leaves, each due when the window opens
    assert letter_send(letter_id=first.pk, now=night) is None
    first.refresh_from_db()
    assert first.next_try_at == moscow(2, 9) and smsru.sent == {}
    # inside: one a minute
    assert letter_send(letter_id=first.pk, now=noon).state == Letter.State.SENT  # type: ignore[union-attr]
    assert letter_send(letter_id=second.pk, now=noon + datetime.timedelta(seconds=5)) is None
    # a number that refused SMS after the run: held, never sent
    ClientMailingAddress.objects.filter(client=clients[2]).update(subscribed=False)
    assert letter_send(letter_id=third.pk, now=noon + datetime.timedelta(minutes=2)) is None
    third.refresh_from_db()
    assert third.state == Letter.State.HELD and len(smsru.sent) == 1


@pytest.mark.feature("GRP-04")
def test_an_account_the_gateway_refuses_holds_the_sms_and_a_bad_number_fails(smsru: Any) -> None:
    author = _manager(smsru)
    client = ClientFactory(curator=author)
    _mobile(client, "+7 916 000-00-21")
    _mobile(client, "+7 916 000-00-22")
    run = bulk_run_start(acting_user=author, client_ids=[client.pk], selection="marked", plan=Plan(),
                         sms="Скидки до пятницы")
    job_run(job_id=run.job_id)
    good, bad = Letter.objects.order_by("pk")
    smsru.errors["79160000022"] = 207  # SMS.ru: no route to this number
    letters_send_due()
    bad.refresh_from_db()
    good.refresh_from_db()
    assert good.state == Letter.State.SENT
    assert (bad.state, bad.answer) == (Letter.State.FAILED, "SMS.ru has no route to this number: 207 На этот номер "
                                                             "нет маршрута для доставки сообщений")
    # no money on the account: the account is refused, the message held (not failed, not retried); the number
    # refused for good is not written to again
    smsru.balance = 0
    again = bulk_run_start(acting_user=author, client_ids=[client.pk], selection="marked", plan=Plan(),
                           sms="Ещё одна скидка")
    job_run(job_id=again.job_id)
    letters_send_due()
    held = Letter.objects.filter(mailing__isnull=False, state=Letter.State.HELD)
    (held,) = Letter.objects.exclude(pk__in=[good.pk, bad.pk])
    assert (held.recipient, held.state) == ("+79160000021", Letter.State.HELD)
    assert held.answer == "There is not enough money on the SMS.ru balance: 201 Не хватает средств на лицевом счету"


@pytest.mark.feature("GRP-04")
def test_delivery_reports_are_recorded_from_the_smpp_session_and_from_sms_ru(smsru: Any, smsc: Any) -> None:
    from kontora.messaging.services.outbox import sms_deliveries_check
    from tests.messaging.sms_support import SMPP_PASSWORD, SYSTEM_ID

    # SMS.ru: the status is asked afterwards, by the worker's round
    author = _manager(smsru)
    client = ClientFactory(curator=author)
    _mobile(client, "+7 916 000-00-31")
    job_run(job_id=bulk_run_start(acting_user=author, client_ids=[client.pk], selection="marked", plan=Plan(),
                                  sms="Скидки до пятницы").job_id)
    letters_send_due()
    (sms,) = Letter.objects.all()
    assert (sms.state, sms.delivery) == (Letter.State.SENT, "")
    assert sms_deliveries_check() == 1
    sms.refresh_from_db()
    assert sms.delivery == "delivered" and sms.delivery_at is not None
    assert sms_deliveries_check() == 0  # a final answer is not asked again
    # SMPP: the receipt comes on the session itself
    sms_account_save(acting_user=author, values={
        "protocol": "smpp", "sender": "Romashka", "host": "127.0.0.1", "port": smsc.port, "system_id": SYSTEM_ID,
        "password": SMPP_PASSWORD, "system_type": "", "api_url": "https://sms.ru"})
    job_run(job_id=bulk_run_start(acting_user=author, client_ids=[client.pk], selection="marked", plan=Plan(),
                                  sms="Скидки до субботы").job_id)
    letters_send_due()
    smpp = Letter.objects.exclude(pk=sms.pk).get()
    assert (smpp.state, smpp.delivery) == (Letter.State.SENT, "delivered")
    assert "stat:DELIVRD" in smpp.delivery_text
