"""Extended search, Shift+F (REG-08): clients by a fragment of the name or of a phone, private clients of others
never (ACL-03); the walk with "Next >>" in exactly the registry's name order, through the fast paths of both
databases. Runs on SQLite and PostgreSQL alike.

SQLite reads the name index in groups (migration 0007); PostgreSQL the narrow name table in batches (0008).
Either must give the same sequence as sorting every visible match, which is what the walks compare against.
"""

from __future__ import annotations

import random
from typing import Any

import pytest
from django.db import connection

from kontora.clients.demo import demo_fill
from kontora.clients.models import Client, ClientGrant, ContactPerson
from kontora.clients.selectors import search
from kontora.clients.services.card import client_create, client_update, contact_create, contact_delete, contact_update
from kontora.core.text import digits, search_key
from tests.accounts.factories import UserFactory

pytestmark = pytest.mark.django_db

FORMS = ["ООО", "АО", "ИП", "ЗАО", "", "1С", "ПАО"]
ROOTS = ["Трейд", "Гранит", "Ёлка", "трейдинг", "Снаб", "Альфа", "Яблоко", "Zeta", "Омега Трейд", "Б"]


def _client(acting: Any, short_name: str, *, curator: Any = None, **values: Any) -> Client:
    return client_create(acting_user=acting, values={"short_name": short_name, "curator": curator or acting, **values})


def _names(user: Any, *, name: str = "", phone: str = "") -> list[str]:
    return [c.short_name for c in search.search_matches(fetched_by=user, name=name, phone=phone)]


@pytest.mark.feature("REG-08")
def test_a_fragment_in_the_middle_of_the_name_finds_the_client(admin_user: Any) -> None:
    # given
    _client(admin_user, "ООО Ромашка")
    _client(admin_user, "АО Василёк")
    # when
    found = _names(admin_user, name="маш")
    # then
    assert found == ["ООО Ромашка"]


@pytest.mark.feature("REG-08")
def test_the_name_search_ignores_case_and_treats_yo_as_ye(admin_user: Any) -> None:
    # given
    _client(admin_user, "АО Василёк")
    _client(admin_user, "ООО «Ёлка-Палка»", full_name="Общество с ограниченной ответственностью «Ёлка-Палка»")
    # when / then
    assert _names(admin_user, name="ВАСИЛЕК") == ["АО Василёк"]
    assert _names(admin_user, name="ёлка палка") == ["ООО «Ёлка-Палка»"]
    assert _names(admin_user, name="ограниченной") == ["ООО «Ёлка-Палка»"]


@pytest.mark.feature("REG-08")
def test_short_fragments_are_found_too(admin_user: Any) -> None:
    # given
    _client(admin_user, "ООО Ромашка", phone="+7 (495) 123-45-67")
    _client(admin_user, "АО Кедр")
    # when / then: under three characters the trigram index does not apply; the scan still finds them
    assert _names(admin_user, name="шк") == ["ООО Ромашка"]
    assert _names(admin_user, phone="67") == ["ООО Ромашка"]


@pytest.mark.feature("REG-08")
def test_a_phone_fragment_typed_with_spaces_and_dashes_finds_a_contacts_mobile(admin_user: Any) -> None:
    # given
    target = _client(admin_user, "ООО Ромашка", phone="+7 (495) 111-11-11")
    _client(admin_user, "АО Кедр", phone="+7 (495) 222-22-22")
    contact_create(acting_user=admin_user, client=target,
                   values={"full_name": "Иванов Иван Иванович", "phone_mobile": "+7 (916) 555-12-34"})
    # when
    found = _names(admin_user, phone="555 12-3")
    # then
    assert found == ["ООО Ромашка"]


@pytest.mark.feature("REG-08")
def test_fax_office_and_home_phones_are_searched_and_kept_current(admin_user: Any) -> None:
    # given
    client = _client(admin_user, "ООО Ромашка", fax="8 (812) 700-00-01")
    contact = contact_create(acting_user=admin_user, client=client,
                             values={"full_name": "Петров Пётр", "phone_office": "333-44-55"})
    # when / then
    assert _names(admin_user, phone="7000001") == ["ООО Ромашка"]
    assert _names(admin_user, phone="3334455") == ["ООО Ромашка"]
    contact_update(acting_user=admin_user, contact=contact, values={"phone_office": "", "phone_home": "909-08-07"})
    assert _names(admin_user, phone="3334455") == []
    assert _names(admin_user, phone="9090807") == ["ООО Ромашка"]
    contact_delete(acting_user=admin_user, contact=Client.objects.get(pk=client.pk).contacts.get())
    assert _names(admin_user, phone="9090807") == []
    client_update(acting_user=admin_user, client=client,
                  values={"short_name": "ООО Лютик", "full_name": "ООО Лютик", "fax": ""})
    assert _names(admin_user, phone="7000001") == []
    assert _names(admin_user, name="маш") == []
    assert _names(admin_user, name="лютик") == ["ООО Лютик"]


@pytest.mark.feature("REG-08")
def test_a_deleted_client_is_not_found(admin_user: Any) -> None:
    # given
    client = _client(admin_user, "ООО Ромашка", phone="495 123 45 67")
    # when
    Client.objects.filter(pk=client.pk).delete()
    # then
    assert _names(admin_user, name="ромаш") == []
    assert _names(admin_user, phone="1234567") == []


@pytest.mark.feature("REG-08")
def test_name_and_phone_together_must_both_match(admin_user: Any) -> None:
    # given
    _client(admin_user, "ООО Ромашка", phone="111-22-33")
    _client(admin_user, "ООО Ромашка-2", phone="444-55-66")
    # when / then
    assert _names(admin_user, name="ромашка", phone="4455") == ["ООО Ромашка-2"]


@pytest.mark.feature("REG-08")
@pytest.mark.feature("ACL-03")
def test_a_private_client_of_another_curator_is_never_found_not_even_by_an_administrator(
    admin_user: Any, colleague: Any,
) -> None:
    # given
    secret = _client(admin_user, "ООО Ромашка Тайная", curator=colleague, phone="777-77-77")
    Client.objects.filter(pk=secret.pk).update(is_private=True)
    _client(admin_user, "ООО Ромашка Открытая", phone="777-77-78")
    # when / then
    assert _names(admin_user, name="ромашка") == ["ООО Ромашка Открытая"]
    assert _names(admin_user, phone="777-77") == ["ООО Ромашка Открытая"]
    assert _names(colleague, name="тайная") == ["ООО Ромашка Тайная"]
    assert search.search_next(fetched_by=admin_user, name="тайная") is None


@pytest.mark.feature("REG-08")
def test_a_user_limited_to_own_clients_finds_only_own(admin_user: Any) -> None:
    # given
    own = UserFactory(login="own", client_scope="own")
    _client(admin_user, "ООО Ромашка Своя", curator=own)
    _client(admin_user, "ООО Ромашка Чужая")
    # when / then
    assert _names(own, name="ромашка") == ["ООО Ромашка Своя"]


@pytest.mark.feature("REG-08")
def test_next_walks_the_matches_in_name_order_and_stops(admin_user: Any) -> None:
    # given: two clients share a name, so the order falls back to the id
    first = _client(admin_user, "ООО Ромашка")
    second = _client(admin_user, "ООО Ромашка")
    third = _client(admin_user, "АО Ромашка")
    _client(admin_user, "ООО Кедр")
    # when
    walked = []
    hit = search.search_next(fetched_by=admin_user, name="ромаш")
    while hit is not None:
        walked.append(hit.pk)
        hit = search.search_next(fetched_by=admin_user, name="ромаш", after=hit.pk)
    # then
    assert walked == [third.pk, first.pk, second.pk]


@pytest.mark.feature("REG-08")
def test_the_demo_base_is_searchable(admin_user: Any) -> None:
    # given
    demo_fill(clients=200, seed=7)
    sample = Client.objects.filter(is_private=False).order_by("pk")[100]
    contact = sample.contacts.order_by("pk").first()
    assert contact is not None
    fragment = sample.name_key[4:9]
    mobile_part = contact.phones_digits[3:9]
    # when
    by_name = search.search_matches(fetched_by=admin_user, name=fragment)
    by_phone = search.search_matches(fetched_by=admin_user, phone=mobile_part)
    # then
    expected = Client.objects.filter(is_private=False, name_key__contains=fragment) | Client.objects.filter(
        is_private=False, full_name_key__contains=fragment)
    assert sorted(c.pk for c in by_name) == sorted(expected.values_list("pk", flat=True))
    assert sample.pk in {c.pk for c in by_phone}



# --- Next >>: the walk in the registry's name order ------------------------------------------------------


def _walk(user: Any, name: str) -> list[int]:
    found, seen = [], None
    while True:
        client = search.search_next(fetched_by=user, name=name, after=seen)
        if client is None:
            return found
        assert client.pk not in found, "Next >> came back to a client"
        found.append(client.pk)
        seen = client.pk


def _expected(user: Any, name: str) -> list[int]:
    key = search_key(name)
    visible = [c for c in Client.objects.all() if not c.is_private or c.curator_id == user.pk]
    matching = [c for c in visible if key in c.name_key or key in c.full_name_key]
    return [c.pk for c in sorted(matching, key=lambda c: (c.name_key, c.pk))]


@pytest.fixture
def base(admin_user: Any, monkeypatch: Any) -> Any:
    rng = random.Random(11)
    other = UserFactory(login="other", full_name="Другой Куратор", client_scope="full", role="admin")
    for _ in range(160):
        name = f"{rng.choice(FORMS)} {rng.choice(ROOTS)}{rng.choice(['', ' Плюс', '-М', ' 2'])}".strip()
        curator = rng.choice([admin_user, other])
        client = client_create(acting_user=curator, values={"short_name": name, "full_name": f"Компания {name}",
                                                            "curator": curator})
        if rng.random() < 0.15:
            Client.objects.filter(pk=client.pk).update(is_private=True)
    # Small batches and few groups: the walk also goes through PostgreSQL's next batches and SQLite's fallback.
    monkeypatch.setattr(search, "BATCH", 2)
    monkeypatch.setattr(search, "MAX_GROUPS", 3)
    return other


@pytest.mark.feature("REG-08")
@pytest.mark.parametrize("fragment", ["трейд", "елка", "ооо", "плюс", "компания", "zeta", "ап", "м", "нет такого"])
def test_next_walks_every_visible_match_in_name_order(base, admin_user, fragment):
    # given a base where many names share prefixes and 15 % are private
    # when Shift+F is started and Next >> pressed until the end
    walked = _walk(admin_user, fragment)
    # then the walk is the sorted list of visible matches, no more, no less
    assert walked == _expected(admin_user, fragment)


@pytest.mark.feature("REG-08")
@pytest.mark.parametrize("fragment", ["трейд", "омега", "ап"])
def test_an_own_mode_user_walks_only_his_own_matches_in_name_order(base, fragment):
    # given a manager who curates a few of the clients and is granted one more
    manager = UserFactory(login="own", full_name="Свой Менеджер", client_scope="own")
    mine = list(Client.objects.filter(is_private=False).order_by("id")[::7])
    Client.objects.filter(pk__in=[c.pk for c in mine[1:]]).update(curator=manager)
    ClientGrant.objects.create(client=mine[0], user=manager, can_edit=False)
    # when / then
    key = search_key(fragment)
    own = sorted(Client.objects.filter(pk__in=[c.pk for c in mine]), key=lambda c: (c.name_key, c.pk))
    expected = [c.pk for c in own if key in c.name_key or key in c.full_name_key]
    assert _walk(manager, fragment) == expected


@pytest.mark.feature("REG-08")
def test_renamed_client_moves_to_its_new_place_in_the_search(base, admin_user):
    # given
    client = Client.objects.filter(curator=admin_user, is_private=False).first()
    # when it is renamed to the front of the order (digits sort first)
    client_update(acting_user=admin_user, client=client, values={"short_name": "0 Трейдовый Дом",
                                                                 "full_name": "0 Трейдовый Дом"})
    # then it is the first match and the order still holds
    walked = _walk(admin_user, "трейд")
    assert walked[0] == client.pk
    assert walked == _expected(admin_user, "трейд")


@pytest.mark.skipif(connection.vendor != "sqlite", reason="the grouped rowids exist on SQLite only")
def test_name_groups_never_decrease_along_the_name_order(db):
    # given names that differ in every character class the keys can hold
    rng = random.Random(3)
    alphabet = " 0123456789_abcxyzабвеюяéß中"
    keys = sorted({"".join(rng.choice(alphabet) for _ in range(rng.randint(0, 8))) for _ in range(3000)})
    # when their groups are computed by the very SQL the index uses
    from importlib import import_module

    seq = import_module("kontora.clients.migrations.0007_name_ordered_fts").name_seq
    with connection.cursor() as cursor:
        groups = []
        for key in keys:
            cursor.execute(f"SELECT {seq('t')} >> 31 FROM (SELECT %s AS name_key, 1 AS id) t", [key])
            groups.append(cursor.fetchone()[0])
    # then the groups follow the keys' (code point) order
    assert groups == sorted(groups)


@pytest.mark.feature("REG-11", "REG-08")
def test_a_demo_fill_indexes_its_clients_for_the_search_and_keeps_the_search_current_after_it(
    admin_user: Any,
) -> None:
    # given: a client before the fill, then two fills (the second continues the codes)
    before = client_create(acting_user=admin_user, values={"short_name": "ООО Зюзюка", "phone": "+7 911 000-00-01",
                                                           "curator": admin_user})
    demo_fill(clients=150, seed=8)
    demo_fill(clients=50, seed=9)
    # when: a client registered after the fills
    after = client_create(acting_user=admin_user, values={"short_name": "АО Зюзюка", "phone": "+7 911 000-00-02",
                                                          "curator": admin_user})
    # then: every client is found once by a name fragment and by a contact's phone fragment
    assert [c.pk for c in search.search_matches(fetched_by=admin_user, name="зюзюк")] == [after.pk, before.pk]
    clients = Client.objects.filter(is_private=False)
    for sample in (clients.order_by("code")[10], clients.order_by("-code")[3]):
        fragment = sample.name_key[3:8]
        expected = set(clients.filter(name_key__contains=fragment).values_list("pk", flat=True)) | set(
            clients.filter(full_name_key__contains=fragment).values_list("pk", flat=True))
        assert {c.pk for c in search.search_matches(fetched_by=admin_user, name=fragment)} == expected
        contact = ContactPerson.objects.filter(client=sample).order_by("-pk").first()
        assert contact is not None
        assert sample.pk in {c.pk for c in search.search_matches(fetched_by=admin_user,
                                                                 phone=digits(contact.phone_mobile)[2:9])}
    if connection.vendor == "sqlite":
        with connection.cursor() as cursor:
            cursor.execute("SELECT count(*) FROM clients_phone_fts")
            assert cursor.fetchone()[0] == Client.objects.count()
            cursor.execute("SELECT count(*) FROM sqlite_master WHERE type = 'trigger' AND name LIKE 'clients_%_fts_%'")
            assert cursor.fetchone()[0] == 9 + 6  # names and phones (0004, 0007); address and contact names (0011)


@pytest.mark.feature("REG-08", "ACL-02")
@pytest.mark.parametrize("short", [False, True], ids=["indexed fragments", "short fragments"])
def test_a_client_listed_but_not_openable_is_found_by_its_registry_columns_only(admin_user: Any, short: bool) -> None:
    # given a "list all" user and another curator's client with a fax, a contact's mobile and a full name
    viewer = UserFactory(login="viewer", full_name="Смотрящий Списка", client_scope="list_all")
    foreign = _client(admin_user, "ООО Ромашка", phone="+7 (495) 111-22-33", fax="8 (812) 700-00-01",
                      full_name="Общество «Цветочная поляна»")
    contact_create(acting_user=admin_user, client=foreign,
                   values={"full_name": "Иванов Иван", "phone_mobile": "+7 (916) 555-12-34"})
    own = _client(viewer, "АО Своё", full_name="Акционерное общество «Цветок»", fax="8 (812) 700-00-02")
    contact_create(acting_user=viewer, client=own, values={"full_name": "Петров", "phone_mobile": "8 916 555 98 76"})
    fax, mobile, full = ("00-01", "12-34", "ян") if short else ("700-00-01", "555-12-34", "поляна")

    def found(**terms: str) -> list[str]:
        first = search.search_next(fetched_by=viewer, **terms)
        return sorted({c.short_name for c in search.search_matches(fetched_by=viewer, **terms)}
                      | ({first.short_name} if first else set()))

    # when he searches by the card's fax, a contact's mobile and the full name (card data)
    # then the client he may not open is not found: the search is no oracle of its card (issue 11, F2)
    assert found(phone=fax) == [] and found(phone=mobile) == [] and found(name=full) == []
    # while its main phone and short name (registry columns) find it
    assert found(phone="111-22-33") == ["ООО Ромашка"] and found(name="ромаш") == ["ООО Ромашка"]
    # and his own card is found by all of its data
    assert found(phone="00-02") == ["АО Своё"] and found(phone="98-76") == ["АО Своё"]
    assert found(name="цветок") == ["АО Своё"]
    # and a user who opens every card finds the first client by its card data too
    assert _names(admin_user, phone=fax) == ["ООО Ромашка"] and _names(admin_user, name=full) == ["ООО Ромашка"]
