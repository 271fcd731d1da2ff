"""The card's "Mailing E-Mail & SMS" tab: addresses, checks, duplicates, switches, "Take from the card" (CLI-09)."""

from __future__ import annotations

from typing import Any

import pytest

from kontora.clients.models import Client, ClientGrant, ClientMailing, ClientMailingAddress
from kontora.clients.services import card as services
from tests.accounts.factories import UserFactory
from tests.clients.factories import ClientFactory
from tests.clients.support import card_history, card_post, card_submit, make_private
from tests.support.http import html, signed_in
from tests.support.queries import assert_flat_queries


@pytest.fixture
def card(curator: Any) -> Client:
    return ClientFactory(curator=curator, short_name="Ромашка", email="office@romashka.ru")


def add(browser: Any, client: Client, kind: str, value: str, owner: str = "", subscribed: bool = True) -> Any:
    """The address's modal (a journal of the pane) posted by htmx: the list comes back, or the form with errors."""
    data = {"ma-kind": kind, "ma-value": value, "ma-owner_name": owner}
    if subscribed:
        data["ma-subscribed"] = "on"
    return browser.post(f"/clients/{client.pk}/mailing/new/", data, HTTP_HX_REQUEST="true")


@pytest.mark.feature("CLI-09")
def test_curator_adds_an_email_and_a_mobile_with_their_flags(curator: Any, card: Client) -> None:
    # given the curator on the Mailing tab
    browser = signed_in(curator)
    assert browser.get(f"/clients/{card.pk}/mailing/").status_code == 200
    # when an e-mail and a mobile number are added, the mobile not subscribed
    assert add(browser, card, "email", " Info@Romashka.RU ", "Бухгалтерия").status_code == 200
    page = html(add(browser, card, "mobile", "+7 (912) 345-67-89", "Иванов", subscribed=False))
    # then both are stored with their keys and flags, and the tab lists them
    rows = {row.kind: row for row in ClientMailingAddress.objects.filter(client=card)}
    assert (rows["email"].value, rows["email"].value_key, rows["email"].owner_name, rows["email"].subscribed) == (
        "Info@Romashka.RU", "info@romashka.ru", "Бухгалтерия", True)
    assert (rows["mobile"].value_key, rows["mobile"].subscribed) == ("79123456789", False)
    assert "Info@Romashka.RU" in page and "+7 (912) 345-67-89" in page
    # and each addition is in the card's history
    actions = list(card_history(card).values_list("summary", flat=True))
    assert "Добавлен адрес рассылки: Info@Romashka.RU" in actions


@pytest.mark.feature("CLI-09")
@pytest.mark.parametrize(("kind", "value", "message"), [
    ("email", "not-an-email", "Введите правильный адрес электронной почты, например name@example.ru."),
    ("email", "", "Введите адрес электронной почты."),
    ("mobile", "12-34-56", "Номер мобильного телефона содержит от 10 до 15 цифр."),
    ("mobile", "+7 912 345 67 89 12345", "Номер мобильного телефона содержит от 10 до 15 цифр."),
    ("mobile", "", "Введите номер мобильного телефона."),
])
def test_bad_addresses_are_refused_next_to_the_field(
    curator: Any, card: Client, kind: str, value: str, message: str,
) -> None:
    # given the curator
    browser = signed_in(curator)
    # when a bad address is added
    page = html(add(browser, card, kind, value))
    # then nothing is stored and the message in Russian stands under the address field
    assert not ClientMailingAddress.objects.exists()
    assert f'data-testid="error-value">{message}</div>' in page


@pytest.mark.feature("CLI-09")
def test_the_same_address_twice_is_refused(curator: Any, card: Client) -> None:
    # given a client with an e-mail and a mobile on the list
    browser = signed_in(curator)
    add(browser, card, "email", "info@romashka.ru")
    add(browser, card, "mobile", "8 912 345-67-89")
    # when the same values are added again, written differently
    email_page = html(add(browser, card, "email", "INFO@Romashka.ru"))
    mobile_page = html(add(browser, card, "mobile", "8(912)3456789"))
    # then each is refused with a message and the list keeps one of each
    assert "Этот адрес электронной почты уже есть в списке клиента." in email_page
    assert "Этот номер мобильного телефона уже есть в списке клиента." in mobile_page
    assert ClientMailingAddress.objects.filter(client=card).count() == 2


@pytest.mark.feature("CLI-09")
def test_an_address_is_edited_and_deleted(curator: Any, card: Client) -> None:
    # given an address on the list
    browser = signed_in(curator)
    add(browser, card, "email", "info@romashka.ru", "Офис")
    address = ClientMailingAddress.objects.get()
    # when it is opened for editing, unsubscribed and renamed
    form = html(browser.get(f"/clients/{card.pk}/mailing/{address.pk}/", HTTP_HX_REQUEST="true"))
    assert 'data-testid="mailing-address-form"' in form and 'value="info@romashka.ru"' in form
    browser.post(f"/clients/{card.pk}/mailing/{address.pk}/", {
        "me-kind": "email", "me-value": "sales@romashka.ru", "me-owner_name": "Отдел продаж"}, HTTP_HX_REQUEST="true")
    # then the row changes and the history names the changes
    address.refresh_from_db()
    assert (address.value, address.value_key, address.owner_name, address.subscribed) == (
        "sales@romashka.ru", "sales@romashka.ru", "Отдел продаж", False)
    change = card_history(card).first()
    assert change is not None and {item["field"] for item in change.changes} == {"Адрес", "Чей", "Подписан"}
    # when an edit would duplicate another address it is refused and the row keeps its value
    add(browser, card, "email", "office@romashka.ru")
    page = html(browser.post(f"/clients/{card.pk}/mailing/{address.pk}/", {
        "me-kind": "email", "me-value": "OFFICE@romashka.ru", "me-subscribed": "on"}, HTTP_HX_REQUEST="true"))
    assert "Этот адрес электронной почты уже есть в списке клиента." in page
    address.refresh_from_db()
    assert address.value == "sales@romashka.ru"
    # when it is deleted, it is gone
    browser.post(f"/clients/{card.pk}/mailing/{address.pk}/delete/", HTTP_HX_REQUEST="true")
    assert list(ClientMailingAddress.objects.values_list("value", flat=True)) == ["office@romashka.ru"]


@pytest.mark.feature("CLI-09")
def test_exclude_switches_are_created_on_first_save(curator: Any, card: Client) -> None:
    # given a client whose switches were never saved
    browser = signed_in(curator)
    assert not ClientMailing.objects.exists()
    # when "exclude from e-mail mailing" is switched on and the card saved
    response = card_submit(browser, card, {"ms-exclude_email": True}, tabs=["mailing"])
    # then the row is created with that switch only, and the history has it
    settings_row = ClientMailing.objects.get(client=card)
    assert (settings_row.exclude_email, settings_row.exclude_sms) == (True, False)
    assert response.status_code == 302
    assert "Клиент «1 · Ромашка» сохранён." in html(browser.get(response["Location"]))
    change = card_history(card).first()
    assert change is not None and change.changes == [
        {"field": "Исключить из рассылки E-mail", "old": "—", "new": "✓"}]
    # when both switches change on the next save
    card_submit(browser, card, {"ms-exclude_email": False, "ms-exclude_sms": True}, tabs=["mailing"])
    settings_row.refresh_from_db()
    assert (settings_row.exclude_email, settings_row.exclude_sms) == (False, True)


@pytest.mark.feature("CLI-09")
def test_take_from_the_card_adds_only_new_valid_addresses(curator: Any, card: Client) -> None:
    # given a card with an e-mail, two contacts, and one of their addresses already on the list
    services.contact_create(acting_user=curator, client=card, values={
        "full_name": "Иванов Иван", "email": "ivanov@romashka.ru", "phone_mobile": "+7 912 000-11-22"})
    services.contact_create(acting_user=curator, client=card, values={
        "full_name": "Петров Пётр", "email": "", "phone_mobile": "22-33"})  # not a mobile number
    browser = signed_in(curator)
    add(browser, card, "email", "IVANOV@romashka.ru", "Иванов")
    # when "Take from the card" is pressed
    page = html(browser.post(f"/clients/{card.pk}/mailing/from-card/", HTTP_HX_REQUEST="true"))
    # then the card's e-mail and Ivanov's mobile are added, subscribed, with whose they are
    rows = list(ClientMailingAddress.objects.filter(client=card).order_by("id")
                .values_list("kind", "value_key", "owner_name", "subscribed"))
    assert rows == [
        ("email", "ivanov@romashka.ru", "Иванов", True),
        ("email", "office@romashka.ru", "Ромашка", True),
        ("mobile", "79120001122", "Иванов Иван", True),
    ]
    assert "Добавлено адресов из карточки: 2." in page
    # when it is pressed again, nothing more is added
    page = html(browser.post(f"/clients/{card.pk}/mailing/from-card/", HTTP_HX_REQUEST="true"))
    assert ClientMailingAddress.objects.filter(client=card).count() == 3
    assert "В карточке нет адресов, которых ещё нет в списке." in page


@pytest.mark.feature("CLI-09")
def test_a_view_only_user_sees_the_list_but_cannot_change_it(curator: Any, card: Client) -> None:
    # given a user granted view-only access and an address on the list
    reader = UserFactory(login="reader", client_scope="own")
    ClientGrant.objects.create(client=card, user=reader, can_edit=False)
    add(signed_in(curator), card, "email", "info@romashka.ru")
    browser = signed_in(reader)
    # when they open the tab, it lists the address without the add row and buttons
    page = html(browser.get(f"/clients/{card.pk}/mailing/"))
    assert "info@romashka.ru" in page and 'data-testid="mailing-read-only"' in page
    assert 'data-testid="mailing-add"' not in page and 'data-testid="mailing-fill"' not in page
    assert 'data-testid="mailing-edit"' not in page and 'name="ms-exclude_email"' not in page
    # when they post changes anyway, every one is refused and nothing changes
    address = ClientMailingAddress.objects.get()
    for url, data in [
        ("new/", {"ma-kind": "email", "ma-value": "x@romashka.ru"}),
        ("from-card/", {}),
        (f"{address.pk}/", {"me-kind": "email", "me-value": "y@romashka.ru"}),
        (f"{address.pk}/delete/", {}),
    ]:
        assert browser.post(f"/clients/{card.pk}/mailing/{url}", data).status_code == 403, url
    assert browser.post(f"/clients/{card.pk}/", card_post(short_name="Ромашка", **{"ms-exclude_email": "on"})
                        ).status_code == 403
    assert list(ClientMailingAddress.objects.values_list("value", flat=True)) == ["info@romashka.ru"]
    assert not ClientMailing.objects.exists()


@pytest.mark.feature("CLI-09")
def test_mailing_urls_are_404_for_users_who_cannot_open_the_client(
    curator: Any, card: Client, manager_user: Any, admin_user: Any,
) -> None:
    # given an address on the list of a client, then the client made private
    add(signed_in(curator), card, "email", "info@romashka.ru")
    address = ClientMailingAddress.objects.get()
    urls = [("get", ""), ("post", "new/"), ("post", "from-card/"),
            ("get", f"{address.pk}/"), ("post", f"{address.pk}/"), ("post", f"{address.pk}/delete/")]
    switches = card_post(short_name="Ромашка", **{"ms-exclude_email": "on"})
    # then a manager who does not work with it gets 404 everywhere, the card's save of the switches too
    manager = signed_in(manager_user)
    for method, url in urls:
        assert getattr(manager, method)(f"/clients/{card.pk}/mailing/{url}").status_code == 404, url
    assert manager.post(f"/clients/{card.pk}/", switches).status_code == 404
    # and once it is private, so does the administrator
    make_private(card)
    admin = signed_in(admin_user)
    for method, url in urls:
        assert getattr(admin, method)(f"/clients/{card.pk}/mailing/{url}").status_code == 404, url
    assert admin.post(f"/clients/{card.pk}/", switches).status_code == 404
    assert not ClientMailing.objects.exists()
    assert ClientMailingAddress.objects.count() == 1


@pytest.mark.feature("CLI-09")
def test_the_mailing_tab_reads_as_many_queries_with_twenty_addresses_as_with_one(curator: Any, card: Client) -> None:
    # given a card with one address, then twenty
    def add(number: int) -> None:
        value = f"box{number}@romashka.ru"
        ClientMailingAddress.objects.create(client=card, kind="email", value=value, value_key=value)

    # when the tab is read / then it lists them all with the same number of queries
    browser = signed_in(curator)
    page = assert_flat_queries(lambda: html(browser.get(f"/clients/{card.pk}/mailing/")), add)
    assert all(f"box{number}@romashka.ru" in page for number in range(20))
