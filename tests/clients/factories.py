"""Clients for tests: built by the product's own key helper and numbering service, so every builder makes the
same rows the card's service makes (search keys, a unique code)."""

from __future__ import annotations

from typing import Any

import factory

from kontora.clients.models import Client, ContactPerson
from kontora.clients.services.card import fill_search_keys
from kontora.clients.services.phones import client_phones_keep, contact_phones_keep
from kontora.core import numbering
from kontora.core.text import search_key
from kontora.directories.models import ClientFlag


def hot_flag() -> ClientFlag:
    """The manual's «Горячий клиент» flag (the migration ships it; a test that flushed the base makes it again)."""
    flag, _ = ClientFlag.objects.get_or_create(
        name="Горячий клиент", defaults={"name_key": search_key("Горячий клиент"), "colour": "red", "order": 1})
    return flag


class ClientFactory(factory.django.DjangoModelFactory):
    """`ClientFactory(short_name="Ромашка", curator=user)`; `private=True` keeps it private (needs a curator);
    `flagged=True` gives it the «Горячий клиент» flag."""

    class Meta:
        model = Client

    kind = Client.Kind.COMPANY
    short_name = factory.Sequence(lambda n: f"Клиент {n}")
    full_name = factory.LazyAttribute(lambda client: client.short_name)

    @classmethod
    def _create(cls, model_class: type[Client], *args: Any, private: bool = False, flagged: bool = False,
                **kwargs: Any) -> Client:
        client = model_class(*args, **kwargs)
        client.is_private = private or client.is_private
        if flagged and client.flag_id is None:
            client.flag = hot_flag()
        client.code = client.code or numbering.code_next("client")
        if client.settlement_id and not client.region_id:  # the card's rule: the region follows the city
            client.region_id = client.settlement.region_id
        fill_search_keys(client)
        client.save(force_insert=True)
        if client.phone:  # as the card's service does (a test at an older schema builds clients without phones)
            client_phones_keep(client)
        return client


class ContactFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ContactPerson

    client = factory.SubFactory(ClientFactory)
    full_name = factory.Sequence(lambda n: f"Контакт {n}")

    @classmethod
    def _create(cls, model_class: type[ContactPerson], *args: Any, **kwargs: Any) -> ContactPerson:
        contact = model_class(*args, **kwargs)
        contact.save(force_insert=True)
        if contact.phone_office or contact.phone_mobile or contact.phone_home:
            contact_phones_keep(contact)  # as the contact's service does
        return contact


def client_named(name: str, **fields: Any) -> Client:
    """A client called `name` (its short and full name): `client_named("ООО Ромашка", curator=user, private=True)`."""
    client: Client = ClientFactory(short_name=name, **fields)
    return client
