"""Duplicate detection on entry (CLI-16): same INN, same name, same phone — only among clients the user sees."""

from __future__ import annotations

from typing import Any

import pytest

from kontora.clients.duplicates import find_duplicates, phone_keys
from kontora.clients.models import Client
from kontora.clients.services import card as services
from tests.accounts.factories import UserFactory
from tests.support.http import signed_in
from tests.test_client_card import VALID_INN, card_post, html, make_client, make_private

HX = {"HTTP_HX_REQUEST": "true"}


@pytest.mark.feature("CLI-16")
def test_duplicate_by_inn_while_typing(manager_user: Any, manager_client: Any) -> None:
    # given a client with an INN
    existing = make_client(manager_user, "Сбербанк", inn=VALID_INN)
    # when the same INN is typed on a new card
    response = manager_client.get("/clients/duplicates/", {"inn": "7707 083 893", "short_name": "Сбер"}, **HX)
    # then the existing client is offered with a link to its card
    page = html(response)
    assert f'<a href="/clients/{existing.pk}/"' in page
    assert "1 · Сбербанк" in page and "тот же ИНН" in page


@pytest.mark.feature("CLI-16")
def test_duplicate_by_folded_name(manager_user: Any) -> None:
    # given «Ёлка»
    existing = make_client(manager_user, "ООО «Ёлка»")
    # when "ооо елка" is checked
    found = find_duplicates(user=manager_user, short_name='ооо "ЕЛКА"')
    # then it is found by the normalised name
    assert [(d.client, d.reasons) for d in found] == [(existing, ["то же наименование"])]


@pytest.mark.feature("CLI-16")
def test_duplicate_by_client_or_contact_phone(manager_user: Any) -> None:
    # given a client phone and a contact person's mobile elsewhere
    by_phone = make_client(manager_user, "Альфа", phone="+7 (495) 123-45-67")
    by_contact = make_client(manager_user, "Бета")
    services.contact_create(acting_user=manager_user, client=by_contact,
                            values={"full_name": "Петров", "phone_mobile": "8 916 000-11-22"})
    # when the same numbers are typed differently
    found = find_duplicates(user=manager_user, phones=("8 495 1234567, +7 (916) 000 11 22",))
    # then both are found; a short number is not matched
    assert {d.client for d in found} == {by_phone, by_contact}
    assert all(d.reasons == ["тот же телефон"] for d in found)
    assert find_duplicates(user=manager_user, phones=("12-34",)) == []
    assert phone_keys("+7 (495) 123-45-67; 8 916 000-11-22") == ["4951234567", "9160001122"]


@pytest.mark.feature("CLI-16")
@pytest.mark.feature("ACL-03")
def test_private_client_of_another_curator_is_never_a_duplicate(manager_user: Any, admin_user: Any) -> None:
    # given someone's private client with an INN, name and phone
    owner = UserFactory(login="owner", client_scope="full")
    make_private(make_client(owner, "Секрет", inn=VALID_INN, phone="+7 495 123-45-67"))
    # when other users (the administrator too) check the same values
    for user in (manager_user, admin_user):
        found = find_duplicates(user=user, inn=VALID_INN, short_name="Секрет", phones=("84951234567",))
        # then nothing is shown
        assert found == []
    page = html(signed_in(admin_user).get("/clients/duplicates/", {"inn": VALID_INN, "short_name": "Секрет"}, **HX))
    assert "Секрет" not in page and 'data-testid="client-duplicates"' not in page
    # while the curator sees it
    assert len(find_duplicates(user=owner, inn=VALID_INN)) == 1


@pytest.mark.feature("CLI-16")
def test_duplicate_only_among_visible_clients(manager_user: Any) -> None:
    # given a client of another manager, the viewer limited to own clients
    make_client(UserFactory(login="other"), "Чужой", inn=VALID_INN)
    # when the manager checks its INN
    # then it is not shown (they do not see it in the registry either)
    assert find_duplicates(user=manager_user, inn=VALID_INN) == []


@pytest.mark.feature("CLI-16")
def test_listed_but_not_openable_duplicate_has_no_link(manager_user: Any) -> None:
    # given a "list all" user and another user's client
    existing = make_client(UserFactory(login="other"), "Чужой", inn=VALID_INN)
    viewer = UserFactory(login="viewer", client_scope="list_all")
    # when they check the INN
    page = html(signed_in(viewer).get("/clients/duplicates/", {"inn": VALID_INN}, **HX))
    # then the client is named without a link to a card they may not open
    assert "1 · Чужой" in page and f'href="/clients/{existing.pk}/"' not in page


@pytest.mark.feature("CLI-16")
def test_saving_with_duplicates_asks_for_confirmation(manager_user: Any, manager_client: Any) -> None:
    # given an existing client
    make_client(manager_user, "Ромашка", inn=VALID_INN)
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
    client = make_client(manager_user, "Ромашка", inn=VALID_INN, phone="+7 495 123-45-67")
    # when its card is saved with a changed name
    response = manager_client.post(f"/clients/{client.pk}/", card_post(
        short_name="Ромашка плюс", inn=VALID_INN, phone="+7 495 123-45-67", curator=manager_user.pk,
    ))
    # then it is saved without asking
    assert response.status_code == 302
    client.refresh_from_db()
    assert client.short_name == "Ромашка плюс"
