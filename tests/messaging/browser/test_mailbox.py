"""The «Почта» tab in a real browser (GRP-03): the mailbox typed in, the test letter through a real SMTP server and
its answer under the button, the window saved, the password never shown back."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from kontora.messaging.models import Mailbox
from tests.messaging.support import LOGIN, PASSWORD
from tests.support.browser import csp_violations, screenshot, sign_in, watch_csp


@pytest.mark.feature("GRP-03")
def test_a_manager_sets_up_his_mailbox_and_sends_a_test_letter(page, live_server, manager_user, transactional_db,
                                                              smtp_starttls):
    base = live_server.url
    watch_csp(page)
    sign_in(page, base, manager_user.login)
    page.goto(f"{base}/settings/parameters/?tab=mail")
    # when he types his mailbox in and sends a test letter
    page.get_by_label("SMTP-сервер", exact=True).fill("localhost")
    page.get_by_label("Порт SMTP-сервера").fill(str(smtp_starttls.port))
    page.get_by_label("Шифрование").select_option("starttls")
    page.get_by_label("Название почтового ящика").fill("Отдел продаж")
    page.get_by_label("E-mail", exact=True).fill(LOGIN)
    page.get_by_label("Имя пользователя (логин)").fill(LOGIN)
    page.get_by_label("Пароль", exact=True).fill(PASSWORD)
    page.get_by_test_id("mail-test").click()
    # then the server's answer shows under the button, and the letter reached the server
    expect(page.get_by_test_id("mail-test-answer")).to_contain_text("Ответ сервера: 250")
    assert len(smtp_starttls.inbox.letters) == 1
    screenshot(page, "mail-settings")
    # and saved, the mailbox is his; the tab shows no password
    page.get_by_role("button", name="Применить").click()
    page.get_by_label("SMTP-сервер", exact=True).wait_for()
    assert Mailbox.objects.get(user=manager_user).address == LOGIN
    page.goto(f"{base}/settings/parameters/?tab=mail")
    expect(page.get_by_label("Пароль", exact=True)).to_have_value("")
    assert PASSWORD not in page.content()
    assert csp_violations(page) == []
