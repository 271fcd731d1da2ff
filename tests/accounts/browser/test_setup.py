"""The first-run wizard in a real browser; also takes the user guide's screenshots."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from kontora.accounts.models import User
from kontora.core.models import BankAccount, LegalEntity
from kontora.directories.models import Bank
from tests.accounts.support import fill_organisation
from tests.support.browser import csp_violations, screenshot, watch_csp


@pytest.mark.feature("SYS-05")
def test_fresh_base_goes_through_the_wizard_to_the_login_page(page, live_server, transactional_db):
    # given a fresh base: any address opens the wizard
    page.goto(f"{live_server.url}/")
    page.wait_for_url(f"{live_server.url}/setup/")
    assert page.locator("[data-testid=setup-steps] [aria-current=step]").inner_text().strip().endswith(
        "Ваша организация"
    )
    # when an INN with a wrong check number is entered
    fill_organisation(page, "7707083894")
    page.click("[data-testid=setup-next]")
    # then the wizard stays on step 1 and says why, right under the INN field
    page.wait_for_selector("[data-testid=error-inn]")
    assert page.url == f"{live_server.url}/setup/"
    assert page.locator("[data-testid=error-inn]").inner_text() == "ИНН: неверное контрольное число"
    assert page.locator("#id_inn").get_attribute("aria-invalid") == "true"
    screenshot(page, "setup-organisation")
    # and "same as legal" copies the address as it is typed
    assert page.input_value("#id_actual_address") == "117997, г. Москва, ул. Вавилова, д. 19"
    # when the INN is corrected
    page.fill("#id_inn", "7707083893")
    page.click("[data-testid=setup-next]")
    # then step 2 asks for the first user
    page.wait_for_url(f"{live_server.url}/setup/user/")
    assert "ООО «Ромашка»" in page.locator("[data-testid=setup-organisation-summary]").inner_text()
    page.fill("#id_login", "director")
    page.fill("#id_full_name", "Иванов Иван Иванович")
    page.fill("#id_password1", "Ромашка-2025!")
    page.fill("#id_password2", "Ромашка-2025!")
    screenshot(page, "setup-user")
    page.click("[data-testid=setup-finish]")
    # then the login page greets the new administrator
    page.wait_for_url(f"{live_server.url}/login/")
    assert page.locator(".alert-success").inner_text() == (
        "Организация и учётная запись администратора созданы. Войдите под логином и паролем, которые вы указали."
    )
    assert User.objects.get().role == "admin"
    assert LegalEntity.objects.get().is_default
    assert BankAccount.objects.get().is_default
    # and signing in opens the main window, not the wizard
    page.fill("#id_login", "director")
    page.fill("#id_password", "Ромашка-2025!")
    page.click("button[type=submit]")
    page.wait_for_url(f"{live_server.url}/")
    response = page.goto(f"{live_server.url}/setup/")
    assert response is not None and response.status == 404


@pytest.mark.feature("SYS-05")
def test_the_wizards_bik_fills_the_bank_and_names_its_city(page, live_server, transactional_db):
    # given a fresh base (no user yet) whose BIK directory has the bank
    Bank.objects.create(bik="044525225", name="ПАО Сбербанк", name_key="пао сбербанк",
                        corr_account="30101810400000000225", city="г Москва")
    watch_csp(page).goto(f"{live_server.url}/setup/")
    # when the BIK is typed into the optional bank block
    page.fill("#id_bik", "044525225")
    # then the bank and its correspondent account are filled in, and the line under them names the bank's city
    expect(page.locator("#id_bank_name")).to_have_value("ПАО Сбербанк")
    assert page.input_value("#id_corr_account") == "30101810400000000225"
    expect(page.locator("[data-testid=bank-lookup-note]")).to_have_text("ПАО Сбербанк, г Москва")
    assert csp_violations(page) == []


@pytest.mark.feature("SYS-05")
def test_the_wizard_says_the_bik_directory_is_not_loaded(page, live_server, transactional_db):
    # given a fresh base with an empty BIK directory
    page.goto(f"{live_server.url}/setup/")
    # when
    page.fill("#id_bik", "044525225")
    # then nothing is filled in, and the wizard says why
    expect(page.locator("[data-testid=bank-lookup-note]")).to_have_text(
        "Справочник БИК ещё не загружен: введите банк и его корр. счёт вручную."
    )
    assert page.input_value("#id_bank_name") == ""
