"""The card's Registration data panel, Bank tab and a person's passport tab in a real browser (CLI-01, CLI-06,
CLI-07); the screenshots "client-registration" and "client-bank" illustrate the guide."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from kontora.clients.models import ClientBankAccount, ClientLegalChange, ClientPersonal, ClientRegistration
from kontora.core.text import search_key
from kontora.directories.models import Bank
from tests.clients.factories import ClientFactory
from tests.clients.support import OKPO, SBER_BIK, SBER_CORR, settlement_account
from tests.support.browser import screenshot, sign_in


@pytest.mark.feature("CLI-06")
def test_manager_fills_registration_data_and_legal_history(page, live_server, manager_user, transactional_db):
    base = live_server.url
    client = ClientFactory(curator=manager_user, short_name="Ромашка", full_name="ООО «Ромашка»")
    sign_in(page, base, "manager")
    page.goto(f"{base}/clients/{client.pk}/")
    page.click("[data-testid=tab-registration]")
    page.locator("[data-testid=registration-panel]").wait_for()

    # when a wrong OKPO is typed and the card applied, the card comes back on this tab with the check named
    page.fill("#id_reg-okpo", OKPO[:-1] + str((int(OKPO[-1]) + 1) % 10))
    page.fill("#id_reg-director", "Иванов Иван Иванович")
    page.click("[data-testid=client-apply]")
    page.locator("[data-testid=error-okpo]").wait_for()
    assert "ОКПО: неверное контрольное число" in page.locator("[data-testid=error-okpo]").inner_text()
    assert page.locator("[data-testid=error-okpo]").is_visible()
    assert not ClientRegistration.objects.exists()

    # when it is corrected, the legal address copied to the actual one and the card applied
    assert page.input_value("#id_reg-director") == "Иванов Иван Иванович"
    page.fill("#id_reg-okpo", OKPO)
    page.fill("#id_reg-okved", "62.01")
    page.fill("#id_reg-charter_capital", "10 000")
    page.fill("#id_reg-registering_body", "МИФНС № 46 по г. Москве")
    page.fill("#id_reg-legal_address", "125009, г. Москва, ул. Тверская, д. 1")
    page.click("[data-testid=registration-copy-actual]")
    page.click("[data-testid=client-apply]")
    page.wait_for_url(f"{base}/clients/{client.pk}/#tab-registration")
    page.locator("[data-testid=legal-change-add]").wait_for()
    row = ClientRegistration.objects.get()
    assert (row.okpo, row.actual_address) == (OKPO, "125009, г. Москва, ул. Тверская, д. 1")
    assert row.director == "Иванов Иван Иванович"

    # when a change in the legal documents is added in the modal
    page.click("[data-testid=legal-change-add]")
    page.locator("#k-modal #id_document").wait_for()
    page.fill("#k-modal #id_date", "2023-05-10")
    page.fill("#k-modal #id_document", "Устав")
    page.fill("#k-modal #id_description", "Новая редакция: увеличен уставный капитал")
    page.click("[data-testid=legal-change-ok]")
    page.locator("[data-testid=legal-change-row]", has_text="Устав").wait_for()
    page.locator("#k-modal").wait_for(state="hidden")
    page.wait_for_selector(".modal-backdrop", state="detached")
    assert ClientLegalChange.objects.get().document == "Устав"
    page.locator("[data-testid=registration-panel]").scroll_into_view_if_needed()
    screenshot(page, "client-registration")

    # and the card's OK saves what was typed on the tab since
    page.fill("#id_reg-chief_accountant", "Петрова Анна")
    page.click("[data-testid=client-ok]")
    # the main window, on the client's row (the fragment of the tab rides along)
    page.wait_for_url(re.compile(rf"{base}/\?focus=\d+(#[\w-]+)?$"))
    assert (row.okpo, ClientRegistration.objects.get().chief_accountant) == (OKPO, "Петрова Анна")


@pytest.mark.feature("CLI-07")
def test_manager_adds_bank_account_with_known_bik(page, live_server, manager_user, transactional_db):
    base = live_server.url
    Bank.objects.create(bik=SBER_BIK, name="ПАО Сбербанк", name_key=search_key("ПАО Сбербанк"),
                        corr_account=SBER_CORR, city="г. Москва")
    account = settlement_account(SBER_BIK)
    client = ClientFactory(curator=manager_user, short_name="Ромашка")
    sign_in(page, base, "manager")
    page.goto(f"{base}/clients/{client.pk}/")
    page.click("[data-testid=tab-bank]")
    page.locator("[data-testid=bank-panel]").wait_for()

    # when an account is added and the BIK typed, the bank and its correspondent account are filled in
    page.click("[data-testid=bank-add]")
    page.locator("#k-modal #id_bank-bik").wait_for()
    page.fill("#id_bank-bik", SBER_BIK)
    expect(page.locator("#id_bank-bank_name")).not_to_have_value("")
    assert page.input_value("#id_bank-bank_name") == "ПАО Сбербанк"
    assert page.input_value("#id_bank-corr_account") == SBER_CORR
    screenshot(page, "client-bank-account")

    # and a settlement account with a wrong key is refused with the check named
    page.fill("#id_bank-account", account[:8] + str((int(account[8]) + 1) % 10) + account[9:])
    page.click("[data-testid=bank-ok]")
    page.locator("[data-testid=error-account]").wait_for()
    assert "контрольный ключ не сходится с БИК" in page.locator("[data-testid=error-account]").inner_text()
    # with the caret on the field at fault, and a field the user moves to keeps it (no late focus steals it)
    expect(page.locator("#id_bank-account")).to_be_focused()
    page.focus("#id_bank-notes")
    page.wait_for_timeout(400)
    expect(page.locator("#id_bank-notes")).to_be_focused()

    # when the right account is typed and saved as the main one
    page.fill("#id_bank-account", account)
    page.check("#id_bank-is_main")
    page.fill("#id_bank-notes", "Для расчётов по договорам поставки")
    page.click("[data-testid=bank-ok]")
    page.locator("[data-testid=bank-row]", has_text=account).wait_for()
    page.locator("#k-modal").wait_for(state="hidden")
    page.wait_for_selector(".modal-backdrop", state="detached")

    # then the list shows it as the main account
    saved = ClientBankAccount.objects.get()
    assert (saved.bank_name, saved.correspondent_account, saved.is_main) == ("ПАО Сбербанк", SBER_CORR, True)
    assert page.locator("[data-testid=bank-main]").count() == 1
    screenshot(page, "client-bank")


@pytest.mark.feature("CLI-01")
def test_person_card_shows_passport_tab_instead_of_registration(page, live_server, manager_user, transactional_db):
    base = live_server.url
    person = ClientFactory(curator=manager_user, short_name="Сидоров Пётр Ильич", kind="person")
    sign_in(page, base, "manager")
    page.goto(f"{base}/clients/{person.pk}/")
    # a person's card has neither Personnel nor Registration data, but the passport tab
    assert page.locator("[data-testid=tab-registration]").count() == 0
    assert page.locator("[data-testid=tab-personnel]").count() == 0
    page.click("[data-testid=tab-personal]")
    page.locator("[data-testid=personal-panel]").wait_for()

    # when a wrong SNILS is saved, the check is named; when corrected, the data is kept
    page.fill("#id_personal-passport_series", "4512")
    page.fill("#id_personal-passport_number", "345678")
    page.fill("#id_personal-snils", "112-233-445 96")
    page.click("[data-testid=client-apply]")
    page.locator("[data-testid=error-snils]").wait_for()
    assert "СНИЛС: неверное контрольное число" in page.locator("[data-testid=error-snils]").inner_text()
    assert not ClientPersonal.objects.exists()
    page.fill("#id_personal-snils", "112-233-445 95")
    page.click("[data-testid=client-apply]")
    page.wait_for_url(f"{base}/clients/{person.pk}/#tab-personal")
    page.locator("#id_personal-snils").wait_for()
    assert page.input_value("#id_personal-snils") == "112-233-445 95"
    row = ClientPersonal.objects.get()
    assert (row.passport_series, row.passport_number, row.snils) == ("4512", "345678", "11223344595")
    page.wait_for_timeout(300)  # only for the picture: Bootstrap fades the red border of the corrected field
    screenshot(page, "client-personal")
