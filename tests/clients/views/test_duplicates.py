"""Duplicate detection on entry (CLI-16) in the card: the check while typing, and the save that asks first."""

from __future__ import annotations

from typing import Any

import pytest

from kontora.clients.models import Client
from tests.accounts.factories import UserFactory
from tests.clients.factories import ClientFactory
from tests.clients.support import VALID_INN, card_post
from tests.support.http import html, signed_in

HX = {"HTTP_HX_REQUEST": "true"}


@pytest.mark.feature("CLI-16")
def test_duplicate_by_inn_while_typing(manager_user: Any, manager_client: Any) -> None:
    # given a client with an INN
    existing = ClientFactory(curator=manager_user, short_name="Сбербанк", inn=VALID_INN)
    # when the same INN is typed on a new card
    response = manager_client.get("/clients/duplicates/", {"inn": "7707 083 893", "short_name": "Сбер"}, **HX)
    # then the existing client is offered with a link to its card
    page = html(response)
    assert f'<a href="/clients/{existing.pk}/"' in page
    assert "1 · Сбербанк" in page and "тот же ИНН" in page


@pytest.mark.feature("CLI-16")
def test_listed_but_not_openable_duplicate_has_no_link(manager_user: Any) -> None:
    # given a "list all" user and another user's client
    existing = ClientFactory(curator=UserFactory(login="other"), short_name="Чужой", inn=VALID_INN)
    viewer = UserFactory(login="viewer", client_scope="list_all")
    # when they check the name (a registry column: the INN is card data they may not compare, issue 10)
    page = html(signed_in(viewer).get("/clients/duplicates/", {"short_name": "Чужой"}, **HX))
    # then the client is named without a link to a card they may not open
    assert "1 · Чужой" in page and f'href="/clients/{existing.pk}/"' not in page


@pytest.mark.feature("CLI-16")
def test_saving_with_duplicates_asks_for_confirmation(manager_user: Any, manager_client: Any) -> None:
    # given an existing client
    ClientFactory(curator=manager_user, short_name="Ромашка", inn=VALID_INN)
    data = card_post(short_name="Ромашка-2", inn=VALID_INN, curator=manager_user.pk)
    # when a new card with the same INN is saved
    first = manager_client.post("/clients/new/", data)
    # then it is not saved yet: the duplicates and a "save anyway" box are shown
    page = html(first)
    assert first.status_code == 200 and Client.objects.count() == 1
    assert "Похожие клиенты уже зарегистрированы (см. ниже)." in page
    assert 'data-testid="client-duplicates"' in page and 'name="save_anyway"' in page
    # when it is saved again with "save anyway"
    second = manager_client.post("/clients/new/", {**data, "save_anyway": "on"})
    # then the second client is registered
    assert second.status_code == 302 and Client.objects.count() == 2


@pytest.mark.feature("CLI-16")
def test_resaving_a_card_does_not_report_itself(manager_user: Any, manager_client: Any) -> None:
    # given a client
    client = ClientFactory(curator=manager_user, short_name="Ромашка", inn=VALID_INN, phone="+7 495 123-45-67")
    # when its card is saved with a changed name
    response = manager_client.post(f"/clients/{client.pk}/", card_post(
        short_name="Ромашка плюс", inn=VALID_INN, phone="+7 495 123-45-67", curator=manager_user.pk,
    ))
    # then it is saved without asking
    assert response.status_code == 302
    client.refresh_from_db()
    assert client.short_name == "Ромашка плюс"
