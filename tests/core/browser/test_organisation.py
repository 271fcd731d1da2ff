"""Administration → Enterprise: constants in a real browser (moved from the wizard's browser test); also takes
the user guide's screenshot of the page."""

from __future__ import annotations

import pytest

from kontora.core.services.organisation import (
    BankAccountData,
    LegalEntityData,
    bank_account_create,
    legal_entity_create,
)
from tests.support.browser import screenshot
from tests.support.http import PASSWORD


@pytest.mark.feature("ORG-01")
def test_constants_page_adds_an_account_in_a_modal(page, live_server, transactional_db, admin_user):
    # given the wizard's organisation and a signed-in administrator
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
