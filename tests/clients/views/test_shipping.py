"""The card's "Shipping requisites" tab: consignee, checks, "Consignee = this client", the toggle (CLI-11)."""

from __future__ import annotations

from typing import Any

import pytest

from kontora.clients.models import Client, ClientGrant, ClientShipping
from kontora.core.selectors.settings import system_settings
from kontora.directories.models import Settlement
from tests.accounts.factories import UserFactory
from tests.clients.factories import ClientFactory
from tests.clients.support import VALID_INN, card_history, card_post, card_submit, make_private
from tests.support.http import html, signed_in

FULL = {
    "consignee": "ООО «Ромашка-Склад»", "consignee_inn": "7707 083 893", "consignee_kpp": "770701001",
    "consignee_address": "Москва, ул. Складская, 1", "delivery_address": "Москва, ул. Приёмная, 5",
    "shipment_terms": "Самовывоз по пятницам", "products": "Оптовый покупатель бытовой химии",
    "carrier": "ТК «Быстро»", "transport": "Фура 20 т", "receiver_contact": "Кладовщик Сидоров",
}


@pytest.fixture
def card(curator: Any) -> Client:
    return ClientFactory(curator=curator, short_name="Ромашка", full_name="ООО «Ромашка»", inn=VALID_INN,
                         kpp="770701001", address="ул. Ленина, 1", postal_code="101000")


def save(browser: Any, client: Client, **values: str) -> Any:
    """The user opens the Shipping tab, types `values` and presses the card's Apply."""
    return card_submit(browser, client, {f"sh-{k}": v for k, v in values.items()}, tabs=["shipping"])


def forged(browser: Any, client: Client, **values: str) -> Any:
    """The card's form posted with shipping fields by someone the page does not offer them to."""
    return browser.post(f"/clients/{client.pk}/", card_post(
        short_name=client.short_name, full_name=client.full_name, **{f"sh-{k}": v for k, v in values.items()}))


@pytest.mark.feature("CLI-11")
def test_shipping_requisites_are_saved_normalised_with_history(curator: Any, card: Client) -> None:
    # given the curator on the Shipping tab
    browser = signed_in(curator)
    assert browser.get(f"/clients/{card.pk}/shipping/").status_code == 200
    # when every field is filled in and saved
    response = save(browser, card, **FULL)
    # then the row holds them, the INN without spaces
    row = ClientShipping.objects.get(client=card)
    assert {name: getattr(row, name) for name in FULL} == {**FULL, "consignee_inn": VALID_INN}
    assert response.status_code == 302
    assert "Клиент «1 · Ромашка» сохранён." in html(browser.get(response["Location"]))
    # and the history lists what changed
    change = card_history(card).get(summary="Изменены отгрузочные реквизиты")
    assert {"field": "Грузополучатель", "old": "", "new": "ООО «Ромашка-Склад»"} in change.changes
    assert len(change.changes) == len(FULL)


@pytest.mark.feature("CLI-11")
@pytest.mark.parametrize(("values", "field", "message"), [
    ({"consignee_inn": "7707083894"}, "consignee_inn", "ИНН: неверное контрольное число"),
    ({"consignee_inn": "12345"}, "consignee_inn",
     "ИНН должен состоять из 10 цифр (организация) или 12 цифр (ИП, физическое лицо)"),
    ({"consignee_inn": VALID_INN, "consignee_kpp": "77-07"}, "consignee_kpp",
     "КПП должен состоять из 9 знаков: 4 цифры, 2 цифры или заглавные латинские буквы, 3 цифры"),
    ({"consignee_inn": "", "consignee_kpp": "770701001"}, "consignee_inn",
     "Укажите и ИНН грузополучателя: по одному КПП получателя не определить."),
])
def test_bad_consignee_requisites_are_refused_and_nothing_is_saved(
    curator: Any, card: Client, values: dict[str, str], field: str, message: str,
) -> None:
    # given the curator
    browser = signed_in(curator)
    # when the whole tab is saved with one bad requisite
    response = save(browser, card, **{**FULL, **values})
    page = html(response)
    # then its message stands under its field, in the pane drawn into the card, and no field at all is stored
    assert response.status_code == 200
    assert f'data-testid="error-{field}">{message}</div>' in page
    error_at = page.index(f'data-testid="error-{field}"')
    assert page.index(' id="tab-shipping"') < error_at < page.index(' id="tab-service"')
    assert not ClientShipping.objects.exists()
    # and what was typed stays in the form
    assert "ТК «Быстро»" in page


@pytest.mark.feature("CLI-11")
def test_empty_requisites_are_allowed(curator: Any, card: Client) -> None:
    browser = signed_in(curator)
    save(browser, card, consignee="Частное лицо", delivery_address="Тверь")
    row = ClientShipping.objects.get(client=card)
    assert (row.consignee, row.consignee_inn, row.consignee_kpp, row.delivery_address) == (
        "Частное лицо", "", "", "Тверь")


@pytest.mark.feature("CLI-11")
def test_consignee_is_this_client_copies_the_cards_requisites(curator: Any, card: Client) -> None:
    # given a card in a city, and a carrier already typed on the tab
    city = Settlement.objects.select_related("region").first()
    if city is not None:
        Client.objects.filter(pk=card.pk).update(settlement=city, region=city.region)
    browser = signed_in(curator)
    # when "Consignee = this client" is pressed
    page = html(browser.post(f"/clients/{card.pk}/shipping/from-card/", {"sh-carrier": "ТК «Быстро»"}))
    # then the consignee fields hold the card's name, INN, KPP and address, the typed carrier stays
    address = ", ".join(part for part in ("101000", city.name if city else "", "ул. Ленина, 1") if part)
    assert 'value="ООО «Ромашка»"' in page.replace("&laquo;", "«").replace("&raquo;", "»")
    assert f'value="{VALID_INN}"' in page and 'value="770701001"' in page
    assert f'value="{address}"' in page and "ТК «Быстро»" in page.replace("&laquo;", "«").replace("&raquo;", "»")
    # and nothing is saved until the card's OK or Apply
    assert not ClientShipping.objects.exists()


@pytest.mark.feature("CLI-11")
def test_a_view_only_user_cannot_change_shipping(curator: Any, card: Client) -> None:
    reader = UserFactory(login="reader", client_scope="own")
    ClientGrant.objects.create(client=card, user=reader, can_edit=False)
    browser = signed_in(reader)
    page = html(browser.get(f"/clients/{card.pk}/shipping/"))
    assert 'data-testid="shipping-read-only"' in page and 'data-testid="shipping-from-card"' not in page
    assert 'data-testid="value-consignee"' in page and 'name="sh-consignee"' not in page
    assert forged(browser, card, consignee="x").status_code == 403
    assert browser.post(f"/clients/{card.pk}/shipping/from-card/").status_code == 403
    assert not ClientShipping.objects.exists()


@pytest.mark.feature("CLI-11")
def test_with_the_tab_switched_off_it_is_absent_and_its_urls_are_404(curator: Any, card: Client) -> None:
    browser = signed_in(curator)
    assert 'data-testid="tab-shipping"' in html(browser.get(f"/clients/{card.pk}/"))
    settings_row = system_settings()
    settings_row.shipping_tab_enabled = False
    settings_row.save()
    assert 'data-testid="tab-shipping"' not in html(browser.get(f"/clients/{card.pk}/"))
    assert browser.get(f"/clients/{card.pk}/shipping/").status_code == 404
    # the card's form posted with shipping fields saves the card and leaves them alone
    assert forged(browser, card, consignee="x").status_code == 302
    assert browser.post(f"/clients/{card.pk}/shipping/from-card/").status_code == 404
    assert not ClientShipping.objects.exists()


@pytest.mark.feature("CLI-11")
def test_shipping_urls_are_404_for_users_who_cannot_open_the_client(
    curator: Any, card: Client, manager_user: Any, admin_user: Any,
) -> None:
    manager = signed_in(manager_user)
    for browser in (manager,):
        assert browser.get(f"/clients/{card.pk}/shipping/").status_code == 404
        assert forged(browser, card, consignee="x").status_code == 404
        assert browser.post(f"/clients/{card.pk}/shipping/from-card/").status_code == 404
    make_private(card)
    admin = signed_in(admin_user)
    assert admin.get(f"/clients/{card.pk}/shipping/").status_code == 404
    assert forged(admin, card, consignee="x").status_code == 404
    assert admin.post(f"/clients/{card.pk}/shipping/from-card/").status_code == 404
    assert not ClientShipping.objects.exists()
