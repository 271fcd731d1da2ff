"""The phone keys the duplicate check seeks (CLI-16, issue 12) follow every write of a phone: the card, a contact
person's create / change / delete, the demo fill and the bulk fill of the migration."""

from __future__ import annotations

from typing import Any

import pytest

from kontora.clients.demo import demo_fill
from kontora.clients.models import Client, ContactPerson, PhoneKey
from kontora.clients.selectors.duplicates import find_duplicates, phone_keys
from kontora.clients.services import card as services
from kontora.clients.services.phones import phone_keys_fill
from tests.clients.factories import ClientFactory


def _found(user: Any, phone: str) -> list[Client]:
    return [d.client for d in find_duplicates(user=user, phones=(phone,))]


def _keys() -> set[tuple[int, int | None, str]]:
    return set(PhoneKey.objects.values_list("client_id", "contact_id", "number"))


def _expected() -> set[tuple[int, int | None, str]]:
    """The keys as phone_keys makes them from the phones kept now."""
    keys = {(client.pk, None, number) for client in Client.objects.all() for number in phone_keys(client.phone)}
    for contact in ContactPerson.objects.all():
        numbers = phone_keys(contact.phone_office, contact.phone_mobile, contact.phone_home)
        keys |= {(contact.client_id, contact.pk, number) for number in numbers}
    return keys


@pytest.mark.feature("CLI-16")
def test_a_changed_contact_phone_matches_by_its_new_number_only(manager_user: Any) -> None:
    # given a contact with a mobile
    client = ClientFactory(curator=manager_user, short_name="Альфа")
    contact = services.contact_create(acting_user=manager_user, client=client,
                                      values={"full_name": "Петров", "phone_mobile": "8 916 000-11-22"})
    assert _found(manager_user, "+7 916 000 11 22") == [client]
    # when the mobile is changed
    services.contact_update(acting_user=manager_user, contact=contact, values={"phone_mobile": "8 916 000-99-88"})
    # then the old number no longer matches and the new one does
    assert _found(manager_user, "+7 916 000 11 22") == []
    assert _found(manager_user, "89160009988") == [client]
    assert _keys() == _expected()


@pytest.mark.feature("CLI-16")
def test_a_deleted_contact_takes_its_numbers_with_it(manager_user: Any) -> None:
    # given two contacts, each with a phone
    client = ClientFactory(curator=manager_user, short_name="Альфа")
    gone = services.contact_create(acting_user=manager_user, client=client,
                                   values={"full_name": "Петров", "phone_office": "8 495 111-22-33"})
    services.contact_create(acting_user=manager_user, client=client,
                            values={"full_name": "Сидоров", "phone_home": "8 495 444-55-66"})
    # when one is deleted
    services.contact_delete(acting_user=manager_user, contact=gone)
    # then its number finds nothing, the other's still finds the client
    assert _found(manager_user, "84951112233") == []
    assert _found(manager_user, "84954445566") == [client]
    assert _keys() == _expected()


@pytest.mark.feature("CLI-16")
def test_the_cards_phone_field_keys_each_of_its_numbers_and_follows_a_change(manager_user: Any) -> None:
    # given a card registered with two numbers in its phone field
    client = services.client_create(acting_user=manager_user, values={
        "short_name": "Альфа", "phone": "+7 (495) 123-45-67, 8 916 000-11-22"})
    assert _found(manager_user, "4951234567") == _found(manager_user, "9160001122") == [client]
    # when the field is changed to another number
    services.client_update(acting_user=manager_user, client=client, values={"phone": "8 (812) 700-00-01"})
    # then only that number matches
    assert _found(manager_user, "4951234567") == _found(manager_user, "9160001122") == []
    assert _found(manager_user, "88127000001") == [client]
    assert _keys() == _expected()


@pytest.mark.feature("CLI-16")
@pytest.mark.django_db
def test_the_demo_fill_keys_every_phone_it_writes() -> None:
    # when the demo fills a base
    result = demo_fill(clients=50, seed=3)
    # then every phone of its clients and contacts has its key, as the services would write it
    assert result.contacts > 0
    assert _keys() == _expected()
    assert len(_keys()) == result.clients + result.contacts


@pytest.mark.feature("CLI-16")
def test_the_bulk_fill_keys_plain_numbers_in_sql_and_the_others_as_the_services_do(manager_user: Any) -> None:
    # given rows written without keys: plain numbers, two numbers in a field, an extension, a short number
    rows = [("+7 (495) 123-45-67", "8 916 000-11-22", ""), ("495 1234567  916 0001122", "", "123-45"),
            ("8 495 765-43-21 доб. 12", "+7 916 555 44 33; 8 916 555 44 34", "765-43-21")]
    for n, (phone, mobile, home) in enumerate(rows):
        client = Client.objects.create(code=900 + n, short_name=f"Клиент {n}", full_name=f"Клиент {n}", phone=phone,
                                       phone_digits="".join(c for c in phone if c.isdigit()))
        ContactPerson.objects.create(client=client, full_name="Петров", phone_mobile=mobile, phone_home=home)
    # when the migration's fill runs
    written = phone_keys_fill()
    # then the keys are exactly those the services write
    assert _keys() == _expected()
    assert written == PhoneKey.objects.count() == 8
