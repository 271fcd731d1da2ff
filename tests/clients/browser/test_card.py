"""The client card in a real browser: a duplicate warning while typing, a new client, a contact in the modal."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from kontora.clients.models import Client, ContactPerson
from tests.accounts.factories import UserFactory
from tests.clients.factories import ClientFactory
from tests.clients.support import VALID_INN
from tests.support.browser import screenshot, sign_in


@pytest.mark.feature("CLI-16", "CLI-02", "CLI-05", "CLI-06")
def test_manager_creates_client_with_contact_and_sees_duplicate(page, live_server, manager_user, transactional_db):
    base = live_server.url
    # given a client already registered with an INN
    existing = ClientFactory(curator=manager_user, short_name="Сбербанк", inn=VALID_INN, phone="+7 495 500-55-50")
    sign_in(page, base, "manager")

    # when a new card is filled in and the same INN is typed on the Registration tab
    page.goto(f"{base}/clients/new/?kind=company")
    page.fill("#id_short_name", "Ромашка")
    page.fill("#id_full_name", "ООО «Ромашка»")
    page.fill("#id_address", "г. Москва, ул. Ленина, 1")
    page.fill("#id_phone", "+7 (495) 123-45-67")
    page.click("[data-testid=tab-registration]")
    page.fill("#id_inn", "7707083893")
    page.press("#id_inn", "Tab")

    # then the existing client is shown as a likely duplicate with a link to its card
    warning = page.locator("[data-testid=client-duplicates]")
    warning.wait_for()
    assert "1 · Сбербанк — тот же ИНН" in warning.inner_text()
    assert warning.locator("a").get_attribute("href") == f"/clients/{existing.pk}/"
    screenshot(page, "client-duplicates")

    # when the INN is cleared and the card applied
    page.fill("#id_inn", "")
    page.press("#id_inn", "Tab")
    page.wait_for_selector("[data-testid=client-duplicates]", state="detached")
    page.click("[data-testid=client-apply]")
    page.wait_for_url(re.compile(rf"{base}/clients/\d+/(#tab-[\w-]+)?$"))

    # then the card is titled with the new code
    client = Client.objects.get(short_name="Ромашка")
    assert page.locator("[data-testid=card-title]").inner_text().strip() == "2 · Ромашка"

    # when a contact person is added on the Personnel tab
    page.click("[data-testid=tab-personnel]")
    page.click("[data-testid=contact-add]")
    page.locator("#k-modal #id_full_name").wait_for()
    page.fill("#k-modal #id_full_name", "Иванов Иван Иванович")
    page.fill("#k-modal #id_position", "Директор")
    page.fill("#k-modal #id_phone_mobile", "+7 916 000-11-22")
    page.check("#k-modal #id_is_main")
    page.click("[data-testid=contact-ok]")

    # then the modal closes and the contact is in the list
    page.locator("#k-modal").wait_for(state="hidden")
    page.locator(".modal-backdrop").wait_for(state="detached")
    row = page.locator("[data-testid=contact-row]")
    assert row.count() == 1 and "Иванов Иван Иванович" in row.inner_text()
    assert ContactPerson.objects.get().client == client
    page.click("[data-testid=tab-general]")
    page.click("[data-testid=tab-personnel]")
    screenshot(page, "client-card")


@pytest.mark.feature("CLI-16", "ACL-01")
def test_an_own_clients_manager_typing_another_managers_inn_is_told_its_curator(
        page, live_server, manager_user, transactional_db):
    base = live_server.url
    # given another manager's client, the manager working with his own clients only
    ClientFactory(curator=UserFactory(login="ivanov", full_name="Иванов И. И."), short_name="Чужой клиент",
                  inn=VALID_INN, phone="+7 495 500-55-50")
    sign_in(page, base, "manager")
    # when he types its INN and phone on a new card
    page.goto(f"{base}/clients/new/?kind=company")
    page.fill("#id_short_name", "Ромашка")
    page.fill("#id_phone", "8 495 500 55 50")
    page.click("[data-testid=tab-registration]")
    page.fill("#id_inn", VALID_INN)
    page.press("#id_inn", "Tab")
    # then he is told that such a client exists and whose it is — without its card, name or phone
    warning = page.locator("[data-testid=client-duplicates]")
    # (the phone's check may answer before the INN's)
    expect(warning).to_contain_text("Клиент с таким ИНН уже есть, куратор — Иванов И. И.")
    text = warning.inner_text()
    assert "Клиент с таким телефоном уже есть, куратор — Иванов И. И." in text
    assert "Чужой" not in text and "500-55-50" not in text and warning.locator("a").count() == 0
    screenshot(page, "client-duplicates-told")
