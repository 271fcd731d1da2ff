"""The card's services (CLI-01 … CLI-12): keys, contacts, attributes in the card's transaction, access, and the
audit row each write leaves (the card's history)."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.db import transaction

from kontora.clients import access
from kontora.clients.models import Client, ClientGrant, ContactPerson
from kontora.clients.services import card as services
from kontora.core.errors import NotAllowed
from kontora.core.models import AuditEvent
from kontora.core.permissions import decisions
from kontora.directories.attributes.services import field_name
from kontora.directories.models import Attribute, AttributeValue, Settlement
from tests.accounts.factories import UserFactory
from tests.clients.factories import ClientFactory, ContactFactory
from tests.clients.support import attribute_option, card_history, grant_right, make_attribute

PERSON_INN = "500100732259"  # a person's INN with right check digits
OGRNIP = "304501234567890"  # an individual entrepreneur's OGRNIP with a right check digit


def _create(user: Any, short_name: str, **values: Any) -> Client:
    return services.client_create(acting_user=user, values={"kind": "company", "short_name": short_name, **values})


@pytest.mark.feature("CLI-02")
def test_search_keys_are_maintained(manager_user: Any) -> None:
    # given a city
    city = Settlement.objects.filter(name="Москва").first() or Settlement.objects.first()
    assert city is not None
    # when a client is created and then renamed
    client = _create(manager_user, 'ООО "Ёлка"', full_name="Общество «ЁЛКИ-ПАЛКИ»", settlement=city,
                     phone="+7 (495) 123-45-67", fax="8-495-765-43-21")
    # then names are folded (Cyrillic case, ё→е), phones kept as digits, the region follows the city
    assert client.name_key == "ооо елка"
    assert client.full_name_key == "общество елки палки"
    assert client.city_key == city.name.casefold().replace("ё", "е")
    assert (client.phone_digits, client.fax_digits) == ("74951234567", "84957654321")
    assert client.region_id == city.region_id
    updated = services.client_update(acting_user=manager_user, client=client, values={"short_name": "Ёжик"})
    assert updated.name_key == "ежик"


@pytest.mark.feature("CLI-05")
def test_only_one_main_contact(manager_user: Any) -> None:
    # given a main contact
    client = ClientFactory(curator=manager_user, short_name="Ромашка")
    first = services.contact_create(acting_user=manager_user, client=client,
                                    values={"full_name": "Первый", "is_main": True})
    # when another one is made main
    services.contact_create(acting_user=manager_user, client=client, values={"full_name": "Второй", "is_main": True})
    # then the first is no longer main
    first.refresh_from_db()
    assert not first.is_main
    assert list(client.contacts.filter(is_main=True).values_list("full_name", flat=True)) == ["Второй"]


@pytest.mark.feature("CLI-03")
def test_refused_attribute_rolls_back_the_whole_card(manager_user: Any, attrs: dict[str, Any]) -> None:
    # given a value of another attribute offered for the car type (the service refuses it)
    client = ClientFactory(curator=manager_user, short_name="Ромашка")
    other = make_attribute(Attribute.Kind.DIRECTORY, "Цвет")
    red = attribute_option(other, "красный")
    # when the card is saved with it
    with pytest.raises(ValidationError) as refused:
        services.client_update(acting_user=manager_user, client=client, values={"short_name": "Лютик"},
                               attributes={attrs["car"].pk: red.pk, attrs["vip"].pk: True})
    # then the error names the field and neither the card nor any attribute changed, nor the history
    assert field_name(attrs["car"].pk) in refused.value.error_dict
    client.refresh_from_db()
    assert client.short_name == "Ромашка" and not AttributeValue.objects.exists()
    assert not card_history(client).exists()


# --- the audit row of each service (the card's history, CLI-12) ---

def _only_row(client: Client) -> AuditEvent:
    rows = list(card_history(client))
    assert len(rows) == 1, [row.summary for row in rows]
    return rows[0]


@pytest.mark.feature("CLI-12")
def test_client_create_writes_the_registration_row(manager_user: Any) -> None:
    # when a card is registered
    client = _create(manager_user, "Ромашка")
    # then one row says so, by the manager, about the client
    row = _only_row(client)
    assert (row.event, row.summary, row.actor, row.target_type, row.target_id) == (
        "clients.client.create", "Карточка зарегистрирована", manager_user, "clients.client", client.pk)
    assert row.changes == []


@pytest.mark.feature("CLI-12")
def test_client_update_writes_the_changed_fields_and_nothing_when_nothing_changed(manager_user: Any) -> None:
    # given a card
    client = ClientFactory(curator=manager_user, short_name="Ромашка", phone="+7 495 111-22-33")
    # when the same values are saved, then the phone changes
    services.client_update(acting_user=manager_user, client=client, values={"short_name": "Ромашка"})
    assert not card_history(client).exists()
    services.client_update(acting_user=manager_user, client=client, values={"phone": "+7 495 999-00-00"})
    # then one row names the phone with its old and new value
    row = _only_row(client)
    assert (row.event, row.summary, row.actor, row.target_id) == (
        "clients.client.update", "Карточка изменена", manager_user, client.pk)
    assert row.changes == [{"field": "Основные телефоны", "old": "+7 495 111-22-33", "new": "+7 495 999-00-00"}]


@pytest.mark.feature("CLI-12")
@pytest.mark.feature("ACL-02")
def test_client_set_access_writes_who_got_access(manager_user: Any) -> None:
    # given a card and a colleague
    client = ClientFactory(curator=manager_user, short_name="Ромашка")
    colleague = UserFactory(login="colleague", full_name="Коллега Коллегов")
    # when the curator grants him access with editing
    services.client_set_access(acting_user=manager_user, client=client, grants={colleague.pk: True})
    # then the grant exists and one row says who has access and who may edit
    assert ClientGrant.objects.get(client=client).user == colleague
    row = _only_row(client)
    assert (row.event, row.summary, row.actor, row.target_id) == (
        "clients.client.access", "Доступ изменён", manager_user, client.pk)
    assert row.changes == [
        {"field": "Есть доступ", "old": "", "new": "Коллега Коллегов"},
        {"field": "Может редактировать", "old": "", "new": "Коллега Коллегов"},
    ]


@pytest.mark.feature("ACL-03")
def test_only_the_curator_with_the_right_keeps_a_client_private(curator: Any) -> None:
    # given a card of the curator, who has no right yet
    client = ClientFactory(curator=curator, short_name="Ромашка")
    # when he marks it private, he is refused
    with pytest.raises(NotAllowed):
        services.client_set_access(acting_user=curator, client=client, is_private=True)
    # when he has the right, the card becomes private and the history says so
    grant_right(curator, "keep_private_clients")
    curator = type(curator).objects.get(pk=curator.pk)
    services.client_set_access(acting_user=curator, client=client, is_private=True)
    client.refresh_from_db()
    assert client.is_private
    assert _only_row(client).changes == [{"field": "Приватный клиент", "old": "—", "new": "✓"}]


@pytest.mark.feature("CLI-05")
@pytest.mark.feature("CLI-12")
def test_contact_services_write_a_row_each(manager_user: Any) -> None:
    # given a card
    client = ClientFactory(curator=manager_user, short_name="Ромашка")
    # when a contact is added, changed and deleted
    contact = services.contact_create(acting_user=manager_user, client=client, values={"full_name": "Иванов И."})
    contact_id = contact.pk
    services.contact_update(acting_user=manager_user, contact=contact, values={"position": "Директор"})
    services.contact_delete(acting_user=manager_user, contact=contact)
    # then each wrote its row about the client, with the contact as the target
    rows = list(card_history(client).order_by("id"))
    assert [(row.event, row.summary) for row in rows] == [
        ("clients.contact.create", "Контактное лицо добавлено: Иванов И."),
        ("clients.contact.update", "Контактное лицо изменено: Иванов И."),
        ("clients.contact.delete", "Контактное лицо удалено: Иванов И."),
    ]
    assert {(row.actor, row.target_type, row.target_id) for row in rows} == {
        (manager_user, "clients.contactperson", contact_id)}
    assert rows[1].changes == [{"field": "Должность", "old": "", "new": "Директор"}]
    # and the card is stamped as changed by the manager
    client.refresh_from_db()
    assert client.changed_by == manager_user


@pytest.mark.feature("ACL-02")
def test_a_view_only_user_may_not_touch_contacts(curator: Any) -> None:
    # given a contact of a card the viewer may only see
    client = ClientFactory(curator=curator, short_name="Ромашка")
    contact = ContactFactory(client=client, full_name="Иванов И.")
    viewer = UserFactory(login="viewer", client_scope="own")
    ClientGrant.objects.create(client=client, user=viewer, can_edit=False)
    # when he adds, changes or deletes one, he is refused and nothing is written
    for call in (
        lambda: services.contact_create(acting_user=viewer, client=client, values={"full_name": "Петров"}),
        lambda: services.contact_update(acting_user=viewer, contact=contact, values={"position": "Директор"}),
        lambda: services.contact_delete(acting_user=viewer, contact=contact),
    ):
        with pytest.raises(NotAllowed):
            call()
    assert list(ContactPerson.objects.values_list("full_name", "position")) == [("Иванов И.", "")]
    assert not card_history(client).exists()


@pytest.mark.feature("CLI-12")
@pytest.mark.django_db(transaction=True)
def test_a_write_whose_outer_transaction_rolls_back_leaves_no_audit_row(django_user_model: Any) -> None:
    # given a card
    user = UserFactory(login="manager")
    client = ClientFactory(curator=user, short_name="Ромашка")
    # when it is changed inside an outer transaction that then fails
    with pytest.raises(RuntimeError), transaction.atomic():
        services.client_update(acting_user=user, client=client, values={"notes": "Проверено"})
        assert card_history(client).exists()
        raise RuntimeError("the caller's transaction fails after the service")
    # then neither the change nor its audit row is left
    client.refresh_from_db()
    assert client.notes == ""
    assert not AuditEvent.objects.exists()


@pytest.mark.feature("ACL-03")
def test_nobody_becomes_the_curator_of_a_client_that_turned_private_since_his_rights_were_decided(
    admin_user: Any,
) -> None:
    # given an ordinary client of a manager, which the administrator may edit, his standing read in this request
    keeper = UserFactory(login="keeper")
    client = ClientFactory(short_name="Альфа", curator=keeper)
    with decisions():
        assert access.standing(admin_user, client).edits_main
        # and meanwhile (another request) its curator made it private
        Client.objects.filter(pk=client.pk).update(is_private=True)

        # when the administrator's save makes himself its curator
        with pytest.raises(ValidationError) as refused:
            services.client_update(acting_user=admin_user, client=client, values={"curator": admin_user})

    # then the locked row's answer holds: the private client stays its curator's
    assert refused.value.message_dict == {
        "curator": ["Это приватный клиент другого пользователя: вы не можете стать его куратором."]}
    client.refresh_from_db()
    assert client.curator == keeper


@pytest.mark.feature("ACL-02")
def test_an_administrator_may_still_make_himself_the_curator_of_an_ordinary_client(admin_user: Any) -> None:
    # given an ordinary client of a manager (the positive control of the test above)
    client = ClientFactory(short_name="Альфа", curator=UserFactory(login="keeper"))
    # when the administrator makes himself its curator
    services.client_update(acting_user=admin_user, client=client, values={"curator": admin_user})
    # then he is
    client.refresh_from_db()
    assert client.curator == admin_user


@pytest.mark.feature("ACL-01", "CLI-03")
def test_an_own_clients_manager_registering_a_client_for_another_curator_is_refused_not_overridden(
        curator: Any) -> None:
    colleague = UserFactory(login="colleague", full_name="Коллега Коллегов")
    # when a manager who works with his own clients only registers a client with a colleague as its curator
    with pytest.raises(ValidationError) as refused:
        _create(curator, "Ромашка", curator=colleague)
    # then nothing is registered and the curator field says why (his choice is never silently replaced)
    assert "curator" in refused.value.message_dict and not Client.objects.exists()
    # positive control: as the client's specialist he may give it a colleague as curator
    client = _create(curator, "Ромашка", curator=colleague, specialist=curator)
    assert (client.curator, client.specialist) == (colleague, curator)
    # and with no curator chosen he becomes it
    assert _create(curator, "Лютик").curator == curator


@pytest.mark.feature("CLI-01")
def test_saving_an_entrepreneurs_card_keeps_the_inn_and_ogrnip_it_does_not_show(manager_user: Any) -> None:
    # given a person card of an individual entrepreneur (as the demo base has them): INN and OGRNIP, no KPP
    person = ClientFactory(curator=manager_user, short_name="ИП Петров", kind="person", inn=PERSON_INN,
                           ogrn=OGRNIP)
    # when its notes are changed
    services.client_update(acting_user=manager_user, client=person, values={"notes": "Звонить утром"})
    # then the INN and OGRNIP are kept (they were wiped unseen by every save)
    person.refresh_from_db()
    assert (person.notes, person.inn, person.ogrn, person.kpp) == ("Звонить утром", PERSON_INN, OGRNIP, "")


@pytest.mark.feature("CLI-01")
def test_a_persons_inn_has_twelve_digits(manager_user: Any) -> None:
    # a company's 10-digit INN is refused for a person, next to the INN
    with pytest.raises(ValidationError) as refused:
        _create(manager_user, "Петров Пётр", kind="person", inn="7707083893")
    assert refused.value.message_dict == {"inn": ["ИНН физического лица состоит из 12 цифр."]}
    # positive control: a person's 12 digits with right check digits are kept
    assert _create(manager_user, "Петров Пётр", kind="person", inn=PERSON_INN).inn == PERSON_INN
