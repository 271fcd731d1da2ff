"""Shift+F walks the matches in exactly the registry's name order, through the fast paths of both databases.

SQLite reads the name index in groups (migration 0007); PostgreSQL the narrow name table in batches (0008).
Either must give the same sequence as sorting every visible match, which is what these tests compare against.
"""

from __future__ import annotations

import random
from typing import Any

import pytest
from django.db import connection

from kontora.clients import search
from kontora.clients.models import Client
from kontora.clients.services.card import client_create, client_update
from kontora.core.text import search_key
from tests.accounts.factories import UserFactory

pytestmark = pytest.mark.django_db

FORMS = ["ООО", "АО", "ИП", "ЗАО", "", "1С", "ПАО"]
ROOTS = ["Трейд", "Гранит", "Ёлка", "трейдинг", "Снаб", "Альфа", "Яблоко", "Zeta", "Омега Трейд", "Б"]


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
    from kontora.clients.models import ClientGrant

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
