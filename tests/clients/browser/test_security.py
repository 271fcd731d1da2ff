"""The card's Security and Mailing tabs in a real browser: a conclusion signed by password, addresses added."""

from __future__ import annotations

import pytest
from django.core.cache import cache

from kontora.clients.models import ClientMailingAddress, ClientSecurity
from kontora.clients.services import card as services
from tests.accounts.factories import UserFactory
from tests.clients.factories import ClientFactory
from tests.clients.support import grant_right
from tests.support.browser import screenshot, sign_in
from tests.support.http import PASSWORD


@pytest.mark.feature("CLI-10", "ACL-04")
def test_inspector_signs_a_security_conclusion(page, live_server, manager_user, transactional_db):
    cache.clear()
    base = live_server.url
    # given a manager's client and an inspector with the security right who may open every client
    client = ClientFactory(curator=manager_user, short_name="Ромашка")
    inspector = UserFactory(login="inspector", full_name="Иванов Иван Иванович", client_scope="open_all")
    grant_right(inspector, "security_decisions")
    sign_in(page, base, "inspector")
    page.goto(f"{base}/clients/{client.pk}/")
    page.click("[data-testid=tab-security]")
    page.locator("[data-testid=security-panel]").wait_for()

    # when the data for the security service is filled in and the card applied
    page.fill("#id_si-finances", "Оборот 50 млн ₽ в год, долгов нет")
    page.fill("#id_si-reputation", "Платит в срок, отзывы поставщиков хорошие")
    page.click("[data-testid=client-apply]")
    # then the card comes back on the same tab with the texts saved
    page.wait_for_url(f"{base}/clients/{client.pk}/#tab-security")
    page.locator("#id_si-reputation").wait_for()
    assert page.input_value("#id_si-reputation") == "Платит в срок, отзывы поставщиков хорошие"
    assert ClientSecurity.objects.get(client=client).finances == "Оборот 50 млн ₽ в год, долгов нет"

    # and a conclusion is signed with a wrong password in its modal
    page.click("[data-testid=security-sign-open]")
    page.locator("#k-modal #id_sc-conclusion").wait_for()
    page.fill("#id_sc-conclusion", "Надёжный покупатель: работать с отсрочкой платежа.")
    page.fill("#id_sc-credit_limit", "500000")
    page.select_option("#id_sc-work_mode", "deferred")
    page.fill("#id_sc-password", "not-my-password")
    page.click("[data-testid=security-sign]")

    # then it is refused next to the password field and nothing is signed
    error = page.locator("[data-testid=error-password]")
    error.wait_for()
    assert error.inner_text() == "Неверный пароль. Заключение не подписано."
    assert not ClientSecurity.objects.filter(client=client, inspector__isnull=False).exists()

    # when the right password is typed (the other fields kept what was typed)
    assert page.input_value("#id_sc-conclusion") == "Надёжный покупатель: работать с отсрочкой платежа."
    page.fill("#id_sc-password", PASSWORD)
    page.click("[data-testid=security-sign]")

    # then the modal closes and the conclusion is signed by the inspector, shown read-only with the date
    signature = page.locator("[data-testid=security-signature]")
    signature.wait_for()
    page.locator("#k-modal").wait_for(state="hidden")
    page.locator("[data-testid=security-message]").wait_for()
    assert signature.inner_text().startswith("Заключение вынес: Иванов И. И., ")
    row = ClientSecurity.objects.get(client=client)
    assert (row.inspector, row.work_mode, str(row.credit_limit)) == (inspector, "deferred", "500000.00")
    assert page.locator("[data-testid=security-credit-limit]").inner_text().replace("\xa0", " ") == "500 000,00"
    page.locator("[data-testid=security-panel]").scroll_into_view_if_needed()
    screenshot(page, "client-security")


@pytest.mark.feature("CLI-09")
def test_manager_fills_the_mailing_tab(page, live_server, manager_user, transactional_db):
    base = live_server.url
    # given a manager's client with an e-mail and a contact person with a mobile phone
    client = ClientFactory(curator=manager_user, short_name="Ромашка", email="office@romashka.ru")
    services.contact_create(acting_user=manager_user, client=client, values={
        "full_name": "Иванов Иван", "email": "ivanov@romashka.ru", "phone_mobile": "+7 912 000-11-22"})
    sign_in(page, base, "manager")
    page.goto(f"{base}/clients/{client.pk}/")
    page.click("[data-testid=tab-mailing]")
    page.locator("[data-testid=mailing-panel]").wait_for()

    # when a bad e-mail is added in the modal, the message stands next to the field
    page.click("[data-testid=mailing-add]")
    page.locator("#k-modal #id_ma-value").wait_for()
    page.fill("#id_ma-value", "sales@")
    page.click("[data-testid=mailing-address-ok]")
    page.locator("[data-testid=error-value]").wait_for()

    # when a good one is added, not subscribed, it appears in the list
    page.fill("#id_ma-value", "sales@romashka.ru")
    page.fill("#id_ma-owner_name", "Отдел продаж")
    page.uncheck("#id_ma-subscribed")
    page.click("[data-testid=mailing-address-ok]")
    page.locator("[data-testid=mailing-row]", has_text="sales@romashka.ru").wait_for()
    page.locator("#k-modal").wait_for(state="hidden")
    page.wait_for_selector(".modal-backdrop", state="detached")

    # and "Take from the card" adds the card's e-mail and the contact's e-mail and mobile
    page.click("[data-testid=mailing-fill]")
    page.locator("[data-testid=mailing-message]").wait_for()
    assert page.locator("[data-testid=mailing-row]").count() == 4

    # and the "exclude from SMS mailing" switch is saved by the card's Apply, which comes back to the tab
    page.check("#id_ms-exclude_sms")
    page.click("[data-testid=client-apply]")
    page.wait_for_url(f"{base}/clients/{client.pk}/#tab-mailing")
    page.locator("#id_ms-exclude_sms").wait_for()
    assert page.is_checked("#id_ms-exclude_sms")

    # and the new address, edited in its modal, gets subscribed
    sales_row = page.locator("[data-testid=mailing-row]", has_text="sales@romashka.ru")
    sales_row.locator("[data-testid=mailing-edit]").click()
    page.locator("#k-modal #id_me-subscribed").wait_for()
    page.check("#id_me-subscribed")
    page.fill("#id_me-owner_name", "Отдел продаж, Петрова")
    page.click("[data-testid=mailing-address-ok]")
    page.locator("[data-testid=mailing-row]", has_text="Отдел продаж, Петрова").wait_for()

    # then the base holds all of it
    assert sorted(ClientMailingAddress.objects.filter(client=client).values_list("value_key", "subscribed")) == [
        ("79120001122", True), ("ivanov@romashka.ru", True), ("office@romashka.ru", True),
        ("sales@romashka.ru", True)]
    assert client.mailing.exclude_sms is True
    page.locator("[data-testid=mailing-panel]").scroll_into_view_if_needed()
    screenshot(page, "client-mailing")
