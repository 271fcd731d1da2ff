"""The Mailing tab's services (CLI-09): addresses, switches and "take from the card", each with its history row."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.exceptions import ValidationError

from kontora.clients.models import ClientGrant, ClientMailingAddress
from kontora.clients.services import mailing as services
from kontora.core.errors import NotAllowed
from tests.accounts.factories import UserFactory
from tests.clients.factories import ClientFactory, ContactFactory
from tests.clients.support import card_history


@pytest.mark.feature("CLI-09")
@pytest.mark.feature("CLI-12")
def test_address_writes_leave_a_history_row_each(curator: Any) -> None:
    # given a card
    client = ClientFactory(curator=curator, short_name="Ромашка")
    # when an address is added, unsubscribed, saved unchanged, and deleted
    address = services.mailing_address_create(acting_user=curator, client=client,
                                              values={"kind": "email", "value": "info@romashka.ru"})
    address_id = address.pk
    services.mailing_address_update(acting_user=curator, address=address, values={"subscribed": False})
    services.mailing_address_update(acting_user=curator, address=address, values={"subscribed": False})
    services.mailing_address_delete(acting_user=curator, address=address)
    # then each change wrote one row about the address
    rows = list(card_history(client).order_by("id"))
    assert [(row.event, row.summary) for row in rows] == [
        ("clients.mailing_address.create", "Добавлен адрес рассылки: info@romashka.ru"),
        ("clients.mailing_address.update", "Изменён адрес рассылки: info@romashka.ru"),
        ("clients.mailing_address.delete", "Удалён адрес рассылки: info@romashka.ru"),
    ]
    assert {(row.actor, row.target_type, row.target_id) for row in rows} == {
        (curator, "clients.clientmailingaddress", address_id)}
    assert rows[1].changes == [{"field": "Подписан", "old": "✓", "new": "—"}]


@pytest.mark.feature("CLI-09")
@pytest.mark.feature("CLI-12")
def test_switches_and_taking_from_the_card_leave_their_rows(curator: Any) -> None:
    # given a card with an e-mail and a contact with a mobile
    client = ClientFactory(curator=curator, short_name="Ромашка", email="office@romashka.ru")
    ContactFactory(client=client, full_name="Иванов Иван", phone_mobile="+7 912 000-11-22")
    # when the SMS switch is turned on and the card's addresses are taken
    services.mailing_settings_update(acting_user=curator, client=client, exclude_email=False, exclude_sms=True)
    added = services.mailing_fill_from_card(acting_user=curator, client=client)
    # then both are in the history, with what was taken
    assert len(added) == 2
    settings_row, fill_row = card_history(client).order_by("id")
    assert (settings_row.event, settings_row.summary, settings_row.changes) == (
        "clients.mailing.update", "Изменены параметры рассылки",
        [{"field": "Исключить из рассылки SMS", "old": "—", "new": "✓"}])
    assert (fill_row.event, fill_row.summary, fill_row.actor) == (
        "clients.mailing_address.fill", "Адреса рассылки взяты из карточки", curator)
    assert [item["new"] for item in fill_row.changes] == [
        "office@romashka.ru (Ромашка)", "+7 912 000-11-22 (Иванов Иван)"]


@pytest.mark.feature("CLI-09")
def test_a_refused_or_forbidden_address_writes_nothing(curator: Any) -> None:
    # given a card and a user who may only see it
    client = ClientFactory(curator=curator, short_name="Ромашка")
    reader = UserFactory(login="reader", client_scope="own")
    ClientGrant.objects.create(client=client, user=reader, can_edit=False)
    # when the curator types a bad address, and the reader a good one
    with pytest.raises(ValidationError) as refused:
        services.mailing_address_create(acting_user=curator, client=client, values={"kind": "email", "value": "x@"})
    with pytest.raises(NotAllowed):
        services.mailing_address_create(acting_user=reader, client=client,
                                        values={"kind": "email", "value": "info@romashka.ru"})
    # then nothing is stored or written in the history
    assert refused.value.message_dict["value"] == [
        "Введите правильный адрес электронной почты, например name@example.ru."]
    assert not ClientMailingAddress.objects.exists() and not card_history(client).exists()


@pytest.mark.feature("CLI-09")
@pytest.mark.feature("GRP-07")
def test_the_consent_is_recorded_when_how_and_by_whom(curator: Any) -> None:
    client = ClientFactory(curator=curator, email="office@romashka.ru")
    address = services.mailing_address_create(acting_user=curator, client=client,
                                              values={"kind": "email", "value": "info@romashka.ru"})
    assert (address.consent_how, address.consent_by) == (ClientMailingAddress.Consent.CARD, curator)
    given = address.consent_at
    assert given is not None
    # saved unchanged: the consent stays as it was given
    services.mailing_address_update(acting_user=curator, address=address, values={"owner_name": "Офис"})
    address.refresh_from_db()
    assert address.consent_at == given
    # taken from the card: recorded as such
    (filled,) = services.mailing_fill_from_card(acting_user=curator, client=client)
    assert (filled.consent_how, filled.consent_by) == (ClientMailingAddress.Consent.FILLED, curator)
    # the owner's refusal by a letter's link: every client's row of the address, nobody acting
    other = ClientFactory(curator=curator)
    ClientMailingAddress.objects.create(client=other, kind="email", value="INFO@romashka.ru",
                                        value_key="info@romashka.ru")
    assert services.mailing_unsubscribe(kind="email", value_key="info@romashka.ru",
                                        how=ClientMailingAddress.Consent.LINK) == 2
    rows = ClientMailingAddress.objects.filter(value_key="info@romashka.ru")
    assert {(row.subscribed, row.consent_how, row.consent_by_id) for row in rows} == {
        (False, ClientMailingAddress.Consent.LINK, None)}
    assert card_history(other).get().event == "clients.mailing_address.unsubscribe"
