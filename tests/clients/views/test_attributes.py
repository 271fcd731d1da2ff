"""The card's Attributes tab (CLI-03, DIR-06): the active custom attributes are a part of the card's one form (their
pane loads when the tab is shown), saved with the card in one transaction and recorded in its history."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

import pytest

from kontora.clients.models import Client, ClientGrant
from kontora.directories.attributes import selectors
from kontora.directories.attributes.services import field_name
from kontora.directories.models import Attribute, AttributeValue
from tests.accounts.factories import UserFactory
from tests.clients.factories import ClientFactory
from tests.clients.support import card_history, card_post, card_submit, make_attribute
from tests.support.http import html, signed_in


def f(attribute: Attribute) -> str:
    return field_name(attribute.pk)


@pytest.mark.feature("CLI-03")
def test_card_has_no_attributes_tab_without_active_attributes(manager_user: Any, manager_client: Any) -> None:
    make_attribute(Attribute.Kind.TEXT, "Неактивный", active=False)
    client = ClientFactory(curator=manager_user, short_name="Ромашка")
    assert 'data-testid="tab-attributes"' not in html(manager_client.get(f"/clients/{client.pk}/"))


@pytest.mark.feature("CLI-03")
@pytest.mark.feature("DIR-06")
def test_card_shows_the_active_attributes_on_their_tab(
    manager_user: Any, manager_client: Any, attrs: dict[str, Any],
) -> None:
    client = ClientFactory(curator=manager_user, short_name="Ромашка")
    card = html(manager_client.get(f"/clients/{client.pk}/"))
    assert 'data-testid="tab-attributes">Признаки<' in card
    assert f'hx-get="/clients/{client.pk}/attributes/"' in card
    pane = html(manager_client.get(f"/clients/{client.pk}/attributes/"))
    for name in ("car", "tonnage", "since", "vip"):
        assert f'name="{f(attrs[name])}"' in pane
    assert f'name="{f(attrs["old"])}"' not in pane and "Устаревший признак" not in pane


@pytest.mark.feature("CLI-03")
@pytest.mark.feature("DIR-06")
def test_attributes_are_saved_with_the_card_and_recorded_in_history(
    manager_user: Any, manager_client: Any, attrs: dict[str, Any],
) -> None:
    # given a client whose car type is "truck"
    client = ClientFactory(curator=manager_user, short_name="Ромашка")
    AttributeValue.objects.create(client_id=client.pk, attribute=attrs["car"], option=attrs["truck"])
    # when the card is saved with other attribute values typed on the tab
    response = card_submit(manager_client, client, {
        f(attrs["car"]): attrs["sedan"].pk, f(attrs["tonnage"]): "3,5", f(attrs["since"]): "2020-01-15",
        f(attrs["vip"]): True}, tabs=["attributes"])
    # then they are stored
    assert response.status_code == 302
    values = selectors.attribute_values_for(client.pk)
    assert values[attrs["car"].pk] == attrs["sedan"]
    assert values[attrs["tonnage"].pk] == Decimal("3.5")
    assert values[attrs["since"].pk] == date(2020, 1, 15)
    assert values[attrs["vip"].pk] is True
    # and the history shows each label with its old and new value
    change = card_history(client).first()
    assert change is not None and change.summary == "Карточка изменена"
    assert {"field": "Тип автомобиля", "old": "грузовой", "new": "легковой"} in change.changes
    assert {"field": "VIP", "old": "", "new": "✓"} in change.changes
    # and the tab shows the saved values again
    pane = html(manager_client.get(f"/clients/{client.pk}/attributes/"))
    assert f'<option value="{attrs["sedan"].pk}" selected>' in pane


@pytest.mark.feature("CLI-03")
def test_new_card_saves_its_attributes(manager_user: Any, manager_client: Any, attrs: dict[str, Any]) -> None:
    manager_client.post("/clients/new/", card_post(short_name="Лютик", **{f(attrs["car"]): attrs["truck"].pk}))
    client = Client.objects.get()
    assert selectors.attribute_values_for(client.pk) == {attrs["car"].pk: attrs["truck"]}
    change = card_history(client).get()
    assert change.summary == "Карточка зарегистрирована"
    assert {"field": "Тип автомобиля", "old": "", "new": "грузовой"} in change.changes


@pytest.mark.feature("CLI-03")
def test_bad_attribute_value_is_shown_at_its_field_and_nothing_is_saved(
    manager_user: Any, manager_client: Any, attrs: dict[str, Any],
) -> None:
    client = ClientFactory(curator=manager_user, short_name="Ромашка")
    response = manager_client.post(f"/clients/{client.pk}/", card_post(short_name="Ромашка-2", **{
        f(attrs["tonnage"]): "много", f(attrs["car"]): attrs["truck"].pk}))
    assert response.status_code == 200
    assert f'data-testid="error-{f(attrs["tonnage"])}"' in html(response)
    client.refresh_from_db()
    assert client.short_name == "Ромашка" and not AttributeValue.objects.exists()


@pytest.mark.feature("CLI-03")
def test_open_all_user_edits_attributes_of_others_clients(manager_user: Any, attrs: dict[str, Any]) -> None:
    # attributes are information, not main data: "open all" may change them on a colleague's client
    client = ClientFactory(curator=manager_user, short_name="Ромашка")
    viewer = signed_in(UserFactory(login="viewer", client_scope="open_all"))
    response = viewer.post(f"/clients/{client.pk}/", card_post(short_name="Ромашка", **{f(attrs["vip"]): "on"}))
    assert response.status_code == 302
    assert selectors.attribute_values_for(client.pk) == {attrs["vip"].pk: True}


@pytest.mark.feature("CLI-03")
def test_view_only_user_sees_attributes_disabled_and_cannot_save(manager_user: Any, attrs: dict[str, Any]) -> None:
    client = ClientFactory(curator=manager_user, short_name="Ромашка")
    reader = UserFactory(login="reader", client_scope="own")
    ClientGrant.objects.create(client=client, user=reader, can_edit=False)
    browser = signed_in(reader)
    card = html(browser.get(f"/clients/{client.pk}/"))
    assert 'data-testid="tab-attributes"' in card
    # the attribute is shown as its value in text, with no input to type into
    pane = html(browser.get(f"/clients/{client.pk}/attributes/"))
    assert f'data-testid="value-{f(attrs["tonnage"])}"' in pane and f'name="{f(attrs["tonnage"])}"' not in pane
    response = browser.post(f"/clients/{client.pk}/", card_post(short_name="Ромашка", **{f(attrs["vip"]): "on"}))
    assert response.status_code == 403
    assert not AttributeValue.objects.exists()
