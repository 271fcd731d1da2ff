"""`kontora demo`: a deterministic demonstration base with valid requisites."""

from __future__ import annotations

from typing import Any

import pytest

from kontora.accounts.models import User
from kontora.clients.demo import demo_fill
from kontora.clients.models import Client, ContactPerson
from kontora.core import requisites
from kontora.core.text import digits, search_key
from kontora.directories.models import Settlement


def _snapshot() -> list[tuple[Any, ...]]:
    return list(Client.objects.order_by("code").values_list(
        "short_name", "inn", "kpp", "ogrn", "phone", "settlement_id", "curator__login", "is_private"))


@pytest.mark.django_db
def test_demo_fills_n_clients_with_valid_requisites_and_search_keys():
    # given: the initial base has its settlements directory
    assert Settlement.objects.exists()
    # when
    result = demo_fill(clients=1_000, seed=5)
    # then
    assert result.clients == Client.objects.count() == 1_000
    assert list(Client.objects.order_by("code").values_list("code", flat=True)) == list(range(1, 1_001))
    for client in Client.objects.select_related("settlement"):
        assert requisites.validate_inn(client.inn) == client.inn
        if client.kind == Client.Kind.COMPANY:
            assert requisites.validate_kpp(client.kpp) == client.kpp
            assert requisites.validate_ogrn(client.ogrn) == client.ogrn
        else:
            assert requisites.validate_ogrnip(client.ogrn) == client.ogrn
        assert client.name_key == search_key(client.short_name)
        assert client.full_name_key == search_key(client.full_name)
        assert client.phone_digits == digits(client.phone) and len(client.phone_digits) == 11
        assert client.settlement is not None and client.city_key == search_key(client.settlement.name)
    per_client = ContactPerson.objects.values("client").distinct().count()
    assert per_client == 1_000
    assert 1_000 <= ContactPerson.objects.count() <= 3_000
    assert 0 < Client.objects.filter(is_private=True).count() <= 25  # 1 % of 1,000, give or take


@pytest.mark.django_db
def test_demo_spreads_clients_over_50_demo_managers_who_cannot_sign_in():
    # when
    demo_fill(clients=500, seed=2)
    # then
    demo = User.objects.filter(login__startswith="demo")
    assert demo.count() == 50
    assert {u.role for u in demo} == {"manager"}
    assert not any(u.has_usable_password() for u in demo)
    assert Client.objects.values("curator").distinct().count() == 50


@pytest.mark.django_db
def test_demo_is_deterministic_for_a_seed_and_continues_the_codes():
    # given
    demo_fill(clients=200, seed=11)
    first = _snapshot()
    Client.objects.all().delete()
    # when
    demo_fill(clients=200, seed=11)
    again = _snapshot()
    demo_fill(clients=10, seed=12)
    # then: the same clients; codes never given twice, not even those of deleted clients
    assert again == first
    assert list(Client.objects.order_by("code").values_list("code", flat=True)) == list(range(201, 411))


@pytest.mark.django_db
def test_demo_command_line(capsys):
    # when
    from kontora.cli import main

    code = main(["demo", "--clients", "20", "--seed", "3", "--password", "Demo-pass-2026"])
    # then
    assert code == 0
    assert "added 20 clients (codes from 1)" in capsys.readouterr().out
    assert User.objects.get(login="demo01").check_password("Demo-pass-2026")
