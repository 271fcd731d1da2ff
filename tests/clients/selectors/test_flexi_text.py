"""Text conditions on the address and contacts' names through the trigram indexes (issue 11, F5): the same answers
as the regular expression alone, on tricky values — Cyrillic case, ё and е, punctuation between words, texts shorter
than a trigram — and the indexes follow every change of the rows."""

from __future__ import annotations

from typing import Any

import pytest
from django.db import connection
from django.db.models import Exists, OuterRef, Q

from kontora.clients.flexi.selectors.conditions import _regex_q
from kontora.clients.flexi.selectors.specs import parse, to_q
from kontora.clients.models import Client, ContactPerson
from kontora.clients.selectors.registry import registry_queryset
from kontora.core.text import search_key
from tests.clients.factories import client_named

CONTACTS = ["ИВАНОВ Пётр Сергеевич", "иванова-петрова анна", "Ёлкин Ян", "елкина Ли", "О'Брайен Шон", "Ли Вэй",
            "Семёнов  Семён", "А.Б. Иванов", "ПЕТРОВ-ВОДКИН", "Straße Hans", "ян", "Ёж"]
ADDRESSES = ["ул. Ленина, д. 5", "УЛ.ЛЕНИНА 7", "Ёлочная ул., 3", "проспект Мира, 12-А", "г. Орёл", "", "п/я 15"]
FRAGMENTS = ["иванов", "ИВАН", "петр", "пётр", "Пётр Сергеевич", "елкин", "ЁЛКИН", "ёлкина ли", "ли", "ян", "ли вэй",
             "а б", "а.б. иванов", "о брайен", "о'брайен", "ов-пе", "ова петрова", "водкин", "семен семен", "семён",
             "ёж", "еж", "strasse", "straße", "hans", "нет такого", "ab", "в"]
ADDRESS_FRAGMENTS = ["ленина", "ЛЕНИНА 7", "ул ленина", "елочная", "ёлочная ул", "мира 12 а", "орел", "орёл", "п я",
                     "ул", "12", "я 15"]


def regex_only(column_q: Q, *, contacts: bool) -> set[int]:
    """The clients the regular expression alone finds: the path before the indexes."""
    if contacts:
        return set(Client.objects.filter(Exists(ContactPerson.objects.filter(column_q, client=OuterRef("pk"))))
                   .values_list("pk", flat=True))
    return set(Client.objects.filter(column_q).values_list("pk", flat=True))


def filtered(user: Any, field: str, value: str) -> set[int]:
    spec = parse({"op": "and", "items": [{"field": field, "operator": "contains", "value": value}]}, user=user)
    return set(registry_queryset(fetched_by=user, filter_q=to_q(spec, user=user)).values_list("pk", flat=True))


def sql_of(user: Any, field: str, value: str) -> str:
    spec = parse({"op": "and", "items": [{"field": field, "operator": "contains", "value": value}]}, user=user)
    return str(registry_queryset(fetched_by=user, filter_q=to_q(spec, user=user)).query)


@pytest.fixture
def rows(admin_user: Any) -> Any:
    for index, name in enumerate(CONTACTS):
        client = client_named(f"Контрагент {index:02d}", curator=admin_user, address=ADDRESSES[index % len(ADDRESSES)])
        ContactPerson.objects.create(client=client, full_name=name)
    client_named("Без контактов", curator=admin_user)
    admin_user.client_scope = "full"
    admin_user.save(update_fields=["client_scope"])
    return admin_user


@pytest.mark.feature("REG-05")
def test_contact_name_contains_finds_what_the_regular_expression_finds_through_the_index(rows: Any) -> None:
    for fragment in FRAGMENTS:
        expected = regex_only(_regex_q("full_name", "contains", search_key(fragment)), contacts=True)
        assert filtered(rows, "contact_name", fragment) == expected, fragment
    # the cases that matter, spelled out
    assert len(filtered(rows, "contact_name", "ЁЛКИН")) == 2  # «Ёлкин Ян» and «елкина Ли»: ё and е, any case
    assert len(filtered(rows, "contact_name", "ли")) == 2  # two letters, no trigram: «елкина Ли», «Ли Вэй» still found
    assert len(filtered(rows, "contact_name", "ов-пе")) == 1  # punctuation between words alike
    # and the index is what is asked for a text with a trigram (SQLite's FTS table; PostgreSQL's pg_trgm serves ~*)
    if connection.vendor == "sqlite":
        assert "clients_contact_name_fts" in sql_of(rows, "contact_name", "иванов")
        assert "clients_contact_name_fts" not in sql_of(rows, "contact_name", "ли")


@pytest.mark.feature("REG-05")
def test_address_contains_finds_what_the_regular_expression_finds_through_the_index(rows: Any) -> None:
    for fragment in ADDRESS_FRAGMENTS:
        expected = regex_only(_regex_q("address", "contains", search_key(fragment)), contacts=False)
        assert filtered(rows, "address", fragment) == expected, fragment
    assert len(filtered(rows, "address", "ЛЕНИНА")) == 2 * 2  # two addresses, each on two of the clients
    if connection.vendor == "sqlite":
        assert "clients_address_fts" in sql_of(rows, "address", "ленина")


@pytest.mark.feature("REG-05")
def test_the_indexes_follow_renamed_moved_and_deleted_rows(rows: Any) -> None:
    # given
    contact = ContactPerson.objects.get(full_name="Ли Вэй")
    client = contact.client
    assert client.pk in filtered(rows, "contact_name", "вэй")
    # when: renamed
    ContactPerson.objects.filter(pk=contact.pk).update(full_name="Чжан Вэйминь")
    # then
    assert client.pk in filtered(rows, "contact_name", "вэймин")
    assert client.pk not in filtered(rows, "contact_name", "ли вэй")
    # when: deleted
    ContactPerson.objects.filter(pk=contact.pk).delete()
    assert client.pk not in filtered(rows, "contact_name", "вэймин")
    # and an address changed
    Client.objects.filter(pk=client.pk).update(address="Набережная Фонтанки, 10")
    assert client.pk in filtered(rows, "address", "фонтанки")
    Client.objects.filter(pk=client.pk).delete()
    assert filtered(rows, "address", "фонтанки") == set()
