"""Fixtures of the clients' tests."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from django.utils import translation

from kontora.clients import hooks
from kontora.clients.models import Client
from kontora.core.text import search_key
from kontora.directories.models import Attribute, Bank
from tests.accounts.factories import UserFactory
from tests.clients.factories import ClientFactory
from tests.clients.support import SBER_BIK, SBER_CORR, attribute_option, make_attribute


@pytest.fixture(autouse=True)
def _russian() -> Iterator[None]:
    """Services called outside a request write their texts (history rows) in the active language: the product's
    Russian, whatever an earlier test left active in the thread (the sign-in activates the user's language)."""
    with translation.override("ru"):
        yield


@pytest.fixture
def curator(db: Any) -> Any:
    """A manager limited to own clients: what a card's curator sees and may do."""
    return UserFactory(login="curator", full_name="Куратор Кураторов", client_scope="own")


@pytest.fixture
def attrs(db: Any) -> dict[str, Any]:
    """Custom attributes of every kind (DIR-06), one of them inactive."""
    car = make_attribute(Attribute.Kind.DIRECTORY, "Тип автомобиля", order=1)
    return {
        "car": car, "truck": attribute_option(car, "грузовой"), "sedan": attribute_option(car, "легковой"),
        "tonnage": make_attribute(Attribute.Kind.NUMBER, "Тоннажность", order=2),
        "since": make_attribute(Attribute.Kind.DATE, "Клиент с", order=3),
        "vip": make_attribute(Attribute.Kind.FLAG, "VIP", order=4),
        "old": make_attribute(Attribute.Kind.TEXT, "Устаревший признак", active=False),
    }


@pytest.fixture
def staff(db: Any) -> dict[str, Any]:
    """The people of a hand-over (ACL-05): the leaving and the coming curator and specialist, and a bystander."""
    return {
        "leaving": UserFactory(login="leaving", full_name="Уходящий Куратор"),
        "coming": UserFactory(login="coming", full_name="Новый Куратор"),
        "spec_old": UserFactory(login="specold", full_name="Старый Специалист"),
        "spec_new": UserFactory(login="specnew", full_name="Новый Специалист"),
        "other": UserFactory(login="other", full_name="Другой Менеджер"),
    }


@pytest.fixture
def journal() -> Iterator[dict[str, bool]]:
    """A journal a later feature would register: companies only, shown while its switch is on."""
    switch = {"on": True}
    tab = hooks.CardTab("test-journal", "Журнал испытаний", "clients:files", order=200,
                            kinds=frozenset({Client.Kind.COMPANY}), predicate=lambda user, client: switch["on"])
    hooks.CARD_TABS.register(tab)
    yield switch
    hooks.CARD_TABS.unregister(tab.code)


@pytest.fixture
def client_card(curator: Any) -> Client:
    """The curator's company card (the Files tab's tests)."""
    return ClientFactory(curator=curator, short_name="Ромашка")


@pytest.fixture
def sber(db: Any) -> Bank:
    """The Sberbank in Directories → Banks (its BIK fills the bank's name and correspondent account, CLI-07)."""
    return Bank.objects.create(bik=SBER_BIK, name="ПАО Сбербанк", name_key=search_key("ПАО Сбербанк"),
                               corr_account=SBER_CORR, city="г. Москва")


# --- the registry side (the registry, search, exports, the Flexi-filter) ------------------------------------


@pytest.fixture
def two_managers(db: Any) -> tuple[Any, Any]:
    """Two managers in the "own" mode, each the curator of own clients."""
    return (UserFactory(login="m1", full_name="Первый Менеджер"), UserFactory(login="m2", full_name="Второй Менеджер"))


@pytest.fixture
def colleagues(db: Any) -> tuple[Any, Any, Any]:
    """Two managers and a supervisor; every one sees all clients (full mode) unless a test says otherwise."""
    return (
        UserFactory(login="m1", full_name="Первый Менеджер", client_scope="full"),
        UserFactory(login="m2", full_name="Второй Менеджер", client_scope="full"),
        UserFactory(login="boss", full_name="Начальник Отдела", role="supervisor", client_scope="full"),
    )


@pytest.fixture
def colleague(db: Any) -> Any:
    """Another user who sees every client (full mode)."""
    return UserFactory(login="colleague", full_name="Ольга Коллегова", client_scope="full")
