"""The first-run wizard and Constants in a real browser; also takes the user guide's screenshots."""

from __future__ import annotations

import pytest

from kontora.accounts.models import User
from kontora.core.models import BankAccount, LegalEntity
from tests.accounts.support import fill_organisation
from tests.support.browser import screenshot


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


@pytest.mark.feature("ORG-01")
def test_constants_page_adds_an_account_in_a_modal(page, live_server, transactional_db, admin_user):
    # given the wizard's organisation and a signed-in administrator
    from kontora.core.services.organisation import (
        BankAccountData,
        LegalEntityData,
        bank_account_create,
        legal_entity_create,
    )
    from tests.support.http import PASSWORD

    entity = legal_entity_create(acting_user=admin_user, data=LegalEntityData(
        full_name="Общество с ограниченной ответственностью «Ромашка»", short_name="ООО «Ромашка»",
        inn="7707083893", kpp="773601001", ogrn="1027700132195", legal_address="117997, г. Москва, ул. Вавилова, д. 19",
        actual_address="117997, г. Москва, ул. Вавилова, д. 19", director="Иванов Иван Иванович",
        chief_accountant="Петрова Мария Сергеевна",
    ))
    bank_account_create(acting_user=admin_user, entity_id=entity.pk, data=BankAccountData(
        bank_name="ПАО Сбербанк", bik="044525225", corr_account="30101810400000000225",
        account="40702810938000000001",
    ))
    page.goto(f"{live_server.url}/login/")
    page.fill("#id_login", "admin")
    page.fill("#id_password", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url(f"{live_server.url}/")
    # when the administrator opens Administration → Enterprise: constants
    page.click("[data-menu=admin] > a")
    page.click("text=Предприятие: константы")
    page.wait_for_url(f"{live_server.url}/administration/constants/")
    # and adds an account with a wrong key in the modal
    page.click("[data-testid=account-new]")
    page.wait_for_selector("#k-modal.show [data-testid=account-form]")
    page.fill("#id_bank_name", "АО «Альфа-Банк»")
    page.fill("#id_bik", "044525593")
    page.fill("#id_corr_account", "30101810200000000593")
    page.fill("#id_account", "40702810000000000001")
    page.click("[data-testid=account-ok]")
    # then the error is shown in the modal next to the field
    error = page.locator("#k-modal [data-testid=error-account]")
    error.wait_for()
    assert error.inner_text() == "Расчётный счёт: контрольный ключ не сходится с БИК"
    # when the number is corrected
    page.fill("#id_account", "40702810201300000009")
    page.click("[data-testid=account-ok]")
    # then the page reloads with both accounts and a confirmation
    page.wait_for_selector(".alert-success")
    assert page.locator(".alert-success").inner_text() == "Счёт 40702810201300000009 добавлен."
    assert page.locator("[data-testid=account]").count() == 2
    screenshot(page, "constants")
    # when the new account is deleted, after confirming the question
    questions: list[str] = []

    def confirm(dialog) -> None:
        questions.append(dialog.message)
        dialog.accept()

    page.on("dialog", confirm)
    page.locator("[data-testid=account]", has_text="40702810201300000009").locator("text=Удалить").click()
    page.wait_for_selector("text=Счёт 40702810201300000009 удалён.")
    # then
    assert questions == ["Удалить счёт 40702810201300000009?"]
    assert page.locator("[data-testid=account]").count() == 1
