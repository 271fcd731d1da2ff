"""Extended search, Shift+F (REG-08) and private clients in it (ACL-03); runs on SQLite and PostgreSQL alike."""

from __future__ import annotations

from typing import Any

import pytest
from django.urls import reverse

from kontora.clients import search
from kontora.clients.demo import demo_fill
from kontora.clients.models import Client
from kontora.clients.services.card import client_create, client_update, contact_create, contact_delete, contact_update
from tests.accounts.factories import UserFactory
from tests.support.http import signed_in

pytestmark = pytest.mark.django_db


def _client(acting: Any, short_name: str, *, curator: Any = None, **values: Any) -> Client:
    return client_create(acting_user=acting, values={"short_name": short_name, "curator": curator or acting, **values})


def _names(user: Any, *, name: str = "", phone: str = "") -> list[str]:
    return [c.short_name for c in search.search_matches(fetched_by=user, name=name, phone=phone)]


@pytest.fixture
def colleague(db: Any) -> Any:
    return UserFactory(login="colleague", full_name="Ольга Коллегова", client_scope="full")


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


@pytest.mark.feature("REG-08")
def test_start_and_next_answer_with_the_found_client(admin_user: Any) -> None:
    # given
    first = _client(admin_user, "АО Ромашка")
    second = _client(admin_user, "ООО Ромашка")
    browser = signed_in(admin_user)
    url = reverse("clients:search_find")
    # when
    start = browser.get(url, {"name": "ромаш", "phone": "", "after": ""})
    following = browser.get(url, {"name": "ромаш", "after": first.pk})
    beyond = browser.get(url, {"name": "ромаш", "after": second.pk})
    # then
    assert f"Найден клиент: {first.code} · АО Ромашка" in start.content.decode()
    assert f"Найден клиент: {second.code} · ООО Ромашка" in following.content.decode()
    assert "Больше совпадений нет. Нажмите «Старт...», чтобы искать с начала." in beyond.content.decode()


@pytest.mark.feature("REG-08")
def test_an_empty_search_asks_for_a_fragment_and_nothing_found_says_so(admin_user: Any) -> None:
    # given
    _client(admin_user, "ООО Ромашка")
    browser = signed_in(admin_user)
    url = reverse("clients:search_find")
    # when
    empty = browser.get(url, {"name": "  ", "phone": "--"})
    missing = browser.get(url, {"name": "лютик"})
    # then
    assert "Введите фрагмент названия или номера телефона." in empty.content.decode()
    assert "Клиенты не найдены." in missing.content.decode()


@pytest.mark.feature("REG-08")
def test_the_registry_jumps_to_the_found_client(admin_user: Any) -> None:
    # given
    names = ["АО Альфа", "ООО Ромашка", "ООО Ромашка", "ООО Яблоко"]
    clients = [_client(admin_user, n) for n in names]
    browser = signed_in(admin_user)
    # when
    response = browser.get(reverse("clients:search_jump"), {"id": clients[2].pk})
    # then
    html = response.content.decode()
    assert html.index(f'data-id="{clients[2].pk}"') < html.index(f'data-id="{clients[3].pk}"')
    assert f'data-id="{clients[1].pk}"' not in html
    assert 'k-focus' in html.split(f'data-id="{clients[2].pk}"')[1].split(">")[0]


@pytest.mark.feature("REG-08")
@pytest.mark.feature("ACL-03")
def test_the_jump_never_shows_a_private_client_of_another_curator(admin_user: Any, colleague: Any) -> None:
    # given
    secret = _client(admin_user, "ООО Тайна", curator=colleague)
    Client.objects.filter(pk=secret.pk).update(is_private=True)
    browser = signed_in(admin_user)
    # when
    response = browser.get(reverse("clients:search_jump"), {"id": secret.pk})
    # then
    assert "ООО Тайна" not in response.content.decode()


def test_the_registry_offers_the_extended_search_on_shift_f(admin_user: Any) -> None:
    # given
    browser = signed_in(admin_user)
    # when
    html = browser.get(reverse("core:home")).content.decode()
    # then
    assert 'data-key="Shift+F"' in html
    assert "Расширенный поиск (Shift+F)" in html
