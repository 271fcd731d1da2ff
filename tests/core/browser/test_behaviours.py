"""Behaviours (static/kontora/behaviours/) on core's pages, where no other test drives them: confirm asks before a
form is sent and keeps it when the answer is no; remember-tab brings Apply back on the tab last shown."""

from __future__ import annotations

from playwright.sync_api import expect

from kontora.core.models import BankAccount
from kontora.core.services.organisation import (
    BankAccountData,
    LegalEntityData,
    bank_account_create,
    legal_entity_create,
)
from tests.support.browser import sign_in

ROMASHKA = LegalEntityData(full_name="ООО «Ромашка»", short_name="ООО «Ромашка»", inn="7707083893")
SBER = BankAccountData(bank_name="ПАО Сбербанк", bik="044525225", corr_account="30101810400000000225",
                       account="40702810938000000001")


def test_confirm_keeps_the_form_when_the_answer_is_no(page, live_server, admin_user, transactional_db):
    # given an account on Administration → Enterprise: constants
    entity = legal_entity_create(acting_user=admin_user, data=ROMASHKA)
    bank_account_create(acting_user=admin_user, entity_id=entity.pk, data=SBER)
    sign_in(page, live_server.url, "admin")
    page.goto(f"{live_server.url}/administration/constants/")
    questions: list[str] = []
    delete = page.locator("[data-testid=account]", has_text=SBER.account).locator("text=Удалить")

    # when the question is answered no
    def decline(dialog) -> None:
        questions.append(dialog.message)
        dialog.dismiss()

    page.once("dialog", decline)
    delete.click()
    # then nothing is sent: the account stays
    page.wait_for_timeout(300)
    assert questions == [f"Удалить счёт {SBER.account}?"]
    assert page.url == f"{live_server.url}/administration/constants/"
    assert BankAccount.objects.filter(account=SBER.account).exists()

    # when it is answered yes
    page.once("dialog", lambda dialog: dialog.accept())
    delete.click()
    # then
    expect(page.get_by_text(f"Счёт {SBER.account} удалён.")).to_be_visible()
    assert not BankAccount.objects.filter(account=SBER.account).exists()


def test_apply_comes_back_on_the_tab_last_shown(page, live_server, manager_user, transactional_db):
    # given Settings → Parameters, opened on its first tab
    sign_in(page, live_server.url, "manager")
    page.goto(f"{live_server.url}/settings/parameters/")
    expect(page.locator("#k-active-tab")).to_have_value("general")
    # when another tab is shown and the page applied
    page.get_by_role("tab", name="Вход в систему").click()
    expect(page.locator("#k-active-tab")).to_have_value("login")
    page.locator("button[name=apply]").click()
    # then the page comes back on that tab
    page.wait_for_url(f"{live_server.url}/settings/parameters/?tab=login")
    expect(page.get_by_role("tab", name="Вход в систему")).to_have_class("nav-link active")
