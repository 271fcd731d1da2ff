"""Extended search, Shift+F (REG-08), through its views: Start, Next >>, the registry's jump to the found client;
private clients of others never (ACL-03)."""

from __future__ import annotations

from typing import Any

import pytest
from django.urls import reverse

from kontora.clients.models import Client
from kontora.clients.services.card import client_create
from tests.support.http import signed_in
from tests.support.queries import count_queries

pytestmark = pytest.mark.django_db


def _client(acting: Any, short_name: str, *, curator: Any = None, **values: Any) -> Client:
    return client_create(acting_user=acting, values={"short_name": short_name, "curator": curator or acting, **values})


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
    # given: another curator's private client, and beside it an open client and the administrator's own private one
    secret = _client(admin_user, "ООО Тайна", curator=colleague)
    Client.objects.filter(pk=secret.pk).update(is_private=True)
    open_one = _client(admin_user, "ООО Тайна открытая", curator=colleague)
    own_secret = _client(admin_user, "ООО Тайна своя")
    Client.objects.filter(pk=own_secret.pk).update(is_private=True)
    browser = signed_in(admin_user)
    # when
    response = browser.get(reverse("clients:search_jump"), {"id": secret.pk})
    shown = {client.pk: browser.get(reverse("clients:search_jump"), {"id": client.pk}).content.decode()
             for client in (open_one, own_secret)}
    # then: the private client of another curator is in no answer
    html = response.content.decode()
    assert "ООО Тайна<" not in html and f'data-id="{secret.pk}"' not in html
    assert all(f'data-id="{secret.pk}"' not in page for page in shown.values())
    # and the same jump shows a client the administrator sees, open or his own private one, under the cursor
    for client, name in ((open_one, "ООО Тайна открытая"), (own_secret, "ООО Тайна своя")):
        page = shown[client.pk]
        assert f">{name}<" in page
        assert "k-focus" in page.split(f'data-id="{client.pk}"')[1].split(">")[0]


@pytest.mark.feature("REG-08")
def test_the_answers_of_start_and_of_the_jump_read_as_many_queries_for_many_matches_as_for_few(
    admin_user: Any,
) -> None:
    # given: ten clients whose names match
    def add(count: int, start: int) -> None:
        for i in range(start, start + count):
            _client(admin_user, f"ООО Ромашка {i:03d}", phone=f"+7 495 100-{i:04d}")

    add(10, 0)
    browser = signed_in(admin_user)
    browser.get(reverse("core:home"))  # the first request after signing in writes (session, last seen)

    def measure() -> tuple[tuple[int, int, int], int]:
        first = Client.objects.order_by("name_key", "id").first()
        assert first is not None
        with count_queries() as start:
            assert "Найден клиент" in browser.get(reverse("clients:search_find"), {"name": "ромаш"}).content.decode()
        with count_queries() as following:
            assert "Найден клиент" in browser.get(reverse("clients:search_find"),
                                                  {"name": "ромаш", "after": first.pk}).content.decode()
        with count_queries() as jump:
            html = browser.get(reverse("clients:search_jump"), {"id": first.pk}).content.decode()
        return (len(start), len(following), len(jump)), html.count("data-row ")

    few, few_rows = measure()
    # when forty more match
    add(40, 10)
    many, many_rows = measure()
    # then
    assert (few_rows, many_rows) == (10, 50)
    assert many == few


def test_the_registry_offers_the_extended_search_on_shift_f(admin_user: Any) -> None:
    # given
    browser = signed_in(admin_user)
    # when
    html = browser.get(reverse("core:home")).content.decode()
    # then
    assert 'data-key="Shift+F"' in html
    assert "Расширенный поиск (Shift+F)" in html


@pytest.mark.feature("REG-08")
def test_a_fragment_longer_than_any_name_is_refused_with_a_message(curator: Any) -> None:
    # given a manager limited to his own clients (his search is a LIKE, which SQLite refused past 50 KB: a 500)
    _client(curator, "ООО Ромашка")
    browser = signed_in(curator)
    url = reverse("clients:search_find")
    # when he searches by a 1 MB name or phone, and by a name of 200 characters
    refused = [browser.get(url, {"name": "ромашка" * 150_000}), browser.get(url, {"phone": "7" * 1_000_000})]
    longest = browser.get(url, {"name": "ромашка" + "а" * 193})
    # then the long ones are refused with a message, the 200 characters are searched (and found nothing)
    assert [answer.status_code for answer in refused] == [200, 200]
    assert all("Фрагмент слишком длинный: не более 200 символов." in answer.content.decode() for answer in refused)
    answer = longest.content.decode()
    assert "Фрагмент слишком длинный" not in answer and "Найден клиент" not in answer
